"""Field mode on a phone with no signal (Playwright's offline mode, at 390 px): the steward
opts in, goes offline, logs three 1-on-1s and ticks a structure test, closes and reopens the
page, goes back online, and every change is saved exactly once; a refused change stays on the
phone with its reason; signing out empties the phone's storage."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LAPTOP, PHONE
from tests.browser.test_campaigns import assert_accessible

pytestmark = pytest.mark.browser

STORAGE = """async () => ({
  databases: (await indexedDB.databases()).map(d => d.name),
  caches: await caches.keys(),
})"""


CONTROLLED = """() => navigator.serviceWorker.controller ? true : new Promise(
  resolve => navigator.serviceWorker.addEventListener("controllerchange", () => resolve(true))
)"""


# The phone's record of its last sync, moved back 15 days.
AGE_LAST_SYNC = """() => new Promise((resolve, reject) => {
  const opening = indexedDB.open("cg-field");
  opening.onsuccess = () => {
    const db = opening.result;
    const store = db.transaction("state", "readwrite").objectStore("state");
    const reading = store.get("synced");
    reading.onsuccess = () => {
      const synced = reading.result;
      synced.at = new Date(Date.now() - 15 * 24 * 3600 * 1000).toISOString();
      store.put(synced, "synced").onsuccess = () => { db.close(); resolve(true); };
    };
  };
  opening.onerror = reject;
})"""


def assert_emptied(page) -> None:
    """The phone's storage empties (deleting a database may wait for a connection to close,
    and on a busy machine that takes longer than five seconds)."""
    for _ in range(200):
        if page.evaluate(STORAGE) == {"databases": [], "caches": []}:
            return
        time.sleep(0.1)
    assert page.evaluate(STORAGE) == {"databases": [], "caches": []}


def opt_in(steward) -> None:
    page = steward.page
    steward.sign_in("steward@example.org")
    page.goto("/campaigns/my-buildings/")
    page.get_by_label(re.compile("This is my own phone")).check()
    page.get_by_text(re.compile("^Last synced ")).wait_for()
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    # The worker serves this page from now on (polling with wait_for_function would need eval,
    # which the Content Security Policy refuses).
    page.evaluate(CONTROLLED)


def log_offline(page, row, issues: str, *, held_on: str | None = None) -> None:
    row.get_by_role("link", name=re.compile("Log 1-on-1")).click()
    form = row.locator("form[data-field-conversation]")
    form.get_by_label("Said yes to the ask").check()
    form.get_by_label("Issues raised").fill(issues)
    form.get_by_label("New support level").select_option(label="2 · Supporter")
    if held_on:
        form.get_by_label("Date").fill(held_on)
    form.get_by_role("button", name="Save the 1-on-1").click()
    row.locator(".field-pending").wait_for()


def test_a_steward_works_offline_and_every_change_is_saved_once(visit):
    steward = visit(PHONE, "field-offline")
    page = steward.page
    opt_in(steward)
    rows = page.locator(".talk-row")
    ids = [rows.nth(i).get_attribute("data-member") for i in range(5)]
    links = [rows.nth(i).locator(".talk-name").get_attribute("href") for i in range(5)]

    def row(i: int):
        return page.locator(f'li[data-member="{ids[i]}"]')

    steward.context.set_offline(True)
    page.get_by_text(re.compile("^You are offline")).wait_for()
    for i in range(3):
        log_offline(page, row(i), f"Field note {i} about the nurse")
        if i == 0:
            steward.shot("offline one-on-one queued")
    toggle = row(3).locator("button.test-toggle")
    before = toggle.get_attribute("aria-pressed")
    toggle.click()
    expected = "false" if before == "true" else "true"
    assert toggle.get_attribute("aria-pressed") == expected
    # One the server will refuse: a 1-on-1 dated in the future.
    log_offline(page, row(4), "Refused", held_on="2035-01-01")
    page.get_by_text("Waiting to send (5)").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    steward.shot("waiting to send")
    assert_accessible(page)

    # The 10-minute meeting form opens from the phone too.
    page.get_by_role("link", name="Log a 10-minute meeting").click()
    page.get_by_label("Agenda").fill("Field meeting in the portable about the nurse")
    page.get_by_role("button", name="Save the meeting").click()
    page.get_by_text("Waiting to send (6)").wait_for()
    steward.shot("meeting queued")

    # The browser is closed and opened again, still without signal: the page comes from the phone.
    page.close()
    page = steward.page = steward.context.new_page()
    page.goto("/campaigns/my-buildings/")
    page.get_by_text("Waiting to send (6)").wait_for()
    page.get_by_text(re.compile("^Last synced ")).wait_for()
    reopened = row(3).locator("button.test-toggle")
    assert reopened.get_attribute("aria-pressed") == expected
    steward.shot("reopened offline")

    steward.context.set_offline(False)
    refused = page.locator(".field-refused")
    refused.filter(has_text="The conversation cannot be in the future.").wait_for()
    assert page.get_by_text(re.compile("^Waiting to send")).is_hidden()
    steward.shot("sent, one refused")
    assert_accessible(page)
    tick = row(3).locator("button.test-toggle")
    assert tick.get_attribute("aria-pressed") == expected

    # Sent again with the same keys (say, the answer was lost), nothing is saved twice.
    page.get_by_role("button", name="Send again").click()
    refused.filter(has_text="The conversation cannot be in the future.").wait_for()
    for i in range(3):
        page.goto(links[i])
        page.get_by_role("heading", name="1-on-1 conversations").wait_for()
        assert page.get_by_text(f"Field note {i} about the nurse").count() == 1, links[i]
    page.goto("/campaigns/my-buildings/")
    assert page.get_by_text("Field meeting in the portable about the nurse").count() == 1
    page.get_by_role("button", name="Discard").click()
    # Discarding takes the change out of the phone's queue, then off the page.
    expect(page.locator(".field-refused")).to_have_count(0)


def test_signing_out_empties_the_phone(visit):
    # A tablet or laptop the steward owns may keep a copy too.
    steward = visit(LAPTOP, "field-sign-out")
    page = steward.page
    opt_in(steward)
    steward.shot("field mode on a laptop")
    kept = page.evaluate(STORAGE)
    assert "cg-field" in kept["databases"] and kept["caches"] == ["cg-field"]
    page.locator(".account-menu summary").click()
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("link", name="Sign in").first.wait_for()
    assert_emptied(page)


def test_fourteen_days_without_a_sync_empties_the_phone_even_offline(visit):
    steward = visit(PHONE, "field-stale")
    page = steward.page
    opt_in(steward)
    page.evaluate(AGE_LAST_SYNC)
    steward.context.set_offline(True)
    page.reload()
    page.get_by_text("This phone no longer keeps your buildings.").wait_for()
    assert not page.get_by_label(re.compile("This is my own phone")).is_checked()
    assert_emptied(page)


def test_a_revoked_session_empties_the_phone_at_the_next_contact(visit):
    steward = visit(PHONE, "field-revoked")
    page = steward.page
    opt_in(steward)
    steward.context.clear_cookies()
    page.goto("/campaigns/my-buildings/")
    page.get_by_role("heading", name="Sign in").wait_for()
    assert_emptied(page)


def test_without_javascript_the_pages_work_and_offer_no_offline(browser, server):
    context = browser.new_context(viewport=PHONE, base_url=server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/accounts/login/")
        page.get_by_label("Email").fill("steward@example.org")
        page.get_by_label("Password").fill("commongood")
        page.get_by_role("button", name="Sign in").click()
        page.goto("/campaigns/my-buildings/")
        assert page.locator("#field-panel").is_hidden()
        row = page.locator(".talk-row").first
        row.get_by_role("link", name=re.compile("Log 1-on-1")).click()
        page.get_by_label("Said yes to the ask").check()
        page.get_by_label("Issues raised").fill("Logged with JavaScript off")
        page.get_by_role("button", name="Save the 1-on-1").click()
        page.get_by_text(re.compile("saved")).first.wait_for()
        assert page.locator("#field-panel").is_hidden()
    finally:
        context.close()
