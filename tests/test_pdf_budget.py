"""Reading a PDF for its answers.json is bounded work whatever the PDF's structure (issue 14):
attachment name trees that list one child many times, deep nesting, reference loops, huge
arrays; each is refused (or read) well under a second, on upload and in the CLI. The attachment
is found by its file name, not only by its key in the name tree.

The PDFs are written here by hand (objects in a compressed object stream, a cross-reference
stream), so that a few kilobytes describe millions of entries, as an attacker would write them.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
import zlib

import pytest

from conftest import ROOT, build_answers
from webapp import savefile
from webapp.rules import AnswersError

LIMIT = 1.0  # seconds of this thread's CPU (time.thread_time: the work done, whatever else the
# machine runs); the budget itself takes a few milliseconds
ANSWERS = json.dumps(build_answers("outside")).encode()


def pdf_with_objects(direct: dict[int, bytes], packed: dict[int, bytes] | list[dict],
                     streams: dict[int, tuple[bytes, bytes]] | None = None) -> bytes:
    """A PDF 1.7 whose catalog is object 1: `direct` objects written as they are, `packed`
    objects inside a Flate-compressed object stream (a list of dicts: one stream each, so
    that each stays under the 1 MB a stream may inflate to), `streams` {number: (dictionary
    entries, data)} as stream objects; with a cross-reference stream."""
    streams = streams or {}
    groups = packed if isinstance(packed, list) else [packed]
    packed = {number: body for group in groups for number, body in group.items()}
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, tuple[int, int, int]] = {}
    for number, body in direct.items():
        offsets[number] = (1, out.tell(), 0)
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    for number, (entries, data) in streams.items():
        offsets[number] = (1, out.tell(), 0)
        out.write(b"%d 0 obj\n<< %s /Length %d >>\nstream\n" % (number, entries, len(data))
                  + data + b"\nendstream\nendobj\n")
    objstm = max([*direct, *packed, *streams, 0])
    for group in groups:
        if not group:
            continue
        objstm += 1
        header, bodies = [], b""
        for i, (number, body) in enumerate(group.items()):
            header.append(b"%d %d" % (number, len(bodies)))
            offsets[number] = (2, objstm, i)
            bodies += body + b"\n"
        first = b" ".join(header) + b"\n"
        data = zlib.compress(first + bodies, 9)
        offsets[objstm] = (1, out.tell(), 0)
        out.write(b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode "
                  b"/Length %d >>\nstream\n" % (objstm, len(group), len(first), len(data))
                  + data + b"\nendstream\nendobj\n")
    xref = objstm + 1
    offsets[xref] = (1, out.tell(), 0)
    rows = b""
    for number in range(xref + 1):
        kind, a, b = offsets.get(number, (0, 0, 0))
        rows += bytes([kind]) + a.to_bytes(4, "big") + b.to_bytes(2, "big")
    data = zlib.compress(rows, 9)
    start = out.tell()
    out.write(b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Filter /FlateDecode "
              b"/Length %d >>\nstream\n" % (xref, xref + 1, len(data)) + data
              + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % start)
    return out.getvalue()


CATALOG = b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles 3 0 R >> >>"
PAGES = b"<< /Type /Pages /Kids [] /Count 0 >>"


def attachment_tree_pdf(repeats: int, entries: int) -> bytes:
    """The name tree of the issue: its root lists the same child `repeats` times, the child
    holds `entries` names (each a file specification with nothing inside)."""
    kids = b"<< /Kids [" + b"4 0 R " * repeats + b"] >>"
    names = b"<< /Names [" + b"(a)5 0 R " * entries + b"] >>"
    spec = b"<< /Type /Filespec /F (a.txt) >>"
    return pdf_with_objects({1: CATALOG, 2: PAGES}, [{3: kids}, {4: names, 5: spec}])


def deep_pdf(depth: int) -> bytes:
    """A name tree `depth` levels deep, one kid at each level."""
    packed = {3 + i: b"<< /Kids [%d 0 R] >>" % (4 + i) for i in range(depth)}
    packed[3 + depth] = b"<< /Names [] >>"
    return pdf_with_objects({1: CATALOG, 2: PAGES}, packed)


def loop_pdf() -> bytes:
    """A name tree whose nodes name each other and themselves as kids."""
    return pdf_with_objects({1: CATALOG, 2: PAGES}, {
        3: b"<< /Kids [3 0 R 4 0 R 3 0 R] >>", 4: b"<< /Kids [3 0 R 4 0 R] >>"})


def huge_array_pdf(n: int) -> bytes:
    """One leaf holding `n` names, and a catalog with an `n`-element array besides."""
    return pdf_with_objects({1: CATALOG, 2: PAGES}, {
        3: b"<< /Names [" + b"(a)4 0 R " * n + b"] >>",
        4: b"<< /Type /Filespec /F (a.txt) /Junk [" + b"0 " * n + b"] >>"})


def answers_pdf(key: bytes, filename: bytes, before: int = 0) -> bytes:
    """A PDF with answers.json embedded under the name-tree key `key` and the file name
    `filename`, after `before` other attachments."""
    names = b"".join(b"(f%d) 4 0 R " % i for i in range(before))
    return pdf_with_objects(
        {1: CATALOG, 2: PAGES},
        {3: b"<< /Names [" + names + b"(" + key + b") 5 0 R] >>",
         4: b"<< /Type /Filespec /F (other.txt) >>",
         5: b"<< /Type /Filespec /F (" + filename + b") /UF (" + filename + b") "
            b"/EF << /F 6 0 R >> >>"},
        {6: (b"/Type /EmbeddedFile", ANSWERS)})


def timed_read(data: bytes):
    """(the answers or the AnswersError, CPU seconds this thread spent reading `data`)."""
    started = time.thread_time()
    try:
        result = savefile.read(data, strict=True)
    except AnswersError as e:
        result = e
    return result, time.thread_time() - started


HOSTILE = {
    "tree-100x50000": lambda: attachment_tree_pdf(100, 50_000),
    "tree-100000x50000": lambda: attachment_tree_pdf(100_000, 50_000),
    "deep-5000": lambda: deep_pdf(5000),
    "deep-200": lambda: deep_pdf(200),
    "loop": loop_pdf,
    "huge-array-100000": lambda: huge_array_pdf(100_000),
    "huge-array-1MB": lambda: pdf_with_objects({1: CATALOG, 2: PAGES}, [
        {3: b"<< /Names [] /Junk [" + b"0 " * 500_000 + b"] >>"}]),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_pdf_is_refused_well_under_a_second(name):
    data = HOSTILE[name]()
    assert len(data) <= savefile.MAX_BYTES
    result, seconds = timed_read(data)
    assert isinstance(result, AnswersError), result
    assert seconds < LIMIT, f"{name}: {seconds:.2f} s"


def test_the_issue_pdfs_are_as_small_as_reported():
    assert len(attachment_tree_pdf(100, 50_000)) < 2000
    assert len(attachment_tree_pdf(100_000, 50_000)) < 3000


@pytest.mark.parametrize("key,filename", [
    (b"answers.json", b"answers.json"),  # as we write it
    (b"renamed-key", b"answers.json"),  # found by its file name
    (b"answers.json", b"something-else.txt"),  # or by its key, as before
])
def test_answers_json_is_found_by_its_file_name_or_its_key(key, filename):
    result, seconds = timed_read(answers_pdf(key, filename, before=3))
    assert not isinstance(result, AnswersError), result
    assert result.to_dict()["purpose"] == "initial"
    assert seconds < LIMIT


def test_our_own_pdf_still_reads_back():
    from webapp import pdf
    from webapp.rules import assess, parse_answers
    from webapp.sheet import InstructionSheet

    answers = build_answers("in_canada")
    body = pdf.render(InstructionSheet.build(assess(parse_answers(answers)), "fr"), answers)
    result, seconds = timed_read(body)
    assert not isinstance(result, AnswersError), result
    assert result.to_dict()["residence"] == "canada_outside_quebec"
    assert seconds < LIMIT


def test_the_resume_route_refuses_the_tree_in_under_a_second():
    from webapp import create_app

    client = create_app("test").test_client()
    body = attachment_tree_pdf(100_000, 50_000)
    started = time.thread_time()  # the test client runs the app in this thread
    response = client.post("/fr/resume", data={"answers_file": (io.BytesIO(body), "x.pdf")},
                           content_type="multipart/form-data")
    assert time.thread_time() - started < LIMIT
    assert response.status_code == 400
    assert "PDF" in response.get_data(as_text=True)


def test_the_cli_refuses_the_tree_in_under_a_second(tmp_path):
    evil = tmp_path / "evil.pdf"
    evil.write_bytes(attachment_tree_pdf(100_000, 50_000))
    good = tmp_path / "good.json"
    good.write_bytes(ANSWERS)
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "webapp.cli", "assess", str(evil), str(good)],
                          capture_output=True, text=True, timeout=30, cwd=ROOT)
    seconds = time.monotonic() - started
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert done.returncode == 2 and not done.stderr
    assert lines[0]["file"] == str(evil) and lines[0]["error"]
    assert lines[1]["outcome"]
    assert seconds < 5  # a fresh Python process, its imports included
