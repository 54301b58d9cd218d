"""Findings of the text audit against the sources (the officer manual, sources/*.md, FACTS.md):
what each message says, in English and in French. The ids and statuses are checked by the
scenarios in tests/scenarios/audit.json."""

from datetime import date

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


@pytest.mark.parametrize("lang", LANGS)
def test_a_letter_not_yet_received_is_the_summarys_reason_not_the_end_of_letters(lang):
    """A letter dated 2025-01-10 (before the cut-off), received 2025-01-25, assessed
    2025-01-20: the only failure is that the 90 days had not begun."""
    out = _report("outside", {"invitation.dated": "2025-01-10",
                              "invitation.received_on": "2025-01-25"}, date(2025, 1, 20), lang)
    assert {"en": "MIFI", "fr": "MIFI"}[lang] not in out["summary"]
    assert {"en": "only because you had not yet received your letter",
            "fr": "uniquement parce que vous n’aviez pas encore reçu votre lettre"}[lang] \
        in out["summary"]
    assert {"en": "April 25, 2025", "fr": "25\u00a0avril\u00a02025"}[lang] in out["summary"]


@pytest.mark.parametrize("lang", LANGS)
def test_ended_days_are_the_summarys_first_reason(lang):
    out = _report("outside", on=date(2025, 3, 1), lang=lang)
    first = out["summary"].split(". ")[0]
    assert {"en": "ended on January 23, 2025",
            "fr": "a pris fin le 23\u00a0janvier\u00a02025"}[lang] in first


@pytest.mark.parametrize("lang", LANGS)
def test_the_csq_expiry_that_cuts_the_days_short_is_explained_with_its_source(lang):
    """Manual, Eligibility requirements: a PR application "must have been submitted before the
    expiry of the CSQ and still be in progress"; CSQs "are valid for the duration of the
    permanent residence application"."""
    out = _report("outside", {"csq.issued": "2023-01-01"}, lang=lang)
    csq, end, valid, cited = {
        "en": ("Your CSQ expires on January 1, 2025", "January 23, 2025",
               "keeps the CSQ valid", "A76 manual, Eligibility requirements"),
        "fr": ("Votre CSQ expire le 1er\u00a0janvier\u00a02025", "23\u00a0janvier\u00a02025",
               "maintient la validité du CSQ", "Guide A76, Exigences d’admissibilité")}[lang]
    window = next(c for c in out["criteria"] if c["id"] == "submission_window")
    for text in (out["summary"], window["reason"]):
        assert csq in text and end in text and valid in text and cited in text
    assert window["status"] == "met"
    assert any(a["source"].endswith("#eligibility") for a in window["also"])


@pytest.mark.parametrize("lang", LANGS)
def test_the_days_a_letter_not_yet_received_can_be_used_end_with_the_csq(lang):
    out = _report("outside", {"csq.issued": "2023-01-01", "invitation.received_on": "2024-11-20"},
                  lang=lang)
    text = _warning(out, "letter_not_yet_received")["text"]
    assert {"en": "to January 1, 2025", "fr": "au 1er\u00a0janvier\u00a02025"}[lang] in text


@pytest.mark.parametrize("lang", LANGS)
def test_the_principals_extension_is_offered_only_after_a_pr_application(lang):
    """Manual, Extensions: "If a permanent residence application is still in processing, a
    work permit extension may be considered"; C49, Final decision (Duration): a family member's
    application made while the principal works under R186(u) "should be placed on hold"."""
    short = {"principal.permit_expiry": "2025-08-01"}
    out = _report("v2_family", short, lang=lang)
    assert "extension" not in {i["id"] for i in out["instead"]}
    out = _report("v2_family", {**short, "principal.pr_submitted": True}, lang=lang)
    advice = next(i for i in out["instead"] if i["id"] == "extension")
    assert {"en": "placed on hold", "fr": "mise en attente"}[lang] in advice["text"]
    assert {"en": "acknowledgment of receipt", "fr": "accusé de réception"}[lang] in advice["text"]


@pytest.mark.parametrize("lang", LANGS)
def test_a_c49_family_group_is_told_the_principal_enters_canada_first(lang):
    out = _report("v2_family", {"principal.applying_together": True,
                                "principal.pr_submitted": True,
                                "included_in_pr_application": True}, lang=lang)
    w = _warning(out, "enter_with_principal")
    assert w["source"].endswith("c49.html#receipt")
    assert {"en": "before or together with you",
            "fr": "avant vous ou en même temps que vous"}[lang] in w["text"]


