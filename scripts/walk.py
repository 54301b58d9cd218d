"""Walk every purpose of the wizard and the permit check in a real browser, and keep a screenshot
of every page on the way, for a person to look at (issue 17's "done when").

    python scripts/walk.py [--out bench/out/walk] [--only NAME ...] [--sheets]

Serves the app itself on a loopback port and drives the system Chromium (/usr/bin/chromium, the
browser tests' launch settings: tests/browser/support.py). Each journey of JOURNEYS is walked by
clicking, question after question, as a person would (the page's own question decides the
answer given, so a change in the flow shows up as an unanswered question, not a silent skip), in
English and French, at 390 px (phone) and 1280 px (desktop), with JavaScript on and off: 16
walks each. Every page is checked with axe-core; the script exits 1 if any page has a violation
or a journey does not end where it should.

Saved under OUT/<journey>/<lang>-<phone|desktop>-<js|nojs>/: NN-<page>.png, full page.
OUT/walk.json lists every page with its path, title and axe findings. With `--sheets` (needs
Pillow), OUT/sheets/ gets each distinct JavaScript-on page once, cut and laid out to be read in
an image viewer, and the script lists the JavaScript-off pages that differ from their twin
(the others are the same to the pixel). bench/out/ is git-ignored.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from browser.support import (CHROMIUM, OUTSIDE_CANADA, AxeChecker, Journey,  # noqa: E402
                             LiveServer, chromium_missing, launch)

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
DONT_KNOW = "dont_know"


@dataclass(frozen=True)
class Walk:
    """One journey: where it starts ("now", an ISO date for "Assess as of another date", or
    "permit" for the permit check), the answer to each question by its id, and the class the
    result's verdict must have (None for the permit check)."""

    name: str
    start: str
    answers: dict = field(default_factory=dict)
    verdict: str | None = None
    date_error: str | None = None  # a question where "32 13" is typed first, then the answer


JOURNEYS = (
    Walk("eligible-2024", "2024-11-15", dict(OUTSIDE_CANADA), "eligible",
         date_error="passport_expiry"),
    # today the letter's 90 days have ended: the questions stop after its receipt
    Walk("closed-window", "now", dict(OUTSIDE_CANADA), "not_eligible"),
    Walk("quebec", "now", {"purpose": "initial", "residence": "quebec"}, "not_eligible"),
    Walk("in-canada-2024", "2024-07-15", {
        "purpose": "initial", "residence": "canada_outside_quebec", "status_in_canada": "valid",
        "holds_r206_permit": "no", "can_apply_from_inside_canada": "yes",
        "intends_to_live_and_work_in_quebec": "yes", "csq_held": "yes",
        "csq_category": "skilled_worker", "csq_issued": "2023-05-10", "pr_submitted": "yes",
        "pr_submitted_on": "2024-02-01", "pr_status": "in_progress",
        "invitation_received": "yes", "invitation_dated": "2024-06-03",
        "invitation_received_on": DONT_KNOW, "channel": "online",
        "passport_expiry": "2029-02-28"}, "eligible"),
    Walk("extension", "now", {
        "purpose": "extension", "current_permit_code": "a76",
        "current_permit_expiry": "2027-01-31", "pr_submitted": "yes",
        "pr_status": "in_progress", "pr_aor_received": "yes",
        "passport_expiry": "2030-01-01"}, "eligible"),
    Walk("extension-expired", "now", {
        "purpose": "extension", "current_permit_code": "a76",
        "current_permit_expiry": "2026-10-20", "pr_submitted": "yes",
        "pr_status": "in_progress", "pr_aor_received": "yes",
        "passport_expiry": "2030-01-01"}, "not_eligible"),
    Walk("family", "now", {
        "purpose": "family", "family_member": "spouse", "principal_permit_code": "A76",
        "principal_applying_together": "holds", "principal_permit_expiry": "2029-06-01",
        "principal_lives_in_quebec": "yes", "principal_pr_submitted": "yes",
        "included_in_pr_application": "yes", "family_residence": "outside_canada",
        "family_passport_expiry": "2031-03-15"}, "eligible"),
    Walk("permit-a76", "permit", {
        "code": "A76", "issued": "2025-02-10", "expires": "2027-02-09", "extension": "no",
        "passport_expiry": "2031-05-01", "province": "QC", "city": "Quebec NES",
        "employer": "Open", "occupation": "Open", "location_condition": "no",
        "medical_condition": "yes", "medical_exam_done": "no"}),
    Walk("permit-c46", "permit", {
        "code": "C46", "issued": "2025-03-01", "expires": "2027-06-30",
        "passport_expiry": "2031-05-01", "principal_permit_expiry": "2027-02-09",
        "province": "Quebec", "city": "Montréal", "employer": "Acme Inc.",
        "occupation": "Open", "location_condition": "yes", "medical_condition": "no",
        "medical_exam_done": "no"}),
)

