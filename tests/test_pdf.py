"""The PDF instruction sheet (webapp.pdf), read back the way a person or a program reads it.

Text is extracted with pypdf. Three things about that extraction, checked here rather than
assumed:
- Typst maps U+00A0 (no-break space) back to itself, so "155\u00a0$" is read back exactly; the
  exact values (entries, dates, amounts) are compared as written, NBSP included, and must be
  found whole within one line of the text: copied out, they are what was written, never broken.
  Comparisons of running text normalise NBSP (and any run of whitespace) to one space.
- A table row is read as one line, its cells in order separated by a space ("Assessed as of
  November 15, 2024"), and so is the page footer ("IMP+ Check – … Page 1 of 3"), unless a cell
  wraps: then its lines follow one another.
- A long word that does not fit its column (the manual's URL) is broken across lines, so the
  URL is looked for in the text with the line ends removed, and as a link annotation.
"""

from __future__ import annotations

import gc
import io
import json
import uuid
import random
import re
from datetime import date, datetime, timezone

import pytest
from babel.dates import get_month_names
from babel.messages.pofile import read_po
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from conftest import BASES, ROOT, EXAMPLES, build_answers, load_scenarios
from webapp import pdf, savefile
from webapp.cli import main
from webapp.i18n import localize
from webapp.report import report
from webapp.rules import assess, msg, parse_answers
from webapp.rules.sources import MANUAL
from webapp.sheet import InstructionSheet

EXAMPLE_NAMES = sorted(p.stem for p in EXAMPLES.glob("*.json"))
FONT_DIR = ROOT / "webapp" / "fonts"
PO_FILE = ROOT / "translations" / "fr" / "LC_MESSAGES" / "messages.po"

EN_DASH = "\u2013"
NBSP = "\u00a0"
JOB_TITLE = "CSQ holder outside Quebec \u2013 OWP"
OPEN_WORK_PERMIT = "Open Work Permit"
DUTIES = "A76: International Mobility Program Plus"
ENVELOPE = "International Mobility Program Plus \u2013 A76 cap"
REFERENCE_ONLY = msg("You do not meet every criterion: these entries and this checklist are "
                     "for reference only.")
NOW = datetime(2025, 1, 16, 12, tzinfo=timezone.utc)  # a fixed date, for byte comparisons
PAGE_OF = {"en": "Page {page} of {pages}", "fr": "Page {page} sur {pages}"}


# --- helpers ---------------------------------------------------------------------------------

def example(name: str) -> dict:
    """The answers of a worked example in shared/examples."""
    return json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))["answers"]


def norm(text: str) -> str:
    """Whitespace runs (NBSP and line ends included) as one space."""
    return re.sub(r"\s+", " ", text.replace(NBSP, " ")).strip()


class Made:
    """A rendered sheet and what pypdf reads back from it."""

    def __init__(self, answers: dict, lang: str, on: date | None = None):
        self.answers = answers
        self.lang = lang
        self.assessment = assess(parse_answers(answers), on)
        self.sheet = InstructionSheet.build(self.assessment, lang)
        self.report = report(self.assessment, lang)
        self.bytes = pdf.render(self.sheet, parse_answers(answers).to_dict())
        self.reader = PdfReader(io.BytesIO(self.bytes))
        self.pages = [page.extract_text() for page in self.reader.pages]
        self.lines = [line.strip() for text in self.pages for line in text.splitlines()]
        self.footer = localize(msg("IMP+ Check – not IRCC, not MIFI, not legal advice"), lang)
        page_line = re.compile(re.escape(self.footer) + " " + PAGE_OF[lang].format(
            page=r"\d+", pages=r"\d+"))
        #: the text without the page footers, so a paragraph split by a page end reads on
        self.body = norm(" ".join(line for line in self.lines if not page_line.fullmatch(line)))

    def on_one_line(self, value: str) -> bool:
        """`value` is found whole, exactly as written (NBSP and en dash included), within one
        line of the extracted text: copied out of the PDF, it is what was written."""
        return any(value in line for line in self.lines)


_MADE: dict = {}


def made(answers: dict, lang: str, on: date | None = None) -> Made:
    key = (json.dumps(answers, sort_keys=True), lang, on)
    if key not in _MADE:
        _MADE[key] = Made(answers, lang, on)
    return _MADE[key]


def outline_items(reader: PdfReader, items=None, depth: int = 0):
    """(depth, title, page index, destination) of every outline item, in document order."""
    for item in reader.outline if items is None else items:
        if isinstance(item, list):
            yield from outline_items(reader, item, depth + 1)
        else:
            yield depth, item.title, reader.get_destination_page_number(item), item


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def embedded(pdf_bytes: bytes) -> dict:
    files = PdfReader(io.BytesIO(pdf_bytes)).attachments
    assert list(files) == ["answers.json"]
    return json.loads(files["answers.json"][0])


