"""Contract articles, tentative agreements, campaign events, the page switch; the seeds."""

from datetime import date

import pytest
from django.urls import reverse

from bargaining.models import (
    CampaignEvent,
    ContractArticle,
    ProposalVersion,
    PublicPage,
    PublishedReport,
    Session,
    TentativeAgreement,
)

from . import factories as bf

pytestmark = pytest.mark.django_db


def test_leader_adds_articles_and_a_duplicate_number_is_explained(cast):
    client = cast.client_for("leader")
    url = reverse("bargaining:articles", args=[cast.campaign.slug])
    client.post(url, {"number": "12", "title": "Class size", "title_es": "Tamaño"})
    response = client.post(url, {"number": "12", "title": "Again"})
    assert response.status_code == 400
    assert "Article 12 is already on the list." in response.content.decode()
    assert ContractArticle.objects.count() == 1


def test_leader_records_a_tentative_agreement_on_a_proposal(cast):
    proposal = bf.make_proposal(cast.campaign)
    response = cast.client_for("leader").post(
        reverse("bargaining:agreement_new", args=[cast.campaign.slug]),
        {
            "proposal": proposal.pk,
            "title": "Class size",
            "signed_on": "2026-11-10",
            "union_signatories": "Jackie Howard",
            "employer_signatories": "HR director",
        },
    )
    assert response.status_code == 302
    agreement = TentativeAgreement.objects.get()
    assert (agreement.proposal, agreement.signed_on) == (proposal, date(2026, 11, 10))
    assert not agreement.is_published


def test_a_proposal_of_another_campaign_cannot_be_agreed_here(cast):
    from tests import factories as f

    foreign = bf.make_proposal(f.make_campaign(cast.local))
    response = cast.client_for("leader").post(
        reverse("bargaining:agreement_new", args=[cast.campaign.slug]),
        {
            "proposal": foreign.pk,
            "title": "x",
            "signed_on": "2026-12-10",
            "union_signatories": "a",
            "employer_signatories": "b",
        },
    )
    assert response.status_code == 400
    assert not TentativeAgreement.objects.exists()


def test_a_ratification_vote_records_its_results(cast):
    client = cast.client_for("leader")
    url = reverse("bargaining:event_new", args=[cast.campaign.slug])
    response = client.post(
        url,
        {
            "kind": "ratification",
            "occurred_on": "2027-01-23",
            "title": "Members ratify",
            "votes_yes": 1318,
            "votes_no": 41,
        },
    )
    assert response.status_code == 302
    event = CampaignEvent.objects.get()
    assert event.yes_percent == 97


def test_only_a_vote_has_results(cast):
    response = cast.client_for("leader").post(
        reverse("bargaining:event_new", args=[cast.campaign.slug]),
        {"kind": "impasse", "occurred_on": "2026-10-01", "title": "Impasse", "votes_yes": 3},
    )
    assert "Only a vote has results." in response.content.decode()
    assert not CampaignEvent.objects.exists()


def test_editing_a_published_event_bumps_the_page_and_an_unpublished_one_does_not(cast):
    campaign = cast.campaign
    bf.make_public_page(campaign)
    hidden = bf.make_event(campaign, published=False)
    shown = bf.make_event(campaign)
    client = cast.client_for("leader")
    data = {"kind": "ratification", "occurred_on": "2027-01-23", "title": "New title"}
    client.post(reverse("bargaining:event_edit", args=[hidden.pk]), data)
    campaign.refresh_from_db()
    assert campaign.public_version == 1
    client.post(reverse("bargaining:event_edit", args=[shown.pk]), data)
    campaign.refresh_from_db()
    assert campaign.public_version == 2


def test_leader_turns_the_public_page_on_with_a_story(cast, client):
    cast.local.content_languages = ["es"]
    cast.local.save()
    cast.client_for("leader").post(
        reverse("bargaining:public_page", args=[cast.campaign.slug]),
        {"is_on": "on", "story": "Our story", "story_es": "Nuestra historia"},
    )
    assert PublicPage.objects.get(campaign=cast.campaign).is_on
    body = client.get(reverse("open:campaign", args=[cast.campaign.slug]) + "?lang=es")
    assert "Nuestra historia" in body.content.decode()


def test_the_public_preview_shows_a_page_that_is_still_off(cast):
    bf.make_public_page(cast.campaign, is_on=False, story="Draft story")
    body = (
        cast.client_for("leader")
        .get(reverse("bargaining:public_preview", args=[cast.campaign.slug]))
        .content.decode()
    )
    assert "Draft story" in body
    assert "The page is off, so nobody outside sees it yet." in body


def test_the_demo_seed_publishes_true_style_bargaining_and_renders_its_report(db):
    from seeds.demo import bargaining as bargaining_demo
    from seeds.demo import campaigns as campaigns_demo

    context = campaigns_demo.seed()
    bargaining_demo.seed(context)
    campaign = context["campaign"]
    assert Session.objects.filter(campaign=campaign).count() == 6
    assert Session.objects.filter(status="declined_employer").count() == 1
    assert Session.objects.filter(status="scheduled").count() == 1
    # Bargaining is under way: a request to bargain, no ratification yet.
    assert CampaignEvent.objects.filter(kind="request").exists()
    assert not CampaignEvent.objects.filter(kind="ratification").exists()
    assert ProposalVersion.objects.filter(published_at__isnull=True).count() == 1
    reports = {r.language: r.sha256 for r in PublishedReport.objects.all()}
    assert set(reports) == {"en", "es"}
    bargaining_demo.seed(context)
    assert Session.objects.count() == 6
    assert {r.language: r.sha256 for r in PublishedReport.objects.all()} == reports


def test_the_scale_seed_makes_sixty_sessions_and_six_hundred_published_versions(cast):
    from seeds.scale import bargaining as scale

    demand = bf.make_demand(cast.campaign, published=False)
    scale.seed({"campaign": cast.campaign, "leader": cast.leader})
    assert Session.objects.published().count() == 60
    assert ProposalVersion.objects.published().count() == 600
    demand.refresh_from_db()
    assert demand.is_published
    assert PublicPage.objects.get(campaign=cast.campaign).is_on


def test_deleting_a_campaign_takes_its_bargaining_with_it(cast):
    from campaigns.models import Campaign

    proposal = bf.make_proposal(cast.campaign)
    bf.make_version(proposal)
    bf.make_agreement(cast.campaign, proposal=proposal)
    Campaign.objects.filter(pk=cast.campaign.pk).delete()
    assert not ContractArticle.objects.exists()
    assert not ProposalVersion.objects.exists()


def test_an_article_with_proposals_cannot_be_deleted_alone(cast):
    from django.db.models import RestrictedError

    proposal = bf.make_proposal(cast.campaign)
    with pytest.raises(RestrictedError):
        proposal.article.delete()
