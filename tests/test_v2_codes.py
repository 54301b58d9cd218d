"""Codes after normalisation (CONTRACT.md v2, "Readings fixed by version 2"): NFKC, whitespace,
format characters (U+200B), dash punctuation and U+2212 removed, upper-cased; what is left must be
ASCII letters and digits, "anything else (a Cyrillic А, CJK) is a validation error naming the
field, in the person's language, never a silent 'not A76'". The scenario files check the rules
(tests/scenarios/v2_outputs.json, key `rejected`); these check the same through the JSON API,
in English and in French, since "each one applies to every channel"."""

import pytest

from conftest import build_answers

CYRILLIC_A76 = "\u041076"  # А (U+0410 CYRILLIC CAPITAL LETTER A) 7 6

REJECTED = [
    ("v2_extension", {"current_permit_code": CYRILLIC_A76}, "current_permit_code"),
    ("v2_extension", {"current_permit_code": "A76\u53f7"}, "current_permit_code"),
    ("v2_family", {"principal.permit_code": CYRILLIC_A76}, "principal.permit_code"),
]

READ_AS_A76 = ["\uff21\uff17\uff16", "a76", "A-76", "A76\u200b"]


def _post(client, answers, lang):
    return client.post(f"/api/v1/assessments?lang={lang}", json=answers)


@pytest.mark.parametrize("base, changes, field", REJECTED)
def test_a_code_that_is_not_ascii_after_normalisation_is_refused_naming_the_field(
        client, base, changes, field):
    bodies = {}
    for lang in ("en", "fr"):
        response = _post(client, build_answers(base, changes), lang)
        assert response.status_code in (400, 422), response.get_json()
        body = response.get_json()
        fields = [body.get("field")] + [e.get("field") for e in body.get("errors", [])]
        assert field in fields, body
        assert body["error"].strip()
        bodies[lang] = body["error"]
    assert bodies["en"] != bodies["fr"], bodies  # in the person's language


@pytest.mark.parametrize("code", READ_AS_A76)
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_codes_that_normalise_to_a76_are_read_as_a76_by_the_api(client, code, lang):
    for base, key, criterion in (("v2_extension", "current_permit_code", "current_permit"),
                                 ("v2_family", "principal.permit_code", "principal_permit")):
        response = _post(client, build_answers(base, {key: code}), lang)
        assert response.status_code == 200, response.get_json()
        statuses = {c["id"]: c["status"] for c in response.get_json()["criteria"]}
        assert statuses[criterion] == "met", (code, statuses)
