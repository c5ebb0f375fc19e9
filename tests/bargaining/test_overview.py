"""The bargaining overview at any size: proposals grouped by where they stand, counts by
status and by the side that moved last, a filter, and every list paged."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bargaining.overview import PROPOSALS_PAGE, RECORDS_PAGE, proposals_with_latest
from tests import factories as f
from tests.conftest import ROLES

from . import factories as bf

pytestmark = pytest.mark.django_db


def overview(cast, query: str = "", who: str = "leader"):
    url = reverse("bargaining:campaign", args=[cast.campaign.slug]) + query
    return cast.client_for(who).get(url)


def body(cast, query: str = "") -> str:
    return overview(cast, query).content.decode()


def thread(cast, topic: str, *moves: tuple[str, str]):
    proposal = bf.make_proposal(cast.campaign, topic=topic, article=None)
    for side, status in moves:
        bf.make_version(proposal, side=side, status=status)
    return proposal


def test_the_summary_counts_proposals_by_status_and_by_who_moved_last(cast):
    thread(cast, "Class size", ("union", "open"))
    thread(cast, "Nurses", ("union", "open"), ("employer", "open"))
    thread(cast, "Counselors", ("union", "open"), ("employer", "open"))
    thread(cast, "Housing", ("union", "agreed"))
    thread(cast, "Ethnic studies")
    page = body(cast)
    summary = page.split('class="proposal-summary"')[1].split("</table>")[0]
    assert "5 proposals, by where they stand and who moved last" in summary
    open_row = summary.split(">Open</a>")[1].split("</tr>")[0]
    assert ">1</a>" in open_row and ">2</a>" in open_row and ">3<" in open_row
    assert "Tentatively agreed" in summary and "Not tabled yet" in summary
    assert "Withdrawn" not in summary


def test_proposals_are_grouped_by_status_in_article_order(cast):
    article_12 = bf.make_article(cast.campaign, number="12", title="Class size")
    article_8 = bf.make_article(cast.campaign, number="8", title="Wages")
    for article in (article_12, article_8):
        bf.make_version(bf.make_proposal(cast.campaign, article=article))
    thread(cast, "Housing", ("union", "agreed"))
    page = body(cast).split('aria-label="Filter proposals"')[1].split("</form>")[1]
    assert 'Open <span class="meta">· 2 proposals</span>' in page
    assert 'Tentatively agreed <span class="meta">· 1 proposal</span>' in page
    assert page.index("Wages") < page.index("Class size") < page.index("Housing")


def test_the_proposals_filter_by_status_side_article_and_words(cast):
    thread(cast, "Class size", ("union", "open"))
    thread(cast, "Nurses", ("union", "open"), ("employer", "open"))
    thread(cast, "Nurses at night", ("union", "agreed"))
    by_side = body(cast, "?status=open&side=employer")
    assert ">Nurses</a>" in by_side and ">Class size</a>" not in by_side
    assert "1 proposal matches." in by_side
    words = body(cast, "?q=NURSES")
    assert ">Nurses</a>" in words and ">Nurses at night</a>" in words
    assert ">Class size</a>" not in words
    article = bf.make_article(cast.campaign, number="30", title="Safety")
    bf.make_version(bf.make_proposal(cast.campaign, article=article))
    only = body(cast, f"?article={article.pk}")
    assert "Safety" in only.split('id="proposals-heading"')[1] and ">Nurses</a>" not in only
    assert "No proposal matches." in body(cast, "?status=withdrawn")
    assert overview(cast, "?status=x&side=y&article=z").status_code == 200


def test_proposals_are_paged_and_the_page_keeps_the_filter(cast):
    for n in range(PROPOSALS_PAGE + 3):
        thread(cast, f"Topic {n:02}", ("union", "open"))
    first = body(cast, "?status=open")
    assert first.count(">Topic ") == PROPOSALS_PAGE
    assert "?status=open&amp;proposals_page=2#proposals-heading" in first
    second = body(cast, "?status=open&proposals_page=2")
    assert second.count(">Topic ") == 3
    assert 'Open <span class="meta">· 28 proposals</span>' in second


def test_agreements_and_events_are_paged_on_their_own(cast):
    for n in range(RECORDS_PAGE + 2):
        bf.make_agreement(cast.campaign, title=f"Agreement {n:02}")
        bf.make_event(cast.campaign, title=f"Event {n:02}")
    first = body(cast)
    assert first.count("<strong>Agreement ") == RECORDS_PAGE
    assert first.count("<strong>Event ") == RECORDS_PAGE
    assert "?agreements_page=2#agreements-heading" in first
    second = body(cast, "?agreements_page=2")
    assert second.count("<strong>Agreement ") == 2
    assert second.count("<strong>Event ") == RECORDS_PAGE


@pytest.mark.parametrize("who", ROLES)
def test_the_filtered_overview_is_for_the_campaigns_leaders_only(cast, who):
    thread(cast, "Nurses", ("union", "open"))
    expected = {"anonymous": 302, "leader": 200, "other_leader": 404}.get(who, 403)
    response = overview(cast, "?status=open&q=nurses", who=who)
    assert response.status_code == expected
    if expected != 200:
        assert b"Nurses" not in response.content


def test_the_overview_takes_constant_queries_with_a_filter(cast):
    def count() -> int:
        client = cast.client_for("leader")
        url = reverse("bargaining:campaign", args=[cast.campaign.slug]) + "?status=open&q=t"
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    thread(cast, "Topic start", ("union", "open"))
    bf.make_agreement(cast.campaign, title="First agreement")
    bf.make_session(cast.campaign)
    bf.make_event(cast.campaign)
    bf.make_public_page(cast.campaign)
    small = count()
    for n in range(40):
        thread(cast, f"Topic {n}", ("union", "open"), ("employer", "agreed"))
        bf.make_agreement(cast.campaign, title=f"Agreement {n}")
        bf.make_session(cast.campaign, offset_days=n)
    assert count() == small


def test_each_proposal_counts_only_its_own_versions(cast):
    thread(cast, "Class size", ("union", "open"), ("employer", "open"), ("union", "open"))
    thread(cast, "Counselors", ("union", "open"))
    bf.make_proposal(cast.campaign, topic="Ethnic studies", article=None)
    elsewhere = bf.make_proposal(f.make_campaign(cast.other_local), topic="Elsewhere")
    for _ in range(4):
        bf.make_version(elsewhere)
    proposals = {
        p.topic: p.version_count
        for p in proposals_with_latest(cast.campaign)
        if p.topic  # the campaign's article proposals have no topic
    }
    assert proposals == {"Class size": 3, "Counselors": 1, "Ethnic studies": 0}
    page = body(cast)
    assert "Ethnic studies" in page and "No version yet" in page
