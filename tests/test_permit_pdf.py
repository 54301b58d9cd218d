"""The permit check's result as a PDF (webapp.permit_pdf, templates/permit.typ), read back with
pypdf as a person or a program reads it: tagged PDF/UA-1 in its language, every check's status,
expected and found values as text, the permit attached as permit.json and read back; the web
download and the command line."""

from __future__ import annotations

import io
import json
import re
from datetime import date

import pytest
from pypdf import PdfReader, PdfWriter

from test_permit_check import A76_PASSPORT, C46_CITY, C49_OUVERT, SECTION, run
from webapp import create_app, permit_pdf, typeset
from webapp.i18n import localize
from webapp.permit_flow import QUESTIONS
from webapp.report import permit_check_report
from webapp.rules import check_permit, msg, parse_permit

ON = date(2025, 6, 2)
PERMITS = {"a76": A76_PASSPORT, "c46": C46_CITY, "c49": C49_OUVERT}
PDF_PATH = {"en": "/en/check-permit/permit-check.pdf",
            "fr": "/fr/verifier-permis/verification-permis.pdf"}
TAGS = {"en": "en-CA", "fr": "fr-CA"}


def norm(text: str) -> str:
    """Whitespace runs (NBSP and line ends included) as one space."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


class Made:
    """A permit check rendered as a PDF, and what pypdf reads back from it."""

    def __init__(self, permit: dict, lang: str):
        self.permit = parse_permit(permit)
        self.report = permit_check_report(check_permit(self.permit), lang)
        self.bytes = permit_pdf.render(self.report, self.permit, ON)
        self.reader = PdfReader(io.BytesIO(self.bytes))
        self.text = norm(" ".join(page.extract_text() for page in self.reader.pages))


@pytest.fixture(scope="module", params=[(n, lang) for n in PERMITS for lang in ("en", "fr")],
                ids=lambda p: f"{p[0]}-{p[1]}")
def made(request):
    name, lang = request.param
    return Made(PERMITS[name], lang)


def test_tagged_in_its_language_with_title_and_outline(made):
    root = made.reader.trailer["/Root"]
    lang = made.report["lang"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712
    assert root["/Lang"] == TAGS[lang]
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712
    meta = made.reader.metadata
    assert meta.title == permit_pdf.title(made.report) and made.report["code"] in meta.title
    assert made.report["summary"] in meta.subject and "IMP+" in root["/Metadata"].get_data(
        ).decode()
    outline = [item.title for item in made.reader.outline if not isinstance(item, list)]
    assert outline == [localize(m, lang) for m in (
        permit_pdf.HEADING, *(msg(s) for s in (
            "What you can do", "Check by check", "The permit as you read it")))]


def test_the_permit_is_attached_as_json_and_reads_back(made):
    root = made.reader.trailer["/Root"]
    names = root["/Names"]["/EmbeddedFiles"]["/Names"]
    assert names[0] == "permit.json"
    spec = names[1].get_object()
    assert spec["/EF"]["/F"].get_object()["/Subtype"] == "/application/json"
    assert spec["/Desc"] == permit_pdf.PERMIT_DESCRIPTION
    inside = json.loads(made.reader.attachments["permit.json"][0])
    assert inside == made.permit.to_dict()
    assert parse_permit(inside).to_dict() == inside  # read back as it was written


def test_every_check_is_in_the_text_with_its_status_and_values(made):
    lang, code = made.report["lang"], made.report["code"]
    assert norm(made.report["summary"]) in made.text
    for c in made.report["checks"]:
        shown = permit_pdf.shown(c, lang, code)
        title = localize(permit_pdf.CHECK_TITLES[c["id"]], lang)
        label = localize(permit_pdf.STATUS_LABELS[c["status"]], lang)
        assert norm(f"{title} {label}") in made.text, (c["id"], title, label)
        expected = localize(msg("The instructions say"), lang)
        assert norm(f"{expected} {shown['expected']}") in made.text, c["id"]
        assert norm(shown["found"]) in made.text, c["id"]
        assert norm(c["text"]) in made.text, c["id"]
        assert norm(c["citation"]) in made.text.replace("- ", "-"), c["id"]
    for i in made.report["what_to_do"]:
        assert norm(i["text"]) in made.text
    disclaimer = localize(permit_pdf.DISCLAIMER, lang)
    assert norm(disclaimer) in made.text
    pages = len(made.reader.pages)
    page_of = "Page {} sur {}" if lang == "fr" else "Page {} of {}"
    for n, page in enumerate(made.reader.pages, 1):
        assert page_of.format(n, pages) in norm(page.extract_text())


def test_the_expected_cases_read_as_they_should():
    a76 = Made(A76_PASSPORT, "en")
    assert "Expiry date Matches The instructions say March 1, 2026" in a76.text
    assert "passport" in a76.report["what_to_do"][0]["text"]
    c46 = Made(C46_CITY, "fr")
    assert "Province et ville Diffère" in c46.text and "Montréal" in c46.text
    # A heading and a label that are nouns, the French agreeing with « condition »
    assert "Date d’expiration Conforme Les instructions prévoient au plus tard le 10 juin" \
        in c46.text and "Date d’expiration 10 juin 2027" in c46.text
    assert ("Condition sur le lieu de travail Conforme Les instructions prévoient indiquée sur "
            "le permis") in c46.text
    c49 = Made(C49_OUVERT, "fr")
    assert "Employeur Conforme Les instructions prévoient Ouvert Votre permis Ouvert" in c49.text
    assert "Code sur le permis : C49" in c49.text


def test_the_checks_that_differ_come_first():
    """As on the result page: the differing checks first, each group in the checks' order."""
    made = Made({**C46_CITY, "employer": "Acme Inc."}, "en")
    order = [made.text.index(f"{title} {label}") for title, label in (
        ("Province and city", "Differs"), ("Employer", "Differs"), ("Expiry date", "Matches"),
        ("Occupation", "Matches"), ("Location condition", "Matches"))]
    assert order == sorted(order), order
    assert [c["id"] for c in made.report["checks"]][:3] == ["validity", "province", "employer"]
    assert ("Several things on your permit differ from what IRCC’s instructions say: the "
            "province or city and the employer.") in made.text


