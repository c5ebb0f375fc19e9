"""The demo local's link to the tools it already pays for: the leader's read-only token for the
nightly Action Network sync (its last night's calls on the audit trail), a webhook that tells
Action Network of new RSVPs, people and petition signatures with what it was sent, and the
Action Network ids of the people it already knew: members, and the petition's signers who
gave an address (supporters, who are people too). Keyed on names, addresses and event keys,
so a second run changes nothing."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.utils import timezone

from actions.models import Rsvp
from api.models import ApiCall, Delivery, Identifier, Token, Webhook
from campaigns.models import Member
from reach.models import Signature, Supporter

HOOK_URL = "https://actionnetwork.example.org/hooks/true-cg"
# Action Network ids are uuids: ours derive them from the member's, so reruns agree.
ACTION_NETWORK = uuid.UUID("6f1c5a52-4d0e-4bd7-9a50-3e2f6d0c1a77")


def seed(context: dict) -> None:
    leader, local = context["leader"], context["local"]
    token = Token.objects.filter(user=leader, name="Action Network nightly sync").first()
    if token is None:
        # The secret is not kept anywhere: a demo user makes their own to try the API.
        token, _raw = Token.issue(
            leader, name="Action Network nightly sync", read_only=True, days=365
        )
    hook = Webhook.objects.filter(local=local, url=HOOK_URL).first()
    if hook is None:
        hook, _secret = Webhook.register(
            local=local,
            url=HOOK_URL,
            events=["person", "rsvp", "attendance", "signature"],
            by=leader,
        )
    elif "signature" not in hook.events:
        hook.events = [*hook.events, "signature"]
        hook.save(update_fields=["events"])
    seed_calls(token, local)
    for member in Member.objects.filter(local=local).order_by("pk")[:40]:
        foreign = uuid.uuid5(ACTION_NETWORK, str(member.uuid))
        Identifier.attach(member, [f"action_network:{foreign}"])
    now = timezone.now()
    seed_supporters(hook, local, now)
    rsvps = Rsvp.objects.filter(action__campaign=context["campaign"]).order_by("created_at")
    for n, rsvp in enumerate(rsvps[:12]):
        Delivery.objects.get_or_create(
            webhook=hook,
            key=f"rsvp:{rsvp.uuid}",
            defaults={
                "event": Webhook.Event.RSVP,
                "payload": {"identifiers": [f"common_good:{rsvp.uuid}"], "status": "accepted"},
                "status": Delivery.Status.DELIVERED,
                "attempts": 2 if n == 3 else 1,
                "last_status": 200,
                "delivered_at": now - timedelta(hours=n + 1),
            },
        )
    signatures = Signature.objects.counted().filter(petition__campaign=context["campaign"])
    for n, signature in enumerate(signatures.order_by("confirmed_at", "pk")[:8]):
        Delivery.objects.get_or_create(
            webhook=hook,
            key=f"signature:{signature.uuid}",
            defaults={
                "event": Webhook.Event.SIGNATURE,
                "payload": {"identifiers": [f"common_good:{signature.uuid}"]},
                "status": Delivery.Status.DELIVERED,
                "attempts": 1,
                "last_status": 200,
                "delivered_at": now - timedelta(minutes=30 * (n + 1)),
            },
        )


def seed_supporters(hook: Webhook, local, now) -> None:
    """The signers with an address reached Action Network as new people when they signed:
    each has its Action Network id and a delivered ``person`` event."""
    signers = Supporter.objects.filter(local=local, member__isnull=True).exclude(email="")
    for n, supporter in enumerate(signers.order_by("pk")):
        foreign = uuid.uuid5(ACTION_NETWORK, str(supporter.uuid))
        Identifier.attach(supporter, [f"action_network:{foreign}"])
        Delivery.objects.get_or_create(
            webhook=hook,
            key=f"person:{supporter.uuid}",
            defaults={
                "event": Webhook.Event.PERSON,
                "payload": {"identifiers": [f"common_good:{supporter.uuid}"]},
                "status": Delivery.Status.DELIVERED,
                "attempts": 1,
                "last_status": 200,
                "delivered_at": now - timedelta(minutes=20 * (n + 1)),
            },
        )


# Last night's sync, as the audit trail shows it: the entry point, the people page by page.
NIGHTLY = ["/api/v1/", "/api/v1/people/?per_page=100", "/api/v1/petitions/"]


def seed_calls(token: Token, local) -> None:
    if token.calls.exists():
        return
    night = timezone.now().replace(hour=10, minute=0, second=0, microsecond=0) - timedelta(days=1)
    for n, path in enumerate(NIGHTLY):
        ApiCall.objects.create(
            token=token,
            user=token.user,
            local=local,
            method="GET",
            path=path,
            status=200,
            at=night + timedelta(seconds=4 * n),
        )
