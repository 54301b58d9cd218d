"""What the browser tests and scripts/screenshots.py share: the Chromium launch settings, the
app served on a loopback port, and the `Journey` helper that walks the wizard.

Playwright's own browser downloads are never used: Chromium is the system one (Debian package
`chromium`). Playwright is imported lazily, so that this module imports without it.

Every page the `Journey` helper arrives at is checked with axe-core (bundled with
axe-playwright-python, see `AxeChecker`); violations are collected and reported by
`Journey.assert_accessible()` with their rule, help text, target nodes and pages.
"""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path

CHROMIUM = os.environ.get("IMPPLUS_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 900}
DONT_KNOW = None  # the answer "I don't know": the radio on choice pages, the button on the others

# The interface words the journeys look for, in each language.
TEXT = {
    "en": {"continue": "Continue", "start": "Start now",
           "another_date": "Assess as of another date", "see_result": "See the result",
           "back": "Back", "error": "Error:",
           "problem": "There is a problem", "copy": "Copy", "copied": "Copied",
           "toggle": "Français", "eligible": "You are eligible",
           "not_eligible": "You are not eligible", "check": "Check your answers",
           "permit": "Check a permit you already have", "check_permit": "Check the permit"},
    "fr": {"continue": "Continuer", "start": "Commencer",
           "another_date": "Évaluer à une autre date", "see_result": "Voir le résultat",
           "back": "Retour", "error": "Erreur", "problem": "Il y a un problème",
           "copy": "Copier", "copied": "Copié", "toggle": "English",
           "eligible": "Vous êtes admissible", "not_eligible": "Vous n’êtes pas admissible",
           "check": "Vérifiez vos réponses", "permit": "Vérifier un permis que vous avez déjà",
           "check_permit": "Vérifier le permis"},
}


# A first permit from outside Canada, eligible as of 2024-11-15 (example e01; conftest BASES
# "outside"): the questions after the date of the assessment, in order, with their answers.
OUTSIDE_CANADA = [
    ("purpose", "initial"),
    ("residence", "outside_canada"),
    ("intends_to_live_and_work_in_quebec", "yes"),
    ("csq_held", "yes"),
    ("csq_category", "skilled_worker"),
    ("csq_issued", "2023-12-01"),
    ("pr_submitted", "no"),
    ("invitation_received", "yes"),
    ("invitation_dated", "2024-10-20"),
    ("invitation_received_on", "2024-10-25"),
    ("channel", "online"),
    ("passport_expiry", "2033-04-30"),
]


def chromium_missing() -> bool:
    return not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK))


class LiveServer:
    """The Flask app served by werkzeug on a free loopback port, in a background thread."""

    def __init__(self, app):
        from werkzeug.serving import WSGIRequestHandler, make_server

        class QuietHandler(WSGIRequestHandler):
            def log_request(self, *args, **kwargs):
                pass

        self.server = make_server("127.0.0.1", 0, app, threaded=True,
                                  request_handler=QuietHandler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True,
                                       name="impplus-live-server")

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)


# ------------------------------------------------------------------ axe

def axe_script_path() -> Path:
    """axe-core as bundled with axe-playwright-python."""
    from axe_playwright_python.base import AXE_FILE_PATH

    return Path(AXE_FILE_PATH)


