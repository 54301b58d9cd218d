"""Scenario files (tests/scenarios/*.json): answers, a date, and what the assessment must show.

Each scenario names a base set of answers (conftest.BASES), the answers it changes, optionally an
`on` date that overrides the answers' own, and `expect`:
  outcome, not_met (exact list of ids), status ({id: status}), form, submission_deadline,
  exemption_code, capped, valid_until, checklist_has / checklist_lacks, warnings_has /
  warnings_lacks, entries (list of [box, value] that must be present), cap (the cap figure quoted).

Keys added for version 2 of the contract (each checked in English and in French, since ids and
values never change with the language):
  format (the assessment's format), criteria_ids (the exact set of criterion ids),
  permit (null: no permit at all; or {subfield: value} for months, capped_by_passport_expiry,
  capped_if_issued_after, ends_no_later_than), instead_has / instead_lacks (ids of the
  top-level `instead` items), instead_nonempty (true: at least one item), prominent_has (warning
  ids present with `prominent` true), summary_cap (the cap's figure, such as "7350", found in the
  summary once thousands separators and spaces are removed), rejected (the dotted field that
  makes the answers unreadable: parse_answers raises AnswersError naming it, and no assessment);
  capped_if_issued_after, ends_no_later_than (the permit's fields), conditions (the exact ids of
  the permit's conditions), instead (the exact ids of `instead`, in order), prominent (warning
  ids that must be prominent), summary_has (text the English summary must contain).
"""

import re
from datetime import date

import pytest

from conftest import build_answers, load_scenarios
from webapp.i18n import localize
from webapp.report import report
from webapp.rules import AnswersError, assess, parse_answers

_MISSING = "<missing from the output>"
# what may separate the thousands of a figure: 7,350 / 7 350 / 7\u00a0350 / 7\u202f350
_SEPARATORS = re.compile(r"[\s,.'\u00a0\u202f]")


def _check_rejected(case, lang):
    """The answers cannot be read: AnswersError naming the field, with a message in `lang`."""
    with pytest.raises(AnswersError) as caught:
        parse_answers(build_answers(case["base"], case.get("set")))
    fields = [f for f, _ in caught.value.errors]
    assert case["expect"]["rejected"] in fields, fields
    assert all(localize(text, lang).strip() for _, text in caught.value.errors)


def _check_v2(expect, out):
    """The keys added for version 2 (see the module's docstring)."""
    if "format" in expect:
        assert out["format"] == expect["format"]
    if "criteria_ids" in expect:
        assert sorted(c["id"] for c in out["criteria"]) == sorted(expect["criteria_ids"])
    if "permit" in expect:
        if expect["permit"] is None:
            assert out["permit"] is None, out["permit"]
        else:
            assert out["permit"] is not None, "no permit"
            for key, value in expect["permit"].items():
                assert out["permit"].get(key, _MISSING) == value, (key, out["permit"])
    if {"instead_has", "instead_lacks", "instead_nonempty"} & set(expect):
        instead = out.get("instead", _MISSING)
        assert isinstance(instead, list), instead
        ids = {i["id"] for i in instead}
        assert set(expect.get("instead_has", [])) <= ids, ids
        assert not set(expect.get("instead_lacks", [])) & ids, ids
        if expect.get("instead_nonempty"):
            assert instead, "instead is empty"
    for wid in expect.get("prominent_has", []):
        found = [w for w in out["warnings"] if w["id"] == wid]
        assert found and all(w.get("prominent") is True for w in found), (wid, out["warnings"])
    permit = out["permit"] or {}
    for key in ("capped_if_issued_after", "ends_no_later_than"):
        if key in expect:
            assert permit.get(key, _MISSING) == expect[key], (key, out["permit"])
    if "conditions" in expect:
        assert [c["id"] for c in permit.get("conditions", [])] == expect["conditions"]
    if "instead" in expect:
        assert [i["id"] for i in out["instead"]] == expect["instead"]
    for wid in expect.get("prominent", []):
        assert next(w for w in out["warnings"] if w["id"] == wid)["prominent"] is True, wid
    if "summary_has" in expect and out["lang"] == "en":
        assert expect["summary_has"] in out["summary"], out["summary"]
    if "summary_cap" in expect:
        assert expect["summary_cap"] in _SEPARATORS.sub("", out["summary"] or ""), out["summary"]


