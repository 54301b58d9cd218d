"""The assessment and the permit check as JSON (CONTRACT.md, "Assessment", "Permit check"), in
one language.

The CLI and the API print this; the web pages and the PDF read the same fields through
`webapp.sheet`, so nothing is decided twice. Nothing here is cached but `citation`, which holds
only the sources' own titles and links: a report quotes the person's dates and codes, and nothing
they type is kept on the server.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from .i18n import format_money, localize
from .rules.model import (Advice, Assessment, Condition, Document, Fee, FieldEntry, Finding,
                          Permit, Warning)
from .rules.permit_check import PermitCheck
from .rules.sources import SOURCES
from .rules.text import Text

FORMAT = "impplus-assessment/2"


@lru_cache(maxsize=None)
def citation(key: str, lang: str) -> tuple[str | None, str]:
    """(url or None, title in `lang`) of a source key of webapp.rules.sources.SOURCES: the one
    place a source key becomes a citation. Raises KeyError for an unknown key."""
    source = SOURCES[key]
    return (source.url or None), localize(source.title, lang)


def _cited(key: str, lang: str) -> dict[str, Any]:
    """{"source": url or None, "citation": title} of a source key, as the report writes it."""
    url, title = citation(key, lang)
    return {"source": url, "citation": title}


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _text(text: Text | None, lang: str) -> str | None:
    return localize(text, lang) if text is not None else None


def _finding(c: Finding, lang: str) -> dict[str, Any]:
    return {
        "id": c.id,
        "status": c.status,
        "reason": localize(c.reason, lang),
        **_cited(c.source, lang),
        "also": [_cited(k, lang) for k in c.also],
        "instead": [_advice(i, lang) for i in c.instead],
    }


def _advice(i: Advice, lang: str) -> dict[str, Any]:
    return {"id": i.id, "text": localize(i.text, lang), **_cited(i.source, lang)}


def _condition(c: Condition, lang: str) -> dict[str, Any]:
    return {"id": c.id, "text": localize(c.text, lang), **_cited(c.source, lang)}


def _permit(p: Permit | None, lang: str) -> dict[str, Any] | None:
    """The permit (CONTRACT.md v2), or None when not eligible. `valid_until` (the last day if
    issued on the assessment date) is ours, beside the contract's fields."""
    if p is None:
        return None
    return {"months": p.months, "capped_by_passport_expiry": _iso(p.capped_by_passport_expiry),
            "capped_if_issued_after": _iso(p.capped_if_issued_after),
            "ends_no_later_than": _iso(p.ends_no_later_than), "valid_until": _iso(p.valid_until),
            "conditions": [_condition(c, lang) for c in p.conditions]}


def _entry(e: FieldEntry, lang: str) -> dict[str, Any]:
    return {
        "form": e.form,
        "box": e.box,
        "label": localize(e.label, lang),
        "value": e.value,
        "suggestion": e.suggestion,
        "note": _text(e.note, lang),
        **_cited(e.source, lang),
    }


def _document(d: Document, lang: str) -> dict[str, Any]:
    return {"id": d.id, "text": localize(d.text, lang), "proves": localize(d.proves, lang),
            "suggestion": d.suggestion, **_cited(d.source, lang)}


def _warning(w: Warning, lang: str) -> dict[str, Any]:
    return {"id": w.id, "text": localize(w.text, lang), "suggestion": w.suggestion,
            "prominent": w.prominent, **_cited(w.source, lang)}


def _fee(f: Fee, lang: str) -> dict[str, Any]:
    return {"id": f.id, "amount": f.amount, "currency": "CAD", "label": localize(f.label, lang),
            "text": format_money(f.amount, lang), **_cited(f.source, lang)}


def report(a: Assessment, lang: str = "en") -> dict[str, Any]:
    """The JSON report of `a` in `lang` ("en" or "fr"), a new dict of plain JSON values
    (CONTRACT.md, "Assessment"; format impplus-assessment/2): dates in ISO form, the permit's
    length in calendar months (the permit null when not eligible), fee amounts in whole Canadian
    dollars, each item with its source URL and citation title (`citation`)."""
    office = a.processing_office
    return {
        "format": FORMAT,
        "lang": lang,
        "assessment_date": a.assessment_date.isoformat(),
        "purpose": a.purpose,
        "outcome": a.outcome,
        "summary": _text(a.summary, lang),
        "criteria": [_finding(c, lang) for c in a.criteria],
        "form": a.form,
        "processing_office": None if office is None else {
            "text": localize(office, lang), **_cited(a.processing_office_source or "owp", lang)},
        "submission_deadline": _iso(a.submission_deadline),
        "permit": _permit(a.permit, lang),
        "exemption_code": a.exemption_code,
        "field_entries": [_entry(e, lang) for e in a.field_entries],
        "checklist": [_document(d, lang) for d in a.checklist],
        "warnings": [_warning(w, lang) for w in a.warnings],
        "fees": [_fee(f, lang) for f in a.fees],
        "instead": [_advice(i, lang) for i in a.instead],
        "file_id": a.answers.file_id,
    }


PERMIT_CHECK_FORMAT = "impplus-permit-check/1"


def _plain_value(value: Any) -> Any:
    """A check's expected or found value as JSON: a date in ISO form, anything else as it is."""
    return value.isoformat() if isinstance(value, date) else value


def permit_check_report(c: PermitCheck, lang: str = "en") -> dict[str, Any]:
    """The JSON of a permit check in `lang` ("en" or "fr"), a new dict of plain JSON values
    (CONTRACT.md, "Permit check (v2)"; format impplus-permit-check/1): each check with its
    `status` ("ok", "differs", "cannot_tell"), `expected` and `found` (dates in ISO form,
    booleans for conditions, text as printed, null when not known), `text` its reason, and its
    source URL and citation title; `what_to_do` items likewise; `summary` in `lang`. Ids never
    change with the language."""
    return {
        "format": PERMIT_CHECK_FORMAT,
        "lang": lang,
        "code": c.code,
        "summary": localize(c.summary, lang),
        "checks": [{"id": f.id, "status": f.status, "expected": _plain_value(f.expected),
                    "found": _plain_value(f.found), "text": localize(f.reason, lang),
                    **_cited(f.source, lang), "also": [_cited(k, lang) for k in f.also]}
                   for f in c.checks],
        "what_to_do": [_advice(i, lang) for i in c.what_to_do],
    }
