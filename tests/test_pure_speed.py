"""The speed-ups of the pure layer (flow, answers parser, rules, report, sheet) change no output.

Every page and the API go through `flow.path`, `flow.effective_answers`, `parse_answers`,
`assess`, `report` and `InstructionSheet`; bench/pure.py times them. Their outputs were recorded
before any speed-up, for a few thousand varied answers (the shared examples, the scenario files,
random walks along the flow's own branches, random and malformed answers files, wizard states
with answers left on another branch or half answered), in tests/corpus/pure_outputs.json: one
digest per output. The test below recomputes them; a single byte of difference fails it and
names the input and the output.

    python3 tests/test_pure_speed.py --write   # record the corpus again (only for a deliberate
                                               # change of output, or of the inputs below)

Hypothesis then compares, on inputs the corpus does not hold, the flow's walk with the
straightforward reading of `next_node` kept here (`reference_path`), `add_months` with
`calendar`, the parameters' snapshot with each parameter's own lookup, and `format_day` with
Babel's month names.
"""

from __future__ import annotations

import calendar
import copy
import hashlib
import json
import random
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# conftest and webapp, when run as a script
sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[1])]

from babel.dates import get_month_names  # noqa: E402

from conftest import BASES, SCENARIOS, SHARED, build_answers  # noqa: E402
from webapp import flow  # noqa: E402
from webapp.i18n import LANGUAGES, format_day, format_money, localize  # noqa: E402
from webapp.report import report  # noqa: E402
from webapp.rules import AnswersError, assess, parameters, parse_answers  # noqa: E402
from webapp.rules.dates import add_months  # noqa: E402
from webapp.rules.parameters import PARAMETERS  # noqa: E402
from webapp.rules.reminders import reminders  # noqa: E402
from webapp.sheet import STATUS_ORDER, InstructionSheet  # noqa: E402

CORPUS = Path(__file__).resolve().parent / "corpus" / "pure_outputs.json"
SEED = 20261121
STATUSES = STATUS_ORDER

# ------------------------------------------------------------------ the inputs

# Dates around every boundary of the rules (programme start, letter cut-off, leap days, the
# ends of the calendar), and some ordinary ones.
BOUNDARY_DAYS = ("0001-01-01", "1999-12-31", "2021-02-28", "2022-05-23", "2022-05-24",
                 "2023-01-01", "2024-02-29", "2024-08-31", "2024-10-20", "2024-11-15",
                 "2025-01-15", "2025-01-16", "2025-03-31", "2025-06-01", "2026-02-28",
                 "9999-12-31")


def _day(rng: random.Random) -> str:
    if rng.random() < 0.3:
        return rng.choice(BOUNDARY_DAYS)
    return (date(2020, 1, 1) + timedelta(days=rng.randrange(3000))).isoformat()


def _code(rng: random.Random) -> str | None:
    return rng.choice(["A76", "A76", " a76 ", "C41", "A75", "xyz-1", "", None])


def shared_examples() -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8"))["answers"]
            for p in sorted((SHARED / "examples").glob("*.json"))]


def scenario_answers() -> list[dict]:
    """Each scenario's answers, and again with its `on` as the answers' own date."""
    out = []
    for path in sorted(SCENARIOS.glob("*.json")):
        for case in json.loads(path.read_text(encoding="utf-8")):
            data = build_answers(case["base"], case.get("set"))
            out.append(data)
            if case.get("on"):
                out.append({**data, "assessment_date": case["on"]})
    return out


def flow_walks(rng: random.Random, count: int) -> list[dict]:
    """Answers files along the flow's own branches: from the first question, each answer picked
    at random among the question's choices (or "I don't know", or a date, or a code)."""
    out = []
    for _ in range(count):
        answers: dict = {"format": "impplus-answers/1"}
        if rng.random() < 0.8:
            answers["assessment_date"] = _day(rng)
        node = flow.FIRST
        while node != flow.CHECK:
            q = flow.QUESTIONS[node]
            if q.kind == "choice":
                value = rng.choice(q.choices).value
            elif q.kind == "date":
                value = _day(rng) if rng.random() < 0.85 else None
            else:
                value = _code(rng)
            if value is not None:
                flow.put(answers, q.field, value)
            node = flow.next_node(node, answers)
        out.append(answers)
    return out