KNOWN_KEYS = frozenset({
    "outcome", "not_met", "status", "form", "submission_deadline", "exemption_code", "capped",
    "valid_until", "months", "checklist_has", "checklist_lacks", "warnings_has", "warnings_lacks",
    "first_warning", "cap", "entries", "entries_lack",
    # version 2
    "format", "criteria_ids", "permit", "instead_has", "instead_lacks", "instead_nonempty",
    "prominent_has", "summary_cap", "rejected", "capped_if_issued_after", "ends_no_later_than",
    "conditions", "instead", "prominent", "summary_has"})


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("case", list(load_scenarios()))
def test_scenario(case, lang):
    expect = case["expect"]
    assert not set(expect) - KNOWN_KEYS, f"unknown expect keys: {set(expect) - KNOWN_KEYS}"
    if "rejected" in expect:
        _check_rejected(case, lang)
        return
    answers = parse_answers(build_answers(case["base"], case.get("set")))
    on = date.fromisoformat(case["on"]) if case.get("on") else None
    result = assess(answers, on)
    out = report(result, lang)
    statuses = {c["id"]: c["status"] for c in out["criteria"]}
    if "outcome" in expect:
        assert out["outcome"] == expect["outcome"], statuses
    if "not_met" in expect:
        not_met = [cid for cid, status in statuses.items() if status == "not_met"]
        assert sorted(not_met) == sorted(expect["not_met"]), statuses
    for cid, status in expect.get("status", {}).items():
        assert statuses.get(cid, _MISSING) == status, (cid, out["criteria"])
    for key in ("form", "submission_deadline", "exemption_code"):
        if key in expect:
            assert out[key] == expect[key]
    if "capped" in expect:
        assert out["permit"]["capped_by_passport_expiry"] == expect["capped"]
    if "valid_until" in expect:
        assert out["permit"]["valid_until"] == expect["valid_until"]
    if "months" in expect:
        assert out["permit"]["months"] == expect["months"]
    ids = {d["id"] for d in out["checklist"]}
    assert set(expect.get("checklist_has", [])) <= ids
    assert not set(expect.get("checklist_lacks", [])) & ids
    warnings = {w["id"]: w["text"] for w in out["warnings"]}
    assert set(expect.get("warnings_has", [])) <= set(warnings)
    assert not set(expect.get("warnings_lacks", [])) & set(warnings)
    if "first_warning" in expect:
        assert out["warnings"][0]["id"] == expect["first_warning"]
    if "cap" in expect and lang == "en":  # the figure as written in English
        assert expect["cap"] in warnings["processing_cap"]
    entries = {(e["box"], e["value"]) for e in out["field_entries"]}
    for box, value in expect.get("entries", []):
        assert (box, value) in entries
    for box, value in expect.get("entries_lack", []):
        assert (box, value) not in entries
    _check_v2(expect, out)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_day_before_the_letter_arrived_is_not_called_within_the_window(lang):
    """Received on 2024-11-20, assessed 2024-11-15: the reason says the window had not opened,
    and the warning gives the days the letter can be used."""
    out = report(assess(parse_answers(build_answers(
        "outside", {"invitation.received_on": "2024-11-20"})), date(2024, 11, 15)), lang)
    reason = next(c["reason"] for c in out["criteria"] if c["id"] == "submission_window")
    assert {"en": "within that window", "fr": "compris dans ce délai"}[lang] not in reason
    assert {"en": "you did not have the letter yet",
            "fr": "vous n’aviez pas encore la lettre"}[lang] in reason
    warning = next(w for w in out["warnings"] if w["id"] == "letter_not_yet_received")
    days = {"en": ("November 20, 2024", "February 18, 2025"),
            "fr": ("20\u00a0novembre\u00a02024", "18\u00a0février\u00a02025")}[lang]
    assert all(d in warning["text"] for d in days)
    assert warning["source"] == report(assess(parse_answers(build_answers("outside"))),
                                       lang)["criteria"][-2]["source"]


def test_a_withdrawn_pr_application_fails_for_the_reason_the_manual_gives():
    """The manual: a PR application "must have been submitted before the expiry of the CSQ and
    still be in progress"; the reason says that, not that the 24 months are over."""
    out = report(assess(parse_answers(build_answers("in_canada", {
        "pr_application.status": "withdrawn"}))), "en")
    c = next(c for c in out["criteria"] if c["id"] == "csq_validity")
    assert c["status"] == "not_met"
    assert "still be in progress" in c["reason"] and "24 months" not in c["reason"]
