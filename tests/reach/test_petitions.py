"""Petitions: signing on line with a confirmation by email, the public page and its limits,
paper sheets, the structure test, the packet and the delivery."""

from __future__ import annotations

import time
from datetime import date
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse

from actions import reminders
from actions.models import Action, Reminder
from campaigns.models import StructureTestParticipation
from reach.models import Consent, Petition, Signature, Supporter, via_token
from tests import factories as f

from .factories import make_petition, make_supporter

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://cg.example"


def later(seconds=5):
    return mock.patch("reach.forms.time.time", return_value=time.time() + seconds)


def sign_data(client, url, **extra):
    page = client.get(url).content.decode()
    issued = page.split('name="issued" value="', 1)[1].split('"', 1)[0]
    data = {"name": "Ana Reyes", "email": "ana@example.org", "postcode": "95815", "phone": ""}
    data.update(issued=issued, **extra)
    return data


def confirm_link(message) -> str:
    return message.body.split("https://cg.example", 1)[1].split()[0]


def test_a_visitor_signs_in_spanish_and_counts_once_the_link_is_followed(cast, client):
    petition = make_petition(cast.campaign)
    url = petition.get_public_url() + "?lang=es"
    assert url == f"/open/{cast.campaign.slug}/petitions/{petition.slug}/?lang=es"
    page = client.get(url).content.decode()
    assert "Consejeros en cada escuela" in page and 'lang="es"' in page
    # The boxes of consent are never ticked to begin with.
    assert 'name="campaign_updates"' in page and "checked" not in page
    data = sign_data(client, url, campaign_updates="on")
    with later():
        response = client.post(url, data)
    assert response.status_code == 302 and "thanks=1" in response.url
    signature = Signature.objects.get()
    assert not signature.is_counted and petition.counts()["total"] == 0
    assert Reminder.objects.get(kind="signature").status == "pending"
    assert reminders.send_due() == 1 and reminders.send_due() == 0
    [message] = mail.outbox
    assert message.subject == "Confirme su firma: Consejeros en cada escuela"
    assert "ana@example.org" not in confirm_link(message)
    asked = client.get(confirm_link(message))
    assert "Confirmar mi firma" in asked.content.decode()
    assert petition.counts()["total"] == 0  # opening the link counts nothing yet
    done = client.post(confirm_link(message))
    assert "su firma cuenta" in done.content.decode()
    assert petition.counts() == {"total": 1, "online": 1, "paper": 0}
    supporter = Supporter.objects.get()
    assert supporter.language == "es" and supporter.email_confirmed_at is not None
    [consent] = supporter.consents.all()
    assert consent.purpose == Consent.Purpose.CAMPAIGN_UPDATES
    assert consent.how == Consent.How.ONLINE
    assert consent.wording.startswith("Envíenme novedades")
    client.post(confirm_link(message))
    assert petition.counts()["total"] == 1


def test_no_box_ticked_gives_no_consent(cast, client):
    petition = make_petition(cast.campaign)
    url = petition.get_public_url()
    data = sign_data(client, url)
    with later():
        client.post(url, data)
    reminders.send_due()
    client.post(confirm_link(mail.outbox[0]))
    assert Signature.objects.get().is_counted
    assert not Consent.objects.exists()


def test_the_honeypot_refuses_a_bot(cast, client):
    petition = make_petition(cast.campaign)
    url = petition.get_public_url()
    data = sign_data(client, url, website="http://spam.example")
    with later():
        response = client.post(url, data)
    assert response.status_code == 400
    assert not Signature.objects.exists() and not Reminder.objects.exists()


def test_a_form_posted_at_once_comes_back_to_be_sent_again(cast, client):
    petition = make_petition(cast.campaign)
    url = petition.get_public_url()
    response = client.post(url, sign_data(client, url))
    assert response.status_code == 400
    assert "press the button once more" in response.content.decode()
    assert not Signature.objects.exists()


def test_one_address_may_sign_ten_times_an_hour(cast, client):
    petition = make_petition(cast.campaign)
    url = petition.get_public_url()
    data = sign_data(client, url)
    with later():
        for n in range(10):
            assert client.post(url, {**data, "email": f"p{n}@example.org"}).status_code == 302
        response = client.post(url, {**data, "email": "eleven@example.org"})
    assert response.status_code == 429
    assert Signature.objects.count() == 10


