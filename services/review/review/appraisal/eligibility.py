"""Whether a case may be recognised, under the rules of the profile.

`check` runs at appraisal and again at the decision (with the facts the appraisal stored);
every number and switch comes from the profile's thresholds and awards. The rule functions
below it are pure: they take what was read and say what is wrong, in Vietnamese."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from exemplar.profile import Award, Profile, Thresholds

from ..cases.domain import PENDING_OR_GRANTED, S, achievements
from ..cases.store import Case
from . import ranking, store
from .domain import NOMINEE_KINDS, fold, percent

APPRAISAL = "appraisal"  # the stage where the subject's pending cases still count as held
INELIGIBLE = {
    "disciplined": "Đối tượng đang trong thời gian bị kỷ luật: không đủ điều kiện khen "
                   "thưởng.",
    "under_investigation": "Đối tượng đang bị xem xét kỷ luật, điều tra, thanh tra hoặc "
                           "kiểm tra: chưa xét khen thưởng.",
}


@dataclass(frozen=True)
class Problem:
    """`message` is what the unit may read (its reasons, its appraisals, the `returned`
    event); `detail`, when there is one, names another unit's nomination or award and is for
    the standing office and the council only."""

    rule: str
    message: str
    detail: str | None = None

    @property
    def full(self) -> str:
        return self.detail or self.message


async def check(session: AsyncSession, *, case: Case, profile: Profile,
                facts: dict | None, stage: str = APPRAISAL, award: str | None = None,
                granting: Collection[tuple[str, int, str]] = (),
                verified: int | None = None) -> list[Problem]:
    """Every rule the case breaks now; an empty list means eligible. `facts` are the
    appraisal's (disciplined, under_investigation, members_holding), None when unknown.
    `award` is the one checked: the proposed one, unless a fast-track decision grants
    another. `granting`: the (subject_key, year, award) the same decision grants, held for
    the requirements. `verified`: the case's verified achievements as the appraisal being
    made finds them (its rank under a share cap), else what is stored."""
    thresholds = profile.thresholds
    award_id = award or case.proposed_award
    award = _award(profile, award_id)
    problems: list[Problem] = []
    if award is None:
        problems.append(Problem("award_known", f"Danh hiệu, hình thức khen thưởng đề nghị "
                                               f"“{award_id}” không có trong quy "
                                               f"định hiện hành."))
    else:
        problems += dossier_problems(case.documents, award, profile)
        problems += nominee_kind_problems(case.nominee, award)
    complaints = (await store.open_complaint_count(session, case.id)
                  if "open_complaint" in thresholds.ineligible_when else 0)
    problems += ineligibility_problems(facts, thresholds, open_complaints=complaints)
    years = window(case.year, award.requires_years if award else 1)
    others = await store.subject_cases(session, case, years=years)
    problems += reward_problems(case, others, profile, award_id=award_id)
    if award is not None:
        problems += requirement_problems(case, award, others, profile, stage=stage,
                                         granting=granting)
        problems += member_share_problems(case.nominee, award, facts, profile)
        problems += await _cap_problems(session, case, profile, award_id, verified=verified)
    return problems


def subject_key(case: Case) -> str:
    """Who a case is about: its subject id, or without one its unit and folded name (as
    `store.subject_cases` matches them)."""
    return case.subject_id or f"{case.unit_id}/{fold(case.nominee_name)}"


async def _cap_problems(session: AsyncSession, case: Case, profile: Profile, award_id: str,
                        *, verified: int | None) -> list[Problem]:
    """Refused only when the case ranks beyond the places the tightest cap allows: the
    ranking (verified achievements, women first, submission time) decides who passes."""
    cap = await ranking.cap_for(session, profile, unit_id=case.unit_id, year=case.year,
                                award=award_id)
    if cap is None:
        return []
    others = [c for c in await store.candidates(session, unit_id=case.unit_id, year=case.year,
                                                award=award_id) if c.id != case.id]
    place = ranking.place(case, others, women_priority=profile.thresholds.women_priority,
                          verified=verified)
    if place <= cap.limit:
        return []
    return [Problem("share_cap", (
        f"Vượt tỷ lệ cho phép: hồ sơ xếp thứ {place}/{len(others) + 1} trong các hồ sơ "
        f"“{award_name(profile, award_id)}” của {case.unit_name} năm {case.year}, mà "
        f"{cap.among_count} hồ sơ “{award_name(profile, cap.among)}” chỉ cho phép {cap.limit} "
        f"(tối đa {percent(cap.max_share)})."))]


def _award(profile: Profile, award_id: str) -> Award | None:
    try:
        return profile.award(award_id)
    except KeyError:
        return None


def award_name(profile: Profile, award_id: str | None) -> str:
    award = _award(profile, award_id) if award_id else None
    return award.name if award else (award_id or "")


def window(year: int, years: int) -> range:
    """`years` consecutive years ending with `year`."""
    return range(year - years + 1, year + 1)


def findings_problems(findings: Iterable[dict[str, Any]],
                      thresholds: Thresholds) -> list[Problem]:
    """What the verdicts on the achievements forbid (appraisal only)."""
    findings = list(findings)
    problems = []
    if thresholds.overstated_blocks:
        problems += [Problem("overstated", f"Thành tích số {f['achievement']} (“{f['text']}”) "
                                           f"bị kê khai quá thực tế.")
                     for f in findings if f["verdict"] == "overstated"]
    verified = sum(f["verdict"] == "verified" for f in findings)
    if verified < thresholds.min_verified_claims:
        problems.append(Problem("min_verified_claims", (
            f"Chỉ {verified} thành tích được xác minh, cần ít nhất "
            f"{thresholds.min_verified_claims}.")))
    return problems


def dossier_problems(documents: Iterable[str], award: Award,
                     profile: Profile) -> list[Problem]:
    present = set(documents)
    missing = [d for d in award.required_documents if d not in present]
    if not missing:
        return []
    names = {d.id: d.name for d in profile.documents}
    return [Problem("dossier_complete", f"Hồ sơ đề nghị “{award.name}” còn thiếu: "
                                        + "; ".join(names.get(d, d) for d in missing) + ".")]


def nominee_kind_problems(nominee: dict[str, Any], award: Award) -> list[Problem]:
    kind = nominee.get("kind")
    if kind in award.nominee_kinds:
        return []
    allowed = ", ".join(NOMINEE_KINDS.get(k, k) for k in award.nominee_kinds)
    return [Problem("nominee_kind", f"“{award.name}” không xét cho "
                                    f"{NOMINEE_KINDS.get(kind, kind)}, chỉ cho {allowed}.")]


def ineligibility_problems(facts: dict | None, thresholds: Thresholds, *,
                           open_complaints: int) -> list[Problem]:
    facts = facts or {}
    problems = [Problem(ground, INELIGIBLE[ground]) for ground in INELIGIBLE
                if ground in thresholds.ineligible_when and facts.get(ground)]
    if "open_complaint" in thresholds.ineligible_when and open_complaints > 0:
        problems.append(Problem("open_complaint", (
            f"Hồ sơ đang có {open_complaints} khiếu nại, tố cáo chưa giải quyết xong.")))
    return problems


def _counts(case: Case) -> bool:
    return case.status in PENDING_OR_GRANTED and case.outcome != "rejected"


def reward_problems(case: Case, others: Iterable[Case], profile: Profile, *,
                    award_id: str | None = None) -> list[Problem]:
    """One achievement is rewarded once and with one form; one award once a year."""
    award_id = award_id or case.proposed_award
    mine = {fold(text): text for text in achievements(case.claims, case.achievement_summary)}
    problems = []
    for other in others:
        if other.year != case.year or not _counts(other):
            continue
        theirs = award_name(profile, other.award or other.proposed_award)
        shared = dict.fromkeys(mine[f] for f in (fold(t) for t in achievements(
            other.claims, other.achievement_summary)) if f in mine)
        # The unit reads the message: it names nothing of the other nomination.
        problems += [Problem(
            "one_reward_per_achievement",
            f"Thành tích “{text}” đã được đề nghị hoặc khen thưởng ở hồ sơ khác: một thành "
            f"tích chỉ được khen một lần, một hình thức.",
            f"Thành tích “{text}” đã được đề nghị hoặc khen “{theirs}” năm {other.year} "
            f"trong hồ sơ khác của {other.unit_name}: một thành tích chỉ được khen một lần, "
            f"một hình thức.") for text in shared]
        if (other.award or other.proposed_award) == award_id:
            problems.append(Problem(
                "already_nominated",
                f"Đối tượng đã có hồ sơ khác đề nghị hoặc được “{theirs}” năm {case.year}.",
                f"Đối tượng đã có hồ sơ khác đề nghị hoặc được “{theirs}” năm {other.year} "
                f"({other.unit_name})."))
    problems += [Problem("already_held", (
        f"Đối tượng đã được “{award_name(profile, award_id)}” năm {case.year}"
        + (f" (quyết định {h['decision_number']})" if h.get("decision_number") else "") + "."))
        for h in case.history
        if h.get("year") == case.year and h.get("award") == award_id]
    return problems


def requirement_problems(case: Case, award: Award, others: list[Case], profile: Profile, *,
                         stage: str,
                         granting: Collection[tuple[str, int, str]] = ()) -> list[Problem]:
    """The awards the nominee must already hold, in each of the consecutive years (or be
    granted by the same decision: `granting` holds its (subject_key, year, award))."""
    years = window(case.year, award.requires_years)
    problems = []
    for required in award.requires:
        held, ignored = held_years(case, required, years, others, profile.thresholds,
                                   stage=stage)
        key = subject_key(case)
        held |= {y for k, y, a in granting if k == key and a == required and y in years}
        missing = [y for y in years if y not in held]
        if not missing:
            continue
        span = (f"năm {case.year}" if award.requires_years == 1 else
                f"{award.requires_years} năm liên tục {years[0]}–{case.year}")
        note = (" Khen thưởng đột xuất, chuyên đề không được tính làm căn cứ."
                if ignored & set(missing) else "")
        problems.append(Problem("requires", (
            f"Chưa đủ điều kiện “{award.name}”: cần đạt “{award_name(profile, required)}” "
            f"{span}, còn thiếu năm {', '.join(map(str, missing))}.{note}")))
    return problems


def held_years(case: Case, required: str, years: range, others: Iterable[Case],
               thresholds: Thresholds, *, stage: str) -> tuple[set[int], set[int]]:
    """The years in which the subject holds `required`, and those where only an ad hoc or
    thematic commendation (no basis under regular_basis_only) was found."""
    others = [o for o in others if o.year in years]
    irregular = {(o.year, o.award) for o in others
                 if o.commendation_kind != "regular" and o.award
                 and o.status in (S.decided, S.revoked) and o.outcome != "rejected"}
    held: set[int] = set()
    ignored: set[int] = set()
    for entry in case.history:
        year = entry.get("year")
        if entry.get("award") != required or year not in years:
            continue
        if thresholds.regular_basis_only and (year, required) in irregular:
            ignored.add(year)
        else:
            held.add(year)
    for other in others:
        granted = (other.status == S.decided and other.outcome != "rejected"
                   and other.award == required)
        pending = (stage == APPRAISAL and other.year == case.year and _counts(other)
                   and other.status != S.decided and other.proposed_award == required)
        if not (granted or pending):
            continue
        if thresholds.regular_basis_only and other.commendation_kind != "regular":
            ignored.add(other.year)
        else:
            held.add(other.year)
    return held, ignored


def member_share_problems(nominee: dict[str, Any], award: Award, facts: dict | None,
                          profile: Profile) -> list[Problem]:
    """A collective title needs a share of its members holding another title."""
    if award.member_share_min is None:
        return []
    of = award_name(profile, award.member_share_of) or "danh hiệu theo quy định"
    holding = (facts or {}).get("members_holding")
    total = nominee.get("member_count")
    if holding is None:
        return [Problem("member_share", f"Chưa xác định số thành viên của tập thể đạt “{of}”.")]
    if not total:
        return [Problem("member_share", "Hồ sơ tập thể chưa ghi tổng số thành viên.")]
    if Fraction(holding, total) >= Fraction(str(award.member_share_min)):
        return []
    return [Problem("member_share", (
        f"Chỉ {holding}/{total} thành viên ({percent(holding / total)}) đạt “{of}”, "
        f"“{award.name}” cần ít nhất {percent(award.member_share_min)}."))]
