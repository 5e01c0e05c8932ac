"""Counting a secret ballot: quorum, the base the yes-share is taken of, and the threshold.

Pure arithmetic over the profile's council settings: no storage, no web. It sees only the
totals of an item, never a member's choice."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict, dataclass

from exemplar.profile import Council


@dataclass(frozen=True)
class Tally:
    eligible: int  # members not recused for the item
    present_eligible: int  # of them, present at the session
    yes: int
    no: int
    abstain: int
    voters: int  # ballots cast, present or written
    base: int  # what the yes-share is a share of
    quorum_met: bool
    share: float
    threshold: float
    passed: bool
    # The counters agree with who may vote: no more ballots than eligible members, and, when
    # who voted is known, one ballot each and none from a recused member. An unsound item
    # never passes.
    sound: bool = True

    def as_dict(self) -> dict:
        return asdict(self)


def quorum_met(council: Council, present: Collection[str]) -> bool:
    """Enough of ALL members are present (recusals do not shrink the quorum)."""
    members = set(council.members)
    if not members:
        return False
    return len(members & set(present)) / len(members) >= council.quorum_share


def base_of(council: Council, *, eligible: set[str], present: set[str],
            written: set[str]) -> int:
    """'members': every eligible member; 'present': the eligible members present, and the
    eligible absent members who voted in writing (their vote counts as attendance)."""
    if council.base == "members":
        return len(eligible)
    return len(eligible & present) + len((eligible - present) & written)


def sound(*, eligible: set[str], recused: set[str], voters: int,
          cast_by: Collection[str] | None) -> bool:
    if voters > len(eligible):
        return False
    return cast_by is None or (len(set(cast_by)) == voters and not set(cast_by) & recused)


def tally(council: Council, *, award: str, present: Collection[str],
          recused: Collection[str], written: Collection[str], yes: int, no: int,
          abstain: int, cast_by: Collection[str] | None = None) -> Tally:
    """The result of one agenda item. It passes when the session had its quorum and the
    yes-share of the base EXCEEDS the award's threshold (half is not more than half), and
    never when its ballots outnumber its eligible members or come from a recused one."""
    recused_set = set(recused)
    eligible = set(council.members) - recused_set
    present_set, written_set = set(present), set(written)
    base = base_of(council, eligible=eligible, present=present_set, written=written_set)
    share = yes / base if base else 0.0
    threshold = council.threshold_for(award)
    met = quorum_met(council, present_set)
    voters = yes + no + abstain
    ok = sound(eligible=eligible, recused=recused_set, voters=voters, cast_by=cast_by)
    return Tally(eligible=len(eligible), present_eligible=len(eligible & present_set),
                 yes=yes, no=no, abstain=abstain, voters=voters, base=base,
                 quorum_met=met, share=share, threshold=threshold,
                 passed=ok and met and base > 0 and share > threshold, sound=ok)