def random_answers(rng: random.Random, count: int) -> list[dict]:
    """Answers files with any field set or not, across purposes (answers that the flow would not
    ask together too): every criterion and branch of the rules."""
    def maybe(make, p=0.75):
        return make() if rng.random() < p else None

    out = []
    for _ in range(count):
        data = {
            "format": "impplus-answers/1",
            "assessment_date": maybe(lambda: _day(rng), 0.85),
            "purpose": maybe(lambda: rng.choice(["initial"] * 4 + ["extension", "family"]), 0.9),
            "residence": maybe(lambda: rng.choice(["outside_canada", "canada_outside_quebec",
                                                   "quebec"])),
            "status_in_canada": maybe(lambda: rng.choice(["valid", "restorable", "none"])),
            "holds_r206_permit": maybe(lambda: rng.random() < 0.1),
            "can_apply_from_inside_canada": maybe(lambda: rng.random() < 0.8),
            "intends_to_live_and_work_in_quebec": maybe(lambda: rng.random() < 0.9),
            "csq": maybe(lambda: {k: v for k, v in {
                "held": maybe(lambda: rng.random() < 0.9),
                "category": maybe(lambda: rng.choice(["skilled_worker", "pilot_ai_it_vfx",
                                                      "other"])),
                "issued": maybe(lambda: _day(rng)),
                "expires": maybe(lambda: _day(rng), 0.15)}.items() if v is not None}, 0.9),
            "pr_application": maybe(lambda: {k: v for k, v in {
                "submitted": maybe(lambda: rng.random() < 0.5),
                "submitted_on": maybe(lambda: _day(rng), 0.5),
                "status": maybe(lambda: rng.choice(["in_progress", "approved", "refused",
                                                    "withdrawn"]), 0.5)}.items()
                if v is not None}),
            "invitation": maybe(lambda: {k: v for k, v in {
                "received": maybe(lambda: rng.random() < 0.85),
                "dated": maybe(lambda: _day(rng)),
                "received_on": maybe(lambda: _day(rng), 0.6)}.items() if v is not None}),
            "channel": maybe(lambda: rng.choice(["online", "online", "paper", "port_of_entry"])),
            "passport_expiry": maybe(lambda: _day(rng)),
            "family_member": maybe(lambda: rng.choice(["spouse", "child"])),
            "principal": maybe(lambda: {"permit_code": _code(rng),
                                        "pr_submitted": maybe(lambda: rng.random() < 0.5)}),
            "current_permit_code": maybe(lambda: _code(rng)),
            "current_permit_expiry": maybe(lambda: _day(rng), 0.5),
        }
        out.append({k: v for k, v in data.items() if v is not None or rng.random() < 0.1})
    return out


WRONG_VALUES = (True, 0, 1.5, "", "maybe", "2024-02-30", "2024-2-3", "٢٠٢٤-٠١-٠١", [], {},
                ["a"], {"held": "yes"}, "x" * 100, "\ud800", None)


def malformed_answers(rng: random.Random, base: list[dict], count: int) -> list[dict]:
    """Answers with one to three wrong values (what the API answers 422 to), wrapped worked
    examples, and values that are not objects at all."""
    out: list = [None, [], "answers", 3, {"answers": BASES["outside"]},
                 {"answers": BASES["outside"], "expect": {}},
                 {"answers": "x", "purpose": "initial"}]
    fields = ["format", "assessment_date", "purpose", "residence", "status_in_canada",
              "holds_r206_permit", "csq", "csq.held", "csq.category", "csq.issued",
              "csq.expires",
              "pr_application", "pr_application.submitted", "pr_application.status",
              "invitation.received", "invitation.dated", "invitation.received_on", "channel",
              "passport_expiry", "family_member", "principal", "principal.permit_code",
              "principal.pr_submitted", "current_permit_code", "current_permit_expiry"]
    for _ in range(count):
        data = copy.deepcopy(rng.choice(base))
        for _ in range(rng.randint(1, 3)):
            *parents, leaf = rng.choice(fields).split(".")
            target = data
            for key in parents:
                if not isinstance(target.get(key), dict):
                    target[key] = {}
                target = target[key]
            target[leaf] = rng.choice(WRONG_VALUES)
        out.append(data)
    return out


