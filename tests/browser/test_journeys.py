"""Whole journeys through the wizard in a real browser (Chromium), in English and in French, with
JavaScript on and off; every page on the way is checked with axe-core (see conftest.py).

Skipped when /usr/bin/chromium or the playwright package is missing; CI installs both.
"""

from __future__ import annotations

import re

import pytest

from .support import CHROMIUM, DONT_KNOW, OUTSIDE_CANADA, chromium_missing

if chromium_missing():
    pytest.skip(f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)",
                allow_module_level=True)
pytest.importorskip("playwright.sync_api",
                    reason="browser tests need playwright (pip install -e '.[test]')")
pytest.importorskip("axe_playwright_python",
                    reason="browser tests need axe-playwright-python (pip install -e '.[test]')")

from playwright.sync_api import expect  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LANGS = pytest.mark.parametrize("lang", ["en", "fr"])
CHECK = {"en": "/en/check-your-answers", "fr": "/fr/verifier-vos-reponses"}
RESULT = {"en": "/en/result", "fr": "/fr/resultat"}
DAYS = {  # format_day in each language
    "2024-11-15": {"en": "November 15, 2024", "fr": "15 novembre 2024"},
    "2025-01-23": {"en": "January 23, 2025", "fr": "23 janvier 2025"},
    "2025-01-16": {"en": "January 16, 2025", "fr": "16 janvier 2025"},
    "2025-06-01": {"en": "June 1, 2025", "fr": "1er juin 2025"},
}
PRINT = {"en": "Print this page", "fr": "Imprimer cette page"}
CANNOT_SUCCEED = {"en": "a first A76 application cannot succeed",
                  "fr": "une première demande au titre du code A76 ne peut donc pas aboutir"}


def with_answers(steps, **changes):
    return [(node, changes.get(node, value)) for node, value in steps]


def start_now(j, lang):
    j.start(lang)
    j.click(j.page.get_by_role("button", name=j.t("start"), exact=True))


def start_as_of(j, lang, iso_date):
    j.start(lang)
    j.click(j.page.get_by_role("link", name=j.t("another_date"), exact=True))
    j.answer("assessment_date", iso_date)


def see_result(j, lang):
    j.expect_path(CHECK[lang])
    expect(j.page.locator("h1")).to_have_text(j.t("check"))
    j.click(j.page.get_by_role("button", name=j.t("see_result"), exact=True))
    j.expect_path(RESULT[lang])


def facts(j) -> str:
    """The key facts as read, French dates' non-breaking spaces as plain ones."""
    return j.page.locator("dl.facts").inner_text().replace("\u00a0", " ")


def assert_copy_buttons(j):
    """A Copy button beside each exact entry with JavaScript; none without."""
    values = j.page.locator("code.copy-value")
    assert values.count() > 0
    buttons = j.page.locator("button.copy-button")
    if not j.js:
        expect(buttons).to_have_count(0)
        expect(j.page.get_by_role("button", name=re.compile(j.t("copy")))).to_have_count(0)
        return
    expect(buttons).to_have_count(values.count())
    rows = j.page.locator(".copy-row")
    for i in range(values.count()):
        row = rows.nth(i)
        expect(row.locator("code.copy-value")).to_have_count(1)
        expect(row.locator("button.copy-button")).to_have_text(j.t("copy"))
    # The button copies its entry, and says so.
    j.page.context.grant_permissions(["clipboard-read", "clipboard-write"],
                                     origin=j.base_url)
    first = rows.first.locator("button.copy-button")
    first.click()
    expect(first).to_have_text(j.t("copied"))
    assert j.page.evaluate("navigator.clipboard.readText()") == values.first.inner_text()


# ------------------------------------------------------------------ journeys


@LANGS
def test_eligible_as_of_2024(journey, lang):
    j = journey
    start_as_of(j, lang, "2024-11-15")
    j.answer_all(OUTSIDE_CANADA)
    expect(j.page.locator("dl.summary-list")).to_contain_text(DAYS["2024-11-15"][lang])
    see_result(j, lang)

    verdict = j.page.locator(".verdict")
    expect(verdict).to_have_class(re.compile(r"\bverdict-eligible\b"))
    expect(verdict.locator("h1")).to_have_text(j.t("eligible"))
    values = j.page.locator("code.copy-value").all_inner_texts()
    for entry in ("Open Work Permit", "CSQ holder outside Quebec \u2013 OWP",
                  "A76: International Mobility Program Plus"):
        assert entry in values, f"{entry!r} not among the entries {values}"
    assert DAYS["2024-11-15"][lang] in facts(j)
    assert DAYS["2025-01-23"][lang] in facts(j), facts(j)  # last day to submit: 90 days
    assert_copy_buttons(j)
    j.assert_accessible()


