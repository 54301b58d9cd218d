"""The permit check (CONTRACT.md, "Permit check (v2)"): real-looking permits for each code
through the rules, the command line, the API and the wizard, in English and French."""

import csv
import io
import json
import re
import subprocess
import sys

import pytest

from conftest import ROOT
from webapp import create_app
from webapp.i18n import localize
from webapp.report import permit_check_report
from webapp.rules import PermitError, check_permit, parse_permit
from webapp.rules.permit_check import CHECK_IDS
from webapp.rules.sources import SOURCES

# Permits as their holders read them (made up).
A76_PASSPORT = {  # issued 2024-06-10; 36 months would be 2027-06-10; the passport ends first
    "format": "impplus-permit/1", "code": "A76", "issued": "2024-06-10",
    "expires": "2026-03-01", "passport_expiry": "2026-03-01", "province": "QC",
    "city": "Quebec NES", "employer": "OPEN", "occupation": "OPEN", "location_condition": True,
    "medical_condition": False, "medical_exam_done": True}
A76_FULL = {**A76_PASSPORT, "expires": "2027-06-10", "passport_expiry": "2031-01-01"}
C41_PRINCIPAL = {  # a spouse's permit ending with the principal's
    "code": "c-41", "issued": "2024-09-02", "expires": "2027-06-10",
    "passport_expiry": "2030-05-05", "principal_permit_expiry": "2027-06-10",
    "province": "Québec", "employer": "Open", "occupation": "Open", "location_condition": True,
    "medical_condition": True, "medical_exam_done": False}
C49_OUVERT = {  # a child's permit, printed in French
    "code": "C49", "issued": "2025-02-01", "expires": "2026-11-30",
    "passport_expiry": "2026-11-30", "principal_permit_expiry": "2027-04-01",
    "province": " québec ", "employer": "Ouvert", "occupation": "OUVERT",
    "location_condition": True, "medical_condition": False, "medical_exam_done": True}
C46_CITY = {**C41_PRINCIPAL, "code": "C46", "city": "Montréal"}
A76_NO_MEDICAL = {**A76_FULL, "medical_condition": False, "medical_exam_done": False}


def statuses(data):
    return check_permit(parse_permit(data)).statuses()


def todo(data):
    return [i.id for i in check_permit(parse_permit(data)).what_to_do]


# ------------------------------------------------------------------ rules


def test_a76_ending_on_the_passport_is_ok_and_says_renew_then_extend():
    assert set(statuses(A76_PASSPORT).values()) == {"ok"}
    assert todo(A76_PASSPORT) == ["passport_cap"]


def test_a76_for_36_months_matches_everything_and_has_nothing_to_do():
    result = check_permit(parse_permit(A76_FULL))
    assert set(result.statuses().values()) == {"ok"} and result.what_to_do == ()
    assert "nothing to correct" in result.summary.msgid


def test_c41_ending_with_the_principal_and_a_medical_restriction():
    assert set(statuses(C41_PRINCIPAL).values()) == {"ok"}
    assert todo(C41_PRINCIPAL) == ["remove_medical_condition"]
    assert check_permit(parse_permit(C41_PRINCIPAL)).code == "C41"


def test_c49_open_in_french_ending_on_the_passport():
    assert set(statuses(C49_OUVERT).values()) == {"ok"}
    assert todo(C49_OUVERT) == ["passport_cap"]


def test_a_permit_naming_a_city_differs_and_points_to_the_correction_form():
    s = statuses(C46_CITY)
    assert s["province"] == "differs" and todo(C46_CITY)[0] == "correct_error"
    assert statuses({**A76_FULL, "city": "Montreal, QC"})["province"] == "differs"
    for general in ("Quebec NES", "QUÉBEC NES", "Unknown", "Inconnu"):
        assert statuses({**C46_CITY, "city": general})["province"] == "ok"