def answers_files() -> list:
    """Every answers file of the corpus, the same on every run."""
    rng = random.Random(SEED)
    good = (shared_examples() + [copy.deepcopy(b) for b in BASES.values()] + scenario_answers()
            + flow_walks(rng, 700) + random_answers(rng, 700))
    return good + malformed_answers(rng, good, 200)


def wizard_states(files: list, rng: random.Random) -> list[tuple[dict, set[str]]]:
    """What the wizard keeps in a session: each file resumed, and also half answered, with answers
    of another file left on branches no longer taken, and with questions marked answered that
    the path never reaches."""
    resumed = []
    for data in files:
        if isinstance(data, dict):
            try:
                parse_answers(data)
            except AnswersError:
                continue
            resumed.append(flow.from_answers(data))
    states = list(resumed)
    for state, done in resumed[::4]:
        visited, _ = flow.path(state, done)
        cut = rng.randrange(len(visited) + 1)
        states.append((state, {n for n in done if n not in visited} | set(visited[:cut])))
    for state, done in resumed[::5]:
        other, other_done = rng.choice(resumed)
        merged = copy.deepcopy(other)
        for key, value in state.items():
            if isinstance(value, dict) and isinstance(merged.get(key), dict):
                merged[key].update(value)
            else:
                merged[key] = value
        states.append((merged, done | other_done))
    for state, done in resumed[::6]:
        states.append((state, done | set(rng.sample(sorted(flow.QUESTIONS), 3))))
    return states


# ------------------------------------------------------------------ the outputs

def _digest(value) -> str:
    text = json.dumps(value, ensure_ascii=False, default=repr)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def _or_raised(make):
    """What `make()` returns, or the exception it raises (none is expected: an extension
    assessed before 2022-05-24, when the reminder's parameter takes effect, raised a TypeError
    until the reminder learned to do without it)."""
    try:
        return make()
    except Exception as e:  # noqa: BLE001 - recorded, to stay the same
        return ["raises", type(e).__name__, str(e)]


def sheet_view(sheet: InstructionSheet) -> dict:
    """Everything the result page and the PDF read from the sheet."""
    return {"data": sheet.data, "heading": sheet.heading,
            "criteria_in_order": sheet.criteria_in_order, "instead": sheet.instead,
            "entries_by_form": sheet.entries_by_form, "stopped": sheet.stopped,
            "other_warnings": sheet.other_warnings, "permit_text": sheet.permit_text,
            "facts": sheet.facts, "reminders": _or_raised(lambda: sheet.reminders),
            "fee_sources": sheet.fee_sources, "fee_total": sheet.fee_total,
            "status_labels": [sheet.status_label(s) for s in STATUSES],
            "form_headings": [sheet.form_heading(f) for f in ("envelope", "IMM 1295")],
            "days": [sheet.day(d) for d in (None, "2025-01-01", date(2024, 2, 29))],
            "t": sheet.t(flow.QUESTIONS["purpose"].title)}


def _on(answers, index: int) -> date:
    """The date to assess as of: the answers' own, else one that depends on the input only (the
    web and the API use today, which would make the corpus change every day)."""
    return answers.assessment_date or date(2022, 1, 1) + timedelta(days=index * 7 % 1500)


def assessment_outputs(answers, index: int) -> dict:
    result = assess(answers, _on(answers, index))
    out = {"assessment": repr(result), "reminders": _or_raised(lambda: repr(reminders(result)))}
    for lang in LANGUAGES:
        out[f"report_{lang}"] = report(result, lang)
        out[f"sheet_{lang}"] = sheet_view(InstructionSheet.build(result, lang))
    return out


def parsed_outputs(data, index: int) -> dict:
    """The API's path: the answers as sent, parsed, assessed and reported; or the errors."""
    try:
        answers = parse_answers(data)
    except AnswersError as e:
        return {"errors": [(f, repr(m), *(localize(m, lang) for lang in LANGUAGES))
                           for f, m in e.errors]}
    return {"answers": repr(answers), "to_dict": answers.to_dict(),
            **assessment_outputs(answers, index)}