@LANGS
def test_not_eligible_today_letter_too_late(journey, lang):
    j = journey
    start_now(j, lang)
    # the 90 days after the letter ended on 2025-04-10: that settles it, nothing more is asked
    steps = with_answers(OUTSIDE_CANADA, invitation_dated="2025-01-08",
                         invitation_received_on="2025-01-10")
    j.answer_all(steps[:[n for n, _ in steps].index("invitation_received_on") + 1])
    see_result(j, lang)

    verdict = j.page.locator(".verdict")
    expect(verdict).to_have_class(re.compile(r"\bverdict-not_eligible\b"))
    expect(verdict.locator("h1")).to_have_text(j.t("not_eligible"))
    expect(verdict.locator(".verdict-summary")).to_contain_text(CANNOT_SUCCEED[lang])
    # the closure is said once, in the summary (issue 17), not again in an "Important" box
    expect(verdict.locator(".verdict-summary")).to_contain_text(DAYS["2025-01-16"][lang])
    expect(j.page.locator(".notice")).to_have_count(0)
    # the Print button only where it can work: shown by static/print.js, never without it
    # (the walk of issue 17 saw it shown, and doing nothing, with JavaScript off)
    print_button = j.page.get_by_role("button", name=PRINT[lang], exact=True)
    if j.js:
        expect(print_button).to_be_visible()
    else:
        expect(print_button).to_be_hidden()
    j.assert_accessible()


@LANGS
def test_in_canada_as_of_july_2024(journey, lang):
    j = journey
    start_as_of(j, lang, "2024-07-15")
    j.answer_all([
        ("purpose", "initial"),
        ("residence", "canada_outside_quebec"),
        ("status_in_canada", "valid"),
        ("holds_r206_permit", "no"),
        ("can_apply_from_inside_canada", "yes"),
        ("intends_to_live_and_work_in_quebec", "yes"),
        ("csq_held", "yes"),
        ("csq_category", "skilled_worker"),
        ("csq_issued", "2023-05-10"),
        ("pr_submitted", "yes"),
        ("pr_submitted_on", "2024-02-01"),
        ("pr_status", "in_progress"),
        ("invitation_received", "yes"),
        ("invitation_dated", "2024-06-03"),
        ("invitation_received_on", DONT_KNOW),
        ("channel", "online"),
        ("passport_expiry", "2029-02-28"),
    ])
    see_result(j, lang)

    expect(j.page.locator(".verdict")).to_have_class(re.compile(r"\bverdict-eligible\b"))
    assert "IMM 5710" in facts(j)
    j.assert_accessible()


@LANGS
def test_extension_with_date_changed_on_check_page(journey, lang):
    j = journey
    start_now(j, lang)
    j.answer_all([
        ("purpose", "extension"),
        ("current_permit_code", "a76"),
        ("current_permit_expiry", "2025-09-01"),
        ("pr_submitted", "yes"),
        ("pr_status", "in_progress"),
        ("pr_aor_received", "yes"),
        ("passport_expiry", "2030-01-01"),
    ])
    # Change the date of the assessment from the check-your-answers page: back to it after.
    j.expect_path(CHECK[lang])
    j.click(j.page.locator("dl.summary-list .summary-action a").first)
    j.expect_path(j.question_path("assessment_date") + "?change=1")
    j.fill("assessment_date", "2025-06-01")
    j.submit()
    j.expect_path(CHECK[lang])
    expect(j.page.locator("dl.summary-list")).to_contain_text(DAYS["2025-06-01"][lang])
    expect(j.page.locator("dl.summary-list")).to_contain_text("A76")
    see_result(j, lang)

    verdict = j.page.locator(".verdict")
    expect(verdict).to_have_class(re.compile(r"\bverdict-eligible\b"))
    expect(verdict.locator("h1")).to_have_text(j.t("eligible"))
    assert "IMM 5710" in facts(j)
    j.assert_accessible()


@LANGS
def test_family_member_gets_c49(journey, lang):
    j = journey
    start_now(j, lang)
    j.answer_all([
        ("purpose", "family"),
        ("family_member", "spouse"),
        ("principal_permit_code", "A76"),
        ("principal_applying_together", "holds"),
        ("principal_permit_expiry", "2029-06-01"),
        ("principal_lives_in_quebec", "yes"),
        ("principal_pr_submitted", "yes"),
        ("included_in_pr_application", "yes"),
        ("family_residence", "outside_canada"),
        ("family_passport_expiry", "2031-03-15"),
    ])
    see_result(j, lang)

    assert re.search(r"\bC49\b", facts(j)), facts(j)
    assert "IMM 1295" in facts(j)
    j.assert_accessible()