E01 = example("e01_outside_canada_eligible")                      # as of 2024-11-15
E02 = example("e02_in_canada_with_pr_eligible")                   # as of 2024-07-15
E04 = example("e04_today_window_closed")                          # no date: fixed below
E04_ON = date(2025, 6, 1)
PAPER = build_answers("outside", {"channel": "paper"})
DATE_WRITTEN = {"en": "November 15, 2024", "fr": "15\u00a0novembre\u00a02024"}

ELIGIBLE_CASES = {
    "e01": (E01, "IMM 1295", [OPEN_WORK_PERMIT, JOB_TITLE, DUTIES]),
    "e02_imm5710": (E02, "IMM 5710", [OPEN_WORK_PERMIT, JOB_TITLE, DUTIES]),
    "paper": (PAPER, "IMM 1295", [OPEN_WORK_PERMIT, JOB_TITLE, DUTIES, ENVELOPE]),
}


# --- 1. the entries to type, character for character, each on one line ------------------------

@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("case", list(ELIGIBLE_CASES))
def test_field_entries_are_in_the_text_exactly_on_one_line(case, lang):
    answers, form, expected = ELIGIBLE_CASES[case]
    m = made(answers, lang)
    assert m.report["outcome"] == "eligible"
    assert m.report["form"] == form
    values = [e["value"] for e in m.report["field_entries"]]
    assert set(expected) <= set(values)  # so the loop below cannot pass on an empty list
    assert {e["form"] for e in m.report["field_entries"]} <= {form, "envelope"}
    for value in values:
        assert m.on_one_line(value), (value, m.lines)
        assert value in m.lines  # the cell holds nothing else
    assert EN_DASH in JOB_TITLE and "-" not in JOB_TITLE
    job_lines = [line for line in m.lines if "CSQ holder outside Quebec" in line]
    assert job_lines and all(f"Quebec {EN_DASH} OWP" in line for line in job_lines)
    assert any(line == form for line in m.lines)  # the heading of the entries' table


def test_paper_channel_has_the_envelope_heading_and_text():
    for lang, heading in (("en", "On the envelope"), ("fr", "Sur l’enveloppe")):
        m = made(PAPER, lang)
        envelope = [e for e in m.report["field_entries"] if e["form"] == "envelope"]
        assert [e["value"] for e in envelope] == [ENVELOPE]
        assert heading in m.lines
        assert ENVELOPE in m.lines and EN_DASH in ENVELOPE


def test_online_channel_has_no_envelope_text():
    assert not made(E01, "en").on_one_line(ENVELOPE)


# --- 2. the content of the sheet ---------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "fr"])
def test_sheet_text_holds_verdict_summary_criteria_checklist(lang):
    m = made(E01, lang)
    s = m.sheet
    assert m.lines[0].startswith({"en": "IMP+ Check – instruction sheet and checklist",
                                  "fr": "Vérif PMI+ – fiche d’instructions"}[lang])
    assert s.heading == {"en": "You are eligible", "fr": "Vous êtes admissible"}[lang]
    assert s.heading in m.lines
    assert norm(m.report["summary"]) in m.body
    assert s.day("2024-11-15") == DATE_WRITTEN[lang]
    # the key fact, whole on one line and read right after its label
    assert m.on_one_line(DATE_WRITTEN[lang])
    label, value = s.facts[0]
    assert value == DATE_WRITTEN[lang] and f"{label} {value}" in m.lines
    assert len(m.report["criteria"]) >= 8
    for c in m.report["criteria"]:
        assert norm(c["reason"])[:40] in m.body, c["id"]
        assert norm(c["reason"]) in m.body, c["id"]
    assert len(m.report["checklist"]) >= 3
    for d in m.report["checklist"]:
        assert f"\u2610 {norm(d['text'])}" in m.body, d["id"]
        assert norm(d["proves"]) in m.body, d["id"]
    for label, value in s.facts:
        assert norm(label) in m.body and norm(value) in m.body


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_page_says_page_n_of_total(lang):
    m = made(E01, lang)
    total = len(m.pages)
    assert total >= 2
    for i, text in enumerate(m.pages):  # the footer's two sides, read as one line
        last = text.strip().splitlines()[-1]
        assert last == f"{m.footer} {PAGE_OF[lang].format(page=i + 1, pages=total)}"


@pytest.mark.parametrize("lang, amounts, total", [
    ("en", ["$155", "$100", "$85", "$170"], "$340"),
    ("fr", [f"155{NBSP}$", f"100{NBSP}$", f"85{NBSP}$", f"170{NBSP}$"], f"340{NBSP}$"),
])
def test_fees_are_printed_on_one_line_each(lang, amounts, total):
    m = made(E01, lang)
    assert [f["text"] for f in m.report["fees"]] == amounts
    assert m.sheet.fee_total == total
    for f in m.report["fees"]:  # each row on one line, the amount whole, its NBSP kept
        assert m.on_one_line(f["text"])
        assert f"{f['label']} {f['text']}" in m.lines
    assert m.on_one_line(total)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_manual_url_is_printed_and_linked(lang):
    m = made(E01, lang)
    assert MANUAL.startswith("https://")
    assert MANUAL in "".join(m.lines)  # broken across lines, but every character is there
    links = [annot.get_object()["/A"]["/URI"]
             for page in m.reader.pages for annot in page.get("/Annots", [])
             if annot.get_object().get("/Subtype") == "/Link"]
    assert MANUAL in links


