"""Who a broadcast goes to: each audience as rows of (email, name, language), read in one
query, and written as deliveries in the transaction that schedules the broadcast."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import Case, F, QuerySet, When
from django.db.models.functions import Lower
from django.utils import translation

from accounts.models import Membership, Role
from actions.models import Participation, Rsvp
from campaigns.models import Member
from partners.models import Contact

from .models import Broadcast, Delivery, Suppression

WRITE_CHUNK = 2000
SAMPLE_LIMIT = 500


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    language: str  # a code from settings.LANGUAGES, or ""


def _language_names() -> dict[str, str]:
    """Every way a roster spells a language we write in → its code: the code, the name in
    English ("Spanish"), in itself ("español") and as settings.LANGUAGES names it."""
    names: dict[str, str] = {}
    for code, label in settings.LANGUAGES:
        info = translation.get_language_info(code)
        for spelling in (code, info["name"], info["name_local"], str(label)):
            names[spelling.lower()] = code
    return names


def language_code(spelled: str, names: dict[str, str] | None = None) -> str:
    """The code for a member's "preferred language" as the roster spells it, or ""."""
    return (names if names is not None else _language_names()).get(spelled.strip().lower(), "")


def members(broadcast: Broadcast) -> QuerySet:
    """The current members of the broadcast's local that its filters select and who have an
    address: the personal one when there is one, else the work one."""
    queryset = Member.objects.current().filter(local_id=broadcast.campaign.local_id)
    if broadcast.building_id:
        queryset = queryset.filter(building_id=broadcast.building_id)
    if broadcast.support_level:
        queryset = queryset.filter(support_level=broadcast.support_level)
    if broadcast.member_language:
        queryset = queryset.filter(preferred_language=broadcast.member_language)
    if broadcast.tag:
        queryset = queryset.filter(tags__icontains=broadcast.tag)
    if broadcast.action_id:
        queryset = queryset.filter(
            pk__in=Participation.objects.filter(action_id=broadcast.action_id, coming=True).values(
                "member_id"
            )
        )
    return (
        queryset.annotate(
            address=Case(When(personal_email="", then=F("work_email")), default=F("personal_email"))
        )
        .exclude(address="")
        .order_by("pk")
    )


def recipients(broadcast: Broadcast) -> Iterator[Recipient]:
    """Everyone the broadcast's audience names, once per address."""
    local_id = broadcast.campaign.local_id
    audience = broadcast.audience
    if audience == Broadcast.Audience.MEMBERS:
        names = _language_names()
        rows = (
            (address, f"{first} {last}".strip(), language_code(language, names))
            for address, first, last, language in members(broadcast)
            .values_list("address", "first_name", "last_name", "preferred_language")
            .iterator(chunk_size=WRITE_CHUNK)
        )
    elif audience == Broadcast.Audience.STEWARDS:
        rows = (
            (email, f"{first} {last}".strip(), "")
            for email, first, last in Membership.objects.filter(
                local_id=local_id, role=Role.STEWARD, user__is_active=True
            )
            .order_by("user_id")
            .values_list("user__email", "user__first_name", "user__last_name")
        )
    elif audience == Broadcast.Audience.PARTNER_CONTACTS:
        rows = (
            (email, name, language)
            for email, name, language in Contact.objects.filter(organisation__local_id=local_id)
            .exclude(email="")
            .order_by("pk")
            .values_list("email", "name", "language")
        )
    else:
        rsvps = Rsvp.objects.filter(action__campaign=broadcast.campaign, consent_to_contact=True)
        if broadcast.action_id:
            rsvps = rsvps.filter(action_id=broadcast.action_id)
        rows = (
            (email, name, "")
            for email, name in rsvps.exclude(email="").order_by("pk").values_list("email", "name")
        )
    seen: set[str] = set()
    for email, name, language in rows:
        email = email.strip().lower()
        if email and email not in seen:
            seen.add(email)
            yield Recipient(email=email, name=name, language=language)


