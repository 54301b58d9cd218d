"""Scenario files (tests/scenarios/*.json): answers, a date, and what the assessment must show.

Each scenario names a base set of answers (conftest.BASES), the answers it changes, optionally an
`on` date that overrides the answers' own, and `expect`:
  outcome, not_met (exact list of ids), status ({id: status}), form, submission_deadline,
  exemption_code, capped, valid_until, checklist_has / checklist_lacks, warnings_has /
  warnings_lacks, entries (list of [box, value] that must be present), cap (the cap figure quoted);
  v2: permit (null: no permit), capped_if_issued_after, ends_no_later_than, conditions (exact
  ids), instead_has / instead_lacks / instead (exact ids), prominent (warning ids that must be
  prominent), summary_has (text the English summary must contain).
"""

from datetime import date

import pytest

from conftest import build_answers, load_scenarios
from webapp.report import report
from webapp.rules import assess, parse_answers


@pytest.mark.parametrize("case", list(load_scenarios()))
def test_scenario(case):
    answers = parse_answers(build_answers(case["base"], case.get("set")))
    on = date.fromisoformat(case["on"]) if case.get("on") else None
    result = assess(answers, on)
    out = report(result, "en")
    expect = case["expect"]
    statuses = {c["id"]: c["status"] for c in out["criteria"]}
    if "outcome" in expect:
        assert out["outcome"] == expect["outcome"], statuses
    if "not_met" in expect:
        assert sorted(result.not_met()) == sorted(expect["not_met"]), statuses
    for cid, status in expect.get("status", {}).items():
        assert statuses[cid] == status, (cid, out["criteria"])
    for key in ("form", "submission_deadline", "exemption_code"):
        if key in expect:
            assert out[key] == expect[key]
    if "permit" in expect:
        assert out["permit"] == expect["permit"]
    permit = out["permit"] or {}
    for key, field in (("capped", "capped_by_passport_expiry"), ("valid_until", "valid_until"),
                       ("months", "months"), ("capped_if_issued_after", "capped_if_issued_after"),
                       ("ends_no_later_than", "ends_no_later_than")):
        if key in expect:
            assert permit.get(field) == expect[key], (key, out["permit"])
    if "conditions" in expect:
        assert [c["id"] for c in permit["conditions"]] == expect["conditions"]
    instead = [i["id"] for i in out["instead"]]
    assert set(expect.get("instead_has", [])) <= set(instead), instead
    assert not set(expect.get("instead_lacks", [])) & set(instead), instead
    if "instead" in expect:
        assert instead == expect["instead"]
    for wid in expect.get("prominent", []):
        assert next(w for w in out["warnings"] if w["id"] == wid)["prominent"] is True
    if "summary_has" in expect:
        assert expect["summary_has"] in out["summary"], out["summary"]
    ids = {d["id"] for d in out["checklist"]}
    assert set(expect.get("checklist_has", [])) <= ids
    assert not set(expect.get("checklist_lacks", [])) & ids
    warnings = {w["id"]: w["text"] for w in out["warnings"]}
    assert set(expect.get("warnings_has", [])) <= set(warnings)
    assert not set(expect.get("warnings_lacks", [])) & set(warnings)
    if "first_warning" in expect:
        assert out["warnings"][0]["id"] == expect["first_warning"]
    if "cap" in expect:
        assert expect["cap"] in warnings["processing_cap"]
    entries = {(e["box"], e["value"]) for e in out["field_entries"]}
    for box, value in expect.get("entries", []):
        assert (box, value) in entries
    for box, value in expect.get("entries_lack", []):
        assert (box, value) not in entries


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
