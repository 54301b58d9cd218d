"""Any JSON value given as answers yields an assessment or a clean AnswersError, never a crash."""

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from webapp.report import report
from webapp.rules import SCHEMA, AnswersError, assess, parse_answers
from webapp.rules.answers import Group

pytestmark = pytest.mark.slow  # hypothesis at length: `pytest -m "not slow"` skips it

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)
iso_dates = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat)


def _value_for(spec):
    good = {"date": iso_dates, "bool": st.booleans(), "enum": st.sampled_from(spec.choices),
            "const": st.sampled_from(spec.choices),
            # v2: a code is ASCII letters and digits once normalised; a text is one line
            "code": st.sampled_from(["A76", " a76 ", "C41", "\uff21\uff17\uff16", "A-76"]),
            "text": st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=8),
            }[spec.kind]
    return st.none() | good | json_values


def _answers_strategy():
    fields = {}
    for item in SCHEMA:
        if isinstance(item, Group):
            fields[item.key] = st.none() | st.fixed_dictionaries(
                {}, optional={m.key: _value_for(m) for m in item.members}) | json_values
        else:
            fields[item.key] = _value_for(item)
    return st.fixed_dictionaries({}, optional=fields)


def _check(data, on=None):
    try:
        answers = parse_answers(data)
    except AnswersError as e:
        assert e.errors and all(isinstance(f, (str, type(None))) for f, _ in e.errors)
        return
    result = assess(answers, on)
    for lang in ("en", "fr"):
        out = report(result, lang)
        assert out["outcome"] in ("eligible", "not_eligible", "incomplete")


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(json_values)
def test_any_json_value(data):
    _check(data)


@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(_answers_strategy(), st.none() | st.dates())
def test_answers_shaped_values(data, on):
    _check(data, on)


@settings(max_examples=300, deadline=None)
@given(_answers_strategy().filter(lambda d: True), st.dates())
def test_outcome_follows_the_criteria(data, on):
    try:
        answers = parse_answers(data)
    except AnswersError:
        return
    result = assess(answers, on)
    statuses = {c.status for c in result.criteria}
    expected = ("not_eligible" if "not_met" in statuses
                else "incomplete" if "unknown" in statuses else "eligible")
    assert result.outcome == expected
