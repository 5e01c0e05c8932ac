"""Document use cases: generate the cover request and the achievement report from a
nomination, upload other dossier documents (minutes…), list, fetch and remove them."""

from __future__ import annotations

import asyncio
import hashlib
import re
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from exemplar.auth import Principal
from exemplar.clock import today
from exemplar.errors import Conflict, NotFound, RuleViolation
from exemplar.profile import Profile
from exemplar.uow import UnitOfWork, now

from ..access import reads_all_units
from ..evidence import storage
from ..evidence.service import DOCX_MIME, check_type, editable_nomination, evidence_names
from ..nominations.service import get_nomination
from ..nominations.store import Nomination
from ..subjects.service import awards_held
from . import store

if TYPE_CHECKING:
    from . import render

GENERATED = {"to_trinh": "cover_request", "bao_cao_thanh_tich": "achievement_report"}
DEFAULT_NAMES = {"to_trinh": "Tờ trình đề nghị khen thưởng",
                 "bao_cao_thanh_tich": "Báo cáo thành tích"}
COMMENDATIONS = {"regular": "Khen thưởng thường xuyên", "ad_hoc": "Khen thưởng đột xuất",
                 "thematic": "Khen thưởng theo chuyên đề"}
TITLE_MAX = 300
PEOPLES_COMMITTEES = {"commune", "district_people_committee", "province"}


def _render():
    """python-docx and lxml load with the first generated document, not at start-up."""
    from . import render

    return render


def letterhead(profile: Profile, unit_id: str, unit_name: str) -> render.Letterhead:
    """Who issues and signs: a department under its governing body, a people's committee
    on its own and signed on its behalf by the chairman."""
    unit = next((u for u in profile.units if u.id == unit_id), None)
    committee = unit is not None and unit.kind in PEOPLES_COMMITTEES
    parent = next((u.name for u in profile.units if unit and u.id == unit.parent), None)
    head = next((a.name for a in profile.accounts
                 if a.unit == unit_id and "unit_head" in a.roles), "")
    return _render().Letterhead(
        parent=None if committee else parent, unit=unit_name,
        abbreviation=_abbreviation(unit_name), place=_place(profile, unit_name, committee),
        signer_roles=("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH") if committee else (
            "THỦ TRƯỞNG ĐƠN VỊ",), signer_name=head)


def _abbreviation(name: str) -> str:
    """'UBND xã Đắk Ơ' → 'UBND'; 'Phòng Giáo dục và Đào tạo' → 'PGDĐT'."""
    words = [w for w in re.split(r"[\s–-]+", re.split(r"[,(]", name)[0]) if w]
    if words and len(words[0]) > 1 and words[0].isupper():
        return words[0]
    stop = next((i for i, w in enumerate(words) if w in ("huyện", "xã", "tỉnh")), len(words))
    return "".join(w[0].upper() for w in words[:stop] if w != "và" and w[0].isalpha())


def _place(profile: Profile, unit_name: str, committee: bool) -> str:
    """Where the unit sits: a commune's own name, else the jurisdiction's."""
    found = re.search(r"(?:xã|phường|thị trấn)\s+([^,(]+)", unit_name, re.IGNORECASE)
    if committee and found:
        return found.group(1).strip()
    name = profile.jurisdiction.name
    return re.sub(r"^(?:huyện|xã|tỉnh|thành phố|thị xã|quận|phường)\s+", "", name,
                  flags=re.IGNORECASE).strip()


def recipient(profile: Profile, award_id: str, unit_id: str) -> str:
    """Whoever grants the award: the chairman, for a people's committee."""
    try:
        grantor = profile.grantor_of(award_id, unit_id)
    except KeyError:
        return "cấp có thẩm quyền"
    return f"Chủ tịch {grantor.name}" if grantor.kind in PEOPLES_COMMITTEES else grantor.name


def kind_name(profile: Profile, kind: str) -> str:
    names = {d.id: d.name for d in profile.documents}
    return names.get(kind) or DEFAULT_NAMES.get(kind, kind)


def known_kinds(profile: Profile) -> set[str]:
    """The document kinds a dossier may hold: the profile's, and the generated ones."""
    return {d.id for d in profile.documents} | set(GENERATED)


def _check_kind(profile: Profile, kind: str) -> None:
    if kind not in known_kinds(profile):
        raise RuleViolation("Loại văn bản không hợp lệ.",
                            fields={"kind": f"'{kind}' không có trong danh mục văn bản"})


async def generate_document(uow: UnitOfWork, *, profile: Profile, user: Principal,
                            nomination_id: str, kind: str,
                            storage_dir: Path) -> store.Document:
    """Build the DOCX from the nomination's data; it replaces the one generated before."""
    if kind not in GENERATED:
        raise RuleViolation("Loại văn bản không tạo tự động được.", fields={
            "kind": f"chỉ tạo tự động được: {', '.join(GENERATED)}"})
    nomination = await editable_nomination(uow, user=user, nomination_id=nomination_id,
                                           action="lập hồ sơ cho")
    data = await _dossier_data(uow.session, profile, nomination)
    content = await asyncio.to_thread(getattr(_render(), GENERATED[kind]), data)
    title = f"{kind_name(profile, kind)} – {nomination.nominee_name}"
    replaced = await store.drop_generated(uow.session, nomination.id, kind)
    document = await _keep(uow, storage_dir=storage_dir, content=content, row=store.Document(
        id=str(uuid.uuid4()), nomination_id=nomination.id, unit_id=nomination.unit_id,
        kind=kind, title=title, filename=storage.safe_filename(f"{title} ({nomination.year})"
                                                               ".docx"),
        content_type=DOCX_MIME, size=len(content),
        sha256=hashlib.sha256(content).hexdigest(), storage_path="", generated=True,
        created_by=user.sub, created_at=now()))
    for old in replaced:
        await _forget_file(uow.session, storage_dir, old)
    return document