def fonts_drawing_text(reader: PdfReader) -> set[str]:
    """/BaseFont of every font that a BT … ET block showing text (Tj, TJ, ', ") selects."""
    used = set()
    for page in reader.pages:
        fonts = {name[1:]: font.get_object()["/BaseFont"]
                 for name, font in page["/Resources"]["/Font"].items()}
        stream = page.get_contents().get_data().decode("latin-1")
        for block in re.findall(r"\bBT\b(.*?)\bET\b", stream, re.S):
            if re.search(r"(\)|>|\])\s*(Tj|TJ|'|\")", block):
                used.update(fonts[name] for name in re.findall(r"/(\S+)\s+[\d.]+\s+Tf", block))
    return used


def test_text_is_drawn_in_the_embedded_fonts_only():
    m = made(E01, "en")
    used = {name.split("+")[-1] for name in fonts_drawing_text(m.reader)}
    assert used == {"DejaVuSans", "DejaVuSans-Bold", "DejaVuSansMonoLatin"}
    for page in m.reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if "DejaVu" in font["/BaseFont"]:  # a Type0 font: its glyphs are its CID font's
                assert font["/Subtype"] == "/Type0"
                descendant = font["/DescendantFonts"][0].get_object()
                assert "/FontFile2" in descendant["/FontDescriptor"].get_object()
                assert "/ToUnicode" in font


def test_bullets_are_drawn_in_an_embedded_font():
    m = made(E01, "en")
    assert "Good to know" in m.lines  # the section drawn with "•" bullets
    assert all("DejaVu" in name for name in fonts_drawing_text(m.reader))
    text = "".join(m.pages)
    assert "\u2022 At most 7,350 A76 applications" in text and "\x7f" not in text


# --- 3. French typography ----------------------------------------------------------------------

def test_french_typography_survives():
    m = made(E01, "fr")
    text = "\n".join(m.pages)
    for char in ("’", "«", "»", "é", "è", "à", "ç", "É"):
        assert char in text, char
    assert "'" not in text  # every apostrophe of the French catalogue is ’
    assert "« Details of intended work in Canada »" in m.body
    assert "“" in "\n".join(made(E01, "en").pages)


# --- 4. the embedded answers -------------------------------------------------------------------

@pytest.mark.parametrize("name", ["e01_outside_canada_eligible", "e02_in_canada_with_pr_eligible"])
def test_embedded_answers_equal_the_input(tmp_path, capsys, name):
    out = tmp_path / "sheet.pdf"
    code, _, err = run(capsys, "sheet", EXAMPLES / f"{name}.json", "-o", out)
    assert code == 0, err
    data = embedded(out.read_bytes())
    # CONTRACT.md v2: a file without a file_id gets a random UUID, kept in the PDF
    assert str(uuid.UUID(data.pop("file_id"))) and data == parse_answers(example(name)).to_dict()
    assert data["format"] == "impplus-answers/1"


def test_the_file_id_is_made_once_and_kept(tmp_path, capsys):
    """A sheet made from a PDF keeps the file_id the first sheet made (CONTRACT.md v2)."""
    first, second = tmp_path / "first.pdf", tmp_path / "second.pdf"
    assert run(capsys, "sheet", EXAMPLES / "e01_outside_canada_eligible.json", "-o", first)[0] == 0
    assert run(capsys, "sheet", first, "-o", second)[0] == 0
    made = embedded(first.read_bytes())["file_id"]
    assert embedded(second.read_bytes())["file_id"] == made


def test_embedded_answers_carry_the_on_date(tmp_path, capsys):
    out = tmp_path / "sheet.pdf"
    code, _, err = run(capsys, "sheet", EXAMPLES / "e01_outside_canada_eligible.json",
                       "--on", "2024-12-01", "-o", out)
    assert code == 0, err
    data = embedded(out.read_bytes())
    assert data["assessment_date"] == "2024-12-01"
    data.pop("file_id")
    assert data == {**parse_answers(E01).to_dict(), "assessment_date": "2024-12-01"}
    assert "December 1, 2024" in norm("\n".join(
        p.extract_text() for p in PdfReader(out).pages))


def test_render_embeds_the_answers_given():
    answers = parse_answers(E02).to_dict()
    data = embedded(made(E02, "fr").bytes)
    assert data == answers


# --- 5. metadata and outline -------------------------------------------------------------------

