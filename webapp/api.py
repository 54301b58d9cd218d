"""JSON API: POST /api/v1/assessments, POST /api/v1/permit-checks, and their OpenAPI
description."""

from __future__ import annotations

import json

from flask import Blueprint, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from .i18n import localize
from .openapi import openapi_document
from .report import permit_check_report, report
from .savefile import MAX_BYTES
from .rules import AnswersError, assess, check_permit, msg, parse_answers, parse_permit

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


def _body(lang: str, not_json):
    """(decoded JSON body, None) or (None, a 400 response saying `not_json`) for the request;
    413 over 1 MB."""
    raw = request.get_data(cache=False)  # over MAX_CONTENT_LENGTH: 413, from too_large()
    if len(raw) > MAX_BYTES:  # that cap is a little higher, for the upload form
        raise RequestEntityTooLarge()
    try:
        return json.loads(raw), None
    except (ValueError, RecursionError):
        return None, _error(400, not_json, None, lang)


def _respond(not_json, read, render):
    """The JSON answer to a POSTed object: `read` (the body's decoded JSON to a typed value,
    raising AnswersError) then `render` (that value and a language to a JSON-able dict), with
    Content-Language; 400 with `not_json` for a body that is not JSON, 422 with every field in
    error."""
    lang = _lang()
    data, failed = _body(lang, not_json)
    if failed is not None:
        return failed
    try:
        value = read(data)
    except AnswersError as e:
        return _error(422, e.message, e.field, lang, e.errors)
    response = jsonify(render(value, lang))
    response.headers["Content-Language"] = lang
    return response


@api.post("/assessments")
def create_assessment():
    """POST /api/v1/assessments: an answers object in, its report (webapp.report, in the
    request's language) out with 200; 400 for a body that is not JSON, 422 with every field in
    error for answers that cannot be read, 413 over 1 MB."""
    return _respond(msg("The request body is not JSON. Send an answers object with "
                        "Content-Type: application/json."),
                    parse_answers, lambda answers, lang: report(assess(answers), lang))


@api.post("/permit-checks")
def create_permit_check():
    """POST /api/v1/permit-checks: a permit as printed (impplus-permit/1) in, its check
    (webapp.report.permit_check_report, impplus-permit-check/1, in the request's language) out
    with 200; 400 for a body that is not JSON, 422 with every field in error for a permit that
    cannot be read (a date that is not one, a code other than A76, C41, C46 or C49, a date of
    issue after the expiry), 413 over 1 MB."""
    return _respond(msg("The request body is not JSON. Send a permit object (format "
                        "impplus-permit/1) with Content-Type: application/json."),
                    parse_permit,
                    lambda permit, lang: permit_check_report(check_permit(permit), lang))


@api.errorhandler(413)
def too_large(_error_):
    """413 as JSON, in the request's language."""
    return _error(413, msg("The request is larger than 1 MB."), None, _lang())


@api.get("/openapi.json")
def openapi():
    """GET /api/v1/openapi.json: the OpenAPI description (webapp.openapi)."""
    return jsonify(openapi_document())
