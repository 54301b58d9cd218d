"""Write tests/corpus/uploads/: malformed files someone could upload to "Come back to a saved
file" (POST /<lang>/resume), each small and named for what it is, and `expected.json`, which says
for each one what the start page must say is wrong (read by tests/test_fuzz_uploads.py).

    python3 tests/corpus/make_uploads.py          # (re)write the corpus
    python3 tests/corpus/make_uploads.py --check  # exit 1 if the files on disk differ

Every file is built here from bytes, so running the script again gives the same files: the PDFs
are written by the small writer below (not by ReportLab or pypdf, whose output carries dates and
random ids), except the password-protected one, which pypdf encrypts with its randomness pinned.
Problem kinds ("problem" in expected.json) are the messages of webapp.savefile / parse_answers:

    empty, neither (not JSON, not PDF), not_json, not_object, other_tool, wrong_version,
    field:<dotted field> (a wrong answer), pdf_damaged, pdf_password, pdf_foreign,
    pdf_answers_damaged (the embedded answers.json is not JSON), too_large; and `restores`: a
    damaged PDF that pypdf repairs, whose answers (GOOD below) must come back whole. "a|b" means
    either message is right (an embedded file inflating past the limit is "damaged" when pypdf
    stops inflating it, "larger than 1 MB" when savefile measures it).
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import sys
import zipfile
import zlib
from pathlib import Path
from unittest import mock

HERE = Path(__file__).resolve().parent / "uploads"
MB = 1024 * 1024

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests/, run as a script
from conftest import BASES  # noqa: E402

GOOD = BASES["outside"]  # an eligible first application, as of 2024-11-15
GOOD_JSON = json.dumps(GOOD, indent=2).encode("utf-8")


# ------------------------------------------------------------------ a minimal PDF writer

def stream(entries: bytes, data: bytes) -> bytes:
    return (b"<< " + entries + b" /Length %d >>\nstream\n" % len(data) + data
            + b"\nendstream")


def flate(data: bytes, times: int = 1) -> bytes:
    for _ in range(times):
        data = zlib.compress(data, 9)
    return data


def flate_zeros(size: int, times: int = 1) -> bytes:
    """`size` zero bytes deflated `times` times, without holding them all in memory."""
    packer, chunk = zlib.compressobj(9), bytes(MB)
    parts = [packer.compress(chunk) for _ in range(size // MB)]
    parts.append(packer.compress(bytes(size % MB)))
    parts.append(packer.flush())
    return flate(b"".join(parts), times - 1)


def pdf(objects: list[bytes], trailer: bytes = b"/Root 1 0 R", xref_offsets=None) -> bytes:
    """A PDF 1.7 file of `objects` (object n is objects[n - 1]), with a classic xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    if xref_offsets is not None:
        offsets = xref_offsets(offsets)
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d " % (len(objects) + 1) + trailer + b" >>\n"
    out += b"startxref\n%d\n%%%%EOF\n" % start
    return bytes(out)


PAGE_OBJECTS = [
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
    stream(b"/Filter /FlateDecode", flate(b"BT /F1 12 Tf 72 720 Td (Instruction sheet) Tj ET")),
]


def with_attachments(files: list[tuple[bytes, bytes, bytes]], names_tree: bytes | None = None,
                     catalog_extra: bytes = b"") -> bytes:
    """A one-page PDF with embedded files: (name, stream entries, stream data) each, listed in
    the catalogue's /Names /EmbeddedFiles name tree (object 5), as webapp/pdf.py writes them."""
    objects = [b"", *PAGE_OBJECTS, b""]
    names = []
    for name, entries, data in files:
        spec, body = len(objects) + 1, len(objects) + 2
        objects.append(b"<< /Type /Filespec /F (%s) /UF (%s) /EF << /F %d 0 R >> >>"
                       % (name, name, body))
        objects.append(stream(b"/Type /EmbeddedFile /Subtype /application#2Fjson " + entries,
                              data))
        names.append(b"(%s) %d 0 R" % (name, spec))
    objects[4] = names_tree or b"<< /Names [" + b" ".join(names) + b"] >>"
    objects[0] = (b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles 5 0 R >> "
                  + catalog_extra + b">>")
    return pdf(objects)


def answers_pdf(content: bytes = GOOD_JSON, name: bytes = b"answers.json") -> bytes:
    return with_attachments([(name, b"/Filter /FlateDecode", flate(content))])


def no_attachment_pdf() -> bytes:
    return pdf([b"<< /Type /Catalog /Pages 2 0 R >>", *PAGE_OBJECTS])


