"""Supporters' segments: the campaign's supporters who agreed to its updates, a petition's
signers (members at their member address, supporters with consent), and a partner's own
supporters; each in the reader's language, and an unsubscribe honoured for its purpose."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from broadcasts import composing, segments, sending
from broadcasts.models import Broadcast, Delivery, Suppression
from reach.models import Consent, Supporter
from tests import factories as f
from tests.reach.factories import make_petition

from .factories import make_broadcast

pytestmark = pytest.mark.django_db

CAMPAIGN_WORDS = "Send me updates from the campaign."
PARTNER_WORDS = "Send me updates from Organisation X."


@pytest.fixture(autouse=True)
def _locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://cg.test"


def sign(petition, email, *, updates=True, partner=False, brought_by=None, language="en"):
    """A confirmed on-line signature, with the boxes ticked as told."""
    signature = petition.sign_online(
        name=email.split("@")[0].title(),
        email=email,
        language=language,
        brought_by=brought_by,
        campaign_updates_wording=CAMPAIGN_WORDS if updates else "",
        partner_updates_wording=PARTNER_WORDS if partner else "",
    )
    signature.confirm()
    return Supporter.objects.get(pk=signature.supporter_id)


def emails(broadcast) -> set[str]:
    return {r.email for r in segments.recipients(broadcast)}


def test_supporters_segment_is_who_agreed_to_the_campaigns_updates(cast):
    petition = make_petition(cast.campaign)
    sign(petition, "ana@example.net")
    sign(petition, "ben@example.net", updates=False)
    withdrawn = sign(petition, "cy@example.net")
    withdrawn.consents.get().withdraw()
    suppressed = sign(petition, "dee@example.net")
    Suppression.stop(suppressed.email, Suppression.Reason.BOUNCED)
    unconfirmed = petition.sign_online(
        name="Eve", email="eve@example.net", campaign_updates_wording=CAMPAIGN_WORDS
    )
    assert unconfirmed.confirmed_at is None
    broadcast = make_broadcast(cast.campaign, audience=Broadcast.Audience.SUPPORTERS)
    assert emails(broadcast) == {"ana@example.net", "dee@example.net"}
    assert segments.count(broadcast) == 2
    # The suppressed address is never written a delivery.
    assert broadcast.schedule(by=cast.leader) == 1
    assert list(broadcast.deliveries.values_list("recipient_email", flat=True)) == [
        "ana@example.net"
    ]


def test_another_campaigns_supporters_are_not_this_campaigns(cast):
    other_campaign = f.make_campaign(cast.local)
    sign(make_petition(other_campaign), "ana@example.net")
    broadcast = make_broadcast(cast.campaign, audience=Broadcast.Audience.SUPPORTERS)
    assert emails(broadcast) == set()


def test_supporters_read_in_their_language(cast):
    petition = make_petition(cast.campaign)
    sign(petition, "ana@example.net", language="es")
    sign(petition, "ben@example.net", language="en")
    broadcast = make_broadcast(cast.campaign, audience=Broadcast.Audience.SUPPORTERS)
    broadcast.schedule(by=cast.leader)
    sending.send_due()
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects == {"ana@example.net": "Actualización", "ben@example.net": "Bargaining update"}
    assert segments.sample(broadcast, "es").email == "ana@example.net"


def test_petition_signers_are_members_at_their_address_and_supporters_with_consent(cast):
    petition = make_petition(cast.campaign)
    member = f.make_member(
        cast.building_a, personal_email="rosa@home.example", preferred_language="Spanish"
    )
    # A member signs with their work address: they are matched, and written to as members are.
    sign(petition, member.work_email, updates=False)
    sign(petition, "ana@example.net")
    sign(petition, "ben@example.net", updates=False)
    sign(make_petition(cast.campaign), "other-petition@example.net")
    broadcast = make_broadcast(
        cast.campaign, audience=Broadcast.Audience.PETITION_SIGNERS, petition=petition
    )
    by_email = {r.email: r for r in segments.recipients(broadcast)}
    assert set(by_email) == {"rosa@home.example", "ana@example.net"}
    assert by_email["rosa@home.example"].language == "es"
    assert by_email["rosa@home.example"].member_id == member.pk
    assert segments.count(broadcast) == 2
    assert broadcast.schedule(by=cast.leader) == 2
    assert Delivery.objects.get(recipient_email="rosa@home.example").member_id == member.pk


def test_partner_segment_is_its_own_supporters_with_its_consent_and_never_a_member(cast):
    x, y = cast.organisation_x, cast.organisation_y
    petition = make_petition(cast.campaign)
    sign(petition, "ana@example.net", partner=True, brought_by=x)
    sign(petition, "ben@example.net", brought_by=x)  # the campaign's updates only
    sign(petition, "cy@example.net", partner=True, brought_by=y)
    member = f.make_member(cast.building_a)
    sign(petition, member.work_email, partner=True, brought_by=x)
    broadcast = make_broadcast(
        cast.campaign, audience=Broadcast.Audience.PARTNER_SUPPORTERS, organisation=x
    )
    assert emails(broadcast) == {"ana@example.net"}
    assert segments.sample(broadcast, "en").email == "ana@example.net"


def test_unsubscribing_from_a_supporters_broadcast_withdraws_the_consent(cast):
    petition = make_petition(cast.campaign)
    ana = sign(petition, "ana@example.net", partner=True, brought_by=cast.organisation_x)
    first = make_broadcast(cast.campaign, audience=Broadcast.Audience.SUPPORTERS)
    first.schedule(by=cast.leader)
    sending.send_due()
    Delivery.objects.get(broadcast=first).unsubscribe()
    assert not ana.has_consent(Consent.Purpose.CAMPAIGN_UPDATES)
    # The partner's updates are another purpose: they still come.
    assert ana.has_consent(Consent.Purpose.PARTNER_UPDATES, organisation=cast.organisation_x)
    second = make_broadcast(cast.campaign, audience=Broadcast.Audience.SUPPORTERS, name="Next")
    assert emails(second) == set()
    with pytest.raises(ValidationError):
        second.schedule(by=cast.leader)
    partners = make_broadcast(
        cast.campaign,
        audience=Broadcast.Audience.PARTNER_SUPPORTERS,
        organisation=cast.organisation_x,
    )
    assert emails(partners) == {"ana@example.net"}


def test_unsubscribing_from_a_partners_broadcast_stops_that_partners_only(cast):
    petition = make_petition(cast.campaign)
    ana = sign(petition, "ana@example.net", partner=True, brought_by=cast.organisation_x)
    first = make_broadcast(
        cast.campaign,
        audience=Broadcast.Audience.PARTNER_SUPPORTERS,
        organisation=cast.organisation_x,
    )
    first.schedule(by=cast.leader)
    later = make_broadcast(
        cast.campaign,
        audience=Broadcast.Audience.PARTNER_SUPPORTERS,
        organisation=cast.organisation_x,
        name="Later",
    )
    later.schedule(by=cast.leader, send_at=None)
    Delivery.objects.get(broadcast=first).unsubscribe()
    assert not ana.has_consent(Consent.Purpose.PARTNER_UPDATES, organisation=cast.organisation_x)
    assert ana.has_consent(Consent.Purpose.CAMPAIGN_UPDATES)
    # What was still waiting from that partner does not go out; the campaign is not suppressed.
    assert Delivery.objects.get(broadcast=later).status == Delivery.Status.CANCELLED
    assert not Suppression.objects.filter(email="ana@example.net").exists()
    assert sending.send_due() == 0
    campaign = make_broadcast(cast.campaign, audience=Broadcast.Audience.SUPPORTERS)
    assert emails(campaign) == {"ana@example.net"}


def test_a_partners_message_says_who_sent_it(cast):
    petition = make_petition(cast.campaign)
    sign(petition, "ana@example.net", partner=True, brought_by=cast.organisation_x)
    broadcast = make_broadcast(
        cast.campaign,
        audience=Broadcast.Audience.PARTNER_SUPPORTERS,
        organisation=cast.organisation_x,
    )
    broadcast.schedule(by=cast.leader)
    sending.send_due()
    (message,) = mail.outbox
    assert f"Sent by {cast.organisation_x.name}, a partner of {cast.local.name}." in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_each_member_gets_their_own_survey_link(cast):
    from surveys.models import Survey

    survey = Survey.objects.create(
        campaign=cast.campaign, title="Bargaining survey", slug="bargaining", status="open"
    )
    ana = f.make_member(cast.building_a, personal_email="ana@home.example")
    ben = f.make_member(cast.building_a, preferred_language="Spanish")
    broadcast = make_broadcast(cast.campaign, building=cast.building_a, survey=survey)
    broadcast.texts.filter(language="en").update(body="Answer here: {survey_link} by Friday.")
    broadcast.texts.filter(language="es").update(body="Responda aquí: {survey_link}.")
    broadcast.schedule(by=cast.leader)
    sending.send_due()
    by_address = {m.to[0]: m for m in mail.outbox}
    for member, address in ((ana, "ana@home.example"), (ben, ben.work_email)):
        link = f"https://cg.test/surveys/s/{survey.link_token(member)}/"
        assert link in by_address[address].body
        assert f'href="{link}"' in by_address[address].alternatives[0][0]
        assert "{survey_link}" not in by_address[address].body
    # A test goes to the leader, who is no member: it says where the link goes, giving none.
    mail.outbox.clear()
    broadcast.send_test(to=cast.leader)
    sending.send_due()
    assert "(each member's own survey link)" in mail.outbox[0].body
    assert composing.read_unsubscribe_token("forged") is None


def test_survey_links_read_the_members_once_a_batch_not_once_a_message(cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from surveys.models import Survey

    survey = Survey.objects.create(
        campaign=cast.campaign, title="Bargaining survey", slug="bargaining", status="open"
    )
    members = [f.make_member(cast.building_a) for _n in range(6)]
    broadcast = make_broadcast(cast.campaign, spanish=False, survey=survey)
    broadcast.texts.update(body="Answer here: {survey_link}")
    broadcast.schedule(by=cast.leader)
    with CaptureQueriesContext(connection) as queries:
        assert sending.send_due() == 6
    # The links of the whole batch: read once, the missing made at once, and read again.
    reads = [q["sql"] for q in queries.captured_queries if "surveys_surveylink" in q["sql"]]
    assert len(reads) == 3, reads
    bodies = {m.to[0]: m.body for m in mail.outbox}
    for member in members:
        assert survey.link_token(member) in bodies[member.work_email]


def test_the_preview_reads_only_the_first_rows_of_a_large_segment(cast, monkeypatch):
    """The reader a preview is shown as comes from the segment's first rows: the database is
    asked for no more than the sample's limit, not for every member of a large local."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(segments, "SAMPLE_LIMIT", 2)
    broadcast = make_broadcast(cast.campaign, spanish=False)
    with CaptureQueriesContext(connection) as captured:
        segments.sample(broadcast, "en")
    member_reads = [q["sql"] for q in captured if 'FROM "campaigns_member"' in q["sql"]]
    assert member_reads
    assert all("LIMIT 2" in sql for sql in member_reads), member_reads