class AxeChecker:
    """Runs axe-core on pages; one per session.

    axe is added to JavaScript-enabled contexts as an init script (`prepare`), so that each page
    does not have to be sent its 500 kB again. With JavaScript disabled axe cannot run in the page
    (its timers never fire): the page's DOM is then served again, at the same URL and with the
    same stylesheet, to a JavaScript-enabled twin page whose own scripts are blocked, and checked
    there.

    A document already checked in the session (the same URL and markup, but for the form's CSRF
    token) is not checked again: its result is reused. With JavaScript on, static/copy.js adds
    an empty live region to every page and a Copy button beside each exact entry; a page where it
    added nothing else has the very markup the server sent, so its result also stands for the
    same page with JavaScript off.
    """

    CSRF_VALUE = re.compile(r'(?<=name="csrf_token" value=")[^"]*')
    LIVE_REGION = '<p class="visually-hidden" aria-live="polite"></p>'
    RUN = "options => axe.run(document, options).then(results => results.violations)"
    OPTIONS = {"resultTypes": ["violations"]}

    def __init__(self, browser):
        self.script = axe_script_path()
        self.cache: dict[tuple, list[dict]] = {}
        self.runs = 0
        self._replays: dict[str, str] = {}
        self._context = browser.new_context(viewport=VIEWPORT)
        self.prepare(self._context)
        self._context.route("**/*", self._serve_replay)
        self._twin = self._context.new_page()

    def prepare(self, context):
        context.add_init_script(path=str(self.script))

    def close(self):
        self._context.close()

    def run(self, page) -> list[dict]:
        self.runs += 1
        return page.evaluate(self.RUN, self.OPTIONS)

    def violations(self, page, js: bool) -> list[dict]:
        html = self.CSRF_VALUE.sub("", page.content())
        url = page.url.split("#")[0]
        if not js:
            key = ("server", url, html)
            if key not in self.cache:
                self.cache[key] = self._run_replayed(url, html)
            return self.cache[key]
        key = ("js", url, html)
        if key not in self.cache:
            self.cache[key] = self.run(page)
            if "copy-button" not in html:
                as_sent = html.replace(self.LIVE_REGION, "")
                self.cache.setdefault(("server", url, as_sent), self.cache[key])
        return self.cache[key]

    def _serve_replay(self, route):
        request = route.request
        if request.resource_type == "document" and request.url in self._replays:
            route.fulfill(status=200, content_type="text/html; charset=utf-8",
                          body=self._replays.pop(request.url))
        elif request.resource_type == "script":
            route.fulfill(status=200, content_type="text/javascript", body="")
        else:
            route.continue_()

    def _run_replayed(self, url: str, html: str) -> list[dict]:
        self._replays[url] = html
        self._twin.goto(url, wait_until="load")
        return self.run(self._twin)


# ------------------------------------------------------------------ the journey helper

def format_violations(violations: list[dict]) -> str:
    """Violations grouped by rule, then by element, with the pages each was found on."""
    by_rule: dict[str, dict] = {}
    for v in violations:
        rule = by_rule.setdefault(v["id"], {"v": v, "nodes": {}})
        for node in v["nodes"]:
            key = (" > ".join(str(t) for t in node["target"]), node["html"][:300])
            entry = rule["nodes"].setdefault(key, {"node": node, "pages": []})
            if v["page"] not in entry["pages"]:
                entry["pages"].append(v["page"])
    lines = []
    for rule_id, rule in by_rule.items():
        v = rule["v"]
        lines.append(f"\n[{v['impact']}] {rule_id}: {v['help']}\n  more: {v['helpUrl']}")
        for (target, html), entry in rule["nodes"].items():
            lines.append(f"  - element: {target}\n    html: {html}")
            summary = (entry["node"].get("failureSummary") or "").strip()
            if summary:
                lines.append("    " + summary.replace("\n", "\n      "))
            pages = entry["pages"]
            shown = "\n      ".join(pages[:5])
            more = f"\n      ... and {len(pages) - 5} more page(s)" if len(pages) > 5 else ""
            lines.append(f"    on {len(pages)} page(s):\n      {shown}{more}")
    return "\n".join(lines)