def count(broadcast: Broadcast) -> int:
    """How many addresses the segment has now (before unsubscribes), in one query."""
    if broadcast.audience == Broadcast.Audience.MEMBERS:
        return (
            members(broadcast).annotate(lower=Lower("address")).values("lower").distinct().count()
        )
    return sum(1 for _recipient in recipients(broadcast))


def sample(broadcast: Broadcast, language: str) -> Recipient:
    """Someone to preview the broadcast as: the first recipient reading ``language``, or a
    stand-in when the segment has none."""
    # The first few hundred are enough to find one, and keep the page quick on a large local.
    for recipient in itertools.islice(recipients(broadcast), SAMPLE_LIMIT):
        if recipient.language == language or (
            not recipient.language and language == broadcast.default_language
        ):
            return recipient
    return Recipient(email="reader@example.org", name="", language=language)


def write_deliveries(broadcast: Broadcast, due) -> int:
    """One pending delivery per recipient not suppressed; the key makes writing twice harmless."""
    languages = set(broadcast.texts.values_list("language", flat=True))
    if broadcast.audience == Broadcast.Audience.MEMBERS and connection.vendor == "postgresql":
        return _write_member_deliveries(broadcast, due, languages)
    written = 0
    chunk: list[Recipient] = []

    def flush() -> int:
        blocked = Suppression.suppressed({r.email for r in chunk}, broadcast.campaign_id)
        rows = [
            Delivery(
                broadcast=broadcast,
                key=f"broadcast:{broadcast.pk}:{r.email}",
                recipient_email=r.email,
                recipient_name=r.name,
                language=r.language if r.language in languages else broadcast.default_language,
                next_attempt_at=due,
            )
            for r in chunk
            if r.email not in blocked
        ]
        Delivery.objects.bulk_create(rows, batch_size=WRITE_CHUNK, ignore_conflicts=True)
        return len(rows)

    for recipient in recipients(broadcast):
        chunk.append(recipient)
        if len(chunk) >= WRITE_CHUNK:
            written += flush()
            chunk = []
    if chunk:
        written += flush()
    return written


def _write_member_deliveries(broadcast: Broadcast, due, languages: set[str]) -> int:
    """The members' deliveries in one ``INSERT … SELECT``: a local's 36,000 members never pass
    through Python, so scheduling takes one statement however large the segment."""
    inner, inner_params = (
        members(broadcast)
        .values_list("address", "first_name", "last_name", "preferred_language")
        .order_by()
        .query.sql_with_params()
    )
    spellings = [(name, code) for name, code in _language_names().items() if code in languages]
    cases = " ".join("WHEN %s THEN %s" for _spelling in spellings)
    table = Delivery._meta.db_table
    suppression = Suppression._meta.db_table
    sql = f"""
        INSERT INTO {table} (broadcast_id, key, is_test, recipient_email, recipient_name,
                             language, status, next_attempt_at, attempts, claim_token,
                             last_error, created_at)
        SELECT DISTINCT ON (lower(m.address)) %s, %s || lower(m.address), false,
               lower(m.address), trim(m.first_name || ' ' || m.last_name),
               CASE lower(trim(m.lang)) {cases} ELSE %s END,
               %s, %s, 0, '', '', now()
        FROM ({inner}) AS m(address, first_name, last_name, lang)
        WHERE NOT EXISTS (
            SELECT 1 FROM {suppression} s
            WHERE s.email = lower(m.address)
              AND (s.campaign_id IS NULL OR s.campaign_id = %s)
        )
        ORDER BY lower(m.address)
        ON CONFLICT (key) DO NOTHING
    """  # noqa: S608 - table names are the models'; every value is a parameter
    params = [
        broadcast.pk,
        f"broadcast:{broadcast.pk}:",
        *[value for pair in spellings for value in pair],
        broadcast.default_language,
        Delivery.Status.PENDING,
        due,
        *inner_params,
        broadcast.campaign_id,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount
