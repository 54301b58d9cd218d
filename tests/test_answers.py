"""Parsing the answers file: types, lists, dates, errors that name the field in both languages."""

import json
from datetime import date

import pytest

from conftest import BASES
from webapp.i18n import localize
from webapp.rules import AnswersError, loads, parse_answers, parse_iso_date
from webapp.rules.assessment import DUTIES, ENVELOPE, JOB_TITLE


def error_of(data):
    with pytest.raises(AnswersError) as info:
        parse_answers(data)
    return info.value


@pytest.mark.parametrize("data, field", [
    ({"assessment_date": "2024-13-01"}, "assessment_date"),
    ({"assessment_date": "2024-02-30"}, "assessment_date"),
    ({"assessment_date": "15/01/2025"}, "assessment_date"),
    ({"assessment_date": "20250115"}, "assessment_date"),
    ({"assessment_date": 20250115}, "assessment_date"),
    ({"purpose": "renewal"}, "purpose"),
    ({"residence": "Quebec"}, "residence"),
    ({"holds_r206_permit": "yes"}, "holds_r206_permit"),
    ({"holds_r206_permit": 1}, "holds_r206_permit"),
    ({"csq": "yes"}, "csq"),
    ({"csq": {"issued": "2024-1-5"}}, "csq.issued"),
    ({"csq": {"category": "peq"}}, "csq.category"),
    ({"pr_application": {"status": "pending"}}, "pr_application.status"),
    ({"invitation": {"received_on": "tomorrow"}}, "invitation.received_on"),
    ({"channel": "mail"}, "channel"),
    ({"format": "impplus-answers/2"}, "format"),
    ({"principal": {"permit_code": 76}}, "principal.permit_code"),
    ({"current_permit_code": "A" * 65}, "current_permit_code"),
    ({"family_member": ["spouse"]}, "family_member"),
])
def test_bad_value_names_the_field(data, field):
    error = error_of(data)
    assert error.field == field
    for lang in ("en", "fr"):
        assert field in localize(error.message, lang)


def test_error_messages_are_translated():
    error = error_of({"csq": {"issued": "2024-1-5"}})
    en, fr = localize(error.message, "en"), localize(error.message, "fr")
    assert "CSQ issue date" in en and "2024-1-5" in en
    assert en != fr and "CSQ" in fr and "2024-1-5" in fr


def test_every_error_is_collected():
    error = error_of({"residence": "mars", "channel": "fax", "csq": {"issued": "x"}})
    assert [f for f, _ in error.errors] == ["residence", "csq.issued", "channel"]


@pytest.mark.parametrize("data", [[], "answers", 3, None, True])
def test_not_an_object(data):
    assert error_of(data).field is None


def test_not_json():
    with pytest.raises(AnswersError) as info:
        loads(b"{not json")
    assert info.value.field is None


def test_missing_and_null_and_unknown_keys_are_fine():
    answers = parse_answers({"residence": None, "csq": None, "nickname": "ignored",
                             "csq_extra": {"a": 1}})
    assert answers.residence is None and answers.csq.held is None


def test_worked_example_wrapper_is_read_through_its_answers():
    answers = parse_answers({"answers": {"residence": "quebec"}, "expect": {}})
    assert answers.residence == "quebec"
    # but a real answers file with an unrelated "answers" key keeps its own fields
    assert parse_answers({"residence": "outside_canada", "answers": {"residence": "quebec"}}
                         ).residence == "outside_canada"


@pytest.mark.parametrize("base", ["outside", "in_canada", "extension", "family"])
def test_round_trip(base):
    answers = parse_answers(BASES[base])
    assert answers.to_dict() == BASES[base]
    assert parse_answers(json.loads(json.dumps(answers.to_dict()))) == answers


def test_exact_entries_use_the_en_dash():
    assert JOB_TITLE == "CSQ holder outside Quebec \u2013 OWP"
    assert ENVELOPE == "International Mobility Program Plus \u2013 A76 cap"
    assert DUTIES == "A76: International Mobility Program Plus"


# ------------------------------------------------------------------ v2: codes, file_id, label

@pytest.mark.parametrize("raw", ["A76", "a76", " a 76 ", "A-76", "A\u201176", "A\u221276",
                                 "\uff21\uff17\uff16", "A\u200b76"])
def test_codes_are_normalised(raw):
    assert parse_answers({"current_permit_code": raw}).current_permit_code == "A76"
    assert parse_answers({"principal": {"permit_code": raw}}).principal.permit_code == "A76"


@pytest.mark.parametrize("lang, word", [("en", "not a permit code"), ("fr", "n’est pas un code")])
def test_a_cyrillic_code_is_an_error_naming_the_field(lang, word):
    from webapp.i18n import localize

    with pytest.raises(AnswersError) as e:
        parse_answers({"current_permit_code": "\u041076", "principal": {"permit_code": "中"}})
    assert [f for f, _ in e.value.errors] == ["principal.permit_code", "current_permit_code"]
    assert word in localize(e.value.message, lang)


def test_label_is_at_most_100_characters_and_file_id_is_kept():
    assert parse_answers({"label": "x" * 100}).label == "x" * 100
    with pytest.raises(AnswersError) as e:
        parse_answers({"label": "x" * 101})
    assert e.value.field == "label"
    answers = parse_answers({"file_id": "abc"})
    assert answers.to_dict()["file_id"] == "abc" and answers.with_file_id() is answers
    made = parse_answers({}).with_file_id()
    assert made.file_id and made.to_dict()["file_id"] == made.file_id


def test_parse_iso_date_takes_exactly_yyyy_mm_dd():
    """The one reading of a date (answers, permits, the command line's --on): a real day, in
    exactly ten ASCII characters; what `date.fromisoformat` would also take is refused."""
    assert parse_iso_date("2025-01-15") == date(2025, 1, 15)
    for bad in ("2025-02-30", "20250115", "2025-W03-3", " 2025-01-15", "2025-01-15\n",
                "２０２５-01-15", "0000-01-01", "", None, 20250115, date(2025, 1, 15)):
        assert parse_iso_date(bad) is None, bad