def test_signing_again_before_confirming_sends_a_second_email_and_one_signature(cast, client):
    petition = make_petition(cast.campaign)
    url = petition.get_public_url()
    data = sign_data(client, url)
    with later():
        client.post(url, data)
        client.post(url, {**data, "email": "ANA@example.org"})
    assert Signature.objects.count() == 1
    assert Reminder.objects.filter(kind="signature").count() == 2
    reminders.send_due()
    client.post(confirm_link(mail.outbox[0]))
    # The second email's link finds it counted: one signature, one count.
    client.post(confirm_link(mail.outbox[1]))
    assert petition.counts()["total"] == 1
    with later():
        client.post(url, data)
    assert Reminder.objects.filter(kind="signature").count() == 2  # counted: no more email


def test_a_draft_or_a_petition_of_a_closed_page_is_not_public(cast, client):
    draft = make_petition(cast.campaign, published=False)
    assert client.get(draft.get_public_url()).status_code == 404
    public = make_petition(cast.campaign)
    cast.campaign.public_page.is_on = False
    cast.campaign.public_page.save()
    assert client.get(public.get_public_url()).status_code == 404


def test_an_ended_petition_takes_no_signatures(cast, client):
    petition = make_petition(cast.campaign, ends_on=date(2020, 1, 1))
    page = client.get(petition.get_public_url()).content.decode()
    assert "no longer takes signatures" in page and 'name="email"' not in page


def test_a_forged_or_foreign_confirmation_link_is_not_found(cast, client):
    petition = make_petition(cast.campaign)
    base = petition.get_public_url()
    assert client.get(base + "confirm/not-a-token/").status_code == 404
    other = make_petition(cast.campaign)
    supporter = make_supporter(cast.local)
    signature = Signature.objects.create(petition=other, supporter=supporter, source="online")
    from reach.confirmation import confirm_token

    assert client.get(f"{base}confirm/{confirm_token(signature.pk)}/").status_code == 404


def test_a_partner_link_credits_the_organisation_and_offers_its_consent(cast, client):
    petition = make_petition(cast.campaign)
    url = f"{petition.get_public_url()}?via={via_token(cast.organisation_x)}"
    page = client.get(url).content.decode()
    assert "Organisation X Parents may email me" in page
    data = sign_data(client, url, partner_updates="on")
    with later():
        client.post(url, data)
    reminders.send_due()
    client.post(confirm_link(mail.outbox[0]))
    supporter = Supporter.objects.get()
    assert supporter.brought_by == cast.organisation_x
    [consent] = supporter.consents.all()
    assert (consent.purpose, consent.organisation) == ("partner_updates", cast.organisation_x)
    assert list(Supporter.objects.visible_to(cast.partner_x)) == [supporter]
    assert not Supporter.objects.visible_to(cast.partner_y).exists()


def test_a_forged_partner_link_credits_nobody(cast, client):
    petition = make_petition(cast.campaign)
    url = f"{petition.get_public_url()}?via={cast.organisation_x.pk}.forged"
    page = client.get(url).content.decode()
    assert 'name="partner_updates"' not in page
    data = sign_data(client, url)
    with later():
        client.post(url, data)
    assert Supporter.objects.get().brought_by is None


def test_a_member_who_signs_counts_in_the_petition_structure_test(cast, client):
    member = f.make_member(cast.building_a, personal_email="rosa@home.example")
    petition = make_petition(cast.campaign)
    url = petition.get_public_url()
    data = sign_data(client, url, email="rosa@home.example")
    with later():
        client.post(url, data)
    reminders.send_due()
    assert not StructureTestParticipation.objects.exists()
    client.post(confirm_link(mail.outbox[0]))
    participation = StructureTestParticipation.objects.get()
    assert (participation.test, participation.member) == (petition.structure_test, member)
    assert Supporter.objects.get().member == member


def test_the_public_campaign_page_links_its_published_petitions(cast, client):
    public = make_petition(cast.campaign)
    draft = make_petition(cast.campaign, published=False)
    page = client.get(reverse("open:campaign", args=[cast.campaign.slug])).content.decode()
    assert public.get_public_url() in page
    assert draft.get_public_url() not in page


def test_the_public_page_shows_the_delivery(cast, client):
    petition = make_petition(cast.campaign)
    petition.record_delivery(
        by=cast.leader, delivered_on=date(2026, 11, 20), delivered_to="Board President Lee"
    )
    page = client.get(petition.get_public_url()).content.decode()
    assert "Delivered on" in page and "Board President Lee" in page
    assert 'name="email"' not in page