@pytest.mark.parametrize("lang, title, tag", [
    ("en", "IMP+ work permit (A76): instruction sheet and checklist", "en-CA"),
    ("fr", f"Permis de travail du PMI+ (A76){NBSP}: fiche d’instructions et liste de contrôle",
     "fr-CA"),
])
def test_metadata_in_the_pdf_language(lang, title, tag):
    m = made(E01, lang)
    meta = m.reader.metadata
    assert meta.title == title
    assert meta.subject == f"{m.sheet.heading}. {m.report['summary']}"
    assert meta.subject.startswith(
        {"en": "You are eligible.", "fr": "Vous êtes admissible."}[lang])
    assert m.reader.trailer["/Root"]["/Lang"] == tag
    # The outline is there (test_outline_*); Typst sets no /PageMode (no option for it), so a
    # viewer opens the outline pane as it is set to, not because the PDF asks.
    assert "/Outlines" in m.reader.trailer["/Root"]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_author_is_the_tools_name_in_the_pdf_language(lang):
    assert made(E01, lang).reader.metadata.author == {"en": "IMP+ Check", "fr": "Vérif PMI+"}[lang]


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("member, pr, code", [("spouse", False, "C41"), ("child", False, "C46"),
                                              ("spouse", True, "C49"), ("spouse", None, None)])
def test_a_family_sheet_is_titled_for_the_family_members_permit(lang, member, pr, code):
    """Not "A76": a family member's permit has its own code, named when it is known."""
    m = made(build_answers("family", {"family_member": member, "principal.pr_submitted": pr}),
             lang)
    assert m.assessment.exemption_code == code
    title = m.reader.metadata.title
    assert "A76" not in title and "A76" not in m.lines[0]
    assert title.startswith({"en": "Work permit of a family member of an IMP+ worker",
                             "fr": "Permis de travail d’un membre de la famille"}[lang])
    assert (f"({code})" in title) == (code is not None)
    assert m.lines[0].startswith({
        "en": "IMP+ Check – instruction sheet and checklist for a family member’s open work permit",
        "fr": "Vérif PMI+ – fiche d’instructions et liste de contrôle pour le permis de travail "
              "ouvert d’un membre"}[lang])


@pytest.mark.parametrize("lang, sep", [("en", "; "), ("fr", NBSP + "; ")])
def test_sources_in_a_list_are_separated_as_the_language_writes_them(lang, sep):
    """French has a non-breaking space before the semicolon between two sources."""
    c = next(c for c in made(E01, lang).sheet.criteria_in_order if c["also"])
    drawn = pdf.cite(c, c["also"], lang)
    assert drawn == sep.join(x["citation"] for x in [c, *c["also"]])
    assert drawn.count(";") == len(c["also"])


@pytest.mark.parametrize("lang, expected", [
    ("en", ["You are eligible", "Key facts", "Your dates", "Why: criterion by criterion",
            "What to enter in the form", "Documents checklist", "Fees"]),
    ("fr", ["Vous êtes admissible", "Renseignements clés", "Vos dates",
            f"Pourquoi{NBSP}: critère par critère", "Ce qu’il faut inscrire dans le formulaire",
            "Liste de contrôle des documents", "Frais"]),
])
def test_outline_lists_the_sections_in_order(lang, expected):
    m = made(E01, lang)
    items = list(outline_items(m.reader))
    top = [title for depth, title, _, _ in items if depth == 0]
    assert top[:len(expected)] == expected
    children = [title for depth, title, _, _ in items if depth == 1]
    # the permit's conditions under "Key facts", the form's table under "What to enter…"
    assert children == [{"en": "Conditions the permit should show",
                         "fr": "Conditions que le permis devrait indiquer"}[lang], "IMM 1295"]
    pages = [page for _, _, page, _ in items]
    assert pages == sorted(pages)
    height = float(m.reader.pages[0].mediabox.height)
    for depth, title, page, dest in items:
        assert 0 <= page < len(m.reader.pages), title
        assert 0 < float(dest.top) <= height, title
        assert norm(title) in norm(m.pages[page]), (title, page)  # it lands where it is drawn


def test_outline_of_a_paper_case_in_canada_has_both_tables():
    m = made(build_answers("in_canada", {"channel": "paper"}), "en")
    items = list(outline_items(m.reader))
    assert [t for d, t, _, _ in items if d == 1] == ["Conditions the permit should show",
                                                     "IMM 5710", "On the envelope"]


# --- 6. round trip: the PDF is a save file -----------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_pdf_reads_back_as_the_answers_it_was_made_from(tmp_path, capsys, name, lang):
    source = EXAMPLES / f"{name}.json"
    out = tmp_path / f"{name}.pdf"
    code, _, err = run(capsys, "sheet", source, "--lang", lang, "-o", out)
    assert code == 0, err
    expected = savefile.read(source.read_bytes()).to_dict()
    assert expected == parse_answers(example(name)).to_dict()
    read_back = savefile.read(out.read_bytes()).to_dict()
    assert read_back.pop("file_id") and read_back == expected  # v2: a file_id is made

    code, stdout, _ = run(capsys, "assess", source, out, "--lang", lang)
    assert code == 0
    from_json, from_pdf = (json.loads(line) for line in stdout.splitlines())
    assert from_json.pop("file") == str(source) and from_pdf.pop("file") == str(out)
    assert from_pdf.pop("file_id") and from_json.pop("file_id") is None  # v2: the PDF keeps one
    assert from_pdf == from_json


# --- 7. fonts ----------------------------------------------------------------------------------

