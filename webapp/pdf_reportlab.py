"""The instruction sheet as a PDF: ReportLab draws it, pypdf finishes it.

The PDF is a third renderer of `webapp.sheet.InstructionSheet`, after the result page and the
JSON: the same verdict, criteria, citations, entries, checklist and fees, in the same order.

ReportLab writes text, not images, with a ToUnicode map, so what you copy out of the PDF is
exactly what was written; it parses each font once per process. Nothing of a sheet is kept once
it is drawn: every paragraph is parsed and broken into lines anew for each PDF.

The fonts are DejaVu Sans, Sans Bold and Sans Mono, cut down to Latin characters and
punctuation (scripts/fonts.py), shipped in webapp/fonts with their licence.

pypdf then adds what ReportLab's drawing does not: the document title, subject and language
(/Lang), an outline of the sections, and the answers as an embedded file `answers.json`, so that
the PDF itself can be uploaded again to resume (webapp.savefile reads it back).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

from pypdf import PdfWriter
from pypdf.generic import BooleanObject, DictionaryObject, Fit, NameObject, TextStringObject
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (BaseDocTemplate, CondPageBreak, Frame, KeepTogether,
                                PageTemplate, Paragraph, Spacer, Table, TableStyle)

from . import flow
from .i18n import LIST_SEPARATOR
from .rules import msg
from .rules.sources import MANUAL
from .sheet import InstructionSheet

ANSWERS_NAME = "answers.json"
BRAND = msg("IMP+ Check")  # Vérif PMI+ in French
FONT_DIR = Path(__file__).resolve().parent / "fonts"
LANG_TAGS = {"en": "en-CA", "fr": "fr-CA"}

PAGE_W, PAGE_H = LETTER
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 18 * mm, 16 * mm, 20 * mm
WIDTH = PAGE_W - 2 * MARGIN_X

INK, GREY, RULE = HexColor("#0b0c0c"), HexColor("#474747"), HexColor("#b1b4b6")
OUTCOME_COLOURS = {  # (border, background), as on the result page
    "eligible": (HexColor("#00703c"), HexColor("#e8f3ec")),
    "not_eligible": (HexColor("#d4351c"), HexColor("#fbeae7")),
    "incomplete": (HexColor("#1d70b8"), HexColor("#e8f1f8")),
}


@lru_cache(maxsize=None)
def _fonts() -> None:
    """Register the embedded fonts once per process."""
    pdfmetrics.registerFont(TTFont("Sans", str(FONT_DIR / "DejaVuSans-Latin.ttf")))
    pdfmetrics.registerFont(TTFont("Sans-Bold", str(FONT_DIR / "DejaVuSans-Bold-Latin.ttf")))
    pdfmetrics.registerFont(TTFont("Mono", str(FONT_DIR / "DejaVuSansMono-Latin.ttf")))
    pdfmetrics.registerFontFamily("Sans", normal="Sans", bold="Sans-Bold", italic="Sans",
                                  boldItalic="Sans-Bold")


def _style(name: str, size: float, leading: float, font: str = "Sans", **kw) -> ParagraphStyle:
    kw.setdefault("textColor", INK)
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading, **kw)


STYLES = {
    "brand": _style("brand", 8.5, 11, textColor=GREY),
    "h1": _style("h1", 18, 22, "Sans-Bold", spaceAfter=4),
    "h2": _style("h2", 13, 16, "Sans-Bold", spaceBefore=12, spaceAfter=5),
    "h3": _style("h3", 11, 14, "Sans-Bold", spaceBefore=6, spaceAfter=3),
    "body": _style("body", 9.5, 13),
    "bold": _style("bold", 9.5, 13, "Sans-Bold"),
    "small": _style("small", 8, 10.5, textColor=GREY),
    "tag": _style("tag", 8, 10.5, "Sans-Bold"),
    "value": _style("value", 10, 13, "Mono"),
    "box": _style("box", 13, 13),
    "num": _style("num", 9.5, 13, alignment=2),
    "bullet": _style("bullet", 9.5, 13, leftIndent=10, bulletIndent=0, spaceAfter=3,
                     bulletFontName="Sans"),
    # a tick box in the margin, as a bullet
    "document": _style("document", 9.5, 13, "Sans-Bold", leftIndent=8 * mm, bulletIndent=0,
                       bulletFontName="Sans", bulletFontSize=13, spaceBefore=6),
    "document_detail": _style("document_detail", 9.5, 13, leftIndent=8 * mm),
    "document_source": _style("document_source", 8, 10.5, textColor=GREY, leftIndent=8 * mm),
}


def _para(markup: str, style: str, bullet: str | None = None) -> Paragraph:
    """A paragraph of `markup` (ReportLab's mini-HTML, already escaped) in one of STYLES."""
    return Paragraph(markup, STYLES[style], bulletText=bullet)


def _text(text: str) -> str:
    return escape(text)


def _link(text: str, url: str | None) -> str:
    if not url:
        return escape(text)
    return f'<a href="{escape(url, {chr(34): "&quot;"})}" color="#1d70b8">{escape(text)}</a>'


def _aside(item: dict) -> str:
    """A citation after a sentence, smaller and grey as on the result page."""
    return f'<font size="8" color="#474747">({_cite(item)})</font>'


def _cite(item: dict, also: list[dict] | None = None, lang: str = "en") -> str:
    parts = [escape(item["citation"])]
    parts += [escape(a["citation"]) for a in also or ()]
    return LIST_SEPARATOR[lang].join(parts)


@dataclass
class _Outline:
    """Headings as they are drawn: (level, title, page index, top in PDF points)."""
    items: list[tuple[int, str, int, float]] = field(default_factory=list)


class _Heading(Paragraph):
    """A heading that records where it lands, for the outline pypdf adds."""

    def __init__(self, text: str, style: ParagraphStyle, level: int, outline: _Outline):
        super().__init__(_text(text), style)
        self._title, self._level, self._outline = text, level, outline

    def draw(self):
        """Draw the heading, noting its page and height for the outline."""
        _, top = self.canv.absolutePosition(0, self.height)
        self._outline.items.append((self._level, self._title,
                                    self.canv.getPageNumber() - 1, top + 2))
        super().draw()


def _table(rows, widths, *, header: bool = False, extra=()) -> Table:
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE),
        *extra,
    ]
    if header:
        style.append(("LINEBELOW", (0, 0), (-1, 0), 1, INK))
    return Table(rows, colWidths=widths, style=TableStyle(style), repeatRows=1 if header else 0,
                 hAlign="LEFT")


