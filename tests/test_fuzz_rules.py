"""Fuzzing the answers parser, the rules and the API on what tests/test_properties.py leaves out.

test_properties.py feeds parse_answers decoded JSON values (no NaN, no surrogates, short strings,
little nesting) and checks the outcome. This file adds:

- `webapp.rules.loads` on any text and any bytes (JSON or not, any encoding, lone surrogates);
- parse_answers on values the decoder can give: lone surrogates, very long strings, huge and
  non-finite numbers, nesting as deep as the decoder allows, and every message it then writes
  stays short, in English and in French;
- `assess` as of any date from 1900 to 2199 on answers of that era: the report, in both
  languages, validates against the Assessment schema the API publishes and encodes as UTF-8;
- POST /api/v1/assessments on any JSON value, any bytes, any `lang` and any Accept-Language:
  never a 5xx, and the body validates against the published schema of its status.

The bugs these tests found (NESTING, SURROGATE) are fixed; the tests keep them fixed.
"""

from __future__ import annotations

import functools
import json
import math
import string
import sys
from datetime import date

import jsonschema_rs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import BASES, production_app
from webapp.i18n import localize
from webapp.openapi import _ERROR, assessment_schema
from webapp.report import report
from webapp.rules import SCHEMA, Answers, AnswersError, assess, loads, parse_answers
from webapp.rules.answers import MAX_STRING, PRINTABLE, Group

pytestmark = pytest.mark.slow  # hypothesis at length: `pytest -m "not slow"` skips it

FUZZ = settings(derandomize=True, database=None, deadline=None, print_blob=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.filter_too_much])
MAX_MESSAGE = 400  # characters in one localized error message, whatever the value quoted

ASSESSMENT = jsonschema_rs.validator_for(assessment_schema(), validate_formats=True)
ERROR = jsonschema_rs.validator_for(_ERROR)

# ------------------------------------------------------------------ strategies

any_char = st.characters(codec=None, exclude_categories=())  # lone surrogates included
any_text = st.text(any_char, max_size=40)
long_text = st.integers(0, 200_000).map(lambda n: "é" * n) | st.text(any_char, min_size=65,
                                                                       max_size=300)
# integers up to 4,000 digits (Python's int/str limit is 4,300), floats with NaN and ±inf
numbers = (st.integers() | st.floats() | st.sampled_from([2**63, -(2**63) - 1, 1e308, 5e-324])
           | st.tuples(st.sampled_from([1, -1]), st.integers(0, 4000)).map(
               lambda sign_digits: sign_digits[0] * 10 ** sign_digits[1]))
leaves = st.none() | st.booleans() | numbers | any_text | long_text
json_values = st.recursive(leaves, lambda children: st.lists(children, max_size=4)
                           | st.dictionaries(any_text, children, max_size=4), max_leaves=25)


def nested(depth: int, leaf=None, kind: str = "list"):
    for _ in range(depth):
        leaf = [leaf] if kind == "list" else {"a": leaf}
    return leaf


# deep, but well below the recursion limit: what happens near it is NESTING's (below)
deep_values = st.builds(nested, st.integers(0, 400), leaves, st.sampled_from(["list", "dict"]))

ERA = st.dates(date(1900, 1, 1), date(2199, 12, 31))


def _good(spec):
    return {"date": ERA.map(date.isoformat), "bool": st.booleans(),
            "enum": st.sampled_from(spec.choices), "const": st.sampled_from(spec.choices),
            # v2: a code is ASCII letters and digits once normalised (NFKC, no spaces, dashes
            # or invisible characters); a text is one line of at most its length
            "code": st.text(string.ascii_letters + string.digits + " -\u200b\u2212",
                            max_size=MAX_STRING)
            | st.sampled_from(["A76", " a76 ", "C41", "\uff21\uff17\uff16", "A\u201176"]),
            "text": st.text(st.sampled_from(sorted(PRINTABLE)),  # what the fonts print
                            max_size=spec.max_length if spec else MAX_STRING),
            }[spec.kind]


def _answers(value_for):
    fields = {}
    for item in SCHEMA:
        if isinstance(item, Group):
            fields[item.key] = st.fixed_dictionaries(
                {}, optional={m.key: value_for(m) for m in item.members}) | value_for(None)
        else:
            fields[item.key] = value_for(item)
    return st.fixed_dictionaries({}, optional=fields)


