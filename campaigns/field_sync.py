"""Field mode's sync: the changes a steward's phone queued without signal, applied in the order
they were made, each exactly once by its idempotency key.

A change is refused, with a reason the phone shows beside it, when it no longer fits: the
member moved to another building or left the roster, the steward no longer has the building,
or the form would not accept it. A refused change writes nothing (not even its key), so the
steward can fix it and send it again.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from accounts.access import roles_for

from .forms import ConversationForm, MeetingForm
from .models import Building, FieldChange, Member, StructureTest

# A phone sends its whole queue in one request; more than this is not a steward's day.
MOST_CHANGES = 200


class Refused(Exception):
    """A change that cannot be applied as it stands; the message is for the steward."""


def apply_changes(user, changes: list[Any]) -> list[dict]:
    """Apply each change in order, in a transaction of its own, and say what became of it:
    ``saved`` (now or by an earlier delivery of the same key) or ``refused`` with the reason."""
    results = []
    buildings: dict[int, Building] = {}
    for change in changes[:MOST_CHANGES]:
        key = _key(change)
        if key is None:
            results.append({"key": None, "status": "refused", "reason": _unreadable()})
            continue
        try:
            results.append({"key": str(key), "status": _apply_once(user, key, change, buildings)})
        except Refused as refusal:
            results.append({"key": str(key), "status": "refused", "reason": str(refusal)})
    return results


def _unreadable() -> str:
    return _("This change could not be read. Discard it and record it again.")


def _key(change: Any) -> uuid.UUID | None:
    if not isinstance(change, dict):
        return None
    try:
        return uuid.UUID(str(change.get("key")))
    except ValueError:
        return None


def _apply_once(user, key: uuid.UUID, change: dict, buildings: dict) -> str:
    earlier = FieldChange.objects.filter(key=key).values_list("user_id", flat=True).first()
    if earlier is not None:
        if earlier != user.pk:
            raise Refused(_unreadable())
        return "saved"
    kind = change.get("kind")
    if kind not in FieldChange.Kind.values:
        raise Refused(_unreadable())
    try:
        with transaction.atomic():
            record = FieldChange(key=key, user=user, kind=kind, recorded_at=_recorded_at(change))
            APPLY[kind](user, record, change, buildings)
            # The key is written in the change's own transaction: of two deliveries at once,
            # the second waits on the unique key here and its whole change is rolled back.
            record.save()
    except IntegrityError:
        # The same key arrived twice at once: the other request applied it.
        if FieldChange.objects.filter(key=key, user=user).exists():
            return "saved"
        raise
    return "saved"


def _recorded_at(change: dict) -> datetime:
    """When the phone says the change was made, never later than now."""
    now = timezone.now()
    value = change.get("recorded_at")
    when = parse_datetime(value) if isinstance(value, str) else None
    if when is None or timezone.is_naive(when):
        return now
    return min(when, now)


def _building(user, change: dict, buildings: dict) -> Building:
    building_id = change.get("building")
    if not isinstance(building_id, int) or building_id not in roles_for(user).building_ids:
        raise Refused(_("You no longer steward this building."))
    if building_id not in buildings:
        buildings[building_id] = Building.objects.get(pk=building_id)
    return buildings[building_id]


def _member(user, change: dict, building: Building) -> Member:
    member_id = change.get("member")
    member = (
        Member.objects.filter(pk=member_id, local_id=building.local_id).first()
        if isinstance(member_id, int)
        else None
    )
    if member is None or member.left_at is not None:
        raise Refused(_("This member is no longer on the roster."))
    if member.building_id != building.pk:
        raise Refused(_("This member has moved to another building."))
    return member


def _form_errors(form) -> str:
    return " ".join(
        f"{form.fields[name].label}: {' '.join(errors)}"
        if name in form.fields
        else " ".join(errors)
        for name, errors in form.errors.items()
    )


def _data(change: dict) -> dict:
    data = change.get("data")
    return data if isinstance(data, dict) else {}


def _conversation(user, record: FieldChange, change: dict, buildings: dict) -> None:
    building = _building(user, change, buildings)
    member = _member(user, change, building)
    form = ConversationForm(_data(change))
    if not form.is_valid():
        raise Refused(_form_errors(form))
    record.conversation = member.log_conversation(
        by=user, recorded_at=record.recorded_at, **form.cleaned_data
    )


def _participation(user, record: FieldChange, change: dict, buildings: dict) -> None:
    building = _building(user, change, buildings)
    member = _member(user, change, building)
    test = StructureTest.objects.filter(
        pk=change.get("test") if isinstance(change.get("test"), int) else None,
        campaign__local_id=building.local_id,
    ).first()
    if test is None:
        raise Refused(_("This structure test is no longer part of the campaign."))
    test.mark(member, bool(change.get("took_part")), by=user)


def _meeting(user, record: FieldChange, change: dict, buildings: dict) -> None:
    building = _building(user, change, buildings)
    form = MeetingForm(_data(change), building=building)
    if not form.is_valid():
        raise Refused(_form_errors(form))
    meeting = form.save(commit=False)
    meeting.building = building
    meeting.led_by = user
    meeting.save()
    form.save_m2m()
    record.meeting = meeting


APPLY = {
    FieldChange.Kind.CONVERSATION: _conversation,
    FieldChange.Kind.PARTICIPATION: _participation,
    FieldChange.Kind.MEETING: _meeting,
}
