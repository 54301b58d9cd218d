"""The assessment as JSON (CONTRACT.md, "Assessment"), in one language.

The CLI and the API print this; the web pages and the PDF read the same fields through
`webapp.sheet`, so nothing is decided twice.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from .i18n import format_money, localize
from .rules.assessment import CONSTANT_PIECES
from .rules.model import Assessment, Document, Fee, FieldEntry, Finding, Warning
from .rules.text import Text
from .rules.sources import SOURCES

FORMAT = "impplus-assessment/1"


@lru_cache(maxsize=None)
def citation(key: str, lang: str) -> tuple[str | None, str]:
    """(url or None, title in `lang`) of a source key."""
    source = SOURCES[key]
    return (source.url or None), localize(source.title, lang)


@lru_cache(maxsize=None)
def _citations(lang: str) -> dict[str, dict[str, Any]]:
    """{source key: {"source": url, "citation": title}} in `lang`: the same for everyone, so
    worked out once. The reports share these dicts: read them, never change them."""
    return {key: {"source": url, "citation": title}
            for key in SOURCES for url, title in [citation(key, lang)]}


def _iso(day):
    return day.isoformat() if day else None


# Nothing derived from the answers is cached: a finding's reason or a warning quotes the
# person's own dates and codes, and nothing they type is kept on the server. What is the same
# for everyone is worked out once instead: the translations (webapp.i18n), the citations, and
# the pieces the rules make once (_constants).

def _finding(c: Finding, lang: str, cited: dict) -> dict[str, Any]:
    return {
        "id": c.id,
        "status": c.status,
        "reason": localize(c.reason, lang),
        **cited[c.source],
        "also": [cited[k] for k in c.also],
        "instead": [{"text": localize(i.text, lang), **cited[i.source]} for i in c.instead],
    }


def _entry(e: FieldEntry, lang: str, cited: dict) -> dict[str, Any]:
    return {
        "form": e.form,
        "box": e.box,
        "label": localize(e.label, lang),
        "value": e.value,
        "suggestion": e.suggestion,
        "note": localize(e.note, lang) if e.note else None,
        **cited[e.source],
    }


def _document(d: Document, lang: str, cited: dict) -> dict[str, Any]:
    return {"id": d.id, "text": localize(d.text, lang), "proves": localize(d.proves, lang),
            "suggestion": d.suggestion, **cited[d.source]}


def _warning(w: Warning, lang: str, cited: dict) -> dict[str, Any]:
    return {"id": w.id, "text": localize(w.text, lang), "suggestion": w.suggestion,
            **cited[w.source]}


def _fee(f: Fee, lang: str, cited: dict) -> dict[str, Any]:
    return {"id": f.id, "amount": f.amount, "currency": "CAD", "label": localize(f.label, lang),
            "text": format_money(f.amount, lang), **cited[f.source]}


_RENDER = {Finding: _finding, Document: _document, FieldEntry: _entry, Fee: _fee,
           Warning: _warning}


@lru_cache(maxsize=None)
def _constants(lang: str) -> dict[int, dict[str, Any]]:
    """{id(piece): its rendering in `lang`} for the findings, checklist items, entries,
    warnings and fees that the rules make once, at import (rules.assessment.CONSTANT_PIECES,
    which keeps them alive: no other object can have their id). The reports share these dicts:
    read them, never change them (as they shared the values of the caches before)."""
    cited = _citations(lang)
    return {id(p): _RENDER[type(p)](p, lang, cited) for p in CONSTANT_PIECES}


@lru_cache(maxsize=None)
def _shared_ids(lang: str) -> frozenset[int]:
    """The ids of the renderings in `_constants(lang)` and of every dict within them."""
    ids: set[int] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            ids.add(id(value))
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    for rendering in _constants(lang).values():
        walk(rendering)
    return frozenset(ids)


def is_shared(item: dict, lang: str) -> bool:
    """Whether `item` (a finding, entry, document, warning or fee of a report, or a dict
    within one) is one of the renderings made once for everyone: then nothing in it comes from
    anyone's answers, and a renderer may remember how it drew it (webapp.pdf)."""
    return id(item) in _shared_ids(lang)


def _text(text: Text | None, lang: str) -> str | None:
    return localize(text, lang) if text is not None else None


def report(a: Assessment, lang: str = "en") -> dict[str, Any]:
    cited, made = _citations(lang), _constants(lang)
    return {
        "format": FORMAT,
        "lang": lang,
        "assessment_date": a.assessment_date.isoformat(),
        "purpose": a.purpose,
        "outcome": a.outcome,
        "summary": _text(a.summary, lang),
        "criteria": [made.get(id(c)) or _finding(c, lang, cited) for c in a.criteria],
        "form": a.form,
        "processing_office": _text(a.processing_office, lang),
        "submission_deadline": _iso(a.submission_deadline),
        "permit": {
            "months": a.permit_months,
            "capped_by_passport_expiry": _iso(a.capped_by_passport_expiry),
            "valid_until": _iso(a.permit_valid_until),
        },
        "exemption_code": a.exemption_code,
        "field_entries": [made.get(id(e)) or _entry(e, lang, cited) for e in a.field_entries],
        "checklist": [made.get(id(d)) or _document(d, lang, cited) for d in a.checklist],
        "warnings": [made.get(id(w)) or _warning(w, lang, cited) for w in a.warnings],
        "fees": [made.get(id(f)) or _fee(f, lang, cited) for f in a.fees],
    }
