"""Browser journeys: Playwright drives Debian's Chromium against a real gunicorn process.

Screenshots of each step go to var/screenshots/ (CI artifacts, not committed).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.services import CHROMIUM_ARGS, ROOT, app_server, require_chromium

SCREENSHOTS = ROOT / "var" / "screenshots"
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 900}
DEMO_PASSWORD = "commongood"


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    require_chromium()
    with app_server(tmp_path_factory.mktemp("app")) as running:
        yield running


@pytest.fixture(scope="session")
def browser():
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class Visit:
    """A browser context for one person, with screenshots and a watch on the console."""

    def __init__(self, browser, server, name: str, viewport: dict):
        self.server = server
        self.name = name
        self.context = browser.new_context(viewport=viewport, base_url=server.url)
        self.page = self.context.new_page()
        self.console_errors: list[str] = []
        self.page.on(
            "console",
            lambda msg: self.console_errors.append(msg.text) if msg.type == "error" else None,
        )
        self.page.on("pageerror", lambda error: self.console_errors.append(str(error)))
        self.step = 0

    def shot(self, label: str) -> Path:
        self.step += 1
        folder = SCREENSHOTS / self.name
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{self.step:02d}-{re.sub(r'[^a-z0-9]+', '-', label.lower())}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def sign_in(self, email: str, password: str = DEMO_PASSWORD) -> None:
        self.page.goto("/accounts/login/")
        self.page.get_by_label("Email").fill(email)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_url(re.compile(r".*/$"))

    def assert_no_csp_violations(self) -> None:
        violations = [e for e in self.console_errors if "Content Security Policy" in e]
        assert not violations, violations

    def close(self) -> None:
        self.assert_no_csp_violations()
        self.context.close()


@pytest.fixture
def visit(browser, server, request):
    opened: list[Visit] = []

    def open_visit(viewport: dict = LAPTOP, name: str | None = None) -> Visit:
        label = name or f"{request.node.name}-{len(opened) + 1}"
        v = Visit(browser, server, label, viewport)
        opened.append(v)
        return v

    yield open_visit
    for v in opened:
        v.close()
