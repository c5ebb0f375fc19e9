"""The demo's link to Action Network: its token's nightly calls on the audit trail and its
webhook hearing of new signatures, seeded once however often the demo runs."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from api.models import ApiCall, Delivery, Webhook

pytestmark = pytest.mark.django_db


def test_the_demo_webhook_hears_of_signatures_and_the_sync_is_recorded_once():
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    (hook,) = Webhook.objects.filter(url__contains="actionnetwork")
    assert "signature" in hook.events
    signature_deliveries = Delivery.objects.filter(webhook=hook, event="signature")
    assert signature_deliveries.count() == 8
    assert ApiCall.objects.filter(token__name="Action Network nightly sync").count() == 3
    assert set(ApiCall.objects.values_list("local__slug", flat=True)) == {hook.local.slug}