def test_a_named_city_is_explained_by_the_code_s_own_instructions():
    """A76: the approval table's "Quebec NES"; a family member: Quebec in general, with nothing
    of A76's "Quebec NES" (the manual's section on family members does not mention it)."""
    def reason(data, lang):
        finding = {f.id: f for f in check_permit(parse_permit(data)).checks}["province"]
        return localize(finding.reason, lang)

    for lang in ("en", "fr"):
        assert "Quebec NES" in reason({**A76_FULL, "city": "Montreal"}, lang)
        family = reason(C46_CITY, lang)
        assert "Montréal" in family
        assert "NES" not in family and "A76" not in family, family
        unknown = reason({**C46_CITY, "code": None}, lang)
        assert "Quebec NES" in unknown
    assert "family member’s permit to Quebec in general" in reason(C46_CITY, "en")
    assert "membre de la famille au Québec en général" in reason(C46_CITY, "fr")


def summary(data, lang):
    return localize(check_permit(parse_permit(data)).summary, lang)


def test_the_summary_names_the_one_check_that_differs_with_both_values():
    """The headline says which item differs, what the permit shows and what the instructions
    say (a user test found "something differs… see the checks below" buried the mismatch)."""
    employer = {**C41_PRINCIPAL, "employer": "Acme Inc."}
    assert summary(employer, "en").startswith(
        "The employer differs from what IRCC’s instructions say: the permit names “Acme Inc.”, "
        "the instructions say “Open”.")
    assert summary(employer, "fr").startswith(
        "L’employeur diffère de ce que disent les instructions d’IRCC\u00a0: le permis indique "
        "«\u00a0Acme Inc.\u00a0», les instructions prévoient «\u00a0Open\u00a0» (ouvert).")
    late = {**C41_PRINCIPAL, "expires": "2027-09-01"}
    assert ("the permit ends on September 1, 2027, the instructions say no later than June 10, "
            "2027.") in summary(late, "en")
    assert ("le permis prend fin le 1er\u00a0septembre\u00a02027, les instructions prévoient au "
            "plus tard le 10\u00a0juin\u00a02027.") in summary(late, "fr")
    assert "the permit names “Montréal”" in summary(C46_CITY, "en")
    assert "the permit does not show it" in summary(
        {**C41_PRINCIPAL, "location_condition": False}, "en")
    assert summary(A76_NO_MEDICAL, "en").startswith("The restriction on occupations differs")


def test_the_summary_lists_every_check_that_differs_in_the_checks_order():
    several = {**C46_CITY, "expires": "2027-09-01", "employer": "Acme Inc."}
    assert ("differ from what IRCC’s instructions say: the expiry date, the province or city "
            "and the employer.") in summary(several, "en")
    assert ("diffèrent de ce que disent les instructions d’IRCC\u00a0: la date d’expiration, la "
            "province ou la ville et l’employeur.") in summary(several, "fr")
    two = {**C41_PRINCIPAL, "employer": "Acme Inc.", "occupation": "Cook"}
    assert ": the employer and the occupation." in summary(two, "en")
    # The JSON keeps its checks in CHECK_IDS' order, whatever differs (CONTRACT.md).
    assert [c["id"] for c in permit_check_report(check_permit(parse_permit(several)))[
        "checks"]] == list(CHECK_IDS)


def test_a_missing_medical_condition_differs():
    assert statuses(A76_NO_MEDICAL)["medical_condition"] == "differs"
    assert todo(A76_NO_MEDICAL) == ["correct_error"]


@pytest.mark.parametrize("province,status", [
    ("Quebec", "ok"), ("Québec", "ok"), ("QC", "ok"), ("qc", "ok"), (" Q U E B E C ", "ok"),
    ("QUÉBEC", "ok"), ("Ontario", "differs"), ("Unknown", "differs"), (None, "cannot_tell")])
def test_province(province, status):
    assert statuses({**A76_FULL, "province": province})["province"] == status


@pytest.mark.parametrize("field", ["employer", "occupation"])
@pytest.mark.parametrize("value,status", [
    ("Open", "ok"), ("OPEN", "ok"), ("Ouvert", "ok"), ("ouverte", "ok"),
    ("Tim Hortons", "differs"), (None, "cannot_tell")])
def test_employer_and_occupation_are_open(field, value, status):
    assert statuses({**A76_FULL, field: value})[field] == status


