"""The file the user keeps is the save: in Chromium, download the instruction sheet (PDF) from the
result page, upload it on the start page of a fresh browser, and get the same answers back. Also
the answers JSON file, and a wrong file. Every page on the way is checked with axe.

Skipped without Chromium or playwright, as the other browser tests.
"""

from __future__ import annotations

import json

import pytest

from .support import CHROMIUM, OUTSIDE_CANADA, chromium_missing

if chromium_missing():
    pytest.skip(f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)",
                allow_module_level=True)
pytest.importorskip("playwright.sync_api",
                    reason="browser tests need playwright (pip install -e '.[test]')")

from playwright.sync_api import expect  # noqa: E402

from .test_journeys import CHECK, RESULT, see_result, start_as_of  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WORDS = {
    "en": {"pdf": "Download the instruction sheet (PDF)",
           "json": "Download your answers (JSON file)", "restore": "Restore my answers",
           "calendar": "Add these dates to your calendar (.ics file)"},
    "fr": {"pdf": "Télécharger la fiche d’instructions (PDF)",
           "json": "Télécharger vos réponses (fichier JSON)", "restore": "Rétablir mes réponses",
           "calendar": "Ajouter ces dates à votre agenda (fichier .ics)"},
}


def download(page, link, tmp_path, name):
    """Click `link` and return the downloaded file's path."""
    with page.expect_download() as info:
        link.click()
    target = tmp_path / name
    info.value.save_as(target)
    return target


def restore(j, lang, path):
    j.goto(f"/{lang}/")
    j.page.locator("#answers-file").set_input_files(str(path))
    j.click(j.page.get_by_role("button", name=WORDS[lang]["restore"], exact=True))


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_pdf_from_the_result_page_restores_the_same_answers(journey, browser, live_server,
                                                            tmp_path, lang):
    j = journey
    start_as_of(j, lang, "2024-11-15")
    j.answer_all(OUTSIDE_CANADA)
    see_result(j, lang)
    words = WORDS[lang]
    sheet = download(j.page, j.page.get_by_role("link", name=words["pdf"]).first, tmp_path,
                     "sheet.pdf")
    assert sheet.read_bytes()[:5] == b"%PDF-"
    saved = download(j.page, j.page.get_by_role("link", name=words["json"]), tmp_path,
                     "answers.json")
    calendar = download(j.page, j.page.get_by_role("link", name=words["calendar"]), tmp_path,
                        "dates.ics")
    assert b"DTSTART;VALUE=DATE:20250123" in calendar.read_bytes()
    expected = json.loads(saved.read_text(encoding="utf-8"))
    assert expected["assessment_date"] == "2024-11-15"

    # A fresh browser (no session): the PDF brings everything back, and opens on the check page.
    for name, path in (("pdf", sheet), ("json", saved)):
        j.page.context.clear_cookies()
        restore(j, lang, path)
        j.expect_path(CHECK[lang])
        again = download(j.page, j.page.get_by_role("link", name=words["json"]), tmp_path,
                         f"again-{name}.json")
        assert json.loads(again.read_text(encoding="utf-8")) == expected, name
        j.click(j.page.get_by_role("button", name={"en": "See the result",
                                                 "fr": "Voir le résultat"}[lang], exact=True))
        j.expect_path(RESULT[lang])
    j.assert_accessible()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_wrong_file_is_explained_and_the_answers_stay(journey, tmp_path, lang):
    j = journey
    start_as_of(j, lang, "2024-11-15")
    j.answer_all(OUTSIDE_CANADA[:3])
    not_ours = tmp_path / "notes.pdf"
    not_ours.write_bytes(b"%PDF-1.4\nnot really a PDF\n")
    restore(j, lang, not_ours)
    summary = j.page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("notes.pdf")
    expect(j.page.locator("#answers-file-error")).to_contain_text("PDF")
    assert j.page.title().startswith({"en": "Error:", "fr": "Erreur"}[lang])
    # Nothing was lost: the journey goes on where it was.
    expect(j.page.get_by_role("button", name={"en": "Continue where you left off",
                                            "fr": "Reprendre où vous en étiez"}[lang])
           ).to_be_visible()
    j.assert_accessible()