def catalogue_characters() -> set[str]:
    with PO_FILE.open("rb") as f:
        catalog = read_po(f)
    chars: set[str] = set()
    count = 0
    for message in catalog:
        if not message.id:
            continue
        count += 1
        ids = message.id if isinstance(message.id, (list, tuple)) else [message.id]
        strs = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        for text in (*ids, *strs):
            chars.update(text or "")
    assert count > 100
    for lang in ("en_CA", "fr_CA"):  # dates are written with babel's month names
        for name in get_month_names("wide", locale=lang).values():
            chars.update(name)
    return chars


FONTS = sorted(FONT_DIR.glob("*.ttf"))


def test_three_fonts_and_their_licence():
    assert [p.name for p in FONTS] == ["DejaVuSans-Bold-Latin.ttf", "DejaVuSans-Latin.ttf",
                                       "DejaVuSansMono-Latin.ttf"]
    licence = FONT_DIR / "LICENSE-DejaVu.txt"
    text = licence.read_text(encoding="utf-8")
    assert "Bitstream" in text and "DejaVu" in text


@pytest.mark.parametrize("font", FONTS, ids=lambda p: p.name)
def test_fonts_cover_the_catalogue(font):
    chars = catalogue_characters()
    assert {"’", "«", "»", "–", NBSP, "é", "û"} <= chars
    printable = {c for c in chars if c >= " "}  # a line end in a msgid is never drawn
    cmap = TTFont(font).getBestCmap()
    missing = sorted(c for c in printable if ord(c) not in cmap)
    assert not missing, [f"U+{ord(c):04X} {c!r}" for c in missing]
    for c in ("\u2610", "\u2022"):  # the checklist's box and the bullet
        assert ord(c) in cmap


# --- 8. a sheet draws the same whatever was drawn before ------------------------------------

def order_cases() -> list[tuple[str, dict, date | None, str]]:
    """Every fifth scenario of tests/scenarios and every base, in one language or both."""
    cases = []
    for param in list(load_scenarios(assessable_only=True))[::5]:
        case = param.values[0]
        on = date.fromisoformat(case["on"]) if case.get("on") else date(2025, 3, 1)
        cases.append((param.id, build_answers(case["base"], case.get("set")), on))
    cases += [(f"base:{name}", build_answers(name), date(2024, 6, 1) if name == "empty" else None)
              for name in BASES]
    out = []
    for i, (name, answers, on) in enumerate(cases):
        out.append((name, answers, on, "fr" if i % 2 else "en"))
        if i % 3 == 0:
            out.append((name, answers, on, "en" if i % 2 else "fr"))
    return out


def order_sheets() -> list[tuple[str, InstructionSheet, dict]]:
    return [(name, InstructionSheet.build(assess(parse_answers(a), on), lang),
             parse_answers(a).to_dict()) for name, a, on, lang in order_cases()]


def test_a_sheet_draws_the_same_bytes_whatever_was_drawn_before():
    """Nothing of one drawing carries over to the next: each sheet, drawn again after all the
    others in two other orders, gives the same bytes (paragraph caches shared between sheets
    once made a French line end with a stray space after some other sheet had been drawn)."""
    sheets = order_sheets()
    assert len(sheets) >= 20
    assert {s.data["outcome"] for _, s, _ in sheets} == {"eligible", "not_eligible",
                                                         "incomplete"}
    first = {(name, sheet.lang): pdf.render(sheet, answers, NOW)
             for name, sheet, answers in sheets}
    assert any(len(PdfReader(io.BytesIO(b)).pages) > 2 for b in first.values())
    for order in (list(reversed(sheets)), random.Random(76).sample(sheets, len(sheets))):
        for name, sheet, answers in order:
            assert pdf.render(sheet, answers, NOW) == first[name, sheet.lang], (name, sheet.lang)


def _marked_files() -> list[dict]:
    """Answers files full of dates and codes no text of ours holds."""
    return [
        build_answers("outside", {"csq.issued": "2023-07-19", "invitation.dated": "2024-10-17",
                                  "invitation.received_on": "2024-10-23",
                                  "passport_expiry": "2034-08-29"}),
        build_answers("outside", {"assessment_date": "2024-11-13", "passport_expiry": "2024-12-11",
                                  "invitation.dated": "2024-10-17"}),
        build_answers("in_canada", {"pr_application.submitted_on": "2024-03-13",
                                    "csq.issued": "2023-07-19", "passport_expiry": "2034-08-29"}),
        build_answers("extension", {"current_permit_code": "QZXW",
                                    "current_permit_expiry": "2027-05-11",
                                    "passport_expiry": "2036-02-27"}),
        build_answers("extension", {"current_permit_code": "QZ7X",
                                    "current_permit_expiry": "2025-09-17"}),
        build_answers("family", {"principal.permit_code": "QXWZ"}),
    ]


MARKS = ["2023-07-19", "2024-10-17", "2024-10-23", "2034-08-29", "2024-11-13", "2024-12-11",
         "2024-03-13", "2027-05-11", "2036-02-27", "2025-09-17", "QZXW", "QZ7X", "QXWZ"]