async def upload_document(uow: UnitOfWork, *, profile: Profile, user: Principal, kind: str,
                          nomination_id: str | None, title: str | None,
                          upload: storage.Upload, storage_dir: Path) -> store.Document:
    """A scanned or signed document of a kind, for a nomination or the unit's library."""
    _check_kind(profile, kind)
    if title is not None and len(title) > TITLE_MAX:
        raise RuleViolation("Tiêu đề quá dài.", fields={"title": f"tối đa {TITLE_MAX} ký tự"})
    unit_id = user.unit
    if nomination_id:
        nomination = await editable_nomination(uow, user=user, nomination_id=nomination_id,
                                               action="thêm văn bản cho")
        unit_id = nomination.unit_id
    found = await check_type(upload)
    return await _keep(uow, storage_dir=storage_dir, source=upload.path, row=store.Document(
        id=str(uuid.uuid4()), nomination_id=nomination_id or None, unit_id=unit_id, kind=kind,
        title=title or kind_name(profile, kind), filename=upload.filename,
        content_type=found.content_type, size=upload.size, sha256=upload.sha256,
        storage_path="", generated=False, created_by=user.sub, created_at=now()))


async def _keep(uow: UnitOfWork, *, storage_dir: Path, row: store.Document,
                content: bytes | None = None, source: Path | None = None) -> store.Document:
    """Put the file in place, then commit its row; a failed commit leaves no new file."""
    row.storage_path = storage.content_path("documents", row.unit_id, row.sha256)
    if content is not None:
        created = await asyncio.to_thread(storage.keep_bytes, storage_dir, content,
                                          row.storage_path)
    else:
        created = await asyncio.to_thread(storage.keep, storage_dir, source, row.storage_path)
    uow.session.add(row)
    try:
        await uow.commit()
    except BaseException as exc:
        if created:
            storage.discard(storage_dir, row.storage_path)
        if isinstance(exc, IntegrityError):
            raise Conflict("Văn bản này đang được tạo bởi một yêu cầu khác; hãy thử lại.") \
                from None
        raise
    return row


async def _forget_file(session: AsyncSession, storage_dir: Path, row: store.Document) -> None:
    if not await store.path_in_use(session, sha256=row.sha256, storage_path=row.storage_path):
        storage.discard(storage_dir, row.storage_path)


async def _dossier_data(session: AsyncSession, profile: Profile,
                        nomination: Nomination) -> render.DossierData:
    try:
        award = profile.award(nomination.proposed_award)
        award_text = f"danh hiệu {award.name}" if award.category == "title" else award.name
    except KeyError:
        award_text = nomination.proposed_award
    names = await evidence_names(session, nomination.id)
    render = _render()
    claims = tuple(render.Claim(
        criterion=c.get("criterion", ""), text=c.get("claim", ""),
        evidence=tuple(names.get(e, e) for e in c.get("evidence_ids", [])))
        for c in nomination.claims or [])
    return render.DossierData(
        head=letterhead(profile, nomination.unit_id, nomination.unit_name),
        issued_on=today(),
        recipient=recipient(profile, nomination.proposed_award, nomination.unit_id),
        year=nomination.year, nominee=nomination.nominee,
        field=_name(profile.fields, nomination.field), award=award_text,
        commendation=COMMENDATIONS.get(nomination.commendation_kind,
                                       nomination.commendation_kind),
        summary=nomination.achievement_summary, claims=claims,
        history=tuple(_held(profile, held)
                      for held in await awards_held(session, nomination.subject_id)))


def _name(items, item_id: str) -> str:
    return next((i.name for i in items if i.id == item_id), item_id)


def _held(profile: Profile, held: dict) -> str:
    text = f"Năm {held['year']}: {_name(profile.awards, held['award'])}"
    return text + (f" (Quyết định số {held['decision_number']})"
                   if held.get("decision_number") else "")


async def list_documents(uow: UnitOfWork, *, user: Principal, nomination_id: str | None,
                         kind: str | None, limit: int, offset: int) -> list[store.Document]:
    if nomination_id is not None:
        await get_nomination(uow, user=user, nomination_id=nomination_id)
    return await store.visible(uow.session, unit_id=user.unit, wide=reads_all_units(user),
                               nomination_id=nomination_id, kind=kind, limit=limit,
                               offset=offset)


async def get_document(uow: UnitOfWork, *, user: Principal,
                       document_id: str) -> store.Document:
    """Own unit's documents; wide readers also those of nominations past the draft."""
    document = await store.get(uow.session, document_id)
    if document is not None and document.unit_id != user.unit:
        if document.nomination_id is None or not reads_all_units(user):
            document = None
        else:  # raises 'not found' for another unit's draft
            await get_nomination(uow, user=user, nomination_id=document.nomination_id)
    if document is None:
        raise NotFound("Không tìm thấy văn bản.")
    return document


async def remove_document(uow: UnitOfWork, *, user: Principal, document_id: str,
                          storage_dir: Path) -> None:
    document = await store.get(uow.session, document_id)
    if document is None or (document.unit_id != user.unit and not user.has_any("admin")):
        raise NotFound("Không tìm thấy văn bản.")
    if document.nomination_id is not None:
        await editable_nomination(uow, user=user, nomination_id=document.nomination_id,
                                  action="xóa văn bản của")
    await uow.session.delete(document)
    await uow.commit()
    await _forget_file(uow.session, storage_dir, document)