@pytest.mark.parametrize("lang", LANGS)
def test_box_3_is_our_suggestion_from_what_the_manual_tells_officers(lang):
    """Manual, Open work permits for family members: "the province of destination should be
    “Quebec,” and not left as “unknown”": an instruction to officers (a GCMS field), with
    "should", not an entry the manual gives for the form."""
    out = _report("v2_family", lang=lang)
    box3 = next(e for e in out["field_entries"] if e["box"] == "3")
    assert box3["suggestion"] is True and box3["value"] == "Quebec"
    assert box3["note"].startswith({"en": "Our suggestion:", "fr": "Notre suggestion\u00a0:"}[lang])
    assert {"en": "tells officers", "fr": "indique aux agents"}[lang] in box3["note"]
    if lang == "fr":
        assert "devrait" in box3["note"] and "doit" not in box3["note"]


@pytest.mark.parametrize("lang", LANGS)
def test_a73_and_a75_name_the_conditions_that_decide_them(lang):
    """a73-csq-holders-in-quebec.md, Eligibility: an offer of employment number (A#) from an
    employer in Quebec, existing authorization to work; a75-bridging-open-work-permit.md: a
    valid work permit or maintained status, a QSWC application past the R10 completeness
    check."""
    out = _report("outside", {"residence": "quebec"}, lang=lang)
    advice = {i["id"]: i["text"] for i in out["instead"]}
    a73 = {"en": ("offer of employment number (A#)", "employer-specific", "authorized to work"),
           "fr": ("numéro d’offre d’emploi (A#)", "lié à un employeur",
                  "autorisé à travailler")}[lang]
    a75 = {"en": ("valid work permit or maintained status", "completeness check (IRPR s. 10)"),
           "fr": ("permis de travail valide ou sous statut maintenu",
                  "contrôle de l’intégralité d’IRCC (article 10 du RIPR)")}[lang]
    assert all(s in advice["a73"] for s in a73) and all(s in advice["a75"] for s in a75)


@pytest.mark.parametrize("lang", LANGS)
def test_an_extension_can_be_applied_for_by_the_expiry_day_before_midnight_utc(lang):
    """A permit is valid through its expiry day; FACTS.md (IRCC's client page): "an online
    application must be submitted before midnight UTC on the day the permit expires"."""
    out = _report("v2_extension", {"current_permit_expiry": "2025-06-01"}, lang=lang)
    text = _warning(out, "apply_before_expiry")["text"]
    assert {"en": "by that day", "fr": "au plus tard ce jour-là"}[lang] in text
    assert {"en": "before that day", "fr": "avant ce jour"}[lang] not in text
    assert {"en": "before midnight UTC on the day the permit expires",
            "fr": "avant minuit UTC le jour où le permis expire"}[lang] in text


@pytest.mark.parametrize("lang", LANGS)
def test_the_letters_cut_off_is_the_one_in_force_on_the_assessment_date(lang):
    """The manual's cut-off (letters dated up to 2025-01-15) exists from 2025-01-16; a 2024
    checklist does not state it."""
    cutoff = {"en": "January 15, 2025", "fr": "15\u00a0janvier\u00a02025"}[lang]

    def proves(on):
        out = _report("outside", {"invitation.dated": "2024-10-20"}, on, lang)
        return next(d["proves"] for d in out["checklist"] if d["id"] == "invitation_letter")
    assert cutoff not in proves(date(2024, 11, 15))
    assert {"en": "90 days", "fr": "90 jours"}[lang] in proves(date(2024, 11, 15))
    assert cutoff in proves(date(2025, 1, 16))


@pytest.mark.parametrize("lang", LANGS)
def test_r200_is_worded_for_someone_who_has_not_applied_for_pr(lang):
    """Manual, Refusal: R200(1)(b) "including any assessment of dual intent"; the example about
    a refused PR application fits only someone who has applied."""
    text = _warning(_report("outside", lang=lang), "r200")["text"]
    assert {"en": "is refused", "fr": "est refusée"}[lang] not in text
    assert {"en": "dual intent", "fr": "double intention"}[lang] in text
    text = _warning(_report("in_canada", lang=lang), "r200")["text"]
    assert {"en": "is refused", "fr": "est refusée"}[lang] in text


# ------------------------------------------------------------------ style (findings 12 to 20)

@pytest.mark.parametrize("lang", LANGS)
def test_the_principals_authorization_does_not_repeat_the_date(lang):
    out = _report("v2_family", {"principal.permit_expiry": "2025-12-01"}, lang=lang)
    reason = _reason(out, "principal_authorization")
    assert {"en": "expires on December 1, 2025, at least 6 months after June 1, 2025 (on or "
                  "after December 1, 2025)",
            "fr": "expire le 1er\u00a0décembre\u00a02025, au moins 6 mois après le "
                  "1er\u00a0juin\u00a02025 (le 1er\u00a0décembre\u00a02025 ou après)"}[lang] \
        in reason