# answers whose values are right or null: they reach every criterion and branch
era_answers = _answers(lambda spec: st.none() if spec is None else st.none() | _good(spec))
# answers whose values are anything the decoder can give, often in the right place
wild_answers = _answers(lambda spec: json_values | deep_values if spec is None
                        else _good(spec) | json_values | deep_values)


# ------------------------------------------------------------------ the parser

def check_error(error: AnswersError):
    assert error.errors, error
    for field, message in error.errors:
        assert field is None or isinstance(field, str)
        for lang in ("en", "fr"):
            text = localize(message, lang)
            assert isinstance(text, str) and 0 < len(text) <= MAX_MESSAGE, (lang, len(text))


def parsed(data):
    """parse_answers(data) or its AnswersError; nothing else may escape."""
    try:
        return parse_answers(data)
    except AnswersError as e:
        check_error(e)
        return e


@settings(FUZZ, max_examples=250)
@given(st.text(any_char, max_size=300) | st.binary(max_size=300)
       | json_values.map(lambda v: json.dumps(v, ensure_ascii=False))
       | wild_answers.map(lambda v: json.dumps(v, ensure_ascii=False).encode("utf-8",
                                                                            "surrogatepass")))
def test_loads_on_any_text_or_bytes(text):
    try:
        answers = loads(text)
    except AnswersError as e:
        check_error(e)
        return
    assert isinstance(answers, Answers)


@settings(FUZZ, max_examples=300)
@given(wild_answers | json_values)
def test_parse_answers_on_anything_the_decoder_gives(data):
    result = parsed(data)
    if isinstance(result, Answers):  # what it accepts writes an answers file that reads the same
        assert parse_answers(result.to_dict()).to_dict() == result.to_dict()


# ------------------------------------------------------------------ the rules, 1900 to 2199

@settings(FUZZ, max_examples=250)
@given(era_answers, st.none() | ERA)
def test_assess_any_date_1900_to_2199_reports_what_the_schema_publishes(data, on):
    answers = parse_answers(data)
    result = assess(answers, on)
    for lang in ("en", "fr"):
        out = report(result, lang)
        errors = [e.message for e in ASSESSMENT.iter_errors(out)]
        assert not errors, errors[:3]
        # what the CLI prints and the API sends: JSON, in UTF-8
        json.dumps(out, ensure_ascii=False, allow_nan=False).encode("utf-8")
    if on is not None:
        assert result.assessment_date == on


# ------------------------------------------------------------------ the API on anything

@functools.cache
def client():
    return production_app().test_client()


def post(body: bytes, query=None, headers=None):
    return client().post("/api/v1/assessments", data=body, query_string=query or {},
                         headers=headers or {}, content_type="application/json")


def check_api(r, statuses):
    assert r.status_code in statuses, (r.status_code, r.get_data()[:300])
    assert r.mimetype == "application/json"
    body = json.loads(r.get_data())
    validator = ASSESSMENT if r.status_code == 200 else ERROR
    errors = [e.message for e in validator.iter_errors(body)]
    assert not errors, errors[:3]
    assert r.headers["Content-Language"] in ("en", "fr")


def json_bytes(value) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")


@settings(FUZZ, max_examples=200)
@given(wild_answers | json_values, st.sampled_from([None, "en", "fr"]))
def test_api_on_any_json_value(value, lang):
    data = json_bytes(value)
    r = post(data, {"lang": lang} if lang else None)
    if len(data) > 1024 * 1024:
        assert r.status_code in (200, 413, 422), r.status_code
        return
    # Python's decoder reads NaN and surrogates escaped or not; a raw surrogate (surrogatepass)
    # is not UTF-8, and a value nested too deep is not readable: 400
    check_api(r, (200, 400, 422))


@settings(FUZZ, max_examples=150)
@given(st.binary(max_size=200) | st.text(any_char, max_size=100).map(
    lambda t: t.encode("utf-8", "surrogatepass")),
    st.text(any_char, max_size=30), st.text(max_size=60))
def test_api_on_any_bytes_lang_and_accept_language(body, lang, accept):
    try:
        headers = {"Accept-Language": accept.encode("latin-1").decode("latin-1")}
    except UnicodeEncodeError:
        headers = {}
    r = post(body, {"lang": lang}, headers)
    check_api(r, (200, 400, 422))


