"""Webhooks: a delivery row per event and webhook, written in the transaction that caused the
event, then sent exactly once, as reminders are (actions/reminders/).

1. **Plan.** ``plan(local_id, event, key, payload)`` writes one ``Delivery`` per webhook of the
   local that asked for ``event``; ``key`` (``rsvp:<uuid>``) is unique per webhook, so planning
   twice is harmless.
2. **Claim.** ``send_due`` selects due rows ``FOR UPDATE SKIP LOCKED``, marks them ``sending``
   with a claim token and a lease, and commits: two workers never hold the same row, and a row
   whose worker died is claimed again when its lease runs out.
3. **Send and mark.** The body is signed with HMAC-SHA256 under the webhook's secret
   (``X-CommonGood-Signature: sha256=<hex>``) and carries the delivery's id
   (``X-CommonGood-Delivery``), the same on every attempt, so a receiver can drop a repeat.
   A 2xx answer marks the row delivered; anything else puts it back to ``pending`` with an
   exponential back-off, until ``MAX_ATTEMPTS``, then ``failed``.

The API's own writes plan their deliveries in their transaction. What people do on the app's
pages (a public RSVP, a steward marking who came, a roster import, a new supporter's petition
signature) happens in apps that come before this one and cannot call it, so ``sweep`` plans
those: each minute it reads what was created or changed since it last looked, with
``OVERLAP`` to spare for transactions that committed late; the unique key makes re-reading a
row harmless, so each event is still delivered once.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.error
import urllib.request
from datetime import timedelta

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.enqueue import enqueue
from config.outbox import Outbox, Undelivered

from .models import Delivery, Webhook

MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(seconds=30)
LEASE = timedelta(minutes=2)
TIMEOUT_SECONDS = 10
BATCH = 50
SIGNATURE_HEADER = "X-CommonGood-Signature"
DELIVERY_HEADER = "X-CommonGood-Delivery"
WEBHOOKS_WAIT = _("Saved. The webhooks will be told when the task queue is back.")


def plan(local_id: int, event: str, key: str, payload: dict) -> int:
    """Call inside the transaction that made the event. Returns how many rows it wrote."""
    hooks = Webhook.objects.filter(local_id=local_id, removed_at__isnull=True)
    rows = [
        Delivery(webhook=hook, event=event, key=key, payload=payload)
        for hook in hooks
        if event in hook.events
    ]
    if rows:
        Delivery.objects.bulk_create(rows, ignore_conflicts=True)
        from .tasks import send_due_webhooks

        enqueue(send_due_webhooks, waiting=WEBHOOKS_WAIT)
    return len(rows)


OVERLAP = timedelta(minutes=10)
SWEEP_BATCH = 1000


def _document(serializer, obj, **context) -> dict:
    return dict(serializer(obj, context={"request": None, "identifiers": {}, **context}).data)


def signature_document(signature) -> dict:
    """A new signature as a leader's webhook reads it: the signer's email and their link
    among the people (the member, else the supporter)."""
    from .serializers import SignatureSerializer

    return _document(
        SignatureSerializer,
        signature,
        shows_contact=lambda s: True,
        member_links=lambda m: True,
        supporter_links=lambda s: True,
    )


def sweep() -> int:
    """Plan deliveries for the events of the app's own pages since each webhook last looked.
    Returns how many rows it wrote (or found already written)."""
    from actions.models import Participation, Rsvp
    from campaigns.models import Member
    from reach.models import Signature, Supporter

    from .serializers import (
        ParticipationSerializer,
        PersonSerializer,
        RsvpSerializer,
        SupporterSerializer,
    )

    now = timezone.now()
    planned = 0
    for hook in Webhook.objects.filter(removed_at__isnull=True):
        since = (hook.swept_until or hook.created_at) - OVERLAP
        local = hook.local_id
        found = []
        if Webhook.Event.PERSON in hook.events:
            people = Member.objects.filter(local_id=local, created_at__gt=since)
            for member in people.select_related("building", "local").iterator(SWEEP_BATCH):
                found.append(("person", member.uuid, _document(PersonSerializer, member)))
            # A supporter is new once known: made, or their address confirmed (online).
            supporters = (
                Supporter.objects.filter(local_id=local, member__isnull=True)
                .filter(Q(created_at__gt=since) | Q(email_confirmed_at__gt=since))
                .known()
                .with_subscription(local_ids={local}, organisation_ids=())
            )
            for supporter in supporters.iterator(SWEEP_BATCH):
                document = _document(SupporterSerializer, supporter)
                found.append(("person", supporter.uuid, document))
        records = Participation.objects.filter(
            action__campaign__local_id=local, updated_at__gt=since
        ).select_related("action", "member")
        if Webhook.Event.RSVP in hook.events:
            for record in records.filter(coming=True).iterator(SWEEP_BATCH):
                found.append(("rsvp", record.uuid, _document(ParticipationSerializer, record)))
            rsvps = Rsvp.objects.filter(action__campaign__local_id=local, created_at__gt=since)
            for rsvp in rsvps.select_related("action").iterator(SWEEP_BATCH):
                document = _document(RsvpSerializer, rsvp, shows_contact=lambda r: True)
                found.append(("rsvp", rsvp.uuid, document))
        if Webhook.Event.ATTENDANCE in hook.events:
            for record in records.filter(attended=True).iterator(SWEEP_BATCH):
                found.append(
                    ("attendance", record.uuid, _document(ParticipationSerializer, record))
                )
        if Webhook.Event.SIGNATURE in hook.events:
            # Counted when confirmed (on line) or entered (on paper, by the API).
            signatures = Signature.objects.counted().filter(
                petition__campaign__local_id=local, confirmed_at__gt=since
            )
            for signature in signatures.select_related("petition", "supporter__member").iterator(
                SWEEP_BATCH
            ):
                found.append(("signature", signature.uuid, signature_document(signature)))
        rows = [
            Delivery(webhook=hook, event=event, key=f"{event}:{key}", payload=payload)
            for event, key, payload in found
        ]
        Delivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=SWEEP_BATCH)
        Webhook.objects.filter(pk=hook.pk).update(swept_until=now)
        planned += len(rows)
    return planned


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def body_of(delivery: Delivery) -> bytes:
    document = {
        "id": str(delivery.uuid),
        "event": delivery.event,
        "created_date": delivery.created_at,
        "payload": delivery.payload,
    }
    return json.dumps(document, cls=DjangoJSONEncoder, sort_keys=True).encode()


class WebhookOutbox(Outbox):
    """Webhook deliveries in the project's one outbox loop (config/outbox.py). A webhook has
    no record to ask what arrived, so a reclaimed delivery is posted again and the receiver
    drops the repeat by its ``X-CommonGood-Delivery`` id; small chunks renew the lease often
    enough for posts that each may take ``TIMEOUT_SECONDS``."""

    model = Delivery
    due_field = "due_at"
    sent_status = Delivery.Status.DELIVERED
    sent_at_field = "delivered_at"
    max_attempts = MAX_ATTEMPTS
    first_retry = FIRST_RETRY
    default_lease = LEASE
    lease_setting = "WEBHOOK_LEASE_SECONDS"
    default_batch = BATCH
    handoff_chunk = 5
    stamps_handoff = False
    claimed_related = ("webhook",)

    def connect(self):
        return None

    def compose(self, delivery: Delivery, batch) -> bytes:
        return body_of(delivery)

    def hand_off(self, channel, delivery: Delivery, body: bytes) -> dict:
        try:
            code, error = post(delivery, body)
        except Exception as error:  # an address urllib cannot even try: retry, then fail
            raise Undelivered(str(error)[:300]) from error
        if code is not None and 200 <= code < 300:
            return {"last_status": code}
        raise Undelivered(error or f"HTTP {code}", last_status=code)


OUTBOX = WebhookOutbox()


def claim(limit: int = BATCH) -> tuple[str | None, list[Delivery]]:
    """Claim due deliveries for this worker: the token and the rows it holds."""
    token = OUTBOX.claim(limit)
    return token, OUTBOX.claimed(token) if token else []


def post(delivery: Delivery, body: bytes) -> tuple[int | None, str]:
    request = urllib.request.Request(  # noqa: S310 (the leader's address, http or https)
        delivery.webhook.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "CommonGood-Webhooks/1",
            SIGNATURE_HEADER: sign(delivery.webhook.secret, body),
            DELIVERY_HEADER: str(delivery.uuid),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            return response.status, ""
    except urllib.error.HTTPError as error:
        return error.code, str(error.reason)[:300]
    except (urllib.error.URLError, OSError, ValueError) as error:
        return None, str(error)[:300]


def send_due() -> int:
    """Send what is due; returns how many were delivered. Safe to run twice or in parallel."""
    return OUTBOX.send_due(time_budget=None)
