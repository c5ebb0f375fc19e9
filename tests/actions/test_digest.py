"""The weekly steward digest: a leader previews one steward's and sends it now, still once a
week per steward; it links to each member and action it names and its subject names the
local."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from actions import digest, reminders
from actions.models import Reminder
from tests import factories as f
from tests.conftest import ROLES

from .factories import make_action

pytestmark = pytest.mark.django_db

PACIFIC = ZoneInfo("America/Los_Angeles")
EVENING = datetime(2026, 12, 1, 20, 30, tzinfo=PACIFIC)  # already Wednesday in UTC
MONDAY_EARLY = datetime(2026, 11, 30, 6, 0, tzinfo=PACIFIC)  # before the 07:00 run


@pytest.fixture(autouse=True)
def _locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://cg.example"


def _week(cast):
    member = f.make_member(cast.building_a, first_name="Quiet", last_name="Teacher")
    starts = datetime(2026, 12, 2, 18, 0, tzinfo=PACIFIC)
    action = make_action(
        cast.campaign,
        title="Red Thursday walk-in",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
    )
    return member, action


@time_machine.travel(EVENING, tick=False)
def test_a_leader_previews_a_stewards_digest_with_links_and_the_locals_name(cast):
    member, action = _week(cast)
    url = reverse("actions:digest", args=[cast.campaign.slug])
    page = cast.client_for("leader").get(url, {"steward": cast.steward_a.pk}).content.decode()
    assert "Your buildings this week · Twin Rivers Test Educators" in page
    assert f"https://cg.example{member.get_absolute_url()}" in page
    assert f"https://cg.example{action.get_absolute_url()}" in page
    assert "Wed 2 Dec 2026, 18:00 PST Red Thursday walk-in" in page
    assert not Reminder.objects.exists()  # a preview sends nothing
    assert "/actions/unsubscribe/" not in page and "own unsubscribe link" in page
    reminders_page = cast.client_for("leader").get(
        reverse("actions:reminders", args=[cast.campaign.slug])
    )
    assert url in reminders_page.content.decode()


@time_machine.travel(MONDAY_EARLY, tick=False)
def test_send_now_asks_first_then_sends_once_per_week_and_steward(cast):
    member, action = _week(cast)
    client = cast.client_for("leader")
    url = reverse("actions:digest", args=[cast.campaign.slug])
    unconfirmed = client.post(url)
    assert unconfirmed.status_code == 302 and unconfirmed["Location"].endswith("?send=1")
    assert not Reminder.objects.exists()
    asking = client.get(unconfirmed["Location"]).content.decode()
    assert "digest now?" in asking and "Yes, send it now" in asking

    sent = client.post(url, {"confirm": "yes"}, follow=True)
    assert "on its way to 2 stewards" in sent.content.decode()
    assert reminders.send_due() == 2
    message = next(m for m in mail.outbox if m.to == ["steward-a@test.example"])
    assert message.subject == "Your buildings this week · Twin Rivers Test Educators"
    assert f"https://cg.example{member.get_absolute_url()}" in message.body
    assert f'href="https://cg.example{action.get_absolute_url()}"' in message.alternatives[0][0]

    again = client.post(url, {"confirm": "yes"}, follow=True)
    assert "2 stewards already had this week" in again.content.decode()
    # The Monday run an hour later plans nothing new either.
    assert digest.plan_weekly_digests(now=MONDAY_EARLY + timedelta(hours=1)) == 0
    assert reminders.send_due() == 0
    assert len([m for m in mail.outbox if "Your buildings" in m.subject]) == 2


@pytest.mark.parametrize("who", ROLES)
def test_only_the_locals_leaders_preview_and_send_the_digest(cast, who):
    url = reverse("actions:digest", args=[cast.campaign.slug])
    client = cast.client_for(who)
    get, post = client.get(url).status_code, client.post(url, {"confirm": "yes"}).status_code
    if who == "leader":
        assert (get, post) == (200, 302)
    elif who == "anonymous":
        assert (get, post) == (302, 302) and not Reminder.objects.exists()
    else:
        assert get in {403, 404} and post in {403, 404}
        assert not Reminder.objects.exists()


@time_machine.travel(EVENING, tick=False)
def test_a_leader_finds_a_steward_to_preview_by_name_or_email(cast):
    url = reverse("actions:digest", args=[cast.campaign.slug])
    client = cast.client_for("leader")
    found = client.get(url, {"q": "steward-b@"}).content.decode()
    assert "steward-b@test.example" in found and "steward-a@test.example</a>" not in found
    assert "No steward matches this search." in client.get(url, {"q": "nobody"}).content.decode()


@time_machine.travel(MONDAY_EARLY, tick=False)
@pytest.mark.parametrize("extra", [0, 30])
def test_the_digest_page_takes_the_same_queries_however_many_stewards(
    cast, django_assert_num_queries, extra
):
    for n in range(extra):
        f.make_steward(cast.local, cast.building_a, email=f"steward-{n}@more.example")
    digest.plan_digest(cast.local, campaign=cast.campaign)
    client = cast.client_for("leader")
    url = reverse("actions:digest", args=[cast.campaign.slug])
    client.get(url)
    with django_assert_num_queries(15):
        page = client.get(url).content.decode()
    assert f"{extra + 2} have had this week" in page
    assert page.count("steward=") == min(extra + 2, 20)
