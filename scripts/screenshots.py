"""Full-page screenshots of the wizard, for reviewing the layout at a glance.

    python scripts/screenshots.py [--out bench/out/screenshots]

Serves the app itself on a free loopback port and drives the system Chromium (/usr/bin/chromium,
with the browser tests' launch settings: tests/browser/support.py) through Playwright. Saves, in
English and in French, at phone (390x844) and desktop (1280x900) widths, with JavaScript on:
the start page, a question page with an error (nothing chosen), the check-your-answers page and
the result of an eligible journey (example e01, as of November 15, 2024), and the start page
after uploading a file that is not an answers file. File names:
<lang>-<phone|desktop>-<page>.png. bench/out/ is git-ignored.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from browser.support import (CHROMIUM, OUTSIDE_CANADA, Journey, LiveServer,  # noqa: E402
                             chromium_missing, launch)

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


def shoot(browser, base_url: str, lang: str, size: str, out: Path) -> list[Path]:
    from webapp.wizard import PAGES

    phone = size == "phone"
    context = browser.new_context(viewport=VIEWPORTS[size], is_mobile=phone, has_touch=phone,
                                  locale="fr-CA" if lang == "fr" else "en-CA")
    saved = []

    def save(name: str):
        path = out / f"{lang}-{size}-{name}.png"
        j.page.screenshot(path=str(path), full_page=True)
        saved.append(path)

    try:
        j = Journey(context.new_page(), base_url)
        j.start(lang)
        save("start")
        j.goto(j.question_path("purpose"))
        j.submit()  # nothing chosen: the error summary
        j.page.get_by_role("alert").wait_for()
        save("question-error")
        j.goto(j.question_path("assessment_date"))
        j.answer("assessment_date", "2024-11-15")
        j.answer_all(OUTSIDE_CANADA)
        j.expect_path(f"/{lang}/{PAGES['check'][lang]}")
        save("check")
        j.goto(f"/{lang}/{PAGES['result'][lang]}")
        save("result")
        # Resuming from a file that is not ours: the start page explains, and keeps the answers.
        bad = out / "not-ours.json"
        bad.write_text('{"name": "someone else\'s file"}', encoding="utf-8")
        j.goto(f"/{lang}/")
        j.page.locator("#answers-file").set_input_files(str(bad))
        j.click(j.page.locator("form[enctype] button[type=submit]"))
        j.page.get_by_role("alert").wait_for()
        bad.unlink()
        save("resume-error")
    finally:
        context.close()
    return saved


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "screenshots")
    args = parser.parse_args(argv)
    if chromium_missing():
        print(f"no Chromium at {CHROMIUM}: apt-get install chromium", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    from webapp import create_app

    args.out.mkdir(parents=True, exist_ok=True)
    with LiveServer(create_app("development")) as server, sync_playwright() as p:
        browser = launch(p)
        try:
            for lang in ("en", "fr"):
                for size in VIEWPORTS:
                    for path in shoot(browser, server.url, lang, size, args.out):
                        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
