"""Fuzzing "Come back to a saved file": a corpus of malformed uploads and byte-level mutations of
the files the app writes, through webapp.savefile.read and through POST /<lang>/resume.

The corpus is tests/corpus/uploads/ (written by tests/corpus/make_uploads.py; expected.json says
what the start page must say about each file). For every file:

- `savefile.read`, strict and lenient, raises nothing but AnswersError, with the message of its
  problem, in bounded time and memory;
- the route, in English and in French, under a production-like configuration (CSRF on, HTTPS,
  exceptions turned into 500 pages as in production), answers 400 (413 for a body over the
  limit) with the start page naming the file and saying what is wrong in the page's language, and
  leaves the answers already in the session as they were; a file pypdf repairs restores.

Mutations (hypothesis, derandomized): the worked examples as answers files, and our own PDFs,
with bytes flipped, inserted, deleted, repeated or cut off. Whatever comes out, the reader and
the route give a clean refusal or a valid restore, and agree with each other.

Known bugs found by this file are kept as strict xfails (KNOWN_BUGS, MEMORY_BUGS).
"""

from __future__ import annotations

import functools
import io
import json
import re
import sys
import time
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from conftest import BASES, EXAMPLES, production_app
from test_resume import Page, assert_error_page, check_url, normalised, our_pdf, plain
from webapp import flow, savefile
from webapp.config import MAX_UPLOAD_BYTES
from webapp.flow import CHECK
from webapp.i18n import localize
from webapp.rules import Answers, AnswersError, parse_answers
from webapp.wizard import DOWNLOAD_PATHS

pytestmark = pytest.mark.slow  # a minute or more in all: `pytest -m "not slow"` skips it

ANSWERS_PATH = {lang: f"/{lang}/{DOWNLOAD_PATHS['answers'][lang]}" for lang in ("en", "fr")}

CORPUS = Path(__file__).resolve().parent / "corpus" / "uploads"
EXPECTED: dict[str, dict] = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
LANGS = ("en", "fr")
BASE_URL = "https://impplus.test/"
MB = 1024 * 1024

# Upper bounds for reading one file of at most 1 MB. Our own PDFs take about 0.1 MB (traced by
# tracemalloc) and 20 ms; the bounds leave room for a slow shared CI machine, not for inflating
# an embedded file far beyond the 1 MB the reader will ever accept.
MAX_PEAK_BYTES = 16 * MB
MAX_SECONDS = 5.0

# The message of each problem kind, as words that must appear in it in each language.
WORDS = {
    "empty": ("The file is empty", "Le fichier est vide"),
    "neither": ("neither an answers file (JSON) nor a PDF",
                "ni un fichier de réponses (JSON) ni un PDF"),
    "not_json": ("not a JSON file", "pas un fichier JSON"),
    "not_object": ("must be a JSON object", "objet JSON"),
    "other_tool": ("none of the expected fields", "aucun des champs attendus"),
    "wrong_version": ("not an answers file of a version this tool reads",
                      "n’est pas d’une version que cet outil sait lire"),
    "pdf_damaged": ("damaged or incomplete", "endommagé ou incomplet"),
    "pdf_password": ("protected by a password", "mot de passe"),
    "pdf_foreign": ("not made by this tool", "pas été produit par cet outil"),
    "pdf_answers_damaged": ("answers inside this PDF are damaged",
                            "contenues dans ce PDF sont endommagées"),
    "too_large": ("larger than 1 MB", "dépasse 1 Mo"),
    # a wrong answer: the field's name in brackets, and the language's own wording around it
    "field": (re.compile(r"\): (“|answer|expected|this is not)"),
              re.compile(r"\) : («|répondez|un |ce fichier)")),
}

KNOWN_BUGS: dict[str, str] = {}  # corpus file -> what is wrong, as a strict xfail (none now)
READ_BUGS: dict[str, str] = {}  # the same, for savefile.read (none now)
MEMORY_BUGS: dict[str, str] = {}  # the same, for the time and memory bound (none now)