def test_french_calques_and_terms_are_gone_from_the_catalogue():
    """Findings 13, 14, 16: the French says « est égal ou postérieur à cette date », « il faut
    demander le rétablissement », « courent », « reçue dans la limite du plafond », « époux ou
    conjoint de fait », « une ville précise »."""
    from babel.messages.pofile import read_po

    from conftest import ROOT
    with (ROOT / "translations" / "fr" / "LC_MESSAGES" / "messages.po").open("rb") as f:
        french = " ".join(m.string for m in read_po(f) if m.id and isinstance(m.string, str))
    for calque in ("correspond à cette date ou lui est postérieur", "la voie de retour",
                   "est avant le premier", "Compté à partir de", "comptent à partir du jour",
                   "entrer dans le plafond", "conjoint ou conjoint de fait",
                   "Le conjoint ou le conjoint de fait", "ville en particulier"):
        assert calque not in french, calque


@pytest.mark.parametrize("lang", LANGS)
def test_r206_outside_canada_says_it_does_not_apply(lang):
    out = _report("outside", lang=lang)
    assert _reason(out, "r206_permit").startswith({
        "en": "You live outside Canada, so this does not apply:",
        "fr": "Vous résidez à l’extérieur du Canada, donc cela ne s’applique pas\u00a0:"}[lang])


@pytest.mark.parametrize("lang", LANGS)
def test_the_manual_processes_applications_not_letters(lang):
    """Manual, opening paragraphs: "Officers will continue to process all work permit
    applications ... where the letters of invitation issued by MIFI are dated up to January
    15, 2025"."""
    out = _report("outside", {"invitation.dated": "2025-02-01"}, date(2025, 3, 1), lang)
    expected = {"en": "only applications with a letter dated up to January 15, 2025",
                "fr": "seules sont traitées les demandes accompagnées d’une lettre datée au plus "
                      "tard du 15\u00a0janvier\u00a02025"}[lang]
    for text in (out["summary"], _warning(out, "invitations_stopped")["text"],
                 _reason(out, "invitation")):
        assert expected.lower() in text.lower(), text


@pytest.mark.parametrize("lang", LANGS)
def test_the_2022_cap_citation_has_no_nested_brackets(lang):
    out = _report("outside", {"invitation.dated": "2022-12-01", "csq.issued": "2022-06-01",
                              "invitation.received_on": "2022-12-01"}, date(2022, 12, 31), lang)
    assert out["outcome"] == "eligible"
    assert {"en": "(Background article on IMP+, not an IRCC source)",
            "fr": "(Article de contexte sur le PMI+, source autre qu’IRCC)"}[lang] in out["summary"]
    assert "))" not in out["summary"]


@pytest.mark.parametrize("lang", LANGS)
def test_the_medical_condition_names_agricultural_occupations(lang):
    """open-work-permit-general.md: persons from designated countries: "Not authorized to work
    in 1) child care, 2) primary or secondary school teaching, 3) health services field
    occupations, 4) agricultural occupations.\""""
    out = _report("outside", lang=lang)
    medical = next(c["text"] for c in out["permit"]["conditions"] if c["id"] == "medical")
    assert {"en": "agricultural occupations", "fr": "professions agricoles"}[lang] in medical
    assert {"en": "designated country", "fr": "pays désigné"}[lang] in medical


@pytest.mark.parametrize("lang", LANGS)
def test_the_midnight_utc_citation_is_not_nested_in_brackets(lang):
    out = _report("v2_extension", lang=lang)
    assert "))" not in _warning(out, "apply_before_expiry")["text"]


@pytest.mark.parametrize("lang", LANGS)
def test_an_expired_permit_is_the_extensions_headline_with_the_days_to_restore(lang):
    """Issue 17: the headline gives this person's decisive reason first. An extension is applied
    for before the permit expires (FACTS.md: maintained status); after it, restoration within
    90 days (IRPR s. 182): here a permit that expired on 2026-10-20, assessed 2026-11-30."""
    out = _report("v2_extension", {"current_permit_expiry": "2026-10-20"}, date(2026, 11, 30),
                  lang)
    assert out["outcome"] == "not_eligible"
    expired, last, way = {
        "en": ("your permit expired on October 20, 2026", "January 18, 2027",
               "The way back is to restore your status"),
        "fr": ("votre permis a expiré le 20\u00a0octobre\u00a02026", "18\u00a0janvier\u00a02027",
               "La voie de retour est de rétablir votre statut")}[lang]
    assert expired in out["summary"].split(". ")[0] and last in out["summary"]
    assert way in out["summary"]
    assert {"en": "at least one criterion", "fr": "au moins un critère"}[lang] not in \
        out["summary"]
    # 90 days later the days to restore have ended: the summary says so, and offers nothing
    late = _report("v2_extension", {"current_permit_expiry": "2026-06-01"}, date(2026, 11, 30),
                   lang)
    assert {"en": "ended on August 30, 2026",
            "fr": "ont pris fin le 30\u00a0août\u00a02026"}[lang] in late["summary"]
    assert way not in late["summary"]