def _story(sheet: InstructionSheet, answers: dict, outline: _Outline) -> list:
    s, t, lang = sheet.data, sheet.t, sheet.lang
    P = lambda text, style="body": _para(_text(text), style)  # noqa: E731

    def I(item: dict, key: str, style: str = "body"):  # noqa: E743 - an item's text
        return _para(_text(item[key]), style)
    H = lambda text, level=2: _Heading(text, STYLES[f"h{level}"], max(level - 2, 0), outline)  # noqa: E731
    suggestion = t(msg("Our suggestion"))
    source = t(msg("Source:"))
    on = sheet.assessment.assessment_date
    brand = (msg("IMP+ Check – instruction sheet and checklist for a family member’s open work "
                 "permit, assessed as of %(date)s", date=on) if _family(sheet) else
             msg("IMP+ Check – instruction sheet and checklist for the A76 open work permit, "
                 "assessed as of %(date)s", date=on))
    story: list = [P(t(brand), "brand"),
                   Spacer(1, 4)]

    border, background = OUTCOME_COLOURS[s["outcome"]]
    story.append(Table([[[H(sheet.heading, 1), P(s["summary"])]]], colWidths=[WIDTH],
                       style=TableStyle([("BOX", (0, 0), (-1, -1), 2, border),
                                         ("BACKGROUND", (0, 0), (-1, -1), background),
                                         ("LEFTPADDING", (0, 0), (-1, -1), 10),
                                         ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                                         ("TOPPADDING", (0, 0), (-1, -1), 8),
                                         ("BOTTOMPADDING", (0, 0), (-1, -1), 10)])))
    if sheet.prominent:
        story += [Spacer(1, 8), Table(
            [[[P(t(msg("Important")), "bold"),
               *[_para(f'{_text(w["text"])} {_aside(w)}', "body") for w in sheet.prominent]]]],
            colWidths=[WIDTH], style=TableStyle([
                ("LINEBEFORE", (0, 0), (0, -1), 4, INK), ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))]

    story.append(H(t(msg("Key facts"))))
    story.append(_table([[P(label, "bold"), P(value)] for label, value in sheet.facts],
                        [50 * mm, WIDTH - 50 * mm]))
    if sheet.conditions:
        story.append(H(t(msg("Conditions the permit should show")), 3))
        story += [_para(f'{_text(c["text"])} {_aside(c)}', "bullet", "•")
                  for c in sheet.conditions]

    story.append(H(t(msg("Why: criterion by criterion"))))
    story.append(_table(
        [[P(sheet.status_label(c["status"]), "bold"),
          [I(c, "reason"),
           _para(f'{_text(source)} {_cite(c, c["also"], lang)}', "small")]]
         for c in sheet.criteria_in_order],
        [30 * mm, WIDTH - 30 * mm]))

    if sheet.instead:
        story.append(H(t(msg("What you can do instead"))))
        story += [_para(f'{_text(i["text"])} {_aside(i)}', "bullet", "•")
                  for i in sheet.instead]

    story.append(CondPageBreak(60 * mm))
    story.append(H(t(msg("What to enter in the form"))))
    if s["outcome"] == "not_eligible":
        story.append(P(t(msg("You do not meet every criterion: these entries and this checklist "
                             "are for reference only.")), "bold"))
        story.append(Spacer(1, 3))
    story.append(P(t(msg("In the section “Details of intended work in Canada”. Box 1 is a "
                         "list: choose the option shown. Type the other entries exactly as "
                         "shown, in English, on the English or the French form."))))
    for form, entries in sheet.entries_by_form:
        story.append(H(sheet.form_heading(form), 3))
        rows = [[P(t(msg("Box on the form")), "bold"), P(t(msg("Choose or type exactly")), "bold")]]
        for e in entries:
            left = [I(e, "label")]
            if e["suggestion"]:
                left.append(P(suggestion, "tag"))
            if e["note"]:
                left.append(I(e, "note", "small"))
            left.append(_para(f"{_text(source)} {_cite(e)}", "small"))
            rows.append([left, I(e, "value", "value")])
        story.append(_table(rows, [WIDTH - 100 * mm, 100 * mm], header=True))

    story.append(H(t(msg("Documents checklist"))))
    for d in s["checklist"]:
        tag = f' <font name="Sans-Bold" size="8">[{_text(suggestion)}]</font>' \
            if d["suggestion"] else ""
        story += [_para(_text(d["text"]) + tag, "document", "\u2610"),
                  I(d, "proves", "document_detail"),
                  _para(f"{_text(source)} {_cite(d)}", "document_source")]

    total = t(msg("For one person, the work permit, open work permit holder and biometrics fees "
                  "come to %(total)s.", total=sheet.fee_total))
    fee_sources = LIST_SEPARATOR[lang].join(_cite(f) for f in sheet.fee_sources)
    fees = [[P(t(msg("Fee")), "bold"), P(t(msg("Amount (CAD)")), "num")]]
    fees += [[I(f, "label"), I(f, "text", "num")] for f in s["fees"]]
    story.append(KeepTogether([
        H(t(msg("Fees"))), _table(fees, [WIDTH - 35 * mm, 35 * mm], header=True),
        Spacer(1, 4),
        _para(f"{_text(total)} {_text(source)} {fee_sources}", "small")]))

    if sheet.reminders:
        story.append(H(t(msg("Dates to remember"))))
        story.append(_table([[P(r["day"], "bold"),
                              [P(r["title"], "bold"), P(r["description"]),
                               _para(f"{_text(source)} {_cite(r)}", "small")]]
                             for r in sheet.reminders], [42 * mm, WIDTH - 42 * mm]))

    if sheet.other_warnings:
        story.append(H(t(msg("Good to know"))))
        for w in sheet.other_warnings:
            tag = f' <font name="Sans-Bold">[{_text(suggestion)}]</font>' if w["suggestion"] else ""
            story.append(_para(f'{_text(w["text"])}{tag} {_aside(w)}', "bullet", "•"))

    rows = flow.summary(*flow.from_answers(answers), sheet.lang)
    if rows:
        story.append(H(t(msg("Your answers"))))
        rows = [("", t(msg("Assessed as of")), sheet.day(s["assessment_date"])), *rows]
        padding = [("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]
        story.append(_table([[P(label, "bold"), P(value)] for _, label, value in rows],
                            [85 * mm, WIDTH - 85 * mm], extra=padding))
        story.append(Spacer(1, 3))
        story.append(P(t(msg("Your answers are inside this PDF: upload it on the start page to "
                             "come back to this file.")), "small"))

    sources = t(msg("The sources cited are IRCC’s instructions to officers for code A76:"))
    story.append(Spacer(1, 10))
    story.append(KeepTogether(Table([[[
        P(t(msg("This result is not a decision and not legal advice. An IRCC officer decides, "
                "and must also be satisfied that you meet every general requirement for a work "
                "permit."))),
        Spacer(1, 3),
        _para(f"{_text(sources)} {_link(MANUAL, MANUAL)}", "small"),
    ]]], colWidths=[WIDTH], style=TableStyle([
        ("BOX", (0, 0), (-1, -1), 0.75, RULE), ("LEFTPADDING", (0, 0), (-1, -1), 8),
        ("RIGHTPADDING", (0, 0), (-1, -1), 8), ("TOPPADDING", (0, 0), (-1, -1), 6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 8)]))))
    return story


def _canvas_class(footer_left: str, page_of):
    """A canvas that writes "Page n of N" once the number of pages is known."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont("Sans", 8)
                self.setFillColor(GREY)
                self.drawString(MARGIN_X, 10 * mm, footer_left)
                self.drawRightString(PAGE_W - MARGIN_X, 10 * mm,
                                     page_of(self._pageNumber, total))
                super().showPage()
            super().save()

    return NumberedCanvas


def draw(sheet: InstructionSheet, answers: dict) -> tuple[bytes, _Outline]:
    """(the PDF bytes as ReportLab draws them, where its headings landed) for `sheet`;
    `answers` (an answers file, as a dict) gives the "Your answers" table."""
    _fonts()
    t = sheet.t
    outline = _Outline()
    buffer = BytesIO()
    doc = BaseDocTemplate(buffer, pagesize=LETTER, leftMargin=MARGIN_X, rightMargin=MARGIN_X,
                          topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM, invariant=1,
                          title=title(sheet),
                          author=t(BRAND), creator=t(BRAND))
    frame = Frame(MARGIN_X, MARGIN_BOTTOM, WIDTH, PAGE_H - MARGIN_TOP - MARGIN_BOTTOM, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate("page", frames=[frame])])
    footer = t(msg("IMP+ Check – not IRCC, not MIFI, not legal advice"))
    doc.build(_story(sheet, answers, outline), canvasmaker=_canvas_class(
        footer, lambda n, total: t(msg("Page %(page)s of %(pages)s", page=n, pages=total))))
    return buffer.getvalue(), outline


def _family(sheet: InstructionSheet) -> bool:
    return sheet.assessment.purpose == "family"


def title(sheet: InstructionSheet) -> str:
    """The document's title in the sheet's language: a family member's permit has its own
    code (C41, C46, C49; manual, "Open work permits for family members")."""
    if not _family(sheet):
        return sheet.t(msg("IMP+ work permit (A76): instruction sheet and checklist"))
    code = sheet.assessment.exemption_code
    if code:
        return sheet.t(msg("Work permit of a family member of an IMP+ worker (%(code)s): "
                           "instruction sheet and checklist", code=code))
    return sheet.t(msg("Work permit of a family member of an IMP+ worker: instruction sheet "
                       "and checklist"))


def finish(drawn: bytes, outline: _Outline, *, title: str, subject: str, lang: str,
           answers_json: bytes, author: str) -> bytes:
    """The finished PDF: `drawn` (from `draw`) with its title, subject, author, language tag
    (`lang`: "en" or "fr"), outline and the embedded `answers_json`, written by pypdf."""
    writer = PdfWriter(clone_from=BytesIO(drawn))
    now = datetime.now(timezone.utc).strftime("D:%Y%m%d%H%M%S+00'00'")
    writer.add_metadata({"/Title": title, "/Subject": subject, "/Author": author,
                         "/CreationDate": now, "/ModDate": now,
                         "/Creator": "IMP+ Check (impplus-check)",
                         "/Keywords": "A76, IMP+, PMI+, CSQ, IMM 1295, IMM 5710"})
    root = writer.root_object
    root[NameObject("/Lang")] = TextStringObject(LANG_TAGS[lang])
    root[NameObject("/ViewerPreferences")] = DictionaryObject(
        {NameObject("/DisplayDocTitle"): BooleanObject(True)})
    writer.page_mode = "/UseOutlines"
    parents: dict[int, object] = {}
    for level, text, page, top in outline.items:
        parent = parents.get(level - 1) if level else None
        parents[level] = writer.add_outline_item(title=text, page_number=page, parent=parent,
                                                 fit=Fit.xyz(left=0, top=top))
    attachment = writer.add_attachment(ANSWERS_NAME, answers_json)
    attachment.subtype = NameObject("/application/json")
    attachment.description = TextStringObject("IMP+ Check answers (impplus-answers/1)")
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def answers_json(answers: dict) -> bytes:
    """The answers file embedded in the PDF: `answers` as indented UTF-8 JSON."""
    return (json.dumps(answers, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def render(sheet: InstructionSheet, answers: dict) -> bytes:
    """The finished PDF of `sheet`, as bytes; `answers` (an answers file, as a dict) rides
    inside it, so that uploading the PDF resumes (webapp.savefile)."""
    drawn, outline = draw(sheet, answers)
    return finish(drawn, outline, title=title(sheet), lang=sheet.lang, author=sheet.t(BRAND),
                  subject=f'{sheet.heading}. {sheet.data["summary"]}',
                  answers_json=answers_json(answers))
