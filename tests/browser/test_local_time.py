"""At 20:30 in California (04:30 the next day in UTC) a leader schedules an action for 18:00
tomorrow; everyone reads 18:00 on the right day: the steward's pages, the reminder email and
the partner portal. Then the leader unpublishes a demand and the public page and the PDF no
longer contain it.

The server runs with its clock at that evening (tests/frozen.py), ticking from there.
"""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.browser.conftest import LAPTOP, PHONE, Visit, choose_in_picker
from tests.services import app_server, frozen_manage, require_chromium

pytestmark = pytest.mark.browser

PACIFIC = ZoneInfo("America/Los_Angeles")
TITLE = "Counselors town hall at the district office"
PARTNER_ORGANISATION = "Twin Rivers Parents for Public Schools"


def this_evening() -> datetime:
    """Today's 20:30 in California: close to the real time, so the demo's story still holds."""
    return datetime.now(PACIFIC).replace(hour=20, minute=30, second=0, microsecond=0)


@pytest.fixture(scope="module")
def evening_server(tmp_path_factory):
    require_chromium()
    with app_server(tmp_path_factory.mktemp("evening"), frozen_at=this_evening()) as running:
        yield running


def pdf_text(visit: Visit, path: str) -> str | None:
    from pypdf import PdfReader

    response = visit.page.request.get(path)
    if response.status != 200:
        return None
    reader = PdfReader(io.BytesIO(response.body()))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def test_an_evening_in_california_everyone_reads_the_same_local_time(browser, evening_server):
    tomorrow = (this_evening() + timedelta(days=1)).date()
    weekday, short_weekday = f"{tomorrow:%A}", f"{tomorrow:%a}"
    long_day = f"{weekday} {tomorrow.day} {tomorrow:%B %Y}"
    opened: list[Visit] = []

    def visit(viewport, name):
        v = Visit(browser, evening_server, name, viewport)
        opened.append(v)
        return v

    try:
        # The leader schedules an action for 18:00 tomorrow, inviting the partner's group.
        leader = visit(LAPTOP, "evening-leader")
        leader.sign_in("leader@example.org")
        page = leader.page
        page.goto("/actions/campaign/true-2027/ladder/")
        page.get_by_role("link", name="Schedule an action").first.click()
        page.get_by_label("Tactic").select_option(label="10. Packed school-board meeting")
        page.get_by_label("Title").fill(TITLE)
        page.get_by_label("Starts").fill(f"{tomorrow:%Y-%m-%d}T18:00")
        page.get_by_label("Ends").fill(f"{tomorrow:%Y-%m-%d}T19:30")
        page.get_by_label("Place:").fill("District office board room")
        choose_in_picker(page, "Search organisations by name", PARTNER_ORGANISATION)
        page.get_by_role("button", name="Schedule").click()
        page.get_by_text("Action scheduled; reminders are planned.").wait_for()
        assert f"{long_day}, 18:00 PST" in page.content()
        leader.shot("action scheduled at 18:00 tomorrow")
        action_path = re.sub(r"^https?://[^/]+", "", page.url).split("?")[0]

        # The steward reads 18:00 on every page that shows it.
        steward = visit(PHONE, "evening-steward")
        steward.sign_in("steward@example.org")
        steward.page.goto("/actions/")
        item = steward.page.get_by_role("listitem").filter(has_text=TITLE)
        assert f"{short_weekday} {tomorrow.day} {tomorrow:%b %Y}, 18:00" in item.inner_text()
        steward.shot("actions list")
        steward.page.goto(action_path)
        assert f"{long_day}, 18:00 PST" in steward.page.content()
        steward.shot("action page")

        # The reminder two hours before says 18:00 and the right weekday.
        reminder_time = datetime.combine(tomorrow, datetime.min.time(), PACIFIC).replace(
            hour=16, minute=5
        )
        frozen_manage(
            reminder_time,
            "shell",
            "-c",
            "from actions.reminders import send_due; send_due()",
            env=evening_server.env,
        )
        reminders = [m for m in evening_server.mail() if f"A reminder: “{TITLE}”" in m]
        assert reminders, "no reminder email was written"
        assert f"{long_day}, 18:00 PST" in reminders[0]
        assert "02:00" not in reminders[0]

        # The partner portal says the same.
        partner = visit(PHONE, "evening-partner")
        partner.sign_in("partner@example.org")
        partner.page.goto("/partners/portal/")
        item = partner.page.get_by_role("listitem").filter(has_text=TITLE)
        assert f"{long_day}, 18:00 PST" in item.inner_text()
        partner.shot("partner portal")

        # The leader unpublishes a demand; an anonymous reload no longer contains it.
        public = visit(PHONE, "evening-public")
        public.page.goto("/open/true-2027/")
        demand = public.page.locator(".demand-title").first.inner_text().strip()
        pdf_before = pdf_text(public, "/open/true-2027/report.pdf")
        assert pdf_before is None or demand in pdf_before

        page.goto("/demands/")
        page.get_by_role("link", name=demand, exact=True).first.click()
        page.once("dialog", lambda dialog: dialog.accept())
        page.get_by_role("button", name="Unpublish").click()
        page.get_by_text("Unpublished: the public page no longer shows this demand.").wait_for()
        leader.shot("demand unpublished")

        public.page.reload()
        public.page.get_by_role("heading", name="Our demands and where they stand").wait_for()
        assert demand not in public.page.content()
        public.shot("public page without the demand")
        # The PDF is rendered in the background, within a minute.
        for _attempt in range(30):
            pdf_after = pdf_text(public, "/open/true-2027/report.pdf")
            if pdf_after is not None and demand not in pdf_after:
                break
            public.page.wait_for_timeout(2000)
        assert pdf_after is not None and demand not in pdf_after
    finally:
        for v in opened:
            v.close()
