"""The permit check walked to its result on a phone (390 px), in English and in French: no page,
the result least of all, is wider than the screen (a user test found the French result 478 px
wide: French dates do not break, « au plus tard le 1er septembre 2027 », and the compare table
kept its two columns); the headline names what differs, and those checks come first.

Skipped when /usr/bin/chromium or the playwright package is missing; CI installs both.
"""

from __future__ import annotations

import pytest

from .support import CHROMIUM, Journey, chromium_missing

if chromium_missing():
    pytest.skip(f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)",
                allow_module_level=True)
pytest.importorskip("playwright.sync_api",
                    reason="browser tests need playwright (pip install -e '.[test]')")
pytest.importorskip("axe_playwright_python",
                    reason="browser tests need axe-playwright-python (pip install -e '.[test]')")

from playwright.sync_api import expect  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 390, "height": 844}
# The headline names what differs, in the checks' order.
DIFFER = {"en": "the expiry date, the province or city, the employer and the restriction on "
                "occupations",
          "fr": "la date d’expiration, la province ou la ville, l’employeur et la restriction "
                "sur les professions"}
RESULT = {"en": "/en/check-permit/result", "fr": "/fr/verifier-permis/resultat"}
# The user test's permit: a C46 naming an employer, ending after the principal's permit.
C46 = {"code": "C46", "issued": "2025-03-01", "expires": "2027-06-30",
       "passport_expiry": "2031-05-01", "principal_permit_expiry": "2027-02-09",
       "province": "Quebec", "city": "Montréal", "employer": "Acme Inc.", "occupation": "Open",
       "location_condition": "yes", "medical_condition": "no", "medical_exam_done": "no"}


class PhoneJourney(Journey):
    """A Journey that also measures each page it arrives at: how wide the document is."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.widths: list[tuple[str, int]] = []

    def arrived(self):
        super().arrived()
        self.widths.append((self.path, self.page.evaluate(
            "document.documentElement.scrollWidth")))


def walk_permit_check(j: PhoneJourney, lang: str, permit: dict):
    """From the start page in `lang` to the permit check's result, answering from `permit`."""
    from webapp import permit_flow

    j.start(lang)
    j.click(j.page.get_by_role("button", name=j.t("permit"), exact=True))
    for _ in range(len(permit_flow.ORDER) + 1):
        q = j.question_shown()
        if q is None:
            break
        j.fill_question(q, permit[q.id])
        j.submit()
    j.click(j.page.get_by_role("button", name=j.t("check_permit"), exact=True))
    j.expect_path(RESULT[lang])


@pytest.fixture
def phone(browser, live_server, axe):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True,
                                  base_url=live_server.url)
    context.set_default_timeout(10_000)
    axe.prepare(context)
    yield PhoneJourney(context.new_page(), live_server.url, js=True, axe=axe)
    context.close()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_permit_result_fits_a_phone(phone, lang):
    j = phone
    walk_permit_check(j, lang, C46)
    expect(j.page.locator(".verdict")).to_have_class("verdict verdict-not_eligible")
    expect(j.page.locator(".verdict-summary")).to_contain_text(DIFFER[lang])
    statuses = j.page.locator(".criteria > li").evaluate_all(
        "items => items.map(li => li.className.split('criterion-')[1])")
    assert statuses == ["differs"] * 4 + ["ok"] * 2, statuses  # those that differ first
    too_wide = [(path, width) for path, width in j.widths if width > PHONE["width"]]
    assert not too_wide, f"pages wider than the {PHONE['width']}-px screen: {too_wide}"
    j.assert_accessible()


def test_a_long_name_typed_without_spaces_fits_a_phone(phone):
    """What the person types is shown on the check page, in the summary and in the checks: a
    long word breaks there rather than widen the page (the check page was 572 px wide)."""
    j = phone
    from playwright.sync_api import Error

    try:
        walk_permit_check(j, "fr", {**C46, "employer": "AcmeInternationalHoldingsCorporation"
                                    "QuebecLimitedPartnership",
                                    "city": "Saint-Jean-sur-Richelieu"})
    except Error:  # a page wider than the screen can put its own button out of reach
        pass
    too_wide = [(path, width) for path, width in j.widths if width > PHONE["width"]]
    assert not too_wide, f"pages wider than the {PHONE['width']}-px screen: {too_wide}"
    j.expect_path(RESULT["fr"])