@pytest.mark.parametrize("code", ["A76", "C41", "C46", "C49", None])
@pytest.mark.parametrize("shown,status", [(True, "ok"), (False, "differs"),
                                          (None, "cannot_tell")])
def test_location_condition_is_expected_for_every_code(code, shown, status):
    finding = check_permit(parse_permit({"code": code, "location_condition": shown})).checks[4]
    assert (finding.id, finding.status, finding.expected) == ("location_condition", status, True)


@pytest.mark.parametrize("exam,shown,status", [
    (False, True, "ok"), (True, False, "ok"), (False, False, "differs"), (True, True, "differs"),
    (None, True, "cannot_tell"), (False, None, "cannot_tell")])
def test_medical_condition_present_exactly_without_an_examination(exam, shown, status):
    data = {"code": "A76", "medical_exam_done": exam, "medical_condition": shown}
    assert statuses(data)["medical_condition"] == status
    assert ("remove_medical_condition" in todo(data)) == (shown is True and exam is not True)


@pytest.mark.parametrize("change,status", [
    ({}, "ok"),
    ({"expires": "2027-06-09"}, "differs"),  # shorter, the passport being valid longer
    ({"expires": "2027-06-11"}, "differs"),  # longer than 36 months
    ({"expires": "2031-01-02", "passport_expiry": "2031-01-01"}, "differs"),  # beyond passport
    ({"passport_expiry": None}, "ok"),
    ({"passport_expiry": None, "expires": "2026-01-01"}, "cannot_tell"),  # the passport?
    ({"issued": None}, "cannot_tell"),
    ({"expires": None}, "cannot_tell"),
    ({"code": None}, "cannot_tell"),
    ({"extension": True, "issued": "2027-06-01", "expires": "2028-06-01"}, "ok"),
    ({"extension": True, "issued": "2027-06-01", "expires": "2028-02-01"}, "ok"),  # discretion
    ({"extension": True, "issued": "2027-06-01", "expires": "2031-06-01"}, "differs"),
])
def test_a76_validity(change, status):
    assert statuses({**A76_FULL, **change})["validity"] == status


@pytest.mark.parametrize("change,status", [
    ({}, "ok"),
    ({"expires": "2027-06-11"}, "differs"),  # after the principal's permit
    ({"expires": "2027-01-01"}, "ok"),  # earlier: the instructions set only the latest day
    ({"principal_permit_expiry": None}, "cannot_tell"),
    ({"passport_expiry": "2027-01-01"}, "differs"),
    ({"passport_expiry": "2027-06-10", "principal_permit_expiry": None}, "cannot_tell"),
])
def test_family_validity(change, status):
    assert statuses({**C41_PRINCIPAL, **change})["validity"] == status


def test_nothing_given_is_cannot_tell_everywhere():
    result = check_permit(parse_permit({}))
    assert [c.id for c in result.checks] == list(CHECK_IDS)
    assert set(result.statuses().values()) == {"cannot_tell"} and result.what_to_do == ()


def test_every_check_and_advice_cites_a_section():
    for data in (A76_PASSPORT, C41_PRINCIPAL, C46_CITY, A76_NO_MEDICAL, {}):
        result = check_permit(parse_permit(data))
        for item in (*result.checks, *result.what_to_do):
            assert item.source in SOURCES and SOURCES[item.source].url
            assert "#" in SOURCES[item.source].url or "qnum=" in SOURCES[item.source].url \
                or "ClientContact" in SOURCES[item.source].url


def test_bad_input_names_every_field():
    with pytest.raises(PermitError) as e:
        parse_permit({"code": "A75", "issued": "2025-02-30", "expires": "soon",
                      "location_condition": "yes", "format": "impplus-answers/1"})
    assert [f for f, _ in e.value.errors] == ["format", "code", "issued", "expires",
                                               "location_condition"]
    with pytest.raises(PermitError) as e:
        parse_permit({"code": "Ａ７６", "issued": "2026-01-02", "expires": "2026-01-01"})
    assert [f for f, _ in e.value.errors] == ["issued"]
    with pytest.raises(PermitError):
        parse_permit({"code": "А76"})  # a Cyrillic А
    with pytest.raises(PermitError):
        parse_permit([1, 2])