def state_outputs(state: dict, done: set[str], index: int) -> dict:
    """The wizard's path: the questions and the next one, the answers of the branch, and for a
    complete session the assessment the result page shows."""
    before = copy.deepcopy(state)
    visited, nxt = flow.path(state, done)
    effective = flow.effective_answers(state, done)
    out = {"path": [visited, nxt], "effective": effective,
           "summary": [flow.summary(state, done, lang) for lang in LANGUAGES]}
    if nxt == flow.CHECK:
        out["result"] = parsed_outputs(effective, index)
    assert state == before, "the flow must not change the answers it reads"
    return out


def corpus_entries():
    """(name, input digest, outputs) for every input, in a fixed order."""
    files = answers_files()
    for i, data in enumerate(files):
        outputs = parsed_outputs(data, i)
        if isinstance(data, dict) and "errors" not in outputs:
            state, done = flow.from_answers(data)
            outputs["from_answers"] = [state, sorted(done)]
        yield f"file {i}", _digest(data), outputs
    for i, (state, done) in enumerate(wizard_states(files, random.Random(SEED + 1))):
        yield f"state {i}", _digest([state, sorted(done)]), state_outputs(state, done, i)
    yield "edges", "", {"edges": flow.edges()}


def record() -> dict:
    return {name: [key, {k: _digest(v) for k, v in outputs.items()}]
            for name, key, outputs in corpus_entries()}


# ------------------------------------------------------------------ the tests

@pytest.fixture(scope="module")
def recorded() -> dict:
    return json.loads(CORPUS.read_text(encoding="utf-8"))


def test_the_corpus_is_large_and_varied(recorded):
    assert len(recorded) > 3000
    kinds = [set(outputs) for _, outputs in recorded.values()]
    assert sum("errors" in k for k in kinds) > 150  # answers the API refuses
    assert sum("report_fr" in k for k in kinds) > 1000  # answers files assessed
    assert sum("result" in k for k in kinds) > 1500  # complete sessions: the result page
    assert sum("path" in k and "result" not in k for k in kinds) > 300  # sessions half done


def test_every_output_is_the_recorded_one(recorded):
    seen = set()
    differences = []
    for name, key, outputs in corpus_entries():
        seen.add(name)
        assert name in recorded, f"{name}: not in the corpus (inputs changed? see --write)"
        want_key, want = recorded[name]
        assert key == want_key, f"{name}: the input changed; record the corpus again"
        got = {k: _digest(v) for k, v in outputs.items()}
        if got != want:
            changed = sorted(k for k in set(got) | set(want) if got.get(k) != want.get(k))
            differences.append(f"{name}: {', '.join(changed)}")
    assert not differences, f"{len(differences)} inputs differ: " + "; ".join(differences[:10])
    assert seen == set(recorded)


# ------------------------------------------------------------------ hypothesis: the flow's walk

