"""The demand's public text in the local's other languages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from campaigns.translating import translations_page
from campaigns.zones import shows

from ..models import Demand
from .demands import _visible_demand


@shows(Demand)
@login_required
@require_http_methods(["GET", "POST"])
def demand_translations(request, pk):
    """Whoever may edit the demand's text (its leaders and co-authors) writes it in each
    language; like any edit, the public reads it once a leader publishes."""
    demand = _visible_demand(request, pk)
    if not demand.can_edit(request.user):
        raise PermissionDenied
    return translations_page(
        request,
        demand,
        template="demands/demand_translations.html",
        context={"demand": demand, "can_publish": demand.can_manage(request.user)},
        saved_message=_(
            "Translations saved. The public page shows them once a leader publishes this version."
        ),
    )
