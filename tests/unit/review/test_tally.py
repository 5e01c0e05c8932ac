"""The council's tally: quorum of all members, the base the yes-share is taken of, recusals
shrinking it, and a threshold that must be exceeded, not merely reached."""

from __future__ import annotations

import pytest

from exemplar.profile import DEFAULT_PROFILE_PATH, Council, load_profile
from review.council.domain import NOMINATING_UNIT, automatic_recusals, related_units
from review.council.tally import base_of, quorum_met, tally

MEMBERS = ["a", "b", "c", "d", "e", "f", "g"]  # seven, as in the default profile


def council(**changes) -> Council:
    return Council(**{"unit": "hdtdkt", "chair": "a", "members": MEMBERS,
                      "thresholds": {"bang_khen": 0.6667}, "default_threshold": 0.5,
                      **changes})


def count(c: Council | None = None, *, award: str = "ldtt", present=MEMBERS, recused=(),
          written=(), cast_by=None, yes=0, no=0, abstain=0):
    return tally(c or council(), award=award, present=present, recused=recused,
                 written=written, cast_by=cast_by, yes=yes, no=no, abstain=abstain)


# quorum: present members over ALL members, at least the quorum share

@pytest.mark.parametrize(("present", "met"), [(7, True), (5, True), (4, False), (3, False),
                                              (0, False)])
def test_quorum_is_two_thirds_of_all_members_by_default(present, met):
    assert quorum_met(council(), MEMBERS[:present]) is met


def test_quorum_reached_exactly_counts_as_met():
    six = council(members=MEMBERS[:6])  # 4 of 6 is exactly two thirds
    assert quorum_met(six, MEMBERS[:4]) is True
    assert quorum_met(six, MEMBERS[:3]) is False


def test_people_who_are_not_members_do_not_make_a_quorum():
    assert quorum_met(council(), [*MEMBERS[:4], "x", "y"]) is False


def test_recusals_do_not_shrink_the_quorum():
    result = count(present=MEMBERS[:4], recused=MEMBERS[4:], yes=4)
    assert result.eligible == 4 and result.base == 4 and result.share == 1.0
    assert (result.quorum_met, result.passed) == (False, False)


def test_under_quorum_nothing_passes_even_unanimous():
    result = count(present=MEMBERS[:3], written=MEMBERS[3:], yes=7)
    assert result.quorum_met is False and result.share == 1.0 and result.passed is False


# thresholds: the yes-share must exceed the award's threshold

@pytest.mark.parametrize(("yes", "passed"), [(4, True), (3, False), (7, True), (0, False)])
def test_more_than_half_of_all_members_is_needed_by_default(yes, passed):
    result = count(yes=yes, no=7 - yes)
    assert result.base == 7 and result.threshold == 0.5
    assert result.passed is passed


def test_exactly_half_does_not_pass():
    six = council(members=MEMBERS[:6])
    result = count(six, present=MEMBERS[:6], yes=3, no=3)
    assert result.share == 0.5 and result.passed is False


def test_an_awards_own_threshold_applies():
    four = count(award="bang_khen", yes=4, no=3)  # 57 % passes the default, not 66.67 %
    five = count(award="bang_khen", yes=5, no=2)
    assert four.threshold == 0.6667 and four.passed is False
    assert five.passed is True
    assert count(yes=4, no=3).passed is True


def test_exactly_two_thirds_does_not_exceed_a_two_thirds_threshold():
    strict = council(members=MEMBERS[:6], default_threshold=2 / 3)
    assert count(strict, present=MEMBERS[:6], yes=4, no=2).passed is False
    assert count(strict, present=MEMBERS[:6], yes=5, no=1).passed is True


def test_abstentions_and_missing_ballots_count_against_a_members_base():
    result = count(yes=3, abstain=4)
    assert (result.base, result.voters, result.passed) == (7, 7, False)
    assert count(yes=4).passed is True  # three did not vote: 4 of 7 still exceed half


# the base: all eligible members, or those present plus written ballots

