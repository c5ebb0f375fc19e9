"""A partner writes to the supporters its organisation brought, and to no one else; leaders
see the partners' broadcasts and from whom; two leaders saving one draft or one survey at once
get the merge page; the personal survey link is refused outside members' broadcasts."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from broadcasts import sending
from broadcasts.models import Broadcast, Delivery
from surveys.models import Survey
from tests import factories as f
from tests.forms import save_merge, stale_save
from tests.reach.factories import make_petition

from .factories import make_broadcast
from .test_segments import sign

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://cg.test"


@pytest.fixture
def supporters(cast):
    """X brought Ana (agreed to X's updates) and a member who signed; Y brought Cy."""
    petition = make_petition(cast.campaign)
    member = f.make_member(cast.building_a, personal_email="member-who-signed@home.example")
    sign(petition, "ana@example.net", partner=True, brought_by=cast.organisation_x, language="es")
    sign(petition, member.personal_email, partner=True, brought_by=cast.organisation_x)
    sign(petition, "cy@example.net", partner=True, brought_by=cast.organisation_y)
    return member


def partner_post(**extra) -> dict:
    return {
        "name": "Parents' update",
        "default_language": "en",
        "subject_en": "Come to the board meeting",
        "body_en": "We need you there. https://example.org/board",
        "subject_es": "Venga a la junta",
        "body_es": "La necesitamos allí. https://example.org/board",
        **extra,
    }


def test_a_partner_writes_previews_tests_and_sends_to_their_supporters(cast, supporters):
    client = cast.client_for("partner_x")
    portal = client.get(reverse("partners:portal")).content.decode()
    assert reverse("broadcasts:partner_list", args=[cast.organisation_x.pk]) in portal
    create = reverse("broadcasts:partner_create", args=[cast.organisation_x.pk])
    assert client.get(create).status_code == 200
    response = client.post(create, {**partner_post(), "campaign": cast.campaign.pk})
    broadcast = Broadcast.objects.get(name="Parents' update")
    assert response["Location"] == reverse("broadcasts:partner_detail", args=[broadcast.pk])
    assert broadcast.audience == Broadcast.Audience.PARTNER_SUPPORTERS
    assert broadcast.organisation == cast.organisation_x
    page = client.get(response["Location"]).content.decode()
    assert "<dd>1</dd>" in page  # Ana only: the member who signed is the union's to write to
    assert "Ana" in page and "Venga a la junta" in page
    assert supporters.personal_email not in page and supporters.last_name not in page
    client.post(reverse("broadcasts:partner_test", args=[broadcast.pk]))
    client.post(reverse("broadcasts:partner_schedule", args=[broadcast.pk]), {"send_at": ""})
    sending.send_due()
    assert sorted(m.to[0] for m in mail.outbox) == ["ana@example.net", "partner-x@test.example"]
    ana = next(m for m in mail.outbox if m.to == ["ana@example.net"])
    assert ana.subject == "Venga a la junta"
    assert f"Enviado por {cast.organisation_x.name}" in ana.body
    detail = client.get(reverse("broadcasts:partner_detail", args=[broadcast.pk]))
    assert detail.status_code == 200 and supporters.personal_email not in detail.content.decode()


def test_a_forged_audience_or_organisation_is_refused(cast, supporters):
    client = cast.client_for("partner_x")
    create = reverse("broadcasts:partner_create", args=[cast.organisation_x.pk])
    for forged in (
        {"audience": Broadcast.Audience.MEMBERS},
        {"audience": Broadcast.Audience.SUPPORTERS},
        {"organisation": cast.organisation_y.pk},
    ):
        response = client.post(create, {**partner_post(), "campaign": cast.campaign.pk, **forged})
        assert response.status_code == 200
        assert "Your broadcasts go to the supporters your organisation brought" in (
            response.content.decode()
        )
    assert not Broadcast.objects.exists()
    # Another organisation's pages, or another local's campaign, are not theirs to use.
    other = reverse("broadcasts:partner_create", args=[cast.organisation_y.pk])
    assert client.post(other, partner_post()).status_code == 404
    foreign = f.make_campaign(cast.other_local)
    response = client.post(create, {**partner_post(), "campaign": foreign.pk})
    assert response.status_code == 200 and not Broadcast.objects.exists()
    # Nor may a partner put a member's survey link in.
    response = client.post(
        create,
        {**partner_post(body_en="Answer: {survey_link}"), "campaign": cast.campaign.pk},
    )
    assert response.status_code == 200 and not Broadcast.objects.exists()


def test_partners_never_reach_the_unions_broadcasts_nor_each_others(cast, supporters):
    union = make_broadcast(cast.campaign, building=cast.building_a)
    theirs = make_broadcast(
        cast.campaign,
        audience=Broadcast.Audience.PARTNER_SUPPORTERS,
        organisation=cast.organisation_x,
        name="X's update",
    )
    y = cast.client_for("partner_y")
    assert y.get(reverse("broadcasts:partner_detail", args=[theirs.pk])).status_code == 404
    assert y.post(reverse("broadcasts:partner_schedule", args=[theirs.pk])).status_code == 404
    x = cast.client_for("partner_x")
    assert x.get(reverse("broadcasts:partner_detail", args=[union.pk])).status_code == 404
    assert x.get(reverse("broadcasts:detail", args=[union.pk])).status_code == 404
    assert not Delivery.objects.exists()


def test_leaders_see_partners_broadcasts_from_whom_but_do_not_send_them(cast, supporters):
    theirs = make_broadcast(
        cast.campaign,
        audience=Broadcast.Audience.PARTNER_SUPPORTERS,
        organisation=cast.organisation_x,
        name="X's update",
    )
    leader = cast.client_for("leader")
    listing = leader.get(reverse("broadcasts:list", args=[cast.campaign.slug])).content.decode()
    assert "X&#x27;s update" in listing and cast.organisation_x.name in listing
    detail = leader.get(reverse("broadcasts:detail", args=[theirs.pk]))
    assert detail.status_code == 200 and cast.organisation_x.name in detail.content.decode()
    assert leader.get(reverse("broadcasts:edit", args=[theirs.pk])).status_code == 403
    assert leader.post(reverse("broadcasts:schedule", args=[theirs.pk])).status_code == 403
    assert leader.post(reverse("broadcasts:test", args=[theirs.pk])).status_code == 403
    assert not Delivery.objects.exists()
    steward = cast.client_for("steward_a")
    assert steward.get(reverse("broadcasts:detail", args=[theirs.pk])).status_code == 404
    assert steward.get(reverse("broadcasts:partner_detail", args=[theirs.pk])).status_code == 404
    listing = reverse("broadcasts:partner_list", args=[cast.organisation_x.pk])
    assert steward.get(listing).status_code == 404


def test_the_survey_link_is_refused_outside_members_broadcasts(cast):
    survey = Survey.objects.create(
        campaign=cast.campaign, title="Bargaining survey", slug="bargaining", status="open"
    )
    client = cast.client_for("leader")
    url = reverse("broadcasts:create", args=[cast.campaign.slug])
    base = {"name": "Survey", "default_language": "en", "subject_en": "Your say"}
    refused = client.post(
        url,
        {**base, "audience": "stewards", "survey": survey.pk, "body_en": "Here: {survey_link}"},
    )
    assert refused.status_code == 200
    assert "only a broadcast to members can have it" in refused.content.decode()
    no_survey = client.post(url, {**base, "audience": "members", "body_en": "{survey_link}"})
    assert "Choose the open survey" in no_survey.content.decode()
    assert not Broadcast.objects.exists()
    saved = client.post(
        url,
        {**base, "audience": "members", "survey": survey.pk, "body_en": "Here: {survey_link}"},
    )
    assert saved.status_code == 302
    assert Broadcast.objects.get().survey == survey


@pytest.fixture
def second_leader(cast):
    client = Client()
    client.force_login(f.make_leader(cast.local))
    return client


def test_two_leaders_saving_one_draft_get_the_merge_page(cast, second_leader):
    broadcast = make_broadcast(cast.campaign)
    url = reverse("broadcasts:edit", args=[broadcast.pk])
    stale = stale_save(
        cast.client_for("leader"),
        second_leader,
        url,
        {"subject_en": "Rally on Thursday"},
        {"subject_en": "Rally on Friday", "name": "December update"},
    )
    assert stale.status_code == 409
    broadcast.refresh_from_db()
    assert broadcast.text_for("en").subject == "Rally on Thursday"
    page = stale.content.decode()
    assert "Rally on Thursday" in page and "Rally on Friday" in page
    save_merge(second_leader, url, stale, subject_en="theirs")
    broadcast.refresh_from_db()
    assert broadcast.name == "December update"
    assert broadcast.text_for("en").subject == "Rally on Thursday"


def test_two_leaders_saving_one_survey_get_the_merge_page(cast, second_leader):
    survey = Survey.objects.create(campaign=cast.campaign, title="Bargaining survey", slug="b")
    url = reverse("surveys:edit", args=[survey.pk])
    stale = stale_save(
        cast.client_for("leader"),
        second_leader,
        url,
        {"title": "Our bargaining survey"},
        {"title": "The 2027 survey", "intro": "Ten minutes, and it shapes our demands."},
    )
    assert stale.status_code == 409
    survey.refresh_from_db()
    assert survey.title == "Our bargaining survey"
    save_merge(second_leader, url, stale)
    survey.refresh_from_db()
    assert survey.title == "The 2027 survey"
    assert survey.intro == "Ten minutes, and it shapes our demands."


def test_a_leader_previews_and_tests_a_broadcast_to_the_campaigns_supporters(cast, supporters):
    client = cast.client_for("leader")
    response = client.post(
        reverse("broadcasts:create", args=[cast.campaign.slug]),
        {
            "name": "Supporters' update",
            "audience": "supporters",
            "default_language": "en",
            **{k: v for k, v in partner_post().items() if k.startswith(("subject", "body"))},
        },
    )
    broadcast = Broadcast.objects.get(name="Supporters' update")
    page = client.get(response["Location"]).content.decode()
    # Ana, Cy and the member who signed all ticked the campaign's box.
    assert "<dd>3</dd>" in page
    assert "As Ana will read it" in page  # the Spanish preview, as Ana reads Spanish
    client.post(reverse("broadcasts:test", args=[broadcast.pk]))
    sending.send_due()
    assert [m.to for m in mail.outbox] == [[cast.leader.email]]
