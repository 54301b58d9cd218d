"""Findings of the text audit against the sources (the officer manual, sources/*.md, FACTS.md):
what each message says, in English and in French. The ids and statuses are checked by the
scenarios in tests/scenarios/audit.json."""


import pytest

from conftest import build_answers
from webapp.report import report
from webapp.rules import assess, parse_answers

LANGS = ("en", "fr")


def _report(base, changes=None, on=None, lang="en"):
    return report(assess(parse_answers(build_answers(base, changes)), on), lang)


def _warning(out, wid):
    return next(w for w in out["warnings"] if w["id"] == wid)


def _reason(out, cid):
    return next(c["reason"] for c in out["criteria"] if c["id"] == cid)


@pytest.mark.parametrize("lang", LANGS)
def test_an_expired_passport_states_the_rule_and_labels_renewing_as_ours(lang):
    """conditions-and-validity.md: officers "cannot issue a work permit ... beyond the validity
    of the passport"; nothing says to renew it before applying, which could make a first
    applicant miss the last day to submit (here 2025-01-23)."""
    out = _report("outside", {"passport_expiry": "2024-11-01"}, lang=lang)
    w = _warning(out, "passport_expired")
    assert w["prominent"] and w["source"].endswith("#validity")
    rule, ours, day = {
        "en": ("cannot issue a work permit beyond the validity of the passport",
               "Our suggestion: renew it as soon as you can", "January 23, 2025"),
        "fr": ("ne peuvent pas délivrer un permis de travail au-delà de la validité du passeport",
               "Notre suggestion\u00a0: renouvelez-le dès que possible",
               "23\u00a0janvier\u00a02025")}[lang]
    assert rule in w["text"] and ours in w["text"] and day in w["text"]
    assert {"en": "before you apply", "fr": "avant de présenter"}[lang] not in w["text"]


@pytest.mark.parametrize("lang", LANGS)
def test_an_expired_passport_does_not_make_an_extension_miss_the_permit_expiry(lang):
    out = _report("v2_extension", {"passport_expiry": "2025-05-01"}, lang=lang)
    text = _warning(out, "passport_expired")["text"]
    assert {"en": "August 1, 2025", "fr": "1er\u00a0août\u00a02025"}[lang] in text
    assert {"en": "the day your current permit expires",
            "fr": "jour d’expiration de votre permis actuel"}[lang] in text


@pytest.mark.parametrize("lang", LANGS)
def test_a_family_members_expired_passport_gets_the_suggestion_without_a_day(lang):
    out = _report("v2_family", {"passport_expiry": "2025-05-01"}, lang=lang)
    text = _warning(out, "passport_expired")["text"]
    assert text.endswith({"en": "Our suggestion: renew it as soon as you can.",
                          "fr": "Notre suggestion\u00a0: renouvelez-le dès que possible."}[lang])