class Walker(Journey):
    """One walk in one browser context (tests/browser/support.py's `Journey`, whose words and
    ways of answering it uses): answers the page's own question until the journey's last page,
    saving a screenshot of each page and checking it with axe."""

    def __init__(self, page, base: str, lang: str, js: bool, axe: AxeChecker, out: Path):
        super().__init__(page, base, js=js, axe=axe)
        self.lang, self.out = lang, out
        self.pages: list[dict] = []
        self.problems: list[str] = []

    def arrived(self):
        """Screenshot and check the page shown, named after its slug ("-error" with an error
        summary); a page wider than the window (it scrolls sideways) is a problem."""
        self.page.wait_for_load_state("load")
        name = self.path.split("?")[0].split("#")[0].rstrip("/").rsplit("/", 1)[-1]
        if self.page.locator(".error-summary").count():
            name += "-error"
        path = self.out / f"{len(self.pages) + 1:02d}-{name or 'start'}.png"
        self.page.screenshot(path=str(path), full_page=True)
        found = self.axe.violations(self.page, self.js)
        self.pages.append({"png": str(path), "url": self.path, "title": self.page.title(),
                           "axe": [f"{v['id']}: {v['help']}" for v in found]})
        # The viewport asked for, not window.innerWidth: a mobile browser widens its layout
        # viewport to a page that overflows, so innerWidth grows with it.
        wide, window = self.page.evaluate("document.documentElement.scrollWidth"), \
            self.page.viewport_size["width"]
        if wide > window:
            self.problems.append(f"{self.pages[-1]['url']} is {wide} px wide, wider than the "
                                 f"{window}-px screen")

    def button(self, words_key: str):
        return self.page.get_by_role("button", name=self.t(words_key), exact=True)

    def answer_shown(self, q, value: str):
        """Answer the page's question `q` with `value` (DONT_KNOW: its "I don't know" button
        on a date or text page) and go on."""
        if value == DONT_KNOW and q.kind != "choice":
            self.click(self.page.locator("form button[name=dont_know]"))
            return
        self.fill_question(q, value)
        self.submit()

    def walk(self, journey: Walk) -> list[str]:
        """Walk `journey`; the problems met (none when it ended where it should)."""
        self.start(self.lang)
        if journey.start == "permit":
            self.click(self.button("permit"))
        elif journey.start == "now":
            self.click(self.button("start"))
        else:
            self.click(self.page.get_by_role("link", name=self.t("another_date"), exact=True))
            self.answer_shown(self.question_shown(), journey.start)
        for _ in range(40):
            q = self.question_shown()
            if q is None:
                break
            if q.id not in journey.answers:
                return [f"question {q.id!r} ({self.path}) has no answer in the journey"]
            if q.id == journey.date_error:
                self.fill_date("32", "13", "2031")
                self.submit()
            self.answer_shown(q, journey.answers[q.id])
        problems = []
        last = self.button("check_permit" if journey.start == "permit" else "see_result")
        if not last.count():
            return [f"ended on {self.page.url}, not on the check page"]
        self.click(last)
        if journey.verdict:
            verdict = self.page.locator(".verdict").get_attribute("class") or ""
            if f"verdict-{journey.verdict}" not in verdict.split():
                problems.append(f"verdict {verdict!r}, expected verdict-{journey.verdict}")
        return problems


def walk_once(browser, axe, base: str, journey: Walk, lang: str, size: str, js: bool,
              out: Path) -> dict:
    """One walk in a new browser context; its report: the problems and every page's record."""
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.png"):
        old.unlink()
    phone = size == "phone"
    context = browser.new_context(viewport=VIEWPORTS[size], is_mobile=phone, has_touch=phone,
                                  java_script_enabled=js, locale=f"{lang}-CA")
    context.set_default_timeout(10_000)
    if js:
        axe.prepare(context)
    walker = Walker(context.new_page(), base, lang, js, axe, out)
    try:
        problems = walker.walk(journey)
    except Exception as exc:  # a broken walk is reported with the others, not fatal
        problems = [f"{type(exc).__name__}: {exc}"]
    finally:
        context.close()
    problems = walker.problems + problems
    return {"journey": journey.name, "lang": lang, "size": size, "js": js,
            "problems": problems, "pages": walker.pages}


