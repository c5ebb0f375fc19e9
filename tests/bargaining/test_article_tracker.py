"""The public article tracker: each side's latest published position on every article, side
by side with a word diff, its state, and the counters; leaders switch it on and off, per
campaign and per article, and nothing unpublished ever shows."""

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse

from bargaining.models import ProposalVersion, Session
from bargaining.tracker import ArticleState, article_tracker

from . import factories as bf

pytestmark = pytest.mark.django_db


def url(campaign, lang="en"):
    return reverse("open:articles", args=[campaign.slug]) + f"?lang={lang}"


def thread(campaign, *sides, article=None, **extra):
    """A proposal on an article with a published version for each side given, in order."""
    proposal = bf.make_proposal(campaign, article=article)
    for n, side in enumerate(sides):
        bf.make_version(
            proposal,
            side=side,
            passed_on=date(2026, 9, 10) + timedelta(days=7 * n),
            text=f"{side} text: class size of {20 + n} students",
            **extra,
        )
    return proposal


def test_the_tracker_sets_both_sides_latest_positions_side_by_side(cast, client):
    bf.make_public_page(cast.campaign, tracker_on=True)
    proposal = thread(cast.campaign, "union", "employer", "union")
    page = client.get(url(cast.campaign)).content.decode()
    assert proposal.article.public_title in page
    # The union's latest (the third, 22 students) beside the employer's (21), diffed.
    assert "<del>22" in page and "<ins>21" in page
    assert "union text: class size of 20" not in page
    assert "Last moved Thursday 24 September 2026" in page
    assert "Last moved Thursday 17 September 2026" in page
    assert "Countered" in page


def test_states_follow_the_published_record(cast):
    open_one = thread(cast.campaign, "union")
    countered = thread(cast.campaign, "union", "employer")
    agreed = thread(cast.campaign, "union", "employer")
    bf.make_agreement(cast.campaign, proposal=agreed)
    withdrawn = thread(cast.campaign, "employer")
    withdrawn.versions.get().withdraw(by=cast.leader)
    states = {row.article.pk: row.state for row in article_tracker(cast.campaign).rows}
    assert states == {
        open_one.article_id: ArticleState.OPEN,
        countered.article_id: ArticleState.COUNTERED,
        agreed.article_id: ArticleState.AGREED,
        withdrawn.article_id: ArticleState.WITHDRAWN,
    }


def test_the_counters_count_agreements_unanswered_proposals_and_declined_dates(cast, client):
    bf.make_public_page(cast.campaign, tracker_on=True)
    thread(cast.campaign, "union")  # unanswered
    thread(cast.campaign, "union", "employer", "union")  # unanswered again
    thread(cast.campaign, "union", "employer")  # answered
    bf.make_agreement(cast.campaign, proposal=thread(cast.campaign, "union"))
    bf.make_session(cast.campaign, status=Session.Status.DECLINED_EMPLOYER)
    bf.make_session(cast.campaign, status=Session.Status.DECLINED_EMPLOYER, offset_days=7)
    bf.make_session(cast.campaign, status=Session.Status.DECLINED_EMPLOYER, published=False)
    tracker = article_tracker(cast.campaign)
    assert (tracker.agreed_count, tracker.unanswered_count, tracker.declined_count) == (1, 2, 2)
    page = client.get(url(cast.campaign)).content.decode()
    assert "<strong>2</strong><span>union proposals the employer has not answered" in page
    assert "<strong>2</strong><span>dates the employer declined to meet" in page
    assert "<strong>1</strong><span>article tentatively agreed" in page


def test_only_published_positions_appear(cast, client):
    bf.make_public_page(cast.campaign, tracker_on=True)
    proposal = thread(cast.campaign, "union")
    bf.make_version(proposal, side="employer", text="Secret counter offer", published=False)
    hidden = bf.make_proposal(cast.campaign)
    bf.make_version(hidden, text="Unpublished opening", published=False)
    page = client.get(url(cast.campaign)).content.decode()
    assert "Secret counter offer" not in page
    assert hidden.article.public_title not in page
    assert "Open" in page and "Waiting for the employer" in page


