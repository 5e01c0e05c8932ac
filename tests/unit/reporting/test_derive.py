"""What one nomination counts for, from its facts alone: every measure, every dimension."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from reporting.projections.derive import (
    Facts,
    Story,
    Subject,
    TallyKey,
    nomination_keys,
    parse_grant,
    story_keys,
)

YEAR, UNIT = 2024, "xa-dak-o"
HOA = Subject(year=YEAR, unit_id=UNIT, field="kinh_te", nominee_kind="individual",
              gender="female", ethnicity="Kinh", commendation_kind="regular",
              award="lao_dong_tien_tien")
# the award granted, not the one proposed, and the day the decision was signed
DECIDED = replace(HOA, award="giay_khen_chu_tich_huyen", signed_on=date(2024, 11, 20))


def breakdown(measure: str, subject: Subject = HOA, *, award: bool = True) -> set[TallyKey]:
    pairs = {("all", ""), ("field", subject.field), ("nominee_kind", subject.nominee_kind),
             ("gender", subject.gender or ""), ("ethnicity", subject.ethnicity or ""),
             ("commendation_kind", subject.commendation_kind)}
    if award and subject.award:
        pairs.add(("award", subject.award))
    if measure == "commended" and subject.award:
        pairs.add(("grant", f"{subject.award}|{subject.nominee_kind}|"
                            f"{subject.signed_on.isoformat() if subject.signed_on else ''}"))
    return {TallyKey(subject.year, subject.unit_id, measure, d, v) for d, v in pairs}


def story(channel: str = "portal-guong-dien-hinh", kind: str | None = "portal_column", *,
          live: bool = True, story_id: str = "s-1") -> Story:
    return Story(story_id=story_id, channel_id=channel, channel_kind=kind, unit_id=UNIT,
                 year=YEAR, live=live)


def commended(**changes) -> Facts:
    return Facts(**{"submitted": HOA, "decided": DECIDED, "outcome": "recognised",
                    "decision_number": "215/QĐ-UBND", **changes})


def measures(keys: set[TallyKey]) -> set[str]:
    return {k.measure for k in keys}


def test_a_submitted_nomination_counts_as_submitted_in_every_dimension():
    keys = nomination_keys(Facts(submitted=HOA))
    assert keys == breakdown("submitted")
    assert TallyKey(YEAR, UNIT, "submitted", "award", "lao_dong_tien_tien") in keys


def test_no_facts_count_for_nothing():
    assert nomination_keys(Facts()) == set()


def test_a_withdrawn_nomination_counts_as_withdrawn_not_submitted():
    assert nomination_keys(Facts(submitted=HOA, withdrawn=True)) == breakdown("withdrawn")


def test_a_withdrawal_before_its_submission_counts_for_nothing_yet():
    assert nomination_keys(Facts(withdrawn=True)) == set()


def test_a_recognised_nomination_counts_as_commended_with_the_award_granted():
    keys = nomination_keys(commended())
    assert keys == breakdown("submitted") | breakdown("commended", DECIDED)
    assert TallyKey(YEAR, UNIT, "commended", "award", "giay_khen_chu_tich_huyen") in keys


def test_a_commendation_counts_its_grant_for_the_bonus_line():
    keys = nomination_keys(commended())
    assert TallyKey(YEAR, UNIT, "commended", "grant",
                    "giay_khen_chu_tich_huyen|individual|2024-11-20") in keys
    assert parse_grant("giay_khen_chu_tich_huyen|individual|2024-11-20") == (
        "giay_khen_chu_tich_huyen", "individual", date(2024, 11, 20))
    assert parse_grant("lao_dong_tien_tien|individual|") == (
        "lao_dong_tien_tien", "individual", None)
    assert not {k for k in nomination_keys(commended(revoked_number="215/QĐ-UBND"))
                if k.dimension == "grant"}


def test_commended_outcome_counts_like_recognised():
    assert nomination_keys(commended(outcome="commended")) == nomination_keys(commended())


def test_a_decision_before_its_submission_still_counts():
    assert nomination_keys(commended(submitted=None)) == breakdown("commended", DECIDED)


def test_a_rejected_nomination_counts_as_rejected_without_an_award():
    rejected = replace(DECIDED, award=None)
    keys = nomination_keys(commended(decided=rejected, outcome="rejected"))
    assert keys == breakdown("submitted") | breakdown("rejected", rejected)
    assert not {k for k in keys if k.measure == "rejected" and k.dimension == "award"}


def test_a_rejected_nomination_with_an_award_still_leaves_the_award_out():
    keys = nomination_keys(commended(outcome="rejected"))
    assert {k for k in keys if k.measure == "rejected"} == breakdown("rejected", award=False)


def test_a_revoked_decision_counts_as_revoked_not_commended():
    keys = nomination_keys(commended(revoked_number="215/QĐ-UBND"))
    assert keys == breakdown("submitted") | breakdown("revoked", DECIDED)


def test_a_revocation_of_an_older_decision_leaves_the_current_one_standing():
    facts = commended(decision_number="301/QĐ-UBND", revoked_number="215/QĐ-UBND")
    assert not facts.revoked and facts.commended
    assert nomination_keys(facts) == breakdown("submitted") | breakdown("commended", DECIDED)


def test_a_revocation_of_a_decision_without_a_number_revokes_it():
    facts = commended(decision_number=None, revoked_number="215/QĐ-UBND")
    assert measures(nomination_keys(facts)) == {"submitted", "revoked"}


def test_a_revocation_before_its_decision_counts_for_nothing_yet():
    assert nomination_keys(Facts(submitted=HOA, revoked_number="215/QĐ-UBND")) == \
        breakdown("submitted")


def test_publicised_with_one_live_story_adds_the_channel_and_its_kind():
    keys = nomination_keys(commended(stories=[story()]))
    publicised = breakdown("publicised", DECIDED) | {
        TallyKey(YEAR, UNIT, "publicised", "channel", "portal-guong-dien-hinh"),
        TallyKey(YEAR, UNIT, "publicised", "channel_kind", "portal_column")}
    assert keys == breakdown("submitted") | breakdown("commended", DECIDED) | publicised


def test_publicised_counts_in_the_year_and_on_the_day_of_its_first_live_story():
    early = replace(story(story_id="s-1"), published_on=date(2025, 2, 5))
    later = replace(story("radio-huyen", "radio", story_id="s-2"), published_on=date(2025, 3, 1))
    keys = {k for k in nomination_keys(commended(stories=[later, early]))
            if k.measure == "publicised"}
    assert {k.year for k in keys} == {2025}  # a 2024 title published in 2025
    assert TallyKey(2025, UNIT, "publicised", "day", "2025-02-05") in keys
    assert {k.value for k in keys if k.dimension == "day"} == {"2025-02-05"}
    gone = replace(early, live=False)
    keys = nomination_keys(commended(stories=[later, gone]))
    assert {k.value for k in keys if k.dimension == "day"} == {"2025-03-01"}
    assert {k.year for k in story_keys(later)} == {2025}


def test_an_escalation_counts_on_the_day_it_was_sent():
    facts = commended(escalated=replace(DECIDED, award="bang_khen_chu_tich_tinh"),
                      escalated_on=date(2025, 1, 20))
    keys = {k for k in nomination_keys(facts) if k.measure == "escalated"}
    assert {k.year for k in keys} == {2025}
    assert TallyKey(2025, UNIT, "escalated", "day", "2025-01-20") in keys


def test_only_withdrawn_stories_are_not_publicised():
    facts = commended(stories=[story(live=False), story("radio-huyen", "radio", live=False,
                                                       story_id="s-2")])
    assert measures(nomination_keys(facts)) == {"submitted", "commended"}


def test_one_live_story_among_withdrawn_ones_keeps_the_exemplar_publicised():
    facts = commended(stories=[story(live=False), story("radio-huyen", "radio",
                                                       story_id="s-2")])
    keys = {k for k in nomination_keys(facts) if k.measure == "publicised"}
    assert {(k.dimension, k.value) for k in keys if k.dimension.startswith("channel")} == \
        {("channel", "radio-huyen"), ("channel_kind", "radio")}


def test_an_exemplar_on_several_channels_is_publicised_once_and_on_each_channel():
    facts = commended(stories=[story(), story("radio-huyen", "radio", story_id="s-2"),
                               story("zalo-huyen", None, story_id="s-3")])
    keys = {k for k in nomination_keys(facts) if k.measure == "publicised"}
    assert sum(1 for k in keys if k.dimension == "all") == 1
    assert {k.value for k in keys if k.dimension == "channel"} == \
        {"portal-guong-dien-hinh", "radio-huyen", "zalo-huyen"}
    # a channel of unknown kind adds no channel_kind line
    assert {k.value for k in keys if k.dimension == "channel_kind"} == \
        {"portal_column", "radio"}


def test_stories_are_not_counted_on_the_nomination():
    # two stories of one nomination are two stories: each counts on its own (story_keys)
    facts = commended(stories=[story(), story(story_id="s-2")])
    assert "stories" not in measures(nomination_keys(facts))


def test_stories_of_a_rejected_nomination_do_not_publicise_it():
    facts = commended(outcome="rejected", stories=[story()])
    assert measures(nomination_keys(facts)) == {"submitted", "rejected"}


def test_stories_of_a_revoked_decision_do_not_publicise_it():
    facts = commended(revoked_number="215/QĐ-UBND", stories=[story()])
    assert measures(nomination_keys(facts)) == {"submitted", "revoked"}


def test_stories_before_the_decision_publicise_nothing_yet():
    assert nomination_keys(Facts(submitted=HOA, stories=[story()])) == breakdown("submitted")


def test_an_escalated_exemplar_counts_with_the_provincial_award_proposed():
    sent = replace(DECIDED, award="bang_khen_chu_tich_tinh")
    keys = nomination_keys(commended(escalated=sent))
    assert keys == breakdown("submitted") | breakdown("commended", DECIDED) | \
        breakdown("escalated", sent)


def test_an_escalated_then_revoked_exemplar_counts_for_neither():
    sent = replace(DECIDED, award="bang_khen_chu_tich_tinh")
    facts = commended(escalated=sent, revoked_number="215/QĐ-UBND", stories=[story()])
    assert measures(nomination_keys(facts)) == {"submitted", "revoked"}


def test_an_escalation_stays_when_an_older_decision_is_revoked():
    sent = replace(DECIDED, award="bang_khen_chu_tich_tinh")
    facts = commended(escalated=sent, decision_number="301/QĐ-UBND",
                      revoked_number="215/QĐ-UBND")
    assert "escalated" in measures(nomination_keys(facts))


def test_unknown_gender_and_ethnicity_count_under_the_empty_value():
    collective = replace(HOA, nominee_kind="collective", gender=None, ethnicity="")
    keys = nomination_keys(Facts(submitted=collective))
    assert TallyKey(YEAR, UNIT, "submitted", "gender", "") in keys
    assert TallyKey(YEAR, UNIT, "submitted", "ethnicity", "") in keys
    assert TallyKey(YEAR, UNIT, "submitted", "nominee_kind", "collective") in keys


def test_a_nomination_without_a_proposed_award_has_no_award_line():
    keys = nomination_keys(Facts(submitted=replace(HOA, award=None)))
    assert "award" not in {k.dimension for k in keys}


def test_a_live_story_counts_on_its_channel_for_its_own_unit_and_year():
    radio = Story(story_id="s-9", channel_id="radio-binh-thang", channel_kind="commune_radio",
                  unit_id="tth-binh-thang", year=2023, live=True)
    assert story_keys(radio) == {
        TallyKey(2023, "tth-binh-thang", "stories", "all", ""),
        TallyKey(2023, "tth-binh-thang", "stories", "channel", "radio-binh-thang"),
        TallyKey(2023, "tth-binh-thang", "stories", "channel_kind", "commune_radio")}


def test_a_withdrawn_or_unknown_story_counts_for_nothing():
    assert story_keys(story(live=False)) == set()
    assert story_keys(None) == set()


def test_a_story_of_unknown_channel_kind_has_no_kind_line():
    assert {k.dimension for k in story_keys(story(kind=None))} == {"all", "channel"}
