"""The demo's link to Action Network: its token's nightly calls on the audit trail and its
webhook hearing of new signatures, seeded once however often the demo runs."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from api.models import ApiCall, Delivery, Webhook

from ..conftest import held_for_the_module

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def _demo_seeded_twice(django_db_setup, django_db_blocker):
    """The demo, seeded twice once for the module: its tests only read what that leaves."""
    with held_for_the_module(django_db_blocker):
        with django_db_blocker.unblock():
            call_command("seed_demo", verbosity=0)
            call_command("seed_demo", verbosity=0)
        yield


def test_the_demo_webhook_hears_of_signatures_and_the_sync_is_recorded_once():
    (hook,) = Webhook.objects.filter(url__contains="actionnetwork")
    assert "signature" in hook.events
    signature_deliveries = Delivery.objects.filter(webhook=hook, event="signature")
    assert signature_deliveries.count() == 8
    assert ApiCall.objects.filter(token__name="Action Network nightly sync").count() == 3
    assert set(ApiCall.objects.values_list("local__slug", flat=True)) == {hook.local.slug}


def test_the_demo_leaders_token_lists_the_petitions_signers_as_people_action_network_knows():
    """The signers with an address are people beside the members: each with the Action
    Network id the demo gave them and the person event the webhook sent; paper signers
    without an address are people too, unknown to Action Network."""
    from accounts.models import User
    from reach.models import Supporter

    from .helpers import Api, token_for

    (hook,) = Webhook.objects.filter(url__contains="actionnetwork")
    leader = User.objects.get(pk=hook.created_by_id)
    api = Api(token_for(leader))
    people = api.every(api.aep()["_links"]["osdi:people"]["href"], "people", per_page=100)
    supporters = [p for p in people if "/people/supporters/" in p["_links"]["self"]["href"]]
    signers = Supporter.objects.filter(local=hook.local, member__isnull=True)
    assert {p["identifiers"][0] for p in supporters} == {f"common_good:{s.uuid}" for s in signers}
    with_address = [p for p in supporters if p["email_addresses"]]
    assert len(with_address) == signers.exclude(email="").count() == 22
    assert all(p["identifiers"][1].startswith("action_network:") for p in with_address)
    assert all(len(p["identifiers"]) == 1 for p in supporters if not p["email_addresses"])
    sent = set(Delivery.objects.filter(webhook=hook, event="person").values_list("key", flat=True))
    assert {f"person:{p['identifiers'][0].split(':')[1]}" for p in with_address} <= sent
    # Those who ticked the campaign's box are subscribed to its updates.
    assert any(p["email_addresses"][0]["status"] == "subscribed" for p in with_address)
    assert any(p["email_addresses"][0]["status"] == "unsubscribed" for p in with_address)
