"""Field mode: the steward's phone pages kept on the phone and the changes made there without
signal sent back. The pages themselves are the usual ones (``organize``); these views give the
phone the list of pages to keep, take its queue of changes, and say when it must forget."""

from __future__ import annotations

import json

from allauth.account.views import LogoutView
from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.access import roles_for

from ..field_sync import apply_changes
from ..models import Building, Campaign

# A phone that has not synced for this long forgets its copy.
FORGET_AFTER_DAYS = 14


def _forget(reason: str) -> JsonResponse:
    """The answer that tells a phone to wipe its copy and its queue: the person is signed
    out, the session was revoked, or they steward no building any more."""
    return JsonResponse({"wipe": True, "reason": reason}, status=403)


def _stewarded_buildings(request):
    roles = roles_for(request.user)
    if not roles.building_ids:
        return None
    return Building.objects.visible_to(request.user).filter(pk__in=roles.building_ids)


def _synced() -> dict:
    now = timezone.now()
    return {
        "synced_at": now.isoformat(),
        "synced_text": _("Last synced %(when)s")
        % {"when": date_format(timezone.localtime(now), "DATETIME_FORMAT")},
        "forget_after_days": FORGET_AFTER_DAYS,
    }


def _pages(buildings: list[Building]) -> list[str]:
    """The addresses the phone keeps: each building's organize page (for each structure
    test), its 10-minute meeting form, and "My buildings" for each."""
    local_ids = {b.local_id for b in buildings}
    tests = {}
    # The organize page shows the tests of each local's latest campaign.
    campaigns = (
        Campaign.objects.filter(local_id__in=local_ids)
        .order_by("-bargaining_target_date")
        .prefetch_related("structure_tests")
    )
    for campaign in campaigns:
        tests.setdefault(campaign.local_id, [t.pk for t in campaign.structure_tests.all()])
    mine = reverse("campaigns:my_buildings")
    pages = [mine]
    for building in buildings:
        organize = reverse("campaigns:building_organize", args=[building.pk])
        pages += [
            f"{mine}?building={building.pk}",
            organize,
            *(f"{organize}?test={pk}" for pk in tests.get(building.local_id, [])),
            reverse("campaigns:meeting_log", args=[building.pk]),
        ]
    return pages


@require_GET
@never_cache
def field_data(request):
    """What the phone keeps for field mode: its own buildings' pages, nothing of anyone else's;
    the pages carry only what the phone page shows."""
    buildings = _stewarded_buildings(request)
    if buildings is None:
        return _forget(_("Field mode is for stewards of a building."))
    buildings = list(buildings.order_by("name"))
    return JsonResponse(
        {
            "buildings": [{"id": b.pk, "name": b.name} for b in buildings],
            "pages": _pages(buildings),
            **_synced(),
        }
    )


@require_POST
@never_cache
def field_sync(request):
    """Apply the phone's queue (a JSON list in the ``changes`` field, in the order the steward
    made them) and answer each change's fate by its key."""
    if _stewarded_buildings(request) is None:
        return _forget(_("Field mode is for stewards of a building."))
    try:
        changes = json.loads(request.POST.get("changes", "[]"))
    except ValueError:
        changes = None
    if not isinstance(changes, list):
        return JsonResponse({"error": _("The changes could not be read.")}, status=400)
    return JsonResponse({"results": apply_changes(request.user, changes), **_synced()})


def sign_out(request, *args, **kwargs):
    """allauth's sign-out, which also tells the browser to drop what this site stored: a phone
    in field mode keeps its buildings' pages and queue until then."""
    response = LogoutView.as_view()(request, *args, **kwargs)
    if request.method == "POST":
        response["Clear-Site-Data"] = '"cache", "storage"'
    return response
