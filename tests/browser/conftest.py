"""Real-browser fixtures: the app on a loopback port, one Chromium per session, one page per test.

The tests run with the normal `python3 -m pytest`; they are skipped on a developer's machine
without /usr/bin/chromium, and fail under CI (CI=true), where scripts/setup-tests.sh has
installed it. Deselect them with `-m "not browser"`.
"""

from __future__ import annotations

import os

import pytest

from .support import (CHROMIUM, VIEWPORT, AxeChecker, Journey, LiveServer, chromium_missing,
                      launch)


@pytest.fixture(scope="session")
def live_server():
    from webapp import create_app

    # "development": CSRF protection on, as in production; the browser sends the form tokens.
    app = create_app("development")
    with LiveServer(app) as server:
        yield server


@pytest.fixture(scope="session")
def browser():
    if chromium_missing():
        if os.environ.get("CI"):  # CI installs Chromium: its absence is a failure, not a skip
            pytest.fail(f"no Chromium at {CHROMIUM}: scripts/setup-tests.sh installs it")
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="playwright is not installed (pip install playwright)")
    with sync_api.sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


@pytest.fixture(scope="session")
def axe(browser):
    pytest.importorskip("axe_playwright_python",
                        reason="axe-playwright-python is not installed (pip install -e '.[test]')")
    checker = AxeChecker(browser)
    yield checker
    checker.close()
    print(f"\naxe: {checker.runs} runs for {len(checker.cache)} distinct documents")


@pytest.fixture(params=[True, False], ids=["js", "nojs"])
def js(request):
    return request.param


@pytest.fixture
def journey(browser, live_server, axe, js):
    context = browser.new_context(java_script_enabled=js, viewport=VIEWPORT,
                                  base_url=live_server.url)
    context.set_default_timeout(10_000)
    if js:
        axe.prepare(context)
    j = Journey(context.new_page(), live_server.url, js=js, axe=axe)
    yield j
    context.close()
