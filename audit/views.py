from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.access import leader_required, roles_for

from .forms import TrailFilterForm
from .trail import BY_KEY, Entries, RowList, filters_for_key

ENTRIES_PER_PAGE = 25
ROWS_PER_PAGE = 50


@login_required
@leader_required
@require_GET
def trail(request):
    """The changes in the leader's locals, newest first, filtered and paged."""
    form = TrailFilterForm(request.GET)
    filters = form.filters(roles_for(request.user).led_local_ids)
    page = Paginator(Entries(filters), ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    record = BY_KEY.get(filters.record) if filters.record_id else None
    return render(
        request,
        "audit/trail.html",
        {
            "form": form,
            "page": page,
            "record": record,
            "record_id": filters.record_id,
            "recording": connection.vendor == "postgresql",
        },
    )


@login_required
@leader_required
@require_GET
def entry(request, key):
    """One bulk change (a roster import, a bulk update) opened into its rows, paged."""
    filters = filters_for_key(key, roles_for(request.user).led_local_ids)
    if filters is None:
        raise Http404
    rows = RowList(filters)
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    if not page.paginator.count:
        raise Http404
    return render(request, "audit/entry.html", {"page": page, "entries": Entries(filters)[0:1]})
