"""The OpenAPI 3.1 description of the JSON API, built from the same schema tables the parsers
read (webapp.rules.answers.SCHEMA, webapp.rules.permit_check.PERMIT_SCHEMA), so they cannot drift
apart."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from .rules.answers import PRINTABLE, SCHEMA, Spec
from .rules.criteria import CRITERIA
from .rules.permit_check import (CHECK_FORMAT, CHECK_IDS, CODES, FORMAT, PERMIT_SCHEMA,
                                 STATUSES, WHAT_TO_DO_IDS)

# The fixed ids of "what you can do instead" (CONTRACT.md v2).
INSTEAD_IDS = ("extension", "family", "permit_check", "restoration", "a73", "a75",
               "ask_representative")

# Year 0000 is a valid RFC 3339 full-date but not a date Python (or the calendar) knows.
_DATE = {"type": ["string", "null"], "format": "date",
         "pattern": r"^(?!0000)\d{4}-\d{2}-\d{2}$"}


def _character_class(chars: frozenset[str]) -> str:
    """A regular expression class of `chars`, as runs of code points (\\uXXXX escapes)."""
    points, runs = sorted(ord(c) for c in chars), []
    for p in points:
        if runs and p == runs[-1][1] + 1:
            runs[-1][1] = p
        else:
            runs.append([p, p])
    return "[" + "".join(f"\\u{a:04x}" if a == b else f"\\u{a:04x}-\\u{b:04x}"
                         for a, b in runs) + "]"


# Text the parser accepts: characters the PDF's fonts print (a text is normalised to NFC first,
# so the parser also reads a few other spellings of the same characters).
_PRINTABLE_PATTERN = "^" + _character_class(PRINTABLE) + "*$"


def _property(spec: Spec) -> dict[str, Any]:
    if spec.kind == "date":
        out = dict(_DATE)
    elif spec.kind == "bool":
        out = {"type": ["boolean", "null"]}
    elif spec.kind in ("enum", "const"):
        out = {"enum": [*spec.choices, None]}
    else:  # a permit code or a line of text
        out = {"type": ["string", "null"], "maxLength": spec.max_length}
        if spec.kind == "text":  # one line of what the fonts print (rules.answers.PRINTABLE)
            out["pattern"] = _PRINTABLE_PATTERN
        elif spec.choices:  # one of these codes as printed, in any case, spaced or hyphenated
            out["pattern"] = "^[ -]*(?:" + "|".join(  # blank: not given
                "[ -]*".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else c for c in code)
                for code in spec.choices) + ")?[ -]*$"
        else:  # a code as printed: letters, digits, spaces, hyphens (other forms are read
            out["pattern"] = r"^[A-Za-z0-9 -]*$"  # after normalisation: see `description`)
    if spec.help:
        out["description"] = spec.help
    return out


def answers_schema() -> dict[str, Any]:
    """The JSON Schema of an answers file, from webapp.rules.answers.SCHEMA."""
    props: dict[str, Any] = {}
    for item in SCHEMA:
        if isinstance(item, Spec):
            props[item.key] = _property(item)
        else:
            props[item.key] = {
                "type": ["object", "null"],
                "properties": {m.key: _property(m) for m in item.members},
                "additionalProperties": True,
            }
    answers = {
        "type": "object",
        "description": "An answers file (impplus-answers/1). Every field is optional; a missing "
                       "answer makes its criterion unknown. Unknown keys are ignored.",
        "properties": props,
        "additionalProperties": True,
    }
    # A worked example ({"answers": {…}, "expect": {…}}) is read through its `answers`, when
    # the object has none of the answers file's own keys (rules.answers.parse_answers).
    worked_example = {
        "required": ["answers"],
        "properties": {"answers": {"type": "object"}},
        "not": {"anyOf": [{"required": [key]} for key in props]},
    }
    return dict(answers, **{"if": worked_example,
                            "then": {"properties": {"answers": dict(answers)}}})


def permit_schema() -> dict[str, Any]:
    """The JSON Schema of a permit as printed (impplus-permit/1), from
    webapp.rules.permit_check.PERMIT_SCHEMA."""
    props = {spec.key: _property(spec) for spec in PERMIT_SCHEMA}
    props["code"]["examples"] = list(CODES)
    props["format"] = {"enum": [FORMAT, None]}
    return {"type": "object",
            "description": "What a permit holder reads on their permit (impplus-permit/1). Every "
                           "field is optional; a field not given makes its checks cannot_tell. "
                           "Unknown keys are ignored. A date of issue after the expiry date is "
                           "an error on `issued`.",
            "properties": props, "additionalProperties": True}


def permit_check_schema() -> dict[str, Any]:
    """The JSON Schema of a permit check (webapp.report.permit_check_report)."""
    value = {"type": ["string", "boolean", "null"],
             "description": "A date (YYYY-MM-DD), true/false for a condition, text as printed, "
                            "or null when not known."}
    cited = {"type": "object", "properties": _cited()}
    return {
        "type": "object", "required": ["format", "code", "summary", "checks", "what_to_do"],
        "properties": {
            "format": {"const": CHECK_FORMAT},
            "lang": {"enum": ["en", "fr"]},
            "code": {"enum": [*CODES, None]},
            "summary": {"type": "string"},
            "checks": {"type": "array", "items": {
                "type": "object",
                "required": ["id", "status", "expected", "found", "text", "source"],
                "properties": {"id": {"enum": list(CHECK_IDS)}, "status": {"enum": list(STATUSES)},
                               "expected": value, "found": value, "text": {"type": "string"},
                               **_cited(), "also": {"type": "array", "items": cited}}}},
            "what_to_do": {"type": "array", "items": {
                "type": "object", "required": ["id", "text", "source"],
                "properties": {"id": {"enum": list(WHAT_TO_DO_IDS)}, "text": {"type": "string"},
                               **_cited()}}},
        },
    }


def _cited() -> dict[str, Any]:
    return {"source": {"type": ["string", "null"], "format": "uri"},
            "citation": {"type": "string"}}


def assessment_schema() -> dict[str, Any]:
    """The JSON Schema of an assessment report (webapp.report.report)."""
    ids = sorted({c.__name__ for checks in CRITERIA.values() for c in checks})
    nullable_date = {"type": ["string", "null"], "format": "date"}
    instead = {"type": "object", "required": ["id", "text", "source"], "properties": {
        "id": {"enum": list(INSTEAD_IDS)}, "text": {"type": "string"}, **_cited()}}
    return {
        "type": "object",
        "required": ["format", "assessment_date", "purpose", "outcome", "summary", "criteria",
                     "form", "processing_office", "submission_deadline", "permit",
                     "exemption_code", "field_entries", "checklist", "warnings", "instead"],
        "properties": {
            "format": {"const": "impplus-assessment/2"},
            "lang": {"enum": ["en", "fr"]},
            "assessment_date": {"type": "string", "format": "date"},
            "purpose": {"enum": ["initial", "extension", "family"]},
            "outcome": {"enum": ["eligible", "not_eligible", "incomplete"]},
            "summary": {"type": "string"},
            "criteria": {"type": "array", "items": {
                "type": "object", "required": ["id", "status", "reason", "source"],
                "properties": {
                    "id": {"enum": ids},
                    "status": {"enum": ["met", "not_met", "unknown", "not_applicable"]},
                    "reason": {"type": "string"}, **_cited(),
                    "also": {"type": "array", "items": {"type": "object", "properties": _cited()}},
                    "instead": {"type": "array", "items": instead},
                }}},
            "form": {"enum": ["IMM 1295", "IMM 5710", None]},
            "processing_office": {"type": ["object", "null"], "required": ["text", "source"],
                                  "properties": {"text": {"type": "string"}, **_cited()}},
            "submission_deadline": {**nullable_date, "description": (
                "Initial applications only: the last day an application can be received and "
                "still meet every dated criterion; null without a letter date and when not "
                "eligible.")},
            "permit": {"type": ["object", "null"], "description": "null when not eligible",
                       "properties": {
                "months": {"type": ["integer", "null"]},
                "capped_by_passport_expiry": nullable_date,
                "capped_if_issued_after": nullable_date,
                "ends_no_later_than": nullable_date,
                "valid_until": nullable_date,
                "conditions": {"type": "array", "items": {
                    "type": "object", "required": ["id", "text", "source"], "properties": {
                        "id": {"enum": ["location", "province", "medical"]},
                        "text": {"type": "string"}, **_cited()}}}}},
            "exemption_code": {"enum": ["A76", "C41", "C46", "C49", None]},
            "field_entries": {"type": "array", "items": {"type": "object", "properties": {
                "form": {"type": "string"}, "box": {"type": "string"},
                "label": {"type": "string"}, "value": {"type": "string"},
                "suggestion": {"type": "boolean"}, "note": {"type": ["string", "null"]},
                **_cited()}}},
            "checklist": {"type": "array", "items": {"type": "object", "properties": {
                "id": {"type": "string"}, "text": {"type": "string"},
                "proves": {"type": "string"}, "suggestion": {"type": "boolean"}, **_cited()}}},
            "warnings": {"type": "array", "items": {"type": "object", "properties": {
                "id": {"type": "string"}, "text": {"type": "string"},
                "suggestion": {"type": "boolean"}, "prominent": {"type": "boolean"},
                **_cited()}}},
            "instead": {"type": "array", "items": instead},
            "file_id": {"type": ["string", "null"]},
            "fees": {"type": "array", "items": {"type": "object", "properties": {
                "id": {"type": "string"}, "amount": {"type": "integer"},
                "currency": {"const": "CAD"}, "label": {"type": "string"},
                "text": {"type": "string"}, **_cited()}}},
        },
    }


_ERROR = {"type": "object", "required": ["error", "field"], "properties": {
    "error": {"type": "string"}, "field": {"type": ["string", "null"]},
    "errors": {"type": "array", "items": {"type": "object", "properties": {
        "field": {"type": ["string", "null"]}, "error": {"type": "string"}}}}}}


def _error_response(description: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


@lru_cache(maxsize=1)
def openapi_document() -> dict[str, Any]:
    """The OpenAPI 3.1 document of the JSON API, made once per process and shared: read it,
    never change it."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "IMP+ Check API",
            "version": "1.0.0",
            "description": "Assess answers about the IMP+ open work permit for CSQ holders "
                           "outside Quebec (IRCC code A76), as of a date, in English or French. "
                           "Not IRCC, not MIFI, not legal advice; nothing sent is stored.",
        },
        "paths": {
            "/api/v1/assessments": {
                "post": {
                    "operationId": "createAssessment",
                    "summary": "Assess an answers file",
                    "parameters": [
                        {"name": "lang", "in": "query", "required": False,
                         "schema": {"type": "string", "examples": ["en", "fr"]},
                         "description": "Language of reasons and texts: en or fr (fr-CA, FR "
                                        "and the like are French; any other value, English). "
                                        "Without it, Accept-Language decides."},
                    ],
                    "requestBody": {"required": True, "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Answers"}}}},
                    "responses": {
                        "200": {"description": "The assessment", "content": {"application/json": {
                            "schema": {"$ref": "#/components/schemas/Assessment"}}}},
                        "400": _error_response("The body is not JSON"),
                        "413": _error_response("The body is larger than 1 MB"),
                        "422": _error_response("The answers are not valid; `field` names the "
                                               "first wrong field"),
                    },
                }
            },
            "/api/v1/permit-checks": {
                "post": {
                    "operationId": "createPermitCheck",
                    "summary": "Check a permit already issued against IRCC's instructions",
                    "parameters": [
                        {"name": "lang", "in": "query", "required": False,
                         "schema": {"type": "string", "examples": ["en", "fr"]},
                         "description": "Language of reasons and texts, as for assessments."},
                    ],
                    "requestBody": {"required": True, "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Permit"}}}},
                    "responses": {
                        "200": {"description": "The permit check",
                                "content": {"application/json": {"schema": {
                                    "$ref": "#/components/schemas/PermitCheck"}}}},
                        "400": _error_response("The body is not JSON"),
                        "413": _error_response("The body is larger than 1 MB"),
                        "422": _error_response("The permit is not valid; `field` names the "
                                               "first wrong field"),
                    },
                }
            },
            "/api/v1/openapi.json": {
                "get": {"operationId": "getOpenApi", "summary": "This description",
                        "responses": {"200": {"description": "OpenAPI 3.1 document",
                                              "content": {"application/json": {}}}}}
            },
        },
        "components": {"schemas": {"Answers": answers_schema(),
                                   "Assessment": assessment_schema(),
                                   "Permit": permit_schema(),
                                   "PermitCheck": permit_check_schema(), "Error": _ERROR}},
    }
