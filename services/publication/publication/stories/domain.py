"""A story's life on a channel, and the draft written from a decision.

    draft ──fact-check──▶ fact_checked ──approve──▶ approved ──schedule──▶ scheduled
      ▲  (an edit sends it back to draft)                  └───publish──▶ published
      └── every stage ──withdraw──▶ withdrawn (a revocation withdraws every story of it)

A draft never says more than the decision: its claims are the decision itself and the
achievements appraisal verified, each tied to the decision, and the editor confirms each one
before the story may be approved."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from exemplar.errors import InvalidTransition


class St(StrEnum):
    draft = "draft"
    fact_checked = "fact_checked"
    approved = "approved"
    scheduled = "scheduled"
    published = "published"
    withdrawn = "withdrawn"


STATUS_NAMES = {St.draft: "bản nháp", St.fact_checked: "đã kiểm chứng",
                St.approved: "đã duyệt", St.scheduled: "đã lên lịch",
                St.published: "đã đăng", St.withdrawn: "đã gỡ"}
MOVES: dict[St, tuple[St, ...]] = {
    St.draft: (St.draft, St.fact_checked, St.withdrawn),
    St.fact_checked: (St.draft, St.approved, St.withdrawn),
    St.approved: (St.draft, St.scheduled, St.published, St.withdrawn),
    St.scheduled: (St.draft, St.published, St.withdrawn),
    St.published: (St.withdrawn,),
    St.withdrawn: (),
}
EDITABLE = (St.draft, St.fact_checked, St.approved, St.scheduled)
SOURCES = ("decided", "escalated", "good_deed")


def check_move(current: str, to: St) -> None:
    if to not in MOVES[St(current)]:
        raise InvalidTransition(
            f"Tin bài đang “{STATUS_NAMES[St(current)]}”, không thể chuyển sang "
            f"“{STATUS_NAMES[to]}”.")


@dataclass(frozen=True)
class Facts:
    """What the source event establishes, and nothing more."""

    who: str  # "Bà Nguyễn Thị Hoa", "Tập thể Tổ sản xuất ấp 3"
    unit_name: str
    award_name: str | None
    decision: str | None  # "Quyết định số 215/QĐ-UBND ngày 29/11/2024 của Chủ tịch UBND…"
    achievements: tuple[str, ...]


def honorific(nominee: dict) -> str:
    name = nominee.get("name", "")
    if nominee.get("kind") == "collective":
        return f"Tập thể {name}"
    if nominee.get("kind") == "household":
        return f"Hộ gia đình {name}"
    return {"male": "Ông ", "female": "Bà "}.get(nominee.get("gender") or "", "") + name


def decision_line(decision: dict | None, signer_unit: str | None = None) -> str | None:
    if not decision:
        return None
    day = decision["signed_on"].split("-")
    on = f"{day[2]}/{day[1]}/{day[0]}" if len(day) == 3 else decision["signed_on"]
    title = decision.get("signer_title") or "Chủ tịch"
    # A signer's title often names the unit already ("Chủ tịch UBND huyện Bù Gia Mập").
    named = signer_unit and signer_unit.casefold() not in title.casefold()
    by = f" của {title}" + (f" {signer_unit}" if named else "")
    return f"Quyết định số {decision['number']} ngày {on}{by}"


# A decided or escalated story rests on the decision even when its number did not travel
# with the event; only a good deed rests on the unit's report.
UNNUMBERED_DECISION = "Quyết định khen thưởng (chưa có số)"
GOOD_DEED_BASIS = "Báo cáo người tốt, việc tốt của đơn vị"
# What an editor attests when the text is no longer the draft the decision wrote.
EDIT_CLAIM = ("Nội dung biên tập không khẳng định điều gì ngoài các nhận định đã kiểm "
              "chứng")


def basis_of(facts: Facts, source: str) -> str:
    if facts.decision:
        return facts.decision
    return GOOD_DEED_BASIS if source == "good_deed" else UNNUMBERED_DECISION


def claims_of(facts: Facts, source: str) -> list[dict]:
    """Each statement the story makes, with what it rests on; none is confirmed yet."""
    basis = basis_of(facts, source)
    claims = []
    if facts.award_name and source == "decided":
        claims.append({"text": f"{facts.who} ({facts.unit_name}) được tặng/công nhận "
                               f"{facts.award_name}.", "basis": basis, "confirmed": False})
    if source == "escalated":
        claims.append({"text": f"{facts.who} ({facts.unit_name}) được giới thiệu lên Ban Thi "
                               f"đua – Khen thưởng tỉnh.", "basis": basis, "confirmed": False})
    claims += [{"text": text, "basis": basis, "confirmed": False}
               for text in facts.achievements]
    return claims


def draft_text(facts: Facts, source: str) -> tuple[str, str]:
    """The title and body an editor starts from, in plain Vietnamese."""
    if source == "good_deed":
        title = f"Người tốt, việc tốt: {facts.who}"
        lead = f"{facts.who} ({facts.unit_name})."
    elif source == "escalated":
        title = f"{facts.who} – gương điển hình tiên tiến được giới thiệu lên tỉnh"
        lead = (f"{facts.who} ({facts.unit_name}), đã được {facts.award_name}, được giới "
                f"thiệu lên Ban Thi đua – Khen thưởng tỉnh." if facts.award_name else
                f"{facts.who} ({facts.unit_name}) được giới thiệu lên Ban Thi đua – Khen "
                f"thưởng tỉnh.")
    elif facts.award_name:
        title = f"{facts.who} – {facts.award_name}"
        lead = f"{facts.who} ({facts.unit_name}) được tặng/công nhận {facts.award_name}."
    else:  # an award the event did not name is not guessed at
        title, lead = facts.who, f"{facts.who} ({facts.unit_name})."
    lines = [lead]
    if facts.achievements:
        lines.append("Thành tích đã được thẩm định:")
        lines += [f"- {text}" for text in facts.achievements]
    if facts.decision:
        lines.append(f"Căn cứ: {facts.decision}.")
    return title[:300], "\n".join(lines)


def with_edit_claim(claims: list[dict], *, source: str, decision: dict | None) -> list[dict]:
    """Every claim to be confirmed again, and, once, the claim that the edited text says
    nothing beyond them, resting on the decision like the decision's own claims."""
    claims = [{**c, "confirmed": False} for c in claims]
    if any(c["text"] == EDIT_CLAIM for c in claims):
        return claims
    basis = next((c["basis"] for c in claims), None) or decision_line(decision) or (
        GOOD_DEED_BASIS if source == "good_deed" else UNNUMBERED_DECISION)
    return [*claims, {"text": EDIT_CLAIM, "basis": basis, "confirmed": False}]