def reference_get(answers: dict, field: str):
    """`flow.get` as first written: a dotted path through dicts, None once a step is not one."""
    value = answers
    for part in field.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def reference_next(node: str, answers: dict) -> str:
    """`next_node` as first written, one `if` per question."""
    a = lambda field: reference_get(answers, field)  # noqa: E731
    purpose = a("purpose")
    if node == "purpose":
        return {"extension": "current_permit_code", "family": "family_member"}.get(
            purpose, "residence")
    if node == "residence":
        if a("residence") == "quebec":
            return flow.CHECK
        return "status_in_canada" if a("residence") == "canada_outside_quebec" else \
            "intends_to_live_and_work_in_quebec"
    if node == "status_in_canada":
        return flow.CHECK if a("status_in_canada") == "none" else "holds_r206_permit"
    if node == "holds_r206_permit":
        return flow.CHECK if a("holds_r206_permit") is True else "can_apply_from_inside_canada"
    if node == "can_apply_from_inside_canada":
        return "intends_to_live_and_work_in_quebec"
    if node == "intends_to_live_and_work_in_quebec":
        return "csq_held"
    if node == "csq_held":
        return "csq_category" if a("csq.held") is True else flow.CHECK
    if node == "csq_category":
        return flow.CHECK if a("csq.category") == "other" else "csq_issued"
    if node == "csq_issued":
        return "pr_submitted"
    if node == "pr_submitted":
        if a("pr_application.submitted") is True:
            return "pr_submitted_on" if purpose == "initial" else "pr_status"
        return "invitation_received" if purpose == "initial" else "passport_expiry"
    if node == "pr_submitted_on":
        return "pr_status"
    if node == "pr_status":
        return "invitation_received" if purpose == "initial" else "passport_expiry"
    if node == "invitation_received":
        if a("invitation.received") is False:
            return flow.CHECK
        return "invitation_dated" if a("invitation.received") is True else "channel"
    if node == "invitation_dated":
        return "invitation_received_on"
    if node == "invitation_received_on":
        return "channel"
    if node == "channel":
        return "passport_expiry"
    if node == "passport_expiry":
        return flow.CHECK
    if node == "current_permit_code":
        return "current_permit_expiry"
    if node == "current_permit_expiry":
        return "pr_submitted"
    if node == "family_member":
        return "principal_permit_code"
    if node == "principal_permit_code":
        return "principal_pr_submitted"
    if node == "principal_pr_submitted":
        return "family_residence"
    if node == "family_residence":
        return "passport_expiry"
    if node == "assessment_date":
        return flow.FIRST
    raise KeyError(node)


REFERENCE_GOES_ON = {
    "residence": "intends_to_live_and_work_in_quebec",
    "status_in_canada": "holds_r206_permit",
    "holds_r206_permit": "can_apply_from_inside_canada",
    "csq_held": "pr_submitted",
    "csq_category": "csq_issued",
    "invitation_received": "channel",
}


def reference_path(answers: dict, answered: set[str]) -> tuple[list[str], str]:
    """`flow.path` as first written: one step at a time, going on past a decisive answer when
    the question it goes on to was answered."""
    done: list[str] = []
    node, settled = flow.FIRST, False
    while node != flow.CHECK and node not in done:
        if node not in answered:
            return done, flow.CHECK if settled else node
        done.append(node)
        nxt = reference_next(node, answers)
        target = None
        if nxt == flow.CHECK:
            target = ("csq_category" if node == "csq_held"
                      and reference_get(answers, "csq.held") is None
                      else REFERENCE_GOES_ON.get(node))
        if target and target in answered:
            node, settled = target, True
        else:
            node = nxt
    return done, node


def reference_effective(answers: dict, answered: set[str]) -> dict:
    """`flow.effective_answers` as first written."""
    def put(out, field, value):
        *parents, leaf = field.split(".")
        for part in parents:
            if not isinstance(out.get(part), dict):
                out[part] = {}
            out = out[part]
        out[leaf] = value

    done, _ = reference_path(answers, answered)
    out: dict = {"format": "impplus-answers/1"}
    if "assessment_date" in answered and answers.get("assessment_date"):
        out["assessment_date"] = answers["assessment_date"]
    carried = {"csq_issued": ("csq.expires",), "pr_status": ("pr_application.submitted_on",)}
    for node in done:
        q = flow.QUESTIONS[node]
        value = reference_get(answers, q.store or q.field)
        if value is not None:
            put(out, q.field, value)
        for field in carried.get(node, ()):
            if reference_get(answers, field) is not None:
                put(out, field, reference_get(answers, field))
    return out


def _value_for(q):
    wrong = st.sampled_from([0, "", "x", [], {}, 1.5])
    if q.kind == "choice":
        return st.sampled_from([c.value for c in q.choices]) | wrong
    if q.kind == "date":
        return st.dates().map(date.isoformat) | wrong
    return st.sampled_from(["A76", "C41", " a76 "]) | wrong


def _state(draw_values: dict) -> dict:
    state: dict = {}
    for key, value in draw_values.items():
        flow.put(state, key, value)
    return state


def _outcome(function, *args):
    """What `function(*args)` returns, or the type and arguments of what it raises (a purpose
    that is a list is a TypeError, in the flow as first written too)."""
    try:
        return "returns", function(*args)
    except Exception as e:  # noqa: BLE001 - compared, to stay the same
        return "raises", type(e), e.args


