"""Real-browser tests (Chromium through Playwright), with axe-core checks."""
