"""Browser journeys: Playwright drives Debian's Chromium against a real gunicorn process.

Screenshots go to var/screenshots/ (CI artifacts, not committed): of the last page of each
visit when a test fails, and of every step with CG_SCREENSHOTS=1. Under ``make test`` these
tests run together in one pytest-xdist worker (tests/scheduling.py), so the demo's server and
Chromium below start once, and stop when the last of them is done.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.conftest import EVENING_IN_CALIFORNIA
from tests.services import CHROMIUM_ARGS, ROOT, app_server, require_chromium

SCREENSHOTS = ROOT / "var" / "screenshots"
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 900}
DEMO_PASSWORD = "commongood"
EVERY_STEP = os.environ.get("CG_SCREENSHOTS", "") not in {"", "0", "false"}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Tell the visit fixture's teardown whether the test itself failed."""
    report = yield
    if report.when == "call":
        item.call_failed = report.failed
    return report


@pytest.fixture(scope="package")
def server(tmp_path_factory):
    require_chromium()
    with app_server(tmp_path_factory.mktemp("app")) as running:
        yield running


@pytest.fixture(scope="package")
def large_local(tmp_path_factory):
    """A server on the large local that ``seed_scale`` builds (36,000 members, 1,000 schools,
    2,000 stewards), in a database of its own: the journeys at that size share it, and none of
    them changes what another reads. Building it takes most of a minute, so it is seeded on
    the ladder's clock (test_ladder_at_scale.py) and copied from the same seeded template as
    the ladder's server; this one runs on the real clock."""
    require_chromium()
    with app_server(
        tmp_path_factory.mktemp("large"), seed="seed_scale", seeded_at=EVENING_IN_CALIFORNIA
    ) as running:
        yield running


@pytest.fixture(scope="package")
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

    def shot(self, label: str, *, always: bool = False) -> Path | None:
        """A screenshot of this step, taken only with CG_SCREENSHOTS=1 unless ``always``."""
        self.step += 1
        if not (EVERY_STEP or always):
            return None
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
        if getattr(request.node, "call_failed", False):
            v.shot("failed", always=True)
        v.close()


def choose_in_picker(page, search_label: str, name: str) -> None:
    """Type part of a name into a picker's search box and choose the match, as a person does."""
    search = page.get_by_role("combobox", name=search_label)
    search.fill(name)
    page.get_by_role("option", name=re.compile(rf"^{re.escape(name)}")).first.click()
    page.locator(".picker-chosen .chip", has_text=name).first.wait_for()
