"""The decision line a draft rests on names the signer once."""

from publication.stories.domain import decision_line

DECISION = {"number": "215/QĐ-UBND", "signed_on": "2024-12-20"}


def test_signer_title_that_names_the_unit_is_not_followed_by_it_again():
    line = decision_line({**DECISION, "signer_title": "Chủ tịch UBND huyện Bù Gia Mập"},
                         "UBND huyện Bù Gia Mập")
    assert line == "Quyết định số 215/QĐ-UBND ngày 20/12/2024 của Chủ tịch UBND huyện Bù Gia Mập"


def test_bare_signer_title_takes_the_granting_unit():
    line = decision_line({**DECISION, "signer_title": "Chủ tịch"}, "UBND xã Đắk Ơ")
    assert line.endswith("của Chủ tịch UBND xã Đắk Ơ")


def test_no_decision_no_line():
    assert decision_line(None, "UBND xã Đắk Ơ") is None