# ------------------------------------------------------------------ API


@pytest.fixture(scope="module")
def client():
    return create_app("test").test_client()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_api_checks_a_permit_in_each_language(client, lang):
    r = client.post(f"/api/v1/permit-checks?lang={lang}", json=A76_PASSPORT)
    assert r.status_code == 200 and r.headers["Content-Language"] == lang
    body = r.get_json()
    assert body["format"] == "impplus-permit-check/1" and body["code"] == "A76"
    assert [c["id"] for c in body["checks"]] == list(CHECK_IDS)
    validity = body["checks"][0]
    assert validity["expected"] == validity["found"] == "2026-03-01"
    assert validity["source"].endswith("#approval")
    assert [i["id"] for i in body["what_to_do"]] == ["passport_cap"]
    if lang == "fr":
        assert "1er\u00a0mars\u00a02026" in validity["text"]
        assert "passeport" in body["what_to_do"][0]["text"]


@pytest.mark.parametrize("lang,word", [("en", "after the expiry date"),
                                       ("fr", "postérieur à la date d’expiration")])
def test_api_errors_are_422_naming_the_field(client, lang, word):
    r = client.post(f"/api/v1/permit-checks?lang={lang}",
                    json={"code": "B12", "issued": "2026-02-01", "expires": "2026-01-01"})
    assert r.status_code == 422
    body = r.get_json()
    assert body["field"] == "code" and [e["field"] for e in body["errors"]] == ["code", "issued"]
    assert word in body["errors"][1]["error"]
    assert client.post("/api/v1/permit-checks", data="{").status_code == 400