# ------------------------------------------------------------------ bugs these tests found (fixed)

NESTING = (
    "bug: parse_answers quotes a rejected value with json.dumps (webapp/rules/answers.py "
    "_shown); a list or object nested close to the recursion limit was decoded, but encoding "
    "it again needs a few more frames and raises RecursionError, which is not AnswersError: "
    "loads() and savefile.read raise it, POST /api/v1/assessments and POST /<lang>/resume "
    "answer 500. Suggested fix: in _shown, quote containers by their type (a list, an object) "
    "or catch RecursionError and ValueError around json.dumps")
SURROGATE = (
    "bug: parse_answers accepts a free-text answer (current_permit_code, "
    "principal.permit_code) holding a lone surrogate such as '\\ud800', which JSON allows and "
    "UTF-8 cannot encode: the answers file, the pages and the PDF of those answers cannot be "
    "written (UnicodeEncodeError). Suggested fix: refuse such text in _read "
    "(value.encode('utf-8') raising UnicodeEncodeError -> the field's 'short text' error), and "
    "quote rejected values in _shown with errors='backslashreplace'")
# On Python 3.11 the decoder and the encoder share the interpreter's recursion limit, so the
# window exists at every stack depth; later versions count C recursion apart, where it may not.
WINDOW = sys.version_info[:2] == (3, 11)


def first_failing_depth(kind) -> int:
    """The smallest depth at which kind(depth) is not "field" (the value read and refused as a
    wrong answer): the decoder's limit, or the start of the window where encoding fails."""
    low, high = 1, 4 * sys.getrecursionlimit() + 100
    assert kind(low) == "field" and kind(high) != "field"
    while high - low > 1:
        mid = (low + high) // 2
        low, high = (mid, high) if kind(mid) == "field" else (low, mid)
    return high


def nested_text(depth: int, field: str = "purpose") -> bytes:
    return b'{"format": "impplus-answers/1", "%s": ' % field.encode() \
        + b"[" * depth + b"]" * depth + b"}"


@pytest.mark.parametrize("kind", ["list", "dict"])
def test_parse_answers_on_a_value_nested_deeper_than_the_recursion_limit(kind):
    parsed({"format": "impplus-answers/1", "purpose": nested(sys.getrecursionlimit() + 10,
                                                            kind=kind)})


def test_loads_at_every_depth_around_the_decoders_limit():
    def kind(depth):
        try:
            loads(nested_text(depth))
        except AnswersError as e:
            return "field" if e.field == "purpose" else "not_json"
        except RecursionError:
            return "crash"
        return "ok"

    edge = first_failing_depth(kind)
    kinds = {depth: kind(depth) for depth in range(edge - 20, edge + 20)}
    assert set(kinds.values()) <= {"field", "not_json"}, \
        {d: k for d, k in kinds.items() if k == "crash"}


def test_api_at_every_depth_around_the_decoders_limit():
    def kind(depth):
        r = post(nested_text(depth))
        if r.status_code == 422:
            return "field"
        return "not_json" if r.status_code == 400 else str(r.status_code)

    edge = first_failing_depth(kind)
    statuses = {depth: kind(depth) for depth in range(edge - 20, edge + 20)}
    assert set(statuses.values()) <= {"field", "not_json"}, \
        {d: k for d, k in statuses.items() if k not in ("field", "not_json")}


@pytest.mark.parametrize("field", ["current_permit_code", "principal.permit_code"])
def test_accepted_text_answers_can_be_written_as_utf8(field):
    data = dict(BASES["extension"] if field == "current_permit_code" else BASES["family"])
    if "." in field:
        group, key = field.split(".")
        data[group] = {**data[group], key: "A76\ud800"}
    else:
        data[field] = "A76\ud800"
    result = parsed(data)
    if isinstance(result, Answers):
        json.dumps(result.to_dict(), ensure_ascii=False).encode("utf-8")
        for lang in ("en", "fr"):
            json.dumps(report(assess(result), lang), ensure_ascii=False).encode("utf-8")


def test_non_finite_numbers_are_quoted_in_messages():
    """NaN and infinities (Python's decoder reads them) are refused naming the field."""
    for value in (math.nan, math.inf, -math.inf):
        error = parsed({"assessment_date": value, "purpose": value})
        assert isinstance(error, AnswersError)
        assert [f for f, _m in error.errors] == ["assessment_date", "purpose"]