# ------------------------------------------------------------------ errors and language


def assert_error_page(j, field_id: str):
    assert j.page.title().startswith(j.t("error")), j.page.title()
    summary = j.page.get_by_role("alert")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text(j.t("problem"))
    link = summary.locator(f'a[href="#{field_id}"]')
    expect(link).to_have_count(1)
    expect(j.page.locator(f"#{field_id}")).to_have_count(1)
    expect(j.page.locator(".error-message")).to_be_visible()
    link.click()  # the link moves to the field, and focuses it
    expect(j.page).to_have_url(re.compile(f"#{field_id}$"))
    expect(j.page.locator(f"#{field_id}")).to_be_focused()


@LANGS
def test_errors_keep_what_was_entered(journey, lang):
    j = journey
    start_now(j, lang)
    j.expect_path(j.question_path("purpose"))
    j.submit()  # nothing chosen
    j.expect_path(j.question_path("purpose"))
    assert_error_page(j, "answer-initial")
    j.answer("purpose", "initial")

    j.goto(j.question_path("assessment_date"))
    j.fill_date(day="31", month="02", year="2025")
    j.submit()
    j.expect_path(j.question_path("assessment_date"))
    assert_error_page(j, "date-day")
    expect(j.page.locator("#date-day")).to_have_value("31")
    expect(j.page.locator("#date-month")).to_have_value("02")
    expect(j.page.locator("#date-year")).to_have_value("2025")
    expect(j.page.locator("#date-day")).to_have_attribute("aria-invalid", "true")
    j.assert_accessible()


@LANGS
def test_language_toggle_keeps_the_answer(journey, lang):
    j = journey
    other = "fr" if lang == "en" else "en"
    start_now(j, lang)
    j.answer("purpose", "initial")
    j.answer("residence", "outside_canada")
    back = j.page.locator("a.back-link")
    expect(back).to_contain_text(j.t("back"))
    j.click(back)
    j.expect_path(j.question_path("residence"))
    expect(j.page.locator("#answer-outside_canada")).to_be_checked()

    j.click(j.page.get_by_role("link", name=j.t("toggle"), exact=True))
    j.lang = other
    j.expect_path(j.question_path("residence"))
    expect(j.page.locator("html")).to_have_attribute("lang", other)
    expect(j.page.locator("#answer-outside_canada")).to_be_checked()
    j.answer("residence", "outside_canada")  # and the journey goes on in the other language
    j.expect_path(j.question_path("intends_to_live_and_work_in_quebec"))
    j.assert_accessible()


MONTHS_BY_HAND = {"en": ("Sept", "September 9, 2031"), "fr": ("févr.", "9 février 2031")}


@LANGS
def test_a_date_typed_by_hand_and_the_error_summary_focused(journey, lang):
    """Day and month both wrong: both marked, both in the summary, which has the focus with
    JavaScript (without, it is first in the main content, where the skip link leads); then a
    month typed as a person types it, name and all, is taken whole."""
    j = journey
    start_as_of(j, lang, "2024-11-15")  # within the letter's 90 days: the passport is asked
    j.answer_all(OUTSIDE_CANADA[:-1])
    j.expect_path(j.question_path("passport_expiry"))
    j.fill_date(day="32", month="13", year="2031")
    j.submit()
    j.expect_path(j.question_path("passport_expiry"))
    summary = j.page.locator(".error-summary")
    expect(summary.locator("a")).to_have_count(2)
    for part in ("day", "month"):
        expect(j.page.locator(f"#date-{part}")).to_have_attribute("aria-invalid", "true")
    expect(j.page.locator("#date-year")).not_to_have_attribute("aria-invalid", "true")
    if j.js:
        expect(summary).to_be_focused()
    else:
        expect(j.page.locator("main > *").first).to_have_class("error-summary")
    typed, shown = MONTHS_BY_HAND[lang]
    j.fill_date(day="9", month=typed, year="2031")
    expect(j.page.locator("#date-month")).to_have_value(typed)  # nothing cut
    j.submit()
    j.expect_path(CHECK[lang])
    assert shown in j.page.locator("dl.summary-list").inner_text().replace("\u00a0", " ")
    j.assert_accessible()