def make_sheets(out: Path) -> list[str]:
    """Sheets to look at, in OUT/sheets/, from the JavaScript-on screenshots: each distinct page
    once (a page identical to the pixel to one already kept is not kept again); short pages four
    to a sheet, long ones cut into 1,400-px pieces side by side. Returns the JavaScript-off
    screenshots that differ from their JavaScript-on twin (those need a look of their own)."""
    import hashlib

    from PIL import Image, ImageChops

    dest = out / "sheets"
    dest.mkdir(exist_ok=True)
    for old in dest.glob("*.png"):
        old.unlink()
    seen, short, differ = set(), {}, []
    for folder in sorted(out.glob("*/*-js")):
        tag, journey = folder.name, folder.parent.name
        phone = "-phone-" in tag
        width, left = (390, 0) if phone else (740, 270)  # the desktop page's content column
        for png in sorted(folder.glob("*.png")):
            image = Image.open(png).convert("RGB")
            twin = folder.parent / tag.replace("-js", "-nojs") / png.name
            if twin.exists():
                other = Image.open(twin).convert("RGB")
                if other.size != image.size or ImageChops.difference(image, other).getbbox():
                    differ.append(str(twin))
            digest = hashlib.sha1(image.tobytes()).hexdigest()
            if digest in seen:
                continue
            seen.add(digest)
            cuts = [image.crop((left, top, left + width, min(top + 1400, image.size[1])))
                    for top in range(0, image.size[1], 1400)]
            if len(cuts) == 1:
                short.setdefault(tag, []).append(cuts[0])
                continue
            across = 4 if phone else 2
            for n in range(0, len(cuts), across):
                _paste(cuts[n:n + across], dest / f"{tag}-{journey}-{png.stem}-{n // across}.png")
    for tag, pieces in short.items():
        for n in range(0, len(pieces), 4):
            _paste(pieces[n:n + 4], dest / f"{tag}-short-{n // 4:02d}.png")
    return differ


def _paste(pieces: list, path: Path):
    """The pieces side by side, 12 px of grey between them."""
    from PIL import Image

    width = sum(p.size[0] for p in pieces) + 12 * (len(pieces) - 1)
    sheet = Image.new("RGB", (width, max(p.size[1] for p in pieces)), "#777777")
    x = 0
    for p in pieces:
        sheet.paste(p, (x, 0))
        x += p.size[0] + 12
    sheet.save(path)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "walk")
    parser.add_argument("--only", nargs="*", help="journeys by name (default: all)")
    parser.add_argument("--sheets", action="store_true",
                        help="also make sheets to look at (needs Pillow)")
    args = parser.parse_args(argv)
    if chromium_missing():
        print(f"no Chromium at {CHROMIUM}: apt-get install chromium", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    from webapp import create_app

    journeys = [j for j in JOURNEYS if not args.only or j.name in args.only]
    report = []
    with LiveServer(create_app("development")) as server, sync_playwright() as p:
        browser = launch(p)
        axe = AxeChecker(browser)
        try:
            for journey in journeys:
                for lang in ("en", "fr"):
                    for size in VIEWPORTS:
                        for js in (True, False):
                            tag = f"{lang}-{size}-{'js' if js else 'nojs'}"
                            walk = walk_once(browser, axe, server.url, journey, lang, size, js,
                                             args.out / journey.name / tag)
                            report.append(walk)
                            found = sum(len(pg["axe"]) for pg in walk["pages"])
                            print(f"{journey.name:18} {tag:17} {len(walk['pages']):3} pages, "
                                  f"axe {found}, {'; '.join(walk['problems']) or 'ok'}")
        finally:
            axe.close()
            browser.close()
    failed = sum(bool(w["problems"] or any(pg["axe"] for pg in w["pages"])) for w in report)
    (args.out / "walk.json").write_text(json.dumps(report, ensure_ascii=False, indent=1),
                                        encoding="utf-8")
    print(f"{len(report)} walks, {sum(len(w['pages']) for w in report)} pages, "
          f"{failed} with a problem; {args.out / 'walk.json'}")
    if args.sheets:
        differ = make_sheets(args.out)
        print(f"sheets in {args.out / 'sheets'}; JavaScript-off pages unlike their twin: "
              f"{len(differ)}", *differ, sep="\n  ")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
