"""Every worked example of tests/examples (a copy of shared/examples) gives its expected verdict,
in both languages."""

import json

import pytest

from conftest import EXAMPLES
from webapp.rules.assessment import DUTIES, JOB_TITLE, OPEN_WORK_PERMIT
from webapp.report import report
from webapp.rules import assess, parse_answers

EXACT_ENTRIES = [("1", OPEN_WORK_PERMIT), ("4", JOB_TITLE), ("4", DUTIES)]
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.json"))


def _examples():
    for path in EXAMPLE_FILES:
        yield pytest.param(path, id=path.stem)


def test_examples_are_present():
    assert len(EXAMPLE_FILES) >= 5


@pytest.mark.parametrize("path", list(_examples()))
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_example(path, lang):
    case = json.loads(path.read_text(encoding="utf-8"))
    out = report(assess(parse_answers(case["answers"])), lang)
    expect = case["expect"]
    for key in ("outcome", "form", "submission_deadline", "exemption_code"):
        if key in expect:
            assert out[key] == expect[key], key
    if "not_met" in expect:
        assert sorted(c["id"] for c in out["criteria"] if c["status"] == "not_met") == sorted(
            expect["not_met"])
    if "capped" in expect:
        assert out["permit"]["capped_by_passport_expiry"] == expect["capped"]
    ids = {d["id"] for d in out["checklist"]}
    checklist = expect.get("checklist", {})
    assert set(checklist.get("must", [])) <= ids
    assert not set(checklist.get("must_not", [])) & ids
    if expect.get("entries"):
        entries = {(e["box"], e["value"]) for e in out["field_entries"]}
        assert set(EXACT_ENTRIES) <= entries