def test_members_base_counts_absent_members_who_did_not_vote():
    result = count(present=MEMBERS[:5], yes=3, no=2)
    assert result.base == 7 and result.passed is False  # 3 of 7


def test_present_base_counts_only_those_present():
    present = council(base="present")
    result = count(present, present=MEMBERS[:5], yes=3, no=2)
    assert (result.base, result.present_eligible, result.passed) == (5, 5, True)  # 3 of 5


def test_present_base_counts_absent_members_who_voted_in_writing():
    present = council(base="present")
    result = count(present, present=MEMBERS[:5], written=["f"], yes=3, no=3)
    assert result.base == 6 and result.passed is False  # 3 of 6 is half, not more


def test_written_ballots_count_in_the_yes_share():
    result = count(present=MEMBERS[:5], written=["f", "g"], yes=4, no=3)
    assert result.voters == 7 and result.passed is True


def test_base_of_ignores_written_ballots_from_present_or_recused_members():
    present = council(base="present")
    eligible = set(MEMBERS[:6])
    assert base_of(present, eligible=eligible, present=set(MEMBERS[:5]),
                   written={"a", "f", "g"}) == 6


# recusal shrinks the base

def test_recusal_shrinks_a_members_base():
    result = count(recused=["g"], yes=3, no=3)
    assert (result.eligible, result.base, result.passed) == (6, 6, False)
    assert count(recused=["g"], yes=4, no=2).passed is True


def test_recusal_shrinks_a_present_base():
    present = council(base="present")
    result = count(present, present=MEMBERS[:5], recused=["a"], yes=3, no=1)
    assert (result.eligible, result.present_eligible, result.base) == (6, 4, 4)
    assert result.passed is True


# a zero base

def test_zero_base_passes_nothing():
    result = count(recused=MEMBERS)
    assert (result.base, result.share, result.passed) == (0, 0.0, False)


def test_zero_present_base_passes_nothing():
    present = council(base="present")  # everyone present sits out; nobody voted in writing
    result = count(present, present=MEMBERS[:5], recused=MEMBERS[:5])
    assert (result.quorum_met, result.base, result.passed) == (True, 0, False)


# an unsound count never passes

def test_more_ballots_than_eligible_members_never_pass():
    result = count(recused=["g"], yes=7)
    assert (result.eligible, result.voters, result.share) == (6, 7, 7 / 6)
    assert (result.sound, result.passed) == (False, False)


def test_a_ballot_from_a_recused_member_never_passes():
    result = count(recused=["g"], cast_by=["a", "b", "c", "d", "g"], yes=5)
    assert (result.sound, result.passed) == (False, False)
    assert count(recused=["g"], cast_by=MEMBERS[:5], yes=5).passed is True


def test_counters_that_disagree_with_who_voted_never_pass():
    result = count(cast_by=MEMBERS[:4], yes=5)
    assert (result.sound, result.passed) == (False, False)


# who sits out automatically, on the default profile

@pytest.fixture(scope="module")
def profile():
    return load_profile(DEFAULT_PROFILE_PATH)


def test_member_from_the_nominating_commune_sits_out(profile):
    assert automatic_recusals(profile, "xa-phu-nghia") == [
        {"member": "phu-nghia.head", "reason": NOMINATING_UNIT}]


def test_member_from_the_unit_above_a_nominating_station_sits_out(profile):
    assert [r["member"] for r in automatic_recusals(profile, "tth-phu-nghia")] == [
        "phu-nghia.head"]


def test_no_member_sits_out_for_a_commune_without_one(profile):
    assert automatic_recusals(profile, "xa-dak-o") == []


def test_the_district_committee_above_the_council_is_not_the_nominating_unit(profile):
    assert "ubnd-huyen" not in related_units(profile, "xa-phu-nghia")
    district = [r["member"] for r in automatic_recusals(profile, "ubnd-huyen")]
    assert district == ["ubnd.chair", "ubnd.vice-chair"]


def test_unknown_unit_recuses_only_its_own_members(profile):
    assert related_units(profile, "no-such-unit") == {"no-such-unit"}
