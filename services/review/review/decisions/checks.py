"""Whether each nomination of a decision may be decided as asked, checked for the whole list at
once: when the decision is prepared, and again at the moment it is applied (a complaint may
have come in, a nomination may have been withdrawn). Nothing here writes.

The state every rule needs is loaded in a few queries for the whole list (cases, other pending
decisions, open complaints, postings, appraisal facts); only the eligibility rules run per
granted case, as they look at the nominee's own history."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from exemplar.errors import Conflict, DomainError, NotFound, RuleViolation
from exemplar.profile import Award, Profile

from ..appraisal.eligibility import award_name, subject_key
from ..appraisal.eligibility import check as eligibility
from ..appraisal.store import Appraisal
from ..cases.domain import STATUS_NAMES, S
from ..cases.store import Case
from ..posting.store import Posting, open_complaints
from . import store

DECIDABLE = (S.open, S.appraised, S.posted, S.voted)  # a rejection may come at any of these
FAST_TRACK_FROM = (S.appraised, S.posted, S.voted)  # a fast track still needs the appraisal
SHOWN = 8  # problems spelled out in the message; every one is in `fields`


@dataclass(frozen=True)
class Item:
    """One nomination as the decision lists it."""

    case_id: str
    grant: bool
    award: str | None = None  # None: the award the unit proposed
    reasons: tuple[str, ...] = ()


@dataclass
class Planned:
    """An item checked and ready to apply."""

    position: int
    case: Case
    grant: bool
    award: Award | None
    outcome: str  # recognised / commended / rejected
    reasons: list[str]


@dataclass
class Problems:
    """What stands in the way, per input field; the worst kind decides the status code."""

    found: dict[str, list[str]] = field(default_factory=dict)
    kinds: set[type[DomainError]] = field(default_factory=set)

    def add(self, where: str, message: str, kind: type[DomainError] = RuleViolation) -> None:
        self.found.setdefault(where, []).append(message)
        self.kinds.add(kind)

    @property
    def count(self) -> int:
        return sum(len(messages) for messages in self.found.values())

    def raise_any(self, lead: str) -> None:
        if not self.found:
            return
        messages = [m for ms in self.found.values() for m in ms]
        more = len(messages) - SHOWN
        text = f"{lead}: " + " ".join(messages[:SHOWN]) + (
            f" … và {more} vấn đề khác." if more > 0 else "")
        kind = next(k for k in (NotFound, Conflict, RuleViolation) if k in self.kinds)
        raise kind(text, fields={k: " ".join(v) for k, v in self.found.items()})


@dataclass(frozen=True)
class Context:
    """The state of every listed case, loaded once."""

    cases: dict[str, Case]
    elsewhere: dict[str, str]  # case id → number of another pending decision
    complaints: dict[str, int]
    postings: dict[str, Posting]
    facts: dict[str, dict]


async def load(session: AsyncSession, case_ids: list[str], *,
               decision_id: str | None = None) -> Context:
    cases = {c.id: c for c in await session.scalars(select(Case).where(Case.id.in_(case_ids)))}
    posting_ids = {c.posting_id for c in cases.values() if c.posting_id}
    postings = {p.id: p for p in await session.scalars(
        select(Posting).where(Posting.id.in_(posting_ids)))} if posting_ids else {}
    # Only preparing checks other pending decisions: once one is applied, the others that
    # list the same case fail on its status, so two can never block each other.
    elsewhere = {} if decision_id else await store.pending_elsewhere(session, case_ids)
    return Context(cases=cases, elsewhere=elsewhere,
                   complaints=await open_complaints(session, case_ids),
                   postings=postings, facts=await latest_facts(session, case_ids))


async def latest_facts(session: AsyncSession, case_ids: list[str]) -> dict[str, dict]:
    """Case id → the facts its latest appraisal recorded (disciplined, under investigation…)."""
    rows = await session.execute(
        select(Appraisal.case_id, Appraisal.facts).where(Appraisal.case_id.in_(case_ids))
        .order_by(Appraisal.revision, Appraisal.appraised_at))
    return {case_id: facts or {} for case_id, facts in rows.all()}  # the latest wins


def signed_before(year: int) -> str:
    return (f"Ngày ký quyết định không được trước năm đề nghị khen thưởng ({year}): sớm "
            f"nhất là ngày 01/01/{year}.")


def chair_unit(profile: Profile) -> str:
    return profile.account(profile.council.chair).unit


async def plan(session: AsyncSession, *, profile: Profile, items: Sequence[Item],
               fast_track: bool, today: date, decision_id: str | None = None,
               signed_on: date | None = None,
               lead: str = "Không thể ra quyết định") -> list[Planned]:
    """Every item checked against the state now; all of them pass, or the problems of all
    of them are raised together (404, else 409, else 422). `signed_on`, when given, may not
    come before the year of any nomination listed."""
    problems = Problems()
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        if item.case_id in seen:
            problems.add(f"items.{i}.case_id", f"Hồ sơ {item.case_id} được liệt kê hai lần "
                         f"(mục {seen[item.case_id] + 1} và {i + 1}).")
        seen.setdefault(item.case_id, i)
    context = await load(session, list(seen), decision_id=decision_id)
    years = [c.year for c in context.cases.values()]
    if signed_on is not None and years and signed_on < date(min(years), 1, 1):
        problems.add("signed_on", signed_before(min(years)))
    planned = []
    for i, item in enumerate(items):
        case = context.cases.get(item.case_id)
        if case is None:
            problems.add(f"items.{i}.case_id",
                         f"Không tìm thấy hồ sơ xét duyệt {item.case_id}.", NotFound)
            continue
        before = problems.count
        result = _item(i, item, case, context, profile, problems, fast_track=fast_track,
                       today=today)
        if result is not None and problems.count == before:
            planned.append(result)
    granting = _granting(planned, profile)
    for step in planned:  # the profile's rules, on what passed everything else
        if step.grant:
            await _eligible(session, step, context, profile, problems, granting)
    problems.raise_any(lead)
    return planned


def _item(i: int, item: Item, case: Case, context: Context, profile: Profile,
          problems: Problems, *, fast_track: bool, today: date) -> Planned | None:
    where, name = f"items.{i}", case.nominee_name
    if item.case_id in context.elsewhere:
        problems.add(where, f"{name}: hồ sơ đã có trong quyết định "
                     f"{context.elsewhere[item.case_id]} đang chờ thi hành.", Conflict)
    if context.complaints.get(case.id):
        problems.add(where, f"{name}: còn khiếu nại chưa giải quyết; chưa thể quyết định.",
                     Conflict)
    if S(case.status) not in DECIDABLE:
        problems.add(where, f"{name}: hồ sơ đang ở bước “{STATUS_NAMES[S(case.status)]}”, "
                     "không thể quyết định.", Conflict)
        return None
    if not item.grant:
        if not item.reasons:
            problems.add(f"{where}.reasons", f"{name}: không công nhận phải nêu ít nhất một "
                         "lý do.")
            return None
        return Planned(i + 1, case, False, None, "rejected", list(item.reasons))
    award = _award(where, item, case, profile, problems, fast_track=fast_track)
    if award is None:
        return None
    if fast_track:
        _fast_track_stage(where, case, award, problems)
    else:
        _council_stage(where, case, problems)
    _posting_stage(where, case, context, problems, today=today)
    outcome = "recognised" if award.category == "title" else "commended"
    return Planned(i + 1, case, True, award, outcome, [])


def _award(where: str, item: Item, case: Case, profile: Profile, problems: Problems, *,
           fast_track: bool) -> Award | None:
    """The award exists, is the one proposed (appraised, posted and voted on: another would
    skip its own council threshold and the public's eyes), suits the nominee and is the
    chair's to grant. Only a fast track may grant another, itself allowing the fast track."""
    name, award_id = case.nominee_name, item.award or case.proposed_award
    try:
        award = profile.award(award_id)
    except KeyError:
        problems.add(f"{where}.award", f"{name}: không có danh hiệu hay hình thức khen "
                     f"thưởng “{award_id}”.")
        return None
    if award.id != case.proposed_award and not (fast_track and award.fast_track_allowed):
        proposed = award_name(profile, case.proposed_award)
        why = ("theo thủ tục rút gọn chỉ được đổi sang hình thức cũng được xét rút gọn"
               if fast_track else "hình thức đã được thẩm định, công khai và Hội đồng bỏ "
                                  "phiếu")
        problems.add(f"{where}.award", f"{name}: chỉ được quyết định “{proposed}” như đã đề "
                     f"nghị ({why}), không phải “{award.name}”.")
        return None
    kind = (case.nominee or {}).get("kind")
    if kind not in award.nominee_kinds:
        problems.add(f"{where}.award", f"{name}: {award.name} không dành cho đối tượng này.")
        return None
    try:
        grantor = profile.grantor_of(award.id, case.unit_id)
    except KeyError:
        grantor = None
    own = chair_unit(profile)
    if grantor is None or grantor.id != own:
        who = grantor.name if grantor else "cấp khác"
        problems.add(f"{where}.award", f"{name}: {award.name} do Chủ tịch {who} quyết định, "
                     f"không thuộc thẩm quyền của Chủ tịch {profile.unit(own).name}; hãy đề "
                     "nghị lên cấp trên (trình khen) thay vì quyết định.")
        return None
    return award


def _council_stage(where: str, case: Case, problems: Problems) -> None:
    """The normal path: the council passed it."""
    name = case.nominee_name
    if case.status != S.voted or case.council_result is None:
        problems.add(where, f"{name}: Hội đồng chưa bỏ phiếu về hồ sơ này; chưa thể công "
                     "nhận hay khen thưởng.")
    elif case.council_result != "passed":
        problems.add(where, f"{name}: Hội đồng đã bỏ phiếu không thông qua; không thể công "
                     "nhận hay khen thưởng (chỉ có thể không công nhận).")


def _posting_stage(where: str, case: Case, context: Context, problems: Problems, *,
                   today: date) -> None:
    """A grant waits for the end of the public posting window, on a fast track too."""
    posting = context.postings.get(case.posting_id or "")
    if posting is not None and posting.closes_on >= today:
        problems.add(where, f"{case.nominee_name}: hồ sơ đang trong thời gian công khai (đến "
                     f"hết ngày {posting.closes_on:%d/%m/%Y}); chưa thể quyết định.",
                     Conflict)


def _fast_track_stage(where: str, case: Case, award: Award, problems: Problems) -> None:
    """Ad hoc commendation where the award allows it, skipping the council — never after
    the council turned it down, never before the appraisal."""
    name = case.nominee_name
    if case.commendation_kind != "ad_hoc":
        problems.add(where, f"{name}: chỉ khen thưởng đột xuất mới được xét theo thủ tục rút "
                     "gọn; đây là đề nghị khen thưởng thường xuyên hay chuyên đề.")
    if not award.fast_track_allowed:
        problems.add(f"{where}.award", f"{name}: {award.name} không được xét theo thủ tục "
                     "rút gọn.")
    if S(case.status) not in FAST_TRACK_FROM:
        problems.add(where, f"{name}: hồ sơ chưa được thẩm định; chưa thể khen thưởng.")
    if case.council_result == "failed":
        problems.add(where, f"{name}: Hội đồng đã bỏ phiếu không thông qua; không thể khen "
                     "thưởng.")


def _granting(planned: list[Planned], profile: Profile) -> set[tuple[str, int, str]]:
    """What this decision grants, by subject, year and award: a title it grants counts as
    held by the same subject's other items (LĐTT and CSTĐCS in one annex). Where only
    regular commendations are a basis, an ad hoc or thematic grant is none."""
    regular_only = profile.thresholds.regular_basis_only
    return {(subject_key(s.case), s.case.year, s.award.id) for s in planned
            if s.grant and s.award is not None
            and (s.case.commendation_kind == "regular" or not regular_only)}


async def _eligible(session: AsyncSession, step: Planned, context: Context, profile: Profile,
                    problems: Problems, granting: set[tuple[str, int, str]]) -> None:
    """The office and the chair read the refusal: each problem in full."""
    case = step.case
    found = await eligibility(session, case=case, profile=profile,
                              facts=context.facts.get(case.id), stage="decision",
                              award=step.award.id if step.award else None, granting=granting)
    for problem in found:
        problems.add(f"items.{step.position - 1}", f"{case.nominee_name}: {problem.full}")