@pytest.mark.parametrize("lang", LANGS)
def test_a_not_eligible_headline_gives_the_first_criterion_not_met_in_its_own_words(lang):
    """Issue 17 (a user's walk): "at least one criterion is not met" hid the reason. An
    extension without a permanent residence application says why first; with two criteria not
    met, the second is announced below."""
    out = _report("v2_extension", {"pr_application": {"submitted": False}}, lang=lang)
    reason = _reason(out, "pr_in_progress")
    assert out["outcome"] == "not_eligible"
    assert out["summary"].endswith(reason)
    assert {"en": "at least one criterion", "fr": "au moins un critère"}[lang] not in \
        out["summary"]
    two = _report("v2_family", {"principal.permit_expiry": "2025-09-01",
                                "principal.lives_in_quebec": False}, lang=lang)
    first = _reason(two, "principal_authorization")
    assert two["summary"].index(first) < two["summary"].index(
        {"en": "Another criterion is not met either",
         "fr": "Un autre critère n’est pas rempli non plus"}[lang])


@pytest.mark.parametrize("lang", LANGS)
def test_a_family_members_code_in_the_extension_points_to_the_family_questions(lang):
    """A C41 holder who chose "extension" is sent to the family-member questions (manual, Open
    work permits for family members), not only to the permit check."""
    out = _report("v2_extension", {"current_permit_code": "C41"}, lang=lang)
    ids = [i["id"] for i in out["instead"]]
    assert ids[0] == "family" and "permit_check" in ids
    assert "C41" in out["instead"][0]["text"]
    assert [i["id"] for i in _report("v2_extension", {"current_permit_code": "B12"},
                                     lang=lang)["instead"]][0] == "permit_check"


@pytest.mark.parametrize("lang", LANGS)
def test_restoration_says_work_cannot_go_on_meanwhile_with_its_source(lang):
    """conditions-and-validity.md, implied status period: once the permit has expired, an
    application for restoration cannot trigger R186(u)."""
    out = _report("v2_extension", {"current_permit_expiry": "2025-05-01"}, lang=lang)
    text = next(i["text"] for i in out["instead"] if i["id"] == "restoration")
    assert {"en": "IRPR s. 186(u) applies only to a renewal applied for before the permit "
                  "expires",
            "fr": "l’alinéa 186u) du RIPR ne s’applique qu’à un renouvellement demandé avant "
                  "l’expiration du permis"}[lang] in text
    assert {"en": "Conditions imposed during the implied status period",
            "fr": "Conditions imposées pendant la période de statut implicite"}[lang] in text


@pytest.mark.parametrize("lang", LANGS)
def test_c49_says_the_principals_application_must_remain_in_process(lang):
    """c49.md, Eligibility: permanent residence applied for "in an Economic Class that remains
    in process"; the contract asks only whether it was submitted, so the reason says it."""
    out = _report("v2_family", {"principal.pr_submitted": True,
                                "included_in_pr_application": True}, lang=lang)
    assert out["exemption_code"] == "C49"
    assert {"en": "must also remain in process when the officer decides",
            "fr": "toujours en cours de traitement au moment de la décision"}[lang] in \
        _reason(out, "accompanying_dependant")


@pytest.mark.parametrize("lang", LANGS)
def test_the_category_criterion_does_not_say_it_still_takes_applications(lang):
    out = _report("outside", on=date(2026, 11, 30), lang=lang)
    reason = _reason(out, "program")
    assert {"en": "took effect on May 24, 2022",
            "fr": "est entrée en vigueur le 24\u00a0mai\u00a02022"}[lang] in reason
    assert {"en": "has taken applications", "fr": "accepte des demandes"}[lang] not in reason


@pytest.mark.parametrize("lang", LANGS)
def test_an_extension_without_a_pr_application_is_shown_the_quebec_categories(lang):
    """A newcomer's walk: an A76 holder (who lives in Quebec) without a permanent residence
    application was offered only a representative; the A73 and A75 categories for CSQ holders
    in Quebec (IRCC's Quebec cases index) are the ways on, as for a Quebec resident."""
    out = _report("v2_extension", {"pr_application": {"submitted": False}}, lang=lang)
    assert [i["id"] for i in out["instead"]][:2] == ["a73", "a75"]
    decided = _report("v2_extension", {"pr_application.status": "approved"}, lang=lang)
    assert "a73" not in [i["id"] for i in decided["instead"]]
