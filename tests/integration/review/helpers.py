"""Driving review through its HTTP API, from a submission to any later stage.

Each step is what a user does, and asserts the answer it needs; a test that wants to see
a refusal calls the API itself."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import nats

from exemplar.clock import today as vietnam_today  # the services' date, not the machine's
from exemplar.events import NominationSubmittedV1, NominationWithdrawnV1, wrap
from exemplar.testing import auth, eventually

OFFICE, CHAIR, FRONT = "noi-vu.head", "ubnd.chair", "mttq.reviewer"
# The council of the default profile; phu-nghia.head sits for the commune Phú Nghĩa.
MEMBERS = ["ubnd.chair", "ubnd.vice-chair", "noi-vu.head", "vhtt.head", "mttq.head",
           "ldld.head", "phu-nghia.head"]
DOCUMENTS = ["to_trinh", "danh_sach_de_nghi", "bao_cao_thanh_tich", "bien_ban_hop_xet",
             "xac_nhan_sang_kien", "bao_cao_tom_tat"]


def submitted(**changes: Any) -> NominationSubmittedV1:
    """A complete, truthful submission from Đắk Ơ: a woman proposed for Lao động tiên tiến."""
    nominee = {"kind": "individual", "name": "Nguyễn Thị Hoa", "gender": "female",
               "birth_year": 1985, "ethnicity": "Kinh", "subject_id": str(uuid.uuid4()),
               **changes.pop("nominee", {})}
    data: dict[str, Any] = {
        "nomination_id": str(uuid.uuid4()), "revision": 1, "unit_id": "xa-dak-o",
        "unit_name": "UBND xã Đắk Ơ", "unit_kind": "commune", "year": 2024,
        "nominee": nominee, "field": "kinh_te", "proposed_award": "lao_dong_tien_tien",
        "commendation_kind": "regular",
        "achievement_summary": "Vận động 40 hộ chuyển đổi cây trồng, thu nhập tăng 25 %.",
        "claims": [{"criterion": "KT1", "claim": "Vận động 40 hộ chuyển đổi cây trồng"},
                   {"criterion": "KT2", "claim": "Thu nhập bình quân của ấp tăng 25 %"}],
        "documents": DOCUMENTS, "evidence_count": 2, "submitted_by": "dak-o.head",
        "submitted_at": datetime.now(UTC), **changes}
    return NominationSubmittedV1(**data)


async def publish(nats_url: str, event: NominationSubmittedV1 | NominationWithdrawnV1,
                  source: str = "nomination") -> None:
    nc = await nats.connect(nats_url, connect_timeout=5)
    try:
        envelope = wrap(event, source=source, subject=event.nomination_id)
        await nc.jetstream().publish(envelope.type, envelope.model_dump_json().encode(),
                                     headers={"Nats-Msg-Id": envelope.id}, timeout=5)
    finally:
        await nc.close()


async def open_case(review, token, **changes: Any) -> dict:
    """Submit as the nomination service would, and wait for review to open the case."""
    event = submitted(**changes)
    await publish(review.runtime.settings.nats_url, event)
    return await case_of(review, token, event.nomination_id, revision=event.revision)


async def case_of(review, token, nomination_id: str, *, revision: int = 1,
                  status: str | None = None) -> dict:
    found: dict = {}

    async def arrived() -> bool:
        response = await review.client.get("/cases", params={"limit": 500},
                                           headers=auth(token(OFFICE)))
        for case in response.json()["items"]:
            if case["nomination_id"] == nomination_id and case["revision"] >= revision and (
                    status is None or case["status"] == status):
                found.update(case)
                return True
        return False

    await eventually(arrived, what=f"case of {nomination_id} rev {revision} {status or ''}")
    return found


async def get_case(review, token, case_id: str, who: str = OFFICE) -> dict:
    response = await review.client.get(f"/cases/{case_id}", headers=auth(token(who)))
    assert response.status_code == 200, response.text
    return response.json()


def days_ago(n: int) -> str:
    return (vietnam_today() - timedelta(days=n)).isoformat()


async def arrange(review, case_id: str, **fields: Any) -> None:
    """Put a case straight into a later stage (status, council_result, posting_id…) so a
    feature's tests start where they need to. The whole path through the HTTP API is
    test_full_path's to prove."""
    from review.cases.store import Case

    async with review.runtime.uow() as uow:
        case = await uow.session.get(Case, case_id)
        for name, value in fields.items():
            setattr(case, name, value)
        await uow.commit()