def test_every_question_that_applies_is_in_the_permit_table():
    made = Made(C46_CITY, "en")
    assert "Principal applicant’s permit expires on June 10, 2027" in made.text
    assert "Extension of an earlier A76 permit" not in made.text  # asked for A76 only
    assert "City Montréal" in made.text
    bare = Made({"code": "A76"}, "fr")
    assert "Ville Ce n’est pas indiqué / Je ne sais pas" in bare.text
    assert "Prolongation" in bare.text or "prolongation" in bare.text


def test_forget_runs_after_the_permit_check(monkeypatch):
    calls = []
    monkeypatch.setattr(typeset, "forget", lambda: calls.append(1))
    Made(A76_PASSPORT, "en")
    assert calls == [1]


# ------------------------------------------------------------------ the web download


@pytest.fixture
def web():
    app = create_app("test")
    app.config["WTF_CSRF_ENABLED"] = False
    return app.test_client()


def _complete(web, permit: dict):
    with web.session_transaction() as s:
        s["pa"] = {k: v for k, v in permit.items() if k != "format"}
        s["pdone"] = sorted(QUESTIONS)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_download_is_named_by_language_and_day_and_never_cached(web, lang, monkeypatch):
    monkeypatch.setattr("webapp.permit_wizard.today", lambda: date(2025, 6, 2))
    _complete(web, C49_OUVERT)
    r = web.get(PDF_PATH[lang])
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert r.headers["Cache-Control"] == "no-store"
    stem = "verif-pmi-verification-permis" if lang == "fr" else "impplus-permit-check"
    assert r.headers["Content-Disposition"] == f'attachment; filename="{stem}-2025-06-02.pdf"'
    reader = PdfReader(io.BytesIO(r.data))
    assert reader.trailer["/Root"]["/Lang"] == TAGS[lang]
    inside = json.loads(reader.attachments["permit.json"][0])
    assert inside["code"] == "C49" and inside["employer"] == "Ouvert"
    result = web.get(f"/{lang}/{SECTION[lang]}/{'resultat' if lang == 'fr' else 'result'}")
    assert f'href="{PDF_PATH[lang]}"' in result.text


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_without_a_complete_permit_the_download_goes_back_to_the_questions(web, lang):
    r = web.get(PDF_PATH[lang])
    assert r.status_code == 302 and r.headers["Location"] == f"/{lang}/{SECTION[lang]}/code"
    with web.session_transaction() as s:
        s["pa"], s["pdone"] = {"code": "A76"}, ["code"]
    r = web.get(PDF_PATH[lang])
    assert r.status_code == 302 and r.headers["Location"].startswith(f"/{lang}/{SECTION[lang]}/")
    assert not r.headers["Location"].endswith("/code")


def test_the_other_languages_name_is_moved_and_another_section_is_not_found(web):
    r = web.get("/fr/verifier-permis/permit-check.pdf")
    assert r.status_code == 301 and r.headers["Location"] == PDF_PATH["fr"]
    r = web.get("/en/check-permit/verification-permis.pdf")
    assert r.status_code == 301 and r.headers["Location"] == PDF_PATH["en"]
    assert web.get("/en/verifier-permis/permit-check.pdf").status_code == 404
    assert web.post(PDF_PATH["en"]).status_code == 405


# ------------------------------------------------------------------ the command line


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_cli_writes_the_pdf_and_reads_it_back(tmp_path, lang):
    src = tmp_path / "c46.json"
    src.write_text(json.dumps(C46_CITY), encoding="utf-8")
    out = tmp_path / "c46.pdf"
    r = run("check-permit", str(src), "--lang", lang, "--pdf", str(out))
    assert r.returncode == 0, r.stderr
    line = json.loads(r.stdout)
    reader = PdfReader(out)
    assert reader.trailer["/Root"]["/Lang"] == TAGS[lang]
    assert norm(line["summary"]) in norm(" ".join(p.extract_text() for p in reader.pages))
    again = run("check-permit", str(out), "--lang", lang)
    assert again.returncode == 0, again.stdout
    assert {k: v for k, v in json.loads(again.stdout).items() if k != "file"} == {
        k: v for k, v in line.items() if k != "file"}


def test_cli_pdf_refuses_several_files_and_an_unwritable_output(tmp_path):
    src = tmp_path / "a.json"
    src.write_text(json.dumps(A76_PASSPORT), encoding="utf-8")
    r = run("check-permit", str(src), str(src), "--pdf", str(tmp_path / "x.pdf"), "--lang", "fr")
    assert r.returncode == 2 and "--pdf\u00a0: donnez un seul fichier de permis, pas 2." in r.stderr
    assert not (tmp_path / "x.pdf").exists()
    r = run("check-permit", str(src), "--pdf", str(tmp_path / "missing" / "x.pdf"))
    assert r.returncode == 2 and "cannot write this file" in r.stderr


def test_cli_a_pdf_without_a_permit_is_said_so(tmp_path):
    sheet = tmp_path / "other.pdf"
    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    writer.add_attachment("answers.json", b"{}")
    writer.write(sheet)
    r = run("check-permit", str(sheet))
    assert r.returncode == 2
    assert json.loads(r.stdout)["error"].startswith("This PDF holds no permit")
