"""JSON API: POST /api/v1/assessments, and its OpenAPI description."""

from __future__ import annotations

import json

from flask import Blueprint, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from .i18n import localize
from .openapi import openapi_document
from .report import report
from .savefile import MAX_BYTES
from .rules import AnswersError, assess, msg, parse_answers

api = Blueprint("api", __name__, url_prefix="/api/v1")


def _lang() -> str:
    from .app import request_language

    return request_language()


def _error(status: int, text, field: str | None, lang: str, errors=()):
    body = {"error": localize(text, lang), "field": field}
    if errors:
        body["errors"] = [{"field": f, "error": localize(t, lang)} for f, t in errors]
    response = jsonify(body)
    response.status_code = status
    response.headers["Content-Language"] = lang
    return response


@api.post("/assessments")
def create_assessment():
    """POST /api/v1/assessments: an answers object in, its report (webapp.report, in the
    request's language) out with 200; 400 for a body that is not JSON, 422 with every field in
    error for answers that cannot be read, 413 over 1 MB."""
    lang = _lang()
    raw = request.get_data(cache=False)  # over MAX_CONTENT_LENGTH: 413, from too_large()
    if len(raw) > MAX_BYTES:  # that cap is a little higher, for the upload form
        raise RequestEntityTooLarge()
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return _error(400, msg("The request body is not JSON. Send an answers object with "
                               "Content-Type: application/json."), None, lang)
    try:
        answers = parse_answers(data)
    except AnswersError as e:
        return _error(422, e.message, e.field, lang, e.errors)
    response = jsonify(report(assess(answers), lang))
    response.headers["Content-Language"] = lang
    return response


@api.errorhandler(413)
def too_large(_error_):
    """413 as JSON, in the request's language."""
    return _error(413, msg("The request is larger than 1 MB."), None, _lang())


@api.get("/openapi.json")
def openapi():
    """GET /api/v1/openapi.json: the OpenAPI description (webapp.openapi)."""
    return jsonify(openapi_document())