def encrypted(data: bytes, user_password: str) -> bytes:
    from pypdf import PdfWriter

    with mock.patch("secrets.token_bytes", lambda n: bytes(range(n))):
        writer = PdfWriter(clone_from=io.BytesIO(data))
        writer.encrypt(user_password, "owner-password", algorithm="AES-256")
        out = io.BytesIO()
        writer.write(out)
    return out.getvalue()


# ------------------------------------------------------------------ the corpus

def corpus() -> dict[str, tuple[bytes, str, str]]:
    """file name -> (bytes, problem kind, what the file is)."""
    good_pdf = answers_pdf()
    xref = good_pdf.rindex(b"xref\n")
    files: dict[str, tuple[bytes, str, str]] = {}

    def add(name: str, data: bytes, problem: str, what: str) -> None:
        assert name not in files and len(data) <= MB, name
        files[name] = (data, problem, what)

    # ---- not JSON, not PDF
    add("empty.json", b"", "empty", "a file of zero bytes")
    add("whitespace-only.json", b" \r\n\t \n" * 50, "empty", "spaces, tabs and newlines only")
    add("nul-bytes.bin", bytes(4096), "not_json", "4 KB of NUL bytes (valid UTF-8, not JSON)")
    add("invalid-utf8.json", b'{"purpose": "initial\xff\xfe"}', "neither",
        "JSON with bytes that are not UTF-8")
    add("overlong-utf8-slash.json", b'{"purpose": "\xc0\xafinitial"}', "neither",
        "an overlong UTF-8 encoding of '/', which decoders must refuse")
    add("html-page.html", b"<!doctype html>\n<html lang=en><head><title>answers</title></head>"
        b"<body><pre>{\"format\": \"impplus-answers/1\"}</pre></body></html>\n", "not_json",
        "an HTML page (a saved browser tab) instead of the file")
    add("png-image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01"
        b"\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\nIDATx\x9cc\x00\x01\x00\x00\x05\x00"
        b"\x01\r\n-\xb4\x00\x00\x00\x00IEND\xaeB`\x82", "neither", "a 1x1 PNG image")
    add("gzipped-answers.json.gz", gzip.compress(GOOD_JSON, mtime=0), "neither",
        "a valid answers file, gzipped")
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("answers.json", (1980, 1, 1, 0, 0, 0)), GOOD_JSON)
    add("zipped-answers.zip", zipped.getvalue(), "neither", "a valid answers file in a zip")

    # ---- JSON that is not an answers file
    add("json-truncated.json", GOOD_JSON[:len(GOOD_JSON) // 2], "not_json",
        "a valid answers file cut in the middle")
    add("json-double-bom.json", b"\xef\xbb\xbf\xef\xbb\xbf" + GOOD_JSON, "not_json",
        "two UTF-8 byte order marks before a valid file (one is allowed)")
    add("json-utf16-with-bom.json", GOOD_JSON.decode().encode("utf-16"), "neither",
        "a valid answers file saved as UTF-16 with a BOM")
    add("json-utf16le-no-bom.json", GOOD_JSON.decode().encode("utf-16-le"), "not_json",
        "a valid answers file saved as UTF-16 LE without a BOM (NULs between the characters)")
    add("json-utf32.json", GOOD_JSON.decode().encode("utf-32"), "neither",
        "a valid answers file saved as UTF-32")
    add("json-nested-100000-brackets.json", b"[" * 100_000, "not_json",
        "100,000 '[' (recursion in the JSON decoder)")
    add("json-nested-20000-objects.json", b'{"a":' * 20_000, "not_json",
        "20,000 nested objects, unclosed")
    add("json-nested-5000-in-purpose.json",
        b'{"format": "impplus-answers/1", "purpose": ' + b"[" * 5000 + b"]" * 5000 + b"}",
        "not_json", "a closed nest 5,000 deep in an answer (deeper than the recursion limit)")
    add("json-integer-5000-digits.json",
        b'{"format": "impplus-answers/1", "purpose": ' + b"7" * 5000 + b"}", "not_json",
        "an integer longer than Python's int/str digit limit (4300)")
    add("json-integer-4000-digits.json",
        b'{"format": "impplus-answers/1", "purpose": ' + b"7" * 4000 + b"}", "field:purpose",
        "an integer of 4,000 digits where a choice is expected")
    add("json-float-1e999.json",
        b'{"format": "impplus-answers/1", "assessment_date": 1e999}', "field:assessment_date",
        "a number that overflows to infinity where a date is expected")
    add("json-nan-infinity.json",
        b'{"format": "impplus-answers/1", "purpose": NaN, "residence": Infinity, '
        b'"passport_expiry": -Infinity}', "field:purpose",
        "NaN and Infinity, which Python's decoder accepts and JSON does not have")
    add("json-duplicate-keys.json",
        b'{"format": "impplus-answers/1", "purpose": "initial", "purpose": "renewal"}',
        "field:purpose", "the same key twice, the last one wrong (the last one wins)")
    add("json-top-level-array.json", b"[" + GOOD_JSON + b"]", "not_object",
        "a valid answers object inside an array")
    add("json-top-level-string.json", b'"impplus-answers/1"', "not_object", "a JSON string")
    add("json-null.json", b"null", "not_object", "JSON null")
    add("json-other-tool.json", b'{"version": 3, "theme": "dark", "answers": [1, 2]}',
        "other_tool", "another tool's settings file")
    add("json-wrong-version.json", json.dumps({**GOOD, "format": "impplus-answers/2"}).encode(),
        "wrong_version", "an answers file of a format version this tool does not read")
    add("json-every-field-wrong.json", json.dumps({
        "format": "impplus-answers/1", "assessment_date": "2025-02-30", "purpose": "renewal",
        "residence": 3, "holds_r206_permit": "no", "csq": [], "pr_application": {"status": 1},
        "invitation": {"dated": "15/01/2025"}, "channel": None,
        "current_permit_code": "A" * 65}).encode(), "field:assessment_date",
        "every kind of wrong answer at once (all are listed, the first one first)")
    add("json-lone-surrogate-in-answer.json",
        b'{"format": "impplus-answers/1", "purpose": "\\ud800"}', "field:purpose",
        "a lone UTF-16 surrogate (\\ud800, legal JSON, not encodable as UTF-8) in a wrong "
        "answer, which the message quotes")
    add("json-lone-surrogate-in-permit-code.json", json.dumps({
        "format": "impplus-answers/1", "assessment_date": "2025-06-01", "purpose": "extension",
        "current_permit_code": "A76\udfff", "current_permit_expiry": "2026-01-01",
        "pr_application": {"submitted": True, "submitted_on": "2024-02-01",
                           "status": "in_progress"}}).encode(), "field:current_permit_code",
        "a lone surrogate in the free-text permit code, which the parser accepts as is")
    add("json-64k-string.json",
        json.dumps({"format": "impplus-answers/1", "purpose": "x" * 65536}).encode(),
        "field:purpose", "a 64 KB string where a choice is expected (the message shortens it)")
    add("json-with-comments.json", b"// my answers\n" + GOOD_JSON, "not_json",
        "JSON with a comment line")
    add("json-trailing-comma.json", GOOD_JSON[:-2] + b",\n}", "not_json",
        "JSON with a trailing comma")
    add("json-then-pdf-polyglot.json", GOOD_JSON + b"\n" + good_pdf, "neither",
        "a valid answers file followed by a whole PDF (JSON first; the PDF's binary comment "
        "line is not UTF-8)")
    add("worked-example-wrong-inside.json",
        b'{"answers": {"purpose": "renewal"}, "expect": {"outcome": "eligible"}}',
        "field:purpose", "a worked example ({answers, expect}) whose answers are wrong")

    # ---- PDFs
    add("pdf-header-only.pdf", b"%PDF-1.7\n", "pdf_damaged", "the PDF header and nothing else")
    add("pdf-truncated-half.pdf", good_pdf[:len(good_pdf) // 2], "pdf_damaged",
        "a PDF with answers inside, cut in the middle of the embedded file")
    add("pdf-cut-in-xref.pdf", good_pdf[:xref + 40], "restores",
        "a PDF cut inside its cross-reference table (no trailer, no startxref): every object "
        "is before the cut, pypdf rebuilds the table and the answers come back")
    add("pdf-startxref-to-nowhere.pdf",
        good_pdf.replace(b"startxref\n%d" % xref, b"startxref\n%d" % (10 * len(good_pdf))),
        "restores", "startxref pointing past the end of the file (pypdf rebuilds the table)")
    add("pdf-xref-prev-loop.pdf", good_pdf.replace(b"/Root 1 0 R", b"/Root 1 0 R /Prev %d" % xref),
        "restores", "a trailer whose /Prev points at its own cross-reference table")
    add("pdf-no-objects.pdf", b"%PDF-1.4\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n", "pdf_damaged",
        "a header and a trailer whose /Root does not exist")
    add("pdf-then-json-polyglot.pdf", b"%PDF-1.7\n" + GOOD_JSON, "pdf_damaged",
        "a PDF header followed by a valid answers file (PDF first)")
    add("pdf-no-attachment.pdf", no_attachment_pdf(), "pdf_foreign",
        "a well-formed one-page PDF made by someone else")
    add("pdf-attachment-other-name.pdf", answers_pdf(name=b"notes.json"), "pdf_foreign",
        "valid answers embedded as notes.json, not answers.json")
    add("pdf-attachment-not-json.pdf", answers_pdf(b"Dear applicant,\nthank you.\n"),
        "pdf_answers_damaged", "answers.json that is plain text")
    add("pdf-attachment-utf16-bom.pdf", answers_pdf(b"\xff\xfe" + b"{\x00"),
        "pdf_answers_damaged", "answers.json of a UTF-16 BOM and half a brace")
    add("pdf-attachment-wrong-answers.pdf", answers_pdf(b'{"purpose": "renewal"}'),
        "field:purpose", "answers.json with a wrong answer")
    add("pdf-attachment-other-tool.pdf", answers_pdf(b'{"theme": "dark"}'), "other_tool",
        "answers.json of another tool")
    add("pdf-attachment-bad-deflate.pdf", with_attachments(
        [(b"answers.json", b"/Filter /FlateDecode", b"x\x9c" + bytes(range(7, 200)))]),
        "pdf_answers_damaged", "answers.json whose deflate stream is corrupt")
    add("pdf-attachment-5mb-inflated.pdf", answers_pdf(b" " * (5 * MB) + GOOD_JSON),
        "too_large|pdf_damaged", "answers.json of 5 MB once inflated (5 KB in the file)")
    add("pdf-attachment-zip-bomb.pdf", with_attachments(
        [(b"answers.json", b"/Filter [/FlateDecode /FlateDecode]", flate_zeros(96 * MB, 2))]),
        "pdf_damaged|too_large", "answers.json deflated twice: 96 MB of NULs from a few hundred bytes "
        "(pypdf stops at its 75 MB limit)")
    add("pdf-attachment-4x20mb-bombs.pdf", with_attachments(
        [(b"answers.json", b"/Filter [/FlateDecode /FlateDecode]", flate_zeros(20 * MB, 2))] * 4),
        "too_large|pdf_damaged", "four embedded files all named answers.json, each 20 MB of NULs once "
        "inflated (pypdf inflates every one)")
    add("pdf-attachment-declared-length-huge.pdf",
        answers_pdf().replace(b"/Length ", b"/Length 999999999999 /X ", 1), "pdf_damaged",
        "an embedded file declaring a /Length of a terabyte")
    add("pdf-names-tree-loop.pdf", with_attachments(
        [(b"answers.json", b"/Filter /FlateDecode", flate(GOOD_JSON))],
        names_tree=b"<< /Kids [5 0 R] >>"), "pdf_foreign",
        "an /EmbeddedFiles name tree whose only kid is itself")
    add("pdf-nested-arrays.pdf", with_attachments(
        [(b"answers.json", b"/Filter /FlateDecode", flate(GOOD_JSON))],
        catalog_extra=b"/Deep " + b"[" * 20_000 + b"]" * 20_000 + b" "), "pdf_damaged",
        "20,000 nested arrays in the catalogue")
    add("pdf-encrypted.pdf", encrypted(good_pdf, "secret"), "pdf_password",
        "a PDF with answers inside, protected by a password (AES-256)")
    add("pdf-encrypted-empty-user-password.pdf", encrypted(good_pdf, ""), "pdf_password",
        "encrypted with an empty user password (opens without asking, still encrypted)")
    return files


def expected(files) -> bytes:
    data = {name: {"problem": problem, "what": what}
            for name, (_data, problem, what) in sorted(files.items())}
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="compare with the files on disk instead of writing them")
    args = parser.parse_args(argv)
    files = corpus()
    wanted = {name: data for name, (data, _p, _w) in files.items()}
    wanted["expected.json"] = expected(files)
    if args.check:
        on_disk = {p.name: p.read_bytes() for p in HERE.iterdir() if p.is_file()}
        differ = sorted(n for n in set(wanted) | set(on_disk) if wanted.get(n) != on_disk.get(n))
        for name in differ:
            print(f"differs: {name}", file=sys.stderr)
        return 1 if differ else 0
    HERE.mkdir(parents=True, exist_ok=True)
    for old in HERE.iterdir():
        if old.is_file() and old.name not in wanted:
            old.unlink()
    for name, data in wanted.items():
        (HERE / name).write_bytes(data)
    print(f"{len(files)} files in {HERE} ({sum(len(d) for d in wanted.values()):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