def corpus_params(bugs: dict[str, str]):
    return [pytest.param(name, id=name,
                         marks=[pytest.mark.xfail(strict=True, reason=bugs[name])]
                         if name in bugs else [])
            for name in sorted(EXPECTED)]


def corpus_bytes(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


# ------------------------------------------------------------------ a production-like app

def without_file_id(answers: dict) -> dict:
    """`answers` without its file_id (CONTRACT.md v2: the tool gives every file one)."""
    return {k: v for k, v in answers.items() if k != "file_id"}


class Browser:
    """A test client that behaves like a browser on the start page: HTTPS, a Referer, and the
    CSRF token of the upload form."""

    def __init__(self):
        self.client = production_app().test_client()
        self.token = None

    def get(self, path: str):
        return self.client.get(path, base_url=BASE_URL)

    def upload(self, lang: str, data: bytes, name: str):
        if self.token is None:
            page = Page(self.get(f"/{lang}/"))
            form = page.one("form", action=f"/{lang}/resume")
            self.token = page.one("input", within=form, name="csrf_token")["attrs"]["value"]
        return self.client.post(
            f"/{lang}/resume", base_url=BASE_URL, content_type="multipart/form-data",
            headers={"Referer": f"{BASE_URL}{lang}/"},
            data={"csrf_token": self.token, "answers_file": (io.BytesIO(data), name)})

    def answers(self, lang: str = "en") -> dict:
        """The session's answers.json, without the file_id every download carries."""
        r = self.get(ANSWERS_PATH[lang])
        assert r.status_code == 200, r.status_code
        return without_file_id(json.loads(r.get_data(as_text=True)))

    def started_with(self, answers: dict, lang: str = "en") -> dict:
        """Resume from `answers` and return the answers the session then holds."""
        r = self.upload(lang, json.dumps(answers).encode(), "before.json")
        assert r.status_code == 302, r.status_code
        return self.answers(lang)


def expected_words(problem: str, lang: str) -> list:
    """The words of each acceptable message ("a|b": either) in `lang`."""
    return [WORDS[kind.split(":")[0]][LANGS.index(lang)] for kind in problem.split("|")]


def says(message: str, alternatives: list) -> bool:
    return any(words.search(message) if isinstance(words, re.Pattern) else words in message
               for words in alternatives)


# ------------------------------------------------------------------ the corpus itself

def test_the_corpus_is_complete_and_small():
    files = {p.name for p in CORPUS.iterdir() if p.is_file()} - {"expected.json"}
    assert files == set(EXPECTED), files ^ set(EXPECTED)
    assert len(files) >= 25
    for name in files:
        assert (CORPUS / name).stat().st_size <= 128 * 1024, name
        problem = EXPECTED[name]["problem"]
        kinds = problem.split("|")
        assert problem == "restores" or all(k.split(":")[0] in WORDS for k in kinds), name
    from corpus.make_uploads import GOOD

    assert GOOD == BASES["outside"]  # what a repaired PDF must restore


def test_the_corpus_is_what_make_uploads_writes():
    """The files on disk are the script's (run it after changing it). The encrypted PDFs are
    pypdf's work, whose bytes may change with its version: those only have to stay encrypted."""
    from corpus.make_uploads import corpus, expected

    files = corpus()
    assert set(files) == set(EXPECTED)
    assert (CORPUS / "expected.json").read_bytes() == expected(files)
    for name, (data, _problem, _what) in files.items():
        if "encrypted" in name:
            assert b"/Encrypt" in corpus_bytes(name), name
        else:
            assert corpus_bytes(name) == data, f"{name}: run python3 tests/corpus/make_uploads.py"


# ------------------------------------------------------------------ savefile.read

def read(data: bytes, strict: bool):
    """savefile.read's answers, or its AnswersError; any other exception fails the test."""
    try:
        return savefile.read(data, strict=strict)
    except AnswersError as e:
        assert e.errors and all(f is None or isinstance(f, str) for f, _m in e.errors)
        return e
    except BaseException as e:  # noqa: BLE001 - the point of the test
        pytest.fail(f"savefile.read raised {type(e).__name__}: {e!s:.300}")


def check_refusal(error: AnswersError, problem: str):
    for lang in LANGS:
        message = plain(localize(error.message, lang))
        assert says(message, expected_words(problem, lang)), (lang, problem, message)
    field = problem.split(":")[1] if problem.startswith("field:") else (
        "format" if problem == "wrong_version" else None)
    assert error.field == field, (error.field, field)
    if field:
        assert f"({field})" in localize(error.message, "en")


@pytest.mark.parametrize("name", corpus_params(READ_BUGS))
def test_read_refuses_each_corpus_file_with_its_message(name):
    data, problem = corpus_bytes(name), EXPECTED[name]["problem"]
    strict, lenient = read(data, True), read(data, False)
    if problem == "restores":
        assert isinstance(strict, Answers) and isinstance(lenient, Answers)
        assert strict.to_dict() == parse_answers(BASES["outside"]).to_dict()
        return
    assert isinstance(strict, AnswersError), strict
    check_refusal(strict, problem)
    if problem == "other_tool":  # the CLI and the API read another tool's object as {}
        assert isinstance(lenient, Answers) and lenient.to_dict() == {"format": "impplus-answers/1"}
    else:
        assert isinstance(lenient, AnswersError)
        assert (lenient.field, lenient.message.msgid) == (strict.field, strict.message.msgid)


@pytest.mark.parametrize("name", corpus_params(MEMORY_BUGS))
def test_reading_a_corpus_file_is_bounded_in_time_and_memory(name):
    data = corpus_bytes(name)
    tracemalloc.start()
    try:
        started = time.perf_counter()
        read(data, True)
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert seconds < MAX_SECONDS, seconds
    assert peak < MAX_PEAK_BYTES, f"{peak / MB:.1f} MB traced while reading {len(data)} bytes"


# ------------------------------------------------------------------ POST /<lang>/resume

BEFORE = BASES["in_canada"]  # in the session before each upload (not what any file restores)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", corpus_params(KNOWN_BUGS))
def test_resume_route_on_each_corpus_file(name, lang):
    browser = Browser()
    before = browser.started_with(BEFORE, lang)
    data, problem = corpus_bytes(name), EXPECTED[name]["problem"]
    r = browser.upload(lang, data, name)
    assert r.status_code < 500, r.status_code
    if problem == "restores":
        assert r.status_code == 302, r.status_code
        assert r.headers["Location"].endswith(check_url(lang))
        assert browser.answers(lang) == normalised(BASES["outside"])
        return
    status = 413 if len(data) > MAX_UPLOAD_BYTES else 400
    words = expected_words(problem, lang)
    page, message = assert_error_page(r, lang, status, name=name)
    assert says(message, words), (problem, message)
    if problem.startswith("field:"):
        assert f"({problem.split(':')[1]})" in message
    assert browser.answers(lang) == before  # the session is untouched
    assert browser.get(f"/{lang}/").status_code == 200


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", [MAX_UPLOAD_BYTES + 1, 2 * MB], ids=["1MB+1", "2MB"])
def test_resume_route_on_files_over_1_mb(size, lang):
    """Too big for the corpus, made here: 413 with the size message. Over the request limit
    (1 MB + 64 KB) Werkzeug refuses the body before the CSRF check and the file name are read."""
    browser = Browser()
    before = browser.started_with(BEFORE, lang)
    r = browser.upload(lang, b"{" + b" " * (size - 2) + b"}", "big.json")
    name = "big.json" if size < production_app().config["MAX_CONTENT_LENGTH"] else None
    page, message = assert_error_page(r, lang, 413, name=name)
    assert says(message, expected_words("too_large", lang)), message
    assert browser.answers(lang) == before


# ------------------------------------------------------------------ mutations

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.json"))


@functools.cache
def seed_files() -> dict[str, bytes]:
    """Valid files the app reads: the worked examples as they are and as answers files, and our
    PDFs of two of them (one per language)."""
    seeds = {}
    for path in EXAMPLE_FILES:
        seeds[path.name] = path.read_bytes()
        answers = json.loads(path.read_text(encoding="utf-8"))["answers"]
        seeds[f"answers-{path.stem}.json"] = json.dumps(answers, ensure_ascii=False,
                                                       indent=2).encode("utf-8")
    for path, lang in ((EXAMPLE_FILES[0], "en"), (EXAMPLE_FILES[1], "fr")):
        answers = json.loads(path.read_text(encoding="utf-8"))["answers"]
        seeds[f"sheet-{path.stem}-{lang}.pdf"] = our_pdf(answers, lang)
    return seeds


def hot_spots(data: bytes) -> list[int]:
    """Where a PDF's structure is: the embedded answers, the cross-reference table, the trailer,
    each `obj`/`stream` keyword (a mutation anywhere else mostly hits drawing commands)."""
    spots = [m.start() for m in re.finditer(rb"EmbeddedFile|answers\.json|/Names|xref|trailer|"
                                            rb"startxref|endstream|%%EOF", data)]
    return spots or [0]


# A JSON value (a string, a literal or a number) after a key; swapping one for another keeps the
# file JSON more often than a random byte does, so the parser, not the decoder, gets the bytes.
JSON_VALUE = re.compile(rb':\s*("(?:[^"\\]|\\.)*"|true|false|null|-?[0-9][0-9.eE+-]*)')
VALUES = [b'"x"', b"null", b"true", b"0", b"-1", b"1e999", b"NaN", b"[]", b"{}", b'{"held": 1}',
          b'"2025-02-30"', b'"2025-13-01"', b'"0000-01-01"', b'"9999-12-31"', b'"A76"',
          b'" a76 "', b'"initial"', b'"quebec"', b'"' + b"z" * 200 + b'"', b'"\\u00e9"',
          b'"\\u0000"', b'"\xc3\xa9"']
# Not among them: a lone surrogate ("\\ud800"), which the corpus holds, marked as the bug it is.
TOKENS = [b'"', b"{", b"}", b"[", b"]", b",", b"\\u", b"NaN", b"1e999", b"null", b"\xef\xbb\xbf",
          b"%PDF-", b"%%EOF", b"endstream", b"0 obj", b"/Encrypt", b"\x00", b"\xff"]


@st.composite
def mutated(draw, kinds: tuple[str, ...]):
    """(name, bytes): a seed file with 1 to 6 mutations, each at a random place or at one of the
    file's hot spots (its values for JSON, its structure for a PDF)."""
    names = sorted(n for n in seed_files() if n.rsplit(".", 1)[1] in kinds)
    name = draw(st.sampled_from(names))
    data = bytearray(seed_files()[name])
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        if name.endswith(".json"):
            values = list(JSON_VALUE.finditer(bytes(data)))
            if values and draw(st.booleans()):
                span = draw(st.sampled_from(values)).span(1)
                data[span[0]:span[1]] = draw(st.sampled_from(VALUES))
                continue
            at = draw(st.integers(0, len(data) - 1))
        elif draw(st.booleans()):
            at = draw(st.integers(0, len(data) - 1))
        else:
            at = min(len(data) - 1, draw(st.sampled_from(hot_spots(bytes(data))))
                     + draw(st.integers(0, 64)))
        op = draw(st.sampled_from(["flip", "set", "insert", "delete", "repeat", "cut"]))
        if op == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "set":
            data[at] = draw(st.sampled_from(b'\x00\xff"{}[],:\\/<>()%0123456789 \n'))
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8) | st.sampled_from(TOKENS))
        elif op == "delete":
            del data[at:at + draw(st.integers(1, 16))]
        elif op == "repeat":
            data[at:at] = data[at:at + draw(st.integers(1, 32))]
        else:
            del data[at:]
    return name, bytes(data)