def test_the_tracker_is_off_until_a_leader_turns_it_on(cast, client):
    bf.make_public_page(cast.campaign)
    thread(cast.campaign, "union")
    assert client.get(url(cast.campaign)).status_code == 404
    campaign_page = reverse("open:campaign", args=[cast.campaign.slug])
    assert reverse("open:articles", args=[cast.campaign.slug]) not in (
        client.get(campaign_page).content.decode()
    )
    cast.client_for("leader").post(
        reverse("bargaining:public_page", args=[cast.campaign.slug]),
        {"is_on": "on", "story": "x", "tracker_on": "on"},
    )
    assert client.get(url(cast.campaign)).status_code == 200
    assert reverse("open:articles", args=[cast.campaign.slug]) in (
        client.get(campaign_page).content.decode()
    )


def test_a_leader_takes_an_article_off_the_tracker_and_it_goes_at_once(cast, client):
    bf.make_public_page(cast.campaign, tracker_on=True)
    proposal = thread(cast.campaign, "union")
    title = proposal.article.public_title
    assert title in client.get(url(cast.campaign)).content.decode()
    leader = cast.client_for("leader")
    leader.post(reverse("bargaining:article_tracker", args=[proposal.article_id]))
    assert title not in client.get(url(cast.campaign)).content.decode()
    leader.post(
        reverse("bargaining:article_tracker", args=[proposal.article_id]), {"on_tracker": "on"}
    )
    assert title in client.get(url(cast.campaign)).content.decode()


def test_withdrawing_a_published_position_shows_at_once(cast, client):
    bf.make_public_page(cast.campaign, tracker_on=True)
    proposal = thread(cast.campaign, "union")
    client.get(url(cast.campaign))
    version = proposal.versions.get()
    cast.client_for("leader").post(reverse("bargaining:version_withdraw", args=[version.pk]))
    version.refresh_from_db()
    assert version.status == ProposalVersion.Status.WITHDRAWN
    assert "Withdrawn" in client.get(url(cast.campaign)).content.decode()


def test_an_agreed_position_cannot_be_withdrawn(cast):
    from django.core.exceptions import ValidationError

    version = thread(cast.campaign, "union", status="agreed").versions.get()
    with pytest.raises(ValidationError):
        version.withdraw(by=cast.leader)


def test_leaders_preview_the_tracker_while_it_is_off(cast):
    bf.make_public_page(cast.campaign)
    proposal = thread(cast.campaign, "union")
    bf.make_version(proposal, side="employer", text="Not published yet", published=False)
    page = cast.client_for("leader").get(
        reverse("bargaining:public_articles_preview", args=[cast.campaign.slug])
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "The tracker is off" in text and proposal.article.public_title in text
    assert "Not published yet" not in text


@pytest.mark.parametrize("size", [3, 30])
def test_the_tracker_takes_constant_queries(cast, client, django_assert_num_queries, size):
    bf.make_public_page(cast.campaign, tracker_on=True)
    for _ in range(size):
        thread(cast.campaign, "union", "employer", "union")
    bf.make_session(cast.campaign, status=Session.Status.DECLINED_EMPLOYER)
    cache.clear()
    with django_assert_num_queries(6):
        response = client.get(url(cast.campaign))
    assert response.status_code == 200
    assert response.content.decode().count('class="card tracked-article"') == min(size, 20)


def test_the_tracker_is_cached_and_a_publish_shows_at_once(cast, client, django_assert_num_queries):
    bf.make_public_page(cast.campaign, tracker_on=True)
    proposal = thread(cast.campaign, "union")
    client.get(url(cast.campaign))
    with django_assert_num_queries(0):  # the version and the page both from the cache
        assert client.get(url(cast.campaign)).status_code == 200
    version = bf.make_version(proposal, side="employer", text="A fresh counter", published=False)
    version.publish(by=cast.leader)
    assert "A fresh counter" in client.get(url(cast.campaign)).content.decode()


def test_the_tracker_reads_the_readers_language(cast, client):
    bf.make_public_page(cast.campaign, tracker_on=True)
    proposal = thread(cast.campaign, "union", text_es="Texto del sindicato")
    page = client.get(url(cast.campaign, "es")).content.decode()
    assert "Texto del sindicato" in page
    assert proposal.article.title_es in page
