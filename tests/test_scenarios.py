"""Scenario files (tests/scenarios/*.json): answers, a date, and what the assessment must show.

Each scenario names a base set of answers (conftest.BASES), the answers it changes, optionally an
`on` date that overrides the answers' own, and `expect`:
  outcome, not_met (exact list of ids), status ({id: status}), form, submission_deadline,
  exemption_code, capped, valid_until, checklist_has / checklist_lacks, warnings_has /
  warnings_lacks, entries (list of [box, value] that must be present), cap (the cap figure quoted).
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
    if "cap" in expect:
        assert expect["cap"] in warnings["processing_cap"]
    entries = {(e["box"], e["value"]) for e in out["field_entries"]}
    for box, value in expect.get("entries", []):
        assert (box, value) in entries
    for box, value in expect.get("entries_lack", []):
        assert (box, value) not in entries
