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
pages (a public RSVP, a steward marking who came, a roster import) happens in apps that come
before this one and cannot call it, so ``sweep`` plans those: each minute it reads what was
created or changed since it last looked, with ``OVERLAP`` to spare for transactions that
committed late; the unique key makes re-reading a row harmless, so each event is still
delivered once.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.error
import urllib.request
import uuid
from datetime import timedelta

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.enqueue import enqueue

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
    """A new signature as a leader's webhook reads it: the signer's email and member link."""
    from .serializers import SignatureSerializer

    return _document(
        SignatureSerializer, signature, shows_contact=lambda s: True, member_links=lambda m: True
    )


def sweep() -> int:
    """Plan deliveries for the events of the app's own pages since each webhook last looked.
    Returns how many rows it wrote (or found already written)."""
    from actions.models import Participation, Rsvp
    from campaigns.models import Member
    from reach.models import Signature

    from .serializers import ParticipationSerializer, PersonSerializer, RsvpSerializer

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


def claim(limit: int = BATCH) -> tuple[uuid.UUID, list[Delivery]]:
    now = timezone.now()
    token = uuid.uuid4()
    due = Q(status=Delivery.Status.PENDING, due_at__lte=now) | Q(
        status=Delivery.Status.SENDING, lease_until__lt=now
    )
    with transaction.atomic():
        ids = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(due)
            .order_by("due_at")
            .values_list("pk", flat=True)[:limit]
        )
        Delivery.objects.filter(pk__in=ids).update(
            status=Delivery.Status.SENDING, claim_token=token, lease_until=now + LEASE
        )
    return token, list(Delivery.objects.filter(pk__in=ids).select_related("webhook"))


def post(delivery: Delivery) -> tuple[int | None, str]:
    body = body_of(delivery)
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
    except (urllib.error.URLError, OSError) as error:
        return None, str(error)[:300]


def send_due() -> int:
    """Send what is due; returns how many were delivered. Safe to run twice or in parallel."""
    delivered = 0
    while True:
        token, batch = claim()
        if not batch:
            return delivered
        for delivery in batch:
            code, error = post(delivery)
            mine = Delivery.objects.filter(pk=delivery.pk, claim_token=token)
            attempts = delivery.attempts + 1
            if code is not None and 200 <= code < 300:
                delivered += mine.update(
                    status=Delivery.Status.DELIVERED,
                    attempts=attempts,
                    last_status=code,
                    last_error="",
                    delivered_at=timezone.now(),
                    claim_token=None,
                    lease_until=None,
                )
                continue
            give_up = attempts >= MAX_ATTEMPTS
            mine.update(
                status=Delivery.Status.FAILED if give_up else Delivery.Status.PENDING,
                attempts=attempts,
                last_status=code,
                last_error=error or f"HTTP {code}",
                due_at=timezone.now() + FIRST_RETRY * 2 ** (attempts - 1),
                claim_token=None,
                lease_until=None,
            )