def _spellings(mark: str) -> list[str]:
    """A mark as the sheets may write it: as is, and each date in both languages."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", mark):
        return [mark]
    day = date.fromisoformat(mark)
    from webapp.i18n import format_day

    return [mark, format_day(day, "en"), format_day(day, "fr"), f"{day.day:02d}/{day.month:02d}"]


def _module_state() -> list[object]:
    """Everything reachable from the module state of the renderers (webapp.pdf, sheet, report,
    i18n, the rules): their globals, the contents of their dicts, lists, tuples and sets, and
    of their functools caches, without going into other modules."""
    import functools
    import sys
    import types

    roots = [m for name, m in sys.modules.items()
             if name == "webapp" or name.startswith("webapp.")]
    seen, out, todo = set(), [], [vars(m) for m in roots]
    containers = (dict, list, tuple, set, frozenset, functools._lru_cache_wrapper)
    while todo:
        obj = todo.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        out.append(obj)
        if isinstance(obj, types.ModuleType):
            continue
        if isinstance(obj, dict):  # gc does not list the keys of a dict of str keys
            todo += [r for r in (*obj.keys(), *obj.values())
                     if not isinstance(r, types.ModuleType)]
        elif isinstance(obj, containers) or (
                isinstance(obj, (types.FunctionType, type))
                and getattr(obj, "__module__", "").startswith("webapp")):
            todo += [r for r in gc.get_referents(obj) if not isinstance(r, types.ModuleType)]
    return out


def test_nothing_from_the_answers_is_kept_between_sheets():
    """Nothing of a sheet stays in the renderers' module state once it is drawn: after drawing
    sheets for answers full of unusual dates and codes (a code of letters only too, with no
    digit to give it away), none of them is reachable from the modules' globals or caches; and
    each mark was on a sheet, so the search could have found it."""
    drawn = []
    for answers in _marked_files():
        for lang in ("en", "fr"):
            sheet = InstructionSheet.build(assess(parse_answers(answers)), lang)
            body = pdf.render(sheet, answers)
            pages = PdfReader(io.BytesIO(body)).pages
            drawn.append(" ".join(page.extract_text() for page in pages))
    del sheet, body
    gc.collect()
    state = _module_state()
    assert len(state) > 500  # the walk reached the catalogues and the rules' tables
    kept = [o for o in state if isinstance(o, (str, date))]
    text = " ".join(drawn)
    for mark in MARKS:
        spellings = _spellings(mark)
        assert any(s in text for s in spellings), f"{mark} is on no sheet"
        day = date.fromisoformat(mark) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", mark) else None
        found = [o for o in kept if (o == day if isinstance(o, date)
                                     else any(s in o for s in spellings))]
        assert not found, f"{mark} kept between sheets: {found[:3]}"


# --- 9. the command line -----------------------------------------------------------------------

def test_cli_sheet_writes_a_pdf(tmp_path, capsys):
    out = tmp_path / "sheet.pdf"
    code, stdout, err = run(capsys, "sheet", EXAMPLES / "e01_outside_canada_eligible.json",
                            "-o", out)
    assert code == 0, err
    assert out.read_bytes().startswith(b"%PDF-")
    assert stdout == "" and err == ""


def test_cli_sheet_writes_a_calendar(tmp_path, capsys):
    out, ics = tmp_path / "sheet.pdf", tmp_path / "dates.ics"
    code, _, err = run(capsys, "sheet", EXAMPLES / "e01_outside_canada_eligible.json",
                       "-o", out, "--calendar", ics)
    assert code == 0, err
    text = ics.read_bytes().decode("utf-8")
    assert text.startswith("BEGIN:VCALENDAR") and "DTSTART;VALUE=DATE:20250123" in text
    assert out.read_bytes().startswith(b"%PDF-")


def test_cli_sheet_without_a_date_ahead_writes_no_calendar(tmp_path, capsys):
    source = tmp_path / "e04.json"
    source.write_text(json.dumps(E04))
    out, ics = tmp_path / "sheet.pdf", tmp_path / "dates.ics"
    code, _, err = run(capsys, "sheet", source, "--on", "2025-06-01", "-o", out,
                       "--calendar", ics)
    assert code == 0
    assert "No calendar file" in err
    assert out.exists() and not ics.exists()


@pytest.mark.parametrize("make", ["missing", "directory"])
def test_cli_sheet_unreadable_input(tmp_path, capsys, make):
    source = tmp_path / "nope.json"
    if make == "directory":
        source.mkdir()
    out = tmp_path / "sheet.pdf"
    code, _, err = run(capsys, "sheet", source, "-o", out)
    assert code == 2
    assert str(source) in err and "cannot be read" in err
    assert not out.exists()


def test_cli_sheet_not_json(tmp_path, capsys):
    source = tmp_path / "notes.txt"
    source.write_text("{this is not json")
    code, _, err = run(capsys, "sheet", source, "-o", tmp_path / "sheet.pdf")
    assert code == 2
    assert str(source) in err and "not a JSON file" in err
    assert not (tmp_path / "sheet.pdf").exists()


def test_cli_sheet_output_in_a_missing_directory(tmp_path, capsys):
    out = tmp_path / "no" / "such" / "sheet.pdf"
    code, _, err = run(capsys, "sheet", EXAMPLES / "e01_outside_canada_eligible.json", "-o", out)
    assert code == 2
    assert str(out) in err and "cannot write this file" in err


def test_cli_sheet_messages_in_french(tmp_path, capsys):
    source = tmp_path / "absent.json"
    code, _, err = run(capsys, "sheet", source, "--lang", "fr", "-o", tmp_path / "x.pdf")
    assert code == 2
    assert err.strip() == (f"{source}{NBSP}: ce fichier ne peut pas être lu{NBSP}: il n’existe "
                           f"pas ou n’est pas lisible.")
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2")
    code, _, err = run(capsys, "sheet", bad, "--lang", "fr", "-o", tmp_path / "x.pdf")
    assert code == 2 and str(bad) in err and "JSON" in err and "cannot" not in err
    out = tmp_path / "missing" / "x.pdf"
    code, _, err = run(capsys, "sheet", EXAMPLES / "e01_outside_canada_eligible.json",
                       "--lang", "fr", "-o", out)
    assert code == 2 and err.startswith(f"{out}{NBSP}: impossible d’écrire ce fichier")


# --- 10. not eligible, incomplete --------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "fr"])
def test_not_eligible_sheet_keeps_the_entries_for_reference(lang):
    m = made(E04, lang, E04_ON)
    assert m.report["outcome"] == "not_eligible"
    assert [c["id"] for c in m.report["criteria"] if c["status"] == "not_met"] == \
        ["submission_window"]
    assert norm(localize(REFERENCE_ONLY, lang)) in m.body
    assert m.sheet.heading in m.lines
    for value in (OPEN_WORK_PERMIT, JOB_TITLE, DUTIES):
        assert m.on_one_line(value)
    for d in m.report["checklist"]:
        assert norm(d["text"]) in m.body


def test_eligible_sheet_has_no_reference_only_sentence():
    assert norm(localize(REFERENCE_ONLY, "en")) not in made(E01, "en").body


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_empty_answers_render(lang):
    m = made({}, lang, date(2024, 6, 1))
    assert m.report["outcome"] == "incomplete"
    assert m.bytes.startswith(b"%PDF-") and len(m.pages) >= 1
    assert m.sheet.heading == localize(msg("We cannot tell yet"), lang)
    assert m.sheet.heading in m.lines
    assert embedded(m.bytes) == {"format": "impplus-answers/1"}
    assert savefile.read(m.bytes).to_dict() == {"format": "impplus-answers/1"}


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("base, changes, form", [
    ("outside", {}, "IMM 1295"),
    ("outside", {"residence": "quebec"}, {"en": "None applies", "fr": "Aucun ne s’applique"}),
    ("outside", {"residence": "<delete>"}, {"en": "Not known yet: it depends on where you live",
                                            "fr": "Pas encore connu\u00a0: cela dépend de "
                                                  "l’endroit où vous vivez"}),
    ("family", {}, {"en": "Not known yet: it depends on where you live",
                    "fr": "Pas encore connu\u00a0: cela dépend de l’endroit où vous vivez"}),
])
def test_the_form_fact_tells_not_known_from_none(lang, base, changes, form):
    """Without a residence the form is not known yet (both forms' entries are shown); living
    in Quebec, no form of this category applies."""
    sheet = InstructionSheet.build(assess(parse_answers(build_answers(base, changes))), lang)
    facts = dict(sheet.facts)
    label = {"en": "Form", "fr": "Formulaire"}[lang]
    assert facts[label] == (form if isinstance(form, str) else form[lang])


# --- 10. tagged PDF/UA-1, every worked example, both languages ---------------------------------

@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_every_example_is_tagged_with_its_language_title_and_attachment(name, lang):
    m = made(example(name), lang)
    root = m.reader.root_object
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"] is True or root["/MarkInfo"]["/Marked"] == True  # noqa: E712
    assert root["/Lang"] == pdf.LANG_TAGS[lang]
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712
    assert m.reader.metadata.title == pdf.title(m.sheet)
    spec = root["/Names"]["/EmbeddedFiles"]["/Names"][1].get_object()
    assert spec["/EF"]["/F"].get_object()["/Subtype"] == "/application/json"
    assert spec["/Desc"] == pdf.ANSWERS_DESCRIPTION
    assert embedded(m.bytes) == parse_answers(example(name)).to_dict()
    if m.sheet.data["form"]:
        for value in (OPEN_WORK_PERMIT, JOB_TITLE, DUTIES):
            assert m.on_one_line(value), value


def test_only_our_fonts_are_embedded_and_they_cover_every_printable_character():
    """A sheet whose label holds every character a label may hold, and whose texts hold every
    character of the catalogues: every font in the PDF is one of ours, and each has them all."""
    from webapp.rules.answers import PRINTABLE

    label = "".join(sorted(PRINTABLE - {" "}))
    answers = dict(E01)
    m = None
    for i in range(0, len(label), 90):
        answers["label"] = label[i:i + 90]
        m = Made(answers, "fr")
        for page in m.reader.pages:
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                assert font["/BaseFont"].split("+")[-1] in {
                    "DejaVuSans", "DejaVuSans-Bold", "DejaVuSansMonoLatin"}
    chars = {c for c in catalogue_characters() if c >= " "} | PRINTABLE
    for path in FONTS:
        cmap = TTFont(path).getBestCmap()
        missing = sorted(c for c in chars if ord(c) not in cmap)
        assert not missing, (path.name, [f"U+{ord(c):04X}" for c in missing])


# ------------------------------------------------------------------ issue 17: the sheet

QUEBEC = {"format": "impplus-answers/1", "purpose": "initial", "residence": "quebec"}
CLOSED_WINDOW = {k: v for k, v in BASES["outside"].items() if k != "assessment_date"}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_pdf_names_apart_what_would_not_change_the_result(lang):
    """Issue 17, items 1 and 8: a Quebec resident's PDF lists the criteria not asked under
    their own heading, by name, never with "Tell us"; every criterion has its title."""
    m = made(QUEBEC, lang, date(2026, 11, 30))
    assert norm(localize(msg("Not asked: would not change the result"), lang)) in m.body
    assert {"en": "Tell us", "fr": "Indiquez"}[lang] not in m.body
    for title in ({"en": "Where you live", "fr": "Lieu de résidence"},
                  {"en": "Your letter of invitation", "fr": "Votre lettre d’invitation"},
                  {"en": "The 90 days after your letter",
                   "fr": "Les 90 jours suivant votre lettre"}):
        assert title[lang] in m.body
    # the categories for Quebec residents, as text with their sources
    assert {"en": "A73 (certain CSQ holders in Quebec)",
            "fr": "A73 (certains titulaires d’un CSQ au Québec)"}[lang] in m.body
    assert "A75" in m.body


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_pdf_of_a_closed_window_gives_the_open_doors_and_the_closure_once(lang):
    """Issue 17, items 1 and 2: the summary says that MIFI stopped the letters; the
    "Important" box does not say it again; the extension, family and permit checks are given as
    text, each with its source."""
    m = made(CLOSED_WINDOW, lang, date(2026, 11, 30))
    assert m.assessment.summary_says_closed
    assert not m.sheet.prominent
    important = localize(msg("Important"), lang)
    assert important + " " not in m.body.split(localize(msg("Key facts"), lang))[0]
    for item in m.sheet.instead:
        assert norm(item["text"]) in m.body
        if item["id"] != "ask_representative":
            assert norm(item["citation"]) in m.body
    assert [i["journey"] for i in m.sheet.instead] == ["extension", "family", "permit_check",
                                                       None]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_one_our_suggestion_per_item_in_every_example(lang):
    """Issue 17, item 8: one "Our suggestion" per item: its text, its source or its tag."""
    ours = localize(msg("Our suggestion, not an IRCC requirement"), lang)
    for name in EXAMPLE_NAMES:
        a = assess(parse_answers(example(name)))
        sheet = InstructionSheet.build(a, lang)
        items = [*sheet.data["field_entries"], *sheet.data["checklist"],
                 *sheet.data["warnings"], *sheet.instead, *sheet.reminders]
        for item in items:
            said = (sheet.says_suggestion(item) + sheet.tag(item)
                    + (sheet.cited(item) and item["citation"] == ours))
            assert said <= 1, (name, item)


def test_only_the_background_article_is_marked_as_english_only():
    """Issue 17, item 8: every source on a bilingual government's site (canada.ca, gc.ca,
    quebec.ca) has a French version; the background article does not; our own suggestion is
    not a document."""
    from webapp.rules.sources import SOURCES
    from webapp.sheet import english_only
    assert [k for k, s in SOURCES.items() if english_only(s)] == ["blog"]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_pdf_marks_english_only_sources_in_french(lang):
    m = made({**BASES["outside"], "assessment_date": "2022-06-01"}, lang)
    assert ("(en anglais)" in m.body) == (lang == "fr")
    assert "(in English)" not in m.body


def test_every_criterion_has_a_title_in_both_languages():
    from webapp.rules.criteria import CRITERIA
    from webapp.sheet import CRITERION_TITLES
    ids = {f.__name__ for checks in CRITERIA.values() for f in checks}
    assert ids == set(CRITERION_TITLES)
    fr = {localize(t, "fr") for t in CRITERION_TITLES.values()}
    assert len(fr) == len(CRITERION_TITLES)
    assert not fr & {localize(t, "en") for t in CRITERION_TITLES.values()}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_note_every_entry_shares_is_said_once(lang):
    """Issue 17, one "Our suggestion" per item: an extension's three entries share one note
    (the manual gives entries for first applications only); it is said once, under the form's
    heading, not after each box."""
    m = made(BASES["v2_extension"], lang)
    note = next(e["note"] for e in m.report["field_entries"])
    assert all(e["note"] == note for e in m.report["field_entries"])
    assert len(m.report["field_entries"]) == 3
    assert m.body.count(norm(note)) == 1