@functools.cache
def shared_browser() -> tuple[Browser, dict]:
    """One browser for all the mutants (its CSRF token lasts as long as its session), and the
    answers its session holds after resuming BEFORE."""
    browser = Browser()
    return browser, browser.started_with(BEFORE)


def check_mutant(name: str, data: bytes, lang: str) -> None:
    """A clean refusal or a valid restore, the same from the reader and from the route."""
    strict, lenient = read(data, True), read(data, False)
    event("restored" if isinstance(strict, Answers) else f"refused: {strict.message.msgid[:40]}")
    if isinstance(strict, Answers):
        assert isinstance(lenient, Answers)
        restored = strict.to_dict()
        assert parse_answers(json.loads(json.dumps(restored))).to_dict() == restored
    browser, before = shared_browser()
    assert browser.upload(lang, json.dumps(BEFORE).encode(), "before.json").status_code == 302
    r = browser.upload(lang, data, "mutant-" + name)
    assert r.status_code in (302, 400, 413), r.status_code
    if isinstance(strict, AnswersError):
        assert r.status_code in (400, 413), r.status_code
        assert_error_page(r, lang, r.status_code, name="mutant-" + name)
        assert browser.answers(lang) == before
        return
    assert r.status_code == 302, r.status_code
    assert browser.get(r.headers["Location"]).status_code == 200
    state, done = flow.from_answers(normalised(strict.to_dict()))
    if flow.path(state, done)[1] == CHECK:
        assert browser.answers(lang) == without_file_id(flow.effective_answers(state, done))