wizard_answers = st.fixed_dictionaries(
    {}, optional={q.key: _value_for(q) for q in flow.QUESTIONS.values()}
    | {"csq.expires": st.dates().map(date.isoformat),
       "pr_application.submitted_on": st.dates().map(date.isoformat)}).map(_state)
# a part of an answers object that is not an object (a file may say "csq": 3)
odd_groups = st.fixed_dictionaries({}, optional={
    k: st.sampled_from([None, 3, "x", [], True]) for k in
    ("csq", "pr_application", "invitation", "principal", "family")})
# any questions marked answered, or (to reach the ends of the branches) all but a few
answered_sets = st.sets(st.sampled_from(sorted(flow.QUESTIONS))) | st.sets(
    st.sampled_from(sorted(flow.QUESTIONS)), max_size=3).map(lambda few: set(flow.QUESTIONS) - few)
FLOW = settings(derandomize=True, database=None, deadline=None, max_examples=600,
                suppress_health_check=[HealthCheck.too_slow])


@FLOW
@given(wizard_answers, odd_groups, answered_sets)
def test_path_is_the_step_by_step_walk(answers, odd, answered):
    answers = {**answers, **odd} if odd and len(answers) % 3 == 0 else answers
    before = copy.deepcopy(answers)
    assert _outcome(flow.path, answers, answered) == _outcome(reference_path, answers, answered)
    assert _outcome(lambda *a: json.dumps(flow.effective_answers(*a)), answers, answered) == \
        _outcome(lambda *a: json.dumps(reference_effective(*a)), answers, answered)
    assert answers == before


@FLOW
@given(wizard_answers | odd_groups, st.sampled_from(sorted(flow.QUESTIONS)) | st.just("nowhere"))
def test_next_node_is_the_declared_branch(answers, node):
    assert _outcome(flow.next_node, node, answers) == _outcome(reference_next, node, answers)


@settings(derandomize=True, database=None, deadline=None, max_examples=500)
@given(st.dates(), st.integers(-30000, 30000) | st.sampled_from([0, 1, 12, 24, 36, -1]))
def test_add_months_is_calendar_arithmetic(day, months):
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    if year > date.max.year:
        want = date.max
    elif year < date.min.year:
        want = date.min
    else:
        want = date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))
    assert add_months(day, months) == want


@settings(derandomize=True, database=None, deadline=None, max_examples=300)
@given(st.dates() | st.sampled_from([d for p in PARAMETERS.values() for d in p.starts]))
def test_snapshot_is_each_parameter_in_force_that_day(day):
    assert parameters.snapshot(day) == {name: p.at(day) for name, p in PARAMETERS.items()}
    assert parameters.snapshot(day - timedelta(days=1) if day > date.min else day) == {
        name: p.at(day - timedelta(days=1) if day > date.min else day)
        for name, p in PARAMETERS.items()}


@settings(derandomize=True, database=None, deadline=None, max_examples=500)
@given(st.dates(), st.sampled_from(LANGUAGES))
def test_format_day_writes_the_month_as_babel_names_it(day, lang):
    month = get_month_names("wide", locale="fr_CA" if lang == "fr" else "en_CA")[day.month]
    want = (f"{'1er' if day.day == 1 else day.day}\u00a0{month}\u00a0{day.year}" if lang == "fr"
            else f"{month} {day.day}, {day.year}")
    assert format_day(day, lang) == want


@settings(derandomize=True, database=None, deadline=None, max_examples=200)
@given(st.integers(0, 10**7), st.sampled_from(LANGUAGES))
def test_format_money_groups_digits_as_babel_does(amount, lang):
    from babel.numbers import format_decimal

    n = format_decimal(amount, locale="fr_CA" if lang == "fr" else "en_CA")
    assert format_money(amount, lang) == (f"{n}\u00a0$" if lang == "fr" else f"${n}")


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit(__doc__)
    lines = [json.dumps(name) + ":" + json.dumps(entry, separators=(",", ":"))
             for name, entry in record().items()]
    CORPUS.write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")
    print(f"{CORPUS}: {CORPUS.stat().st_size:,} bytes")
