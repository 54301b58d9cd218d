"""The instruction sheet as a PDF, typeset by Typst from webapp/templates/sheet.typ.

The PDF is a third renderer of `webapp.sheet.InstructionSheet`, after the result page and the
JSON: the same verdict, criteria, citations, entries, checklist and fees, in the same order.
`view` turns the sheet into plain data, every text already in the sheet's language; the template
only lays it out, and webapp.typeset makes a tagged PDF/UA-1 of it: its title (shown by the
reader), subject, keywords, language (/Lang en-CA or fr-CA), the outline from its headings, and
the answers as an attached `answers.json` (application/json), so that the PDF itself can be
uploaded again to resume (webapp.savefile reads it back).

Text is written as text, in the fonts of webapp/fonts (DejaVu Sans, Sans Bold, Sans Mono, cut
down to Latin characters and punctuation by scripts/fonts.py), so what you copy out of the PDF is
exactly what was written: the entries to type keep their en dash.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime
from typing import Any

from . import flow, typeset
from .i18n import LIST_SEPARATOR
from .rules import msg
from .rules.sources import MANUAL
from .sheet import InstructionSheet

ANSWERS_NAME = "answers.json"
ANSWERS_DESCRIPTION = "IMP+ Check answers (impplus-answers/1)"
BRAND = msg("IMP+ Check")  # Vérif PMI+ in French
LANG_TAGS = typeset.LANG_TAGS
KEYWORDS = ["A76", "IMP+", "PMI+", "CSQ", "IMM 1295", "IMM 5710"]
TEMPLATE = "sheet.typ"
# The timeline's drawing, in points: the text column's width (US Letter less the margins of
# sheet.typ), DejaVu Sans at 7 pt (a generous average glyph width), 8.5 pt lines.
TIMELINE_UNITS = {"width": 500.0, "char": 4.3, "line": 8.5, "pad": 4.0}


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


def _family(sheet: InstructionSheet) -> bool:
    return sheet.assessment.purpose == "family"


def cite(item: dict, also: list[dict] | None = None, lang: str = "en") -> str:
    """The citations of a report item (and of the items `also` cites), separated as `lang`
    writes a list, each followed by its `in_english` when it has one (webapp.sheet)."""
    return LIST_SEPARATOR[lang].join(
        " ".join(filter(None, (i["citation"], i.get("in_english")))) for i in (item, *(also or ())))


def _cite_shown(sheet: InstructionSheet, item: dict) -> str | None:
    """The citation of `item`, or None where the sheet shows no source (InstructionSheet.cited:
    one "Our suggestion" per item)."""
    return cite(item) if sheet.cited(item) else None


def _form(sheet: InstructionSheet, form: str, entries: list[dict]) -> dict[str, Any]:
    """One form's heading, the note its entries share (said once: InstructionSheet.shared_note)
    and its entries, for sheet.typ."""
    shared = sheet.shared_note(entries)
    return {"heading": sheet.form_heading(form), "note": shared,
            "entries": [{"label": e["label"], "value": e["value"],
                         "note": None if shared else e["note"], "suggestion": sheet.tag(e),
                         "cite": _cite_shown(sheet, e)} for e in entries]}


def view(sheet: InstructionSheet, answers: dict) -> dict[str, Any]:
    """The view-model of sheet.typ: `sheet` as plain data, every text in its language;
    `answers` (an answers file, as a dict) gives the "Your answers" table."""
    s, t, lang = sheet.data, sheet.t, sheet.lang
    on = sheet.assessment.assessment_date
    brand = (msg("IMP+ Check – instruction sheet and checklist for a family member’s open work "
                 "permit, assessed as of %(date)s", date=on) if _family(sheet) else
             msg("IMP+ Check – instruction sheet and checklist for the A76 open work permit, "
                 "assessed as of %(date)s", date=on))
    rows = flow.summary(*flow.from_answers(answers), lang)
    if rows:
        rows = [("", t(msg("Assessed as of")), sheet.day(s["assessment_date"])), *rows]
    return {
        "lang": lang, "title": title(sheet), "author": t(BRAND), "keywords": KEYWORDS,
        "subject": f'{sheet.heading}. {s["summary"]}',
        "brand": t(brand),
        "footer": t(msg("IMP+ Check – not IRCC, not MIFI, not legal advice")),
        "page_of": t(msg("Page %(page)s of %(pages)s", page="{page}", pages="{pages}")),
        "labels": {
            "important": t(msg("Important")), "facts": t(msg("Key facts")),
            "conditions": t(msg("Conditions the permit should show")),
            "criteria": t(msg("Why: criterion by criterion")),
            "instead": t(msg("What you can do instead")),
            "entries": t(msg("What to enter in the form")),
            "box": t(msg("Box on the form")), "type": t(msg("Choose or type exactly")),
            "checklist": t(msg("Documents checklist")), "fees": t(msg("Fees")),
            "fee": t(msg("Fee")), "amount": t(msg("Amount (CAD)")),
            "dates": t(msg("Dates to remember")), "good": t(msg("Good to know")),
            "answers": t(msg("Your answers")), "suggestion": t(msg("Our suggestion")),
            "not_asked": sheet.not_asked_heading,
            "source": t(msg("Source:")), "timeline": t(msg("Your dates")),
        },
        "outcome": s["outcome"], "heading": sheet.heading, "summary": s["summary"],
        "prominent": [{"text": w["text"], "cite": cite(w)} for w in sheet.prominent],
        "facts": [[label, value] for label, value in sheet.facts],
        "conditions": [{"text": c["text"], "cite": cite(c)} for c in sheet.conditions],
        "criteria": [{"title": c["title"], "status": sheet.status_label(c["status"]),
                      "reason": c["reason"], "cite": cite(c, c["also"], lang)}
                     for c in sheet.criteria_in_order],
        "not_asked": sheet.not_asked,
        "instead": [{"text": i["text"], "cite": _cite_shown(sheet, i),
                     "suggestion": sheet.tag(i)} for i in sheet.instead],
        "reference_only": t(msg("You do not meet every criterion: these entries and this "
                                "checklist are for reference only."))
        if s["outcome"] == "not_eligible" else None,
        "entries_intro": t(msg("In the section “Details of intended work in Canada”. Box 1 is a "
                               "list: choose the option shown. Type the other entries exactly "
                               "as shown, in English, on the English or the French form.")),
        "forms": [_form(sheet, form, entries) for form, entries in sheet.entries_by_form],
        "checklist": [{"text": d["text"], "proves": d["proves"], "cite": _cite_shown(sheet, d),
                       "suggestion": sheet.tag(d)} for d in s["checklist"]],
        "fees": [[f["label"], f["text"]] for f in s["fees"]],
        "fees_note": t(msg("For one person, the work permit, open work permit holder and "
                           "biometrics fees come to %(total)s.", total=sheet.fee_total)),
        "fee_sources": LIST_SEPARATOR[lang].join(cite(f) for f in sheet.fee_sources),
        "timeline": [{"day": i["day"], "label": i["label"]} for i in sheet.timeline],
        "timeline_drawing": _drawing(sheet),
        "reminders": [{"day": r["day"], "title": r["title"], "description": r["description"],
                       "cite": _cite_shown(sheet, r), "suggestion": sheet.tag(r)}
                      for r in sheet.reminders],
        "warnings": [{"text": w["text"], "cite": _cite_shown(sheet, w),
                      "suggestion": sheet.tag(w)} for w in sheet.other_warnings],
        "answers": [[label, value] for _, label, value in rows],
        "answers_note": t(msg("Your answers are inside this PDF: upload it on the start page to "
                              "come back to this file.")),
        "disclaimer": t(msg("This result is not a decision and not legal advice. An IRCC officer "
                            "decides, and must also be satisfied that you meet every general "
                            "requirement for a work permit.")),
        "sources": t(msg("The sources cited are IRCC’s instructions to officers for code A76:")),
        "manual": MANUAL,
    }


def _drawing(sheet: InstructionSheet) -> dict[str, Any] | None:
    """The timeline's geometry in points (webapp.timeline), as plain data; None without dates."""
    found = sheet.timeline_geometry(**TIMELINE_UNITS)
    return asdict(found) if found is not None else None


def answers_json(answers: dict) -> bytes:
    """The answers file embedded in the PDF: `answers` as indented UTF-8 JSON."""
    return (json.dumps(answers, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def render(sheet: InstructionSheet, answers: dict, now: datetime | None = None) -> bytes:
    """The finished PDF of `sheet`, as bytes, dated `now` (default: the current time);
    `answers` (an answers file, as a dict) rides inside it as answers.json, so that uploading
    the PDF resumes (webapp.savefile)."""
    attached = typeset.Attachment(ANSWERS_NAME, answers_json(answers), "application/json",
                                  ANSWERS_DESCRIPTION)
    return typeset.pdf(TEMPLATE, view(sheet, answers), attachments=[attached], now=now)