FUZZ = settings(derandomize=True, deadline=None, database=None, print_blob=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@settings(FUZZ, max_examples=200)
@given(mutated(("json",)), st.sampled_from(LANGS))
def test_mutated_answers_files_are_refused_cleanly_or_restored(file, lang):
    check_mutant(*file, lang)


@settings(FUZZ, max_examples=100)
@given(mutated(("pdf",)), st.sampled_from(LANGS))
def test_mutated_pdfs_are_refused_cleanly_or_restored(file, lang):
    check_mutant(*file, lang)


# ------------------------------------------------------------------ nesting
# (a bug found here, fixed)

NESTING = (
    "bug: a wrong answer nested just below the JSON decoder's depth limit is decoded, then "
    "quoted in the message with json.dumps (webapp/rules/answers.py _shown), which needs a few "
    "more frames and raises RecursionError: POST /<lang>/resume answers 500 for "
    "{\"format\": \"impplus-answers/1\", \"purpose\": [[[…]]]} at a depth of about 940 (a "
    "2-depth window under pytest; where exactly depends on the stack)")


def test_resume_route_at_every_depth_around_the_decoders_limit():
    browser, before = shared_browser()

    def kind(depth: int) -> str:
        data = b'{"format": "impplus-answers/1", "purpose": ' + b"[" * depth + b"]" * depth + b"}"
        r = browser.upload("en", data, "deep.json")
        if r.status_code != 400:
            return str(r.status_code)
        message = assert_error_page(r, "en", 400, name="deep.json")[1]
        return "not_json" if "not a JSON file" in message else "field"

    low, high = 1, 4 * sys.getrecursionlimit() + 100  # "field" at low, not at high
    assert kind(low) == "field" and kind(high) == "not_json"
    while high - low > 1:
        mid = (low + high) // 2
        low, high = (mid, high) if kind(mid) == "field" else (low, mid)
    kinds = {depth: kind(depth) for depth in range(high - 20, high + 20)}
    assert set(kinds.values()) <= {"field", "not_json"}, \
        {d: k for d, k in kinds.items() if k not in ("field", "not_json")}
    assert browser.answers() == before