class Journey:
    """One browser page going through the wizard, checking every page it arrives at with axe
    (unless `axe` is None)."""

    def __init__(self, page, base_url: str, js: bool = True, axe: AxeChecker | None = None):
        self.page = page
        self.base_url = base_url
        self.js = js
        self.axe = axe
        self.violations: list[dict] = []
        self.checked: list[str] = []
        self.lang = "en"

    def t(self, key: str) -> str:
        return TEXT[self.lang][key]

    # ---- the wizard
    def start(self, lang: str):
        """Open the start page in `lang`."""
        self.lang = lang
        self.goto(f"/{lang}/")

    def question_path(self, node: str) -> str:
        from webapp.flow import QUESTIONS

        return f"/{self.lang}/{QUESTIONS[node].slug(self.lang)}"

    def expect_path(self, path: str):
        """Assert the page is at `path` (with any #fragment: an error summary link adds one)."""
        from playwright.sync_api import expect

        expect(self.page).to_have_url(re.compile(re.escape(self.base_url + path) + r"(#.*)?$"))

    def fill(self, node: str, value):
        """Give `value` to question `node` of the wizard without submitting (`fill_question`)."""
        from webapp.flow import QUESTIONS

        self.fill_question(QUESTIONS[node], value)

    def fill_question(self, q, value):
        """Give `value` to question `q` (of the wizard or the permit check) without submitting:
        a choice key, an ISO date, or a code or text (DONT_KNOW picks the "I don't know" radio
        on choice pages)."""
        if q.kind == "choice":
            self.page.locator(f"#answer-{value or 'dont_know'}").check()
        elif q.kind == "date":
            year, month, day = value.split("-")
            self.fill_date(day=str(int(day)), month=str(int(month)), year=year)
        else:
            self.page.locator("main form input[type=text]").fill(value)

    def question_shown(self):
        """The question of the page shown (a `Question` of the wizard, or of the permit check
        under its section), or None on any other page."""
        from webapp import flow, permit_flow

        slug = self.path.split("?")[0].split("#")[0].rstrip("/").rsplit("/", 1)[-1]
        in_permit = "/check-permit/" in self.path or "/verifier-permis/" in self.path
        return (permit_flow if in_permit else flow).BY_SLUG[self.lang].get(slug)

    def fill_date(self, day: str, month: str, year: str):
        self.page.locator("#date-day").fill(day)
        self.page.locator("#date-month").fill(month)
        self.page.locator("#date-year").fill(year)

    def submit(self):
        self.click(self.page.get_by_role("button", name=self.t("continue"), exact=True))

    def dont_know(self):
        self.click(self.page.locator("form button[name=dont_know]"))

    def answer(self, node: str, value):
        """On the page of question `node` (asserted), answer `value` and continue."""
        from webapp.flow import QUESTIONS

        self.expect_path(self.question_path(node))
        if value is DONT_KNOW and QUESTIONS[node].kind != "choice":
            self.dont_know()
            return
        self.fill(node, value)
        self.submit()

    def answer_all(self, steps):
        for node, value in steps:
            self.answer(node, value)

    # ---- navigation
    def goto(self, path: str):
        self.page.goto(self.base_url + path)
        self.arrived()

    def click(self, locator):
        locator.click()
        self.page.wait_for_load_state("load")
        self.arrived()

    def arrived(self):
        self.page.wait_for_load_state("load")
        self.check_accessibility()

    @property
    def path(self) -> str:
        return re.sub(r"^https?://[^/]+", "", self.page.url)

    # ---- axe
    def check_accessibility(self):
        if self.axe is None:
            return
        found = self.axe.violations(self.page, self.js)
        label = f"{self.path} (JavaScript {'on' if self.js else 'off'})"
        if found:
            label = f"{self.path} [{self.page.title()}] (JavaScript {'on' if self.js else 'off'})"
        for v in found:
            self.violations.append({**v, "page": label})
        self.checked.append(label)

    def assert_accessible(self):
        assert self.checked, "no page was checked with axe"
        assert not self.violations, (
            f"axe found {len(self.violations)} violation(s) on {len(self.checked)} page(s) "
            f"checked:" + format_violations(self.violations))