def test_openapi_describes_the_permit_check_from_the_parser_table(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert "/api/v1/permit-checks" in doc["paths"]
    schemas = doc["components"]["schemas"]
    assert set(schemas["Permit"]["properties"]) >= {"code", "issued", "expires", "province",
                                                    "medical_exam_done", "city"}
    assert schemas["PermitCheck"]["properties"]["checks"]["items"]["properties"]["id"][
        "enum"] == list(CHECK_IDS)


def test_report_ids_do_not_change_with_the_language():
    en = permit_check_report(check_permit(parse_permit(C46_CITY)), "en")
    fr = permit_check_report(check_permit(parse_permit(C46_CITY)), "fr")
    strip = lambda r: [(c["id"], c["status"], c["expected"], c["found"]) for c in r["checks"]]  # noqa: E731
    assert strip(en) == strip(fr) and en["summary"] != fr["summary"]


# ------------------------------------------------------------------ command line


def run(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "webapp.cli", *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_cli_jsonl_and_csv(tmp_path, lang):
    files = []
    for name, data in (("a76", A76_PASSPORT), ("c41", C41_PRINCIPAL), ("c49", C49_OUVERT),
                       ("c46city", C46_CITY), ("bad", {"code": "X1", "expires": "2026-99-01"})):
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        files.append(str(path))
    r = run("check-permit", *files, "--lang", lang)
    assert r.returncode == 2
    lines = [json.loads(line) for line in r.stdout.splitlines()]
    assert [line.get("code") for line in lines[:4]] == ["A76", "C41", "C49", "C46"]
    assert [e["field"] for e in lines[4]["errors"]] == ["code", "expires"]
    r = run("check-permit", *files, "--lang", lang, "--format", "csv")
    assert r.stdout.startswith("\ufeff")  # for spreadsheets, as `assess --format csv`
    rows = list(csv.reader(io.StringIO(r.stdout[1:])))
    assert rows[0] == ["file", "code", "differs", "cannot_tell", "ok", "what_to_do", "summary",
                       "error"]
    assert rows[4][1:3] == ["C46", "province"]
    assert "X1" in rows[5][-1] and " | " in rows[5][-1]
    r = run("check-permit", "-", "--lang", lang, stdin=json.dumps(A76_FULL))
    assert r.returncode == 0 and json.loads(r.stdout)["what_to_do"] == []


# ------------------------------------------------------------------ the wizard journey

SECTION = {"en": "check-permit", "fr": "verifier-permis"}


@pytest.fixture
def web():
    app = create_app("test")
    app.config["WTF_CSRF_ENABLED"] = False
    return app.test_client()


def walk(web, lang, answers):
    """Answer each page the journey shows, from the start page's link; returns the last
    response (the check page)."""
    start = web.get(f"/{lang}/")
    url = re.search(rf'href="(/{lang}/{SECTION[lang]}/[^"]+)"', start.text).group(1)
    while not url.endswith(("/check-your-answers", "/verifier-vos-reponses")):
        slug = url.rsplit("/", 1)[1]
        r = web.post(url, data=answers[slug])
        assert r.status_code == 302, (slug, r.text[:2000])
        url = r.headers["Location"]
    return web.get(url)


A76_PAGES = {
    "en": {"code": {"code": "a76"}, "date-of-issue": {"day": "10", "month": "6", "year": "2024"},
           "expiry-date": {"day": "1", "month": "3", "year": "2026"},
           "extension": {"answer": "no"},
           "passport-expiry": {"day": "1", "month": "3", "year": "2026"},
           "province": {"text": "Québec"}, "city": {"dont_know": "1"},
           "employer": {"text": "OPEN"}, "occupation": {"text": "Open"},
           "location-condition": {"answer": "yes"}, "medical-condition": {"answer": "yes"},
           "medical-examination": {"answer": "no"}},
}
A76_PAGES["fr"] = dict(zip(
    ["code", "date-de-delivrance", "date-expiration", "prolongation", "expiration-passeport",
     "province", "ville", "employeur", "profession", "condition-lieu", "condition-medicale",
     "examen-medical"], A76_PAGES["en"].values()))


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_journey_from_the_start_page_to_the_result(web, lang):
    check = walk(web, lang, A76_PAGES[lang])
    assert check.status_code == 200
    assert ("Ce n’est pas indiqué / Je ne sais pas" if lang == "fr"
            else "It is not printed / I don’t know") in check.text
    result = web.get(f"/{lang}/{SECTION[lang]}/{'resultat' if lang == 'fr' else 'result'}")
    assert result.status_code == 200 and f'<html lang="{lang}">' in result.text
    text = result.text
    assert text.count('class="criterion criterion-ok"') == 6
    assert "#approval" in text and "qnum=844" in text  # each check beside its source
    assert ("1er\u00a0mars\u00a02026" if lang == "fr" else "March 1, 2026") in text
    pdf = ("verifier-permis/verification-permis.pdf" if lang == "fr"
           else "check-permit/permit-check.pdf")
    assert f'href="/{lang}/{pdf}"' in text
    assert ("Télécharger cette vérification (PDF)" if lang == "fr"
            else "Download this check (PDF)") in text


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_result_shows_the_checks_that_differ_first(web, lang):
    """Employer and medical restriction differ: they come first, in the checks' order, then the
    others in theirs (the JSON keeps CHECK_IDS' order: see the summary's test above)."""
    pages = dict(A76_PAGES[lang])
    employer, medical = (("employer", "medical-condition") if lang == "en"
                         else ("employeur", "condition-medicale"))
    pages[employer], pages[medical] = {"text": "Acme Inc."}, {"answer": "no"}
    walk(web, lang, pages)
    text = web.get(f"/{lang}/{SECTION[lang]}/{'resultat' if lang == 'fr' else 'result'}").text
    shown = re.findall(r'class="criterion criterion-(\w+)"', text)
    assert shown == ["differs", "differs", "ok", "ok", "ok", "ok"], shown
    titles = re.findall(r"<h3>([^<]+?) <span", text)
    assert titles == (["Employer", "Restriction on occupations (no medical examination)",
                       "Expiry date", "Province and city", "Occupation", "Location condition"]
                      if lang == "en" else
                      ["Employeur", "Restriction sur les professions (sans examen médical)",
                       "Date d’expiration", "Province et ville", "Profession",
                       "Condition sur le lieu de travail"])
    assert ("Several things on your permit differ" if lang == "en"
            else "Plusieurs mentions de votre permis diffèrent") in text


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_bad_input_shows_the_error_and_keeps_what_was_typed(web, lang):
    base = f"/{lang}/{SECTION[lang]}/"
    r = web.post(base + "code", data={"code": "A75"})
    assert r.status_code == 400 and 'value="A75"' in r.text and 'role="alert"' in r.text
    assert ("Code sur le permis" if lang == "fr" else "Code on the permit") in r.text
    web.post(base + "code", data={"code": "C41"})
    issue = "date-de-delivrance" if lang == "fr" else "date-of-issue"
    expiry = "date-expiration" if lang == "fr" else "expiry-date"
    r = web.post(base + issue, data={"day": "31", "month": "2", "year": "2025"})
    assert r.status_code == 400 and 'value="31"' in r.text
    web.post(base + issue, data={"day": "1", "month": "2", "year": "2026"})
    r = web.post(base + expiry, data={"day": "1", "month": "1", "year": "2026"})
    assert r.status_code == 400 and 'value="2026"' in r.text
    assert ("postérieure à la date d’expiration" if lang == "fr"
            else "after the expiry date") in r.text


def test_answers_from_the_assessment_are_offered_as_defaults(web):
    with web.session_transaction() as s:
        s["a"] = {"purpose": "family", "family": {"passport_expiry": "2030-05-05"},
                  "principal": {"permit_expiry": "2027-06-10"}}
        s["pa"] = {"code": "C41", "issued": "2024-09-02", "expires": "2027-06-10"}
        s["pdone"] = ["code", "issued", "expires"]
    page = web.get("/en/check-permit/passport-expiry").text
    assert 'value="2030"' in page and 'value="5"' in page and "Filled in from" in page
    web.post("/en/check-permit/passport-expiry", data={"day": "5", "month": "5", "year": "2030"})
    page = web.get("/en/check-permit/principal-permit-expiry").text
    assert 'value="2027"' in page and 'value="10"' in page


def test_a_question_for_another_code_is_not_asked(web):
    with web.session_transaction() as s:
        s["pa"] = {"code": "C49"}
        s["pdone"] = ["code", "issued", "expires"]
    r = web.get("/en/check-permit/extension")
    assert r.status_code == 302 and r.headers["Location"].endswith("/passport-expiry")
    assert web.get("/fr/check-permit/code").status_code == 404


def test_back_after_a_change_of_code_leads_to_the_code_not_the_check_page(web):
    """A76 → C41 through Change adds the principal's permit: its Back link is the code page,
    still changing (the check page would only redirect back to it), which shows itself."""
    walk(web, "en", A76_PAGES["en"])
    r = web.post("/en/check-permit/code?change=1", data={"code": "C41"})
    assert r.headers["Location"] == "/en/check-permit/principal-permit-expiry?change=1"
    page = web.get(r.headers["Location"]).text
    back = re.search(r'class="back-link" href="([^"]+)"', page).group(1)
    assert back == "/en/check-permit/passport-expiry?change=1"
    assert web.get(back).status_code == 200
    r = web.post("/en/check-permit/principal-permit-expiry?change=1", data={"dont_know": "1"})
    assert r.headers["Location"] == "/en/check-permit/check-your-answers"
    page = web.get("/en/check-permit/code?change=1").text
    assert 'class="back-link" href="/en/check-permit/check-your-answers"' in page


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_passport_not_known_is_i_dont_know_not_not_printed(web, lang):
    """A newcomer's walk: the passport's expiry page offered "It is not printed / I don't know",
    though a passport is never printed on a permit. Its button, and its answer on the check
    page, are "I don't know"; the permit's own fields keep "It is not printed"."""
    pages = {**A76_PAGES[lang]}
    passport = "expiration-passeport" if lang == "fr" else "passport-expiry"
    pages[passport] = {"dont_know": "1"}
    dont_know, not_printed = {"en": ("I don’t know", "It is not printed / I don’t know"),
                              "fr": ("Je ne sais pas",
                                     "Ce n’est pas indiqué / Je ne sais pas")}[lang]
    check = walk(web, lang, pages).text
    assert check.count(not_printed) == 1  # the city, left blank; the passport: "I don't know"
    page = web.get(f"/{lang}/{SECTION[lang]}/{passport}")
    assert f">{dont_know}</button>" in page.text and not_printed not in page.text