def test_recording_the_delivery_puts_a_public_action_on_the_ladder(cast):
    from tests.actions.factories import make_tactic

    tactic = make_tactic(cast.campaign)
    petition = make_petition(cast.campaign)
    Petition.objects.filter(pk=petition.pk)
    petition.add_paper_signatures(
        [{"name": "Lee Park", "email": "", "postcode": "95815"}], by=cast.leader
    )
    version = type(cast.campaign).objects.get(pk=cast.campaign.pk).public_version
    delivery = petition.record_delivery(
        by=cast.leader, delivered_on=date(2026, 11, 20), delivered_to="The board", tactic=tactic
    )
    action = Action.objects.get()
    assert delivery.action == action and delivery.signature_count == 1
    assert action.is_public and action.status == Action.Status.DONE
    assert action.target == petition.target and action.tactic == tactic
    assert action.level_then == tactic.position
    assert type(cast.campaign).objects.get(pk=cast.campaign.pk).public_version > version


def test_members_who_sign_feed_the_dashboard_per_building(cast):
    from campaigns import dashboard

    signers = [f.make_member(cast.building_a) for _ in range(3)]
    f.make_member(cast.building_a)
    other = f.make_member(cast.building_b)
    petition = make_petition(cast.campaign)
    rows = [{"name": m.name, "email": m.work_email, "postcode": ""} for m in signers]
    petition.add_paper_signatures(rows, by=cast.steward_a)
    signature = petition.sign_online(name="B", email=other.work_email)
    assert dashboard.latest_test(cast.campaign) == petition.structure_test
    stats = {r.pk: r for r in dashboard.building_stats(cast.campaign, petition.structure_test)}
    assert (stats[cast.building_a.pk].took_part, stats[cast.building_a.pk].pct_took_part) == (3, 75)
    assert stats[cast.building_b.pk].took_part == 0  # not confirmed yet
    signature.confirm()
    stats = {r.pk: r for r in dashboard.building_stats(cast.campaign, petition.structure_test)}
    assert stats[cast.building_b.pk].took_part == 1
    page = cast.client_for("leader").get(reverse("campaigns:dashboard", args=[cast.campaign.slug]))
    assert "Fund counselors in every school" in page.content.decode()


def test_the_rate_limit_keeps_no_visitor_address_or_email(cast, client, settings):
    from django.core.cache import cache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    petition = make_petition(cast.campaign)
    url = petition.get_public_url()
    data = sign_data(client, url, email="kept.nowhere@example.org")
    with later():
        client.post(url, data, REMOTE_ADDR="203.0.113.77")
    keys = " ".join(str(k) for k in cache._cache)
    assert "allauth:rl" in keys
    assert "203.0.113.77" not in keys and "kept.nowhere" not in keys


def test_signing_on_the_public_page_takes_few_queries_whatever_the_count(cast, client):
    """A new signer: the petition, the member and supporter looked up, the supporter, the
    signature and the confirmation email written, nothing read twice; the count is read
    only for a page that shows it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    petition = make_petition(cast.campaign)
    url = petition.get_public_url()
    data = sign_data(client, url)

    def sign(email: str) -> int:
        with later(), CaptureQueriesContext(connection) as captured:
            response = client.post(url, {**data, "email": email})
        assert response.status_code == 302
        return len(captured)

    first = sign("first@example.org")
    petition.add_paper_signatures(
        [{"name": f"P{n}", "email": f"p{n}@example.org", "postcode": ""} for n in range(30)],
        by=cast.leader,
    )
    assert sign("later@example.org") == first
    # Petition, member, supporter, its insert, the signature's insert and the email's, and
    # the savepoints the test's own transaction turns the atomic blocks into.
    assert first <= 10
    with later(), CaptureQueriesContext(connection) as captured:
        client.post(url, {**data, "email": "FIRST@example.org"})
    assert len(captured) <= 14  # signing again: the signature and its emails read first
    assert Signature.objects.filter(petition=petition, confirmed_at__isnull=True).count() == 2


def test_the_team_page_lists_the_newest_signatures_first(cast):
    """The order the index on (petition, confirmed, id) hands the page's rows over in."""
    petition = make_petition(cast.campaign)
    rows = [{"name": f"Signer {n}", "email": f"s{n}@example.org"} for n in range(3)]
    petition.add_paper_signatures(rows, by=cast.leader)
    page = cast.client_for("leader").get(petition.get_absolute_url()).content.decode()
    assert page.index("Signer 2") < page.index("Signer 1") < page.index("Signer 0")
