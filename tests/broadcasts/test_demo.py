"""The demo's broadcasts load, tell the sent update's story, and loading again changes nothing."""

import pytest
from django.core.management import call_command

from broadcasts import segments
from broadcasts.models import Broadcast, Delivery, Link
from reach.models import Consent

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_sent_update_and_a_draft_and_loads_twice_the_same():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    update = Broadcast.objects.get(name="October bargaining update")
    counts = update.counts()
    assert counts["sent"] > 5 and counts["failed"] == 1 and counts["unsubscribed"] == 1
    assert counts["clicks"] == 37 and counts["pending"] == 0
    assert update.status == Broadcast.Status.SENT and update.finished_at is not None
    assert set(update.deliveries.values_list("language", flat=True)) <= {"en", "es"}
    assert Broadcast.objects.filter(status="draft", audience="stewards").exists()
    # The petition's signers: members who signed, and supporters who agreed to updates.
    signers = Broadcast.objects.get(audience="petition_signers")
    assert signers.is_draft and segments.count(signers) > 8
    # The parents' group wrote to its own supporters; one of them unsubscribed from its
    # updates, and is no longer in its segment.
    parents = Broadcast.objects.get(audience="partner_supporters")
    assert parents.organisation.supporters.exists() and not parents.is_draft
    counts = parents.counts()
    assert counts["sent"] >= 5 and counts["unsubscribed"] == 1
    assert (
        Consent.objects.filter(
            purpose=Consent.Purpose.PARTNER_UPDATES, withdrawn_at__isnull=False
        ).count()
        == 1
    )
    assert segments.count(parents) == counts["sent"] - 1
    # A draft gives each member of one school their own link to the bargaining survey.
    survey = Broadcast.objects.get(survey__isnull=False)
    assert survey.is_draft and survey.audience == "members" and survey.survey.is_open
    assert "{survey_link}" in survey.text_for("en").body
    recipients = set(parents.deliveries.values_list("recipient_email", flat=True))
    assert not recipients & set(parents.campaign.local.members.values_list("work_email", flat=True))
    before = (Broadcast.objects.count(), Delivery.objects.count(), Link.objects.count())
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Broadcast.objects.count(), Delivery.objects.count(), Link.objects.count()) == before
