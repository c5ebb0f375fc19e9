"""The private calendar address: issuing, revoking, and the feed itself."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from .. import ics
from ..models import Action, CalendarFeed


@login_required
@require_http_methods(["GET", "POST"])
def calendar(request):
    if request.method == "POST":
        if request.POST.get("do") == "revoke":
            CalendarFeed.objects.filter(user=request.user).delete()
            messages.success(request, _("Your calendar address no longer works."))
        else:
            token = CalendarFeed.issue(request.user)
            url = settings.SITE_URL + reverse("actions:feed", args=[token])
            request.session["calendar_url"] = url
            messages.success(request, _("Your new calendar address is ready. Any old one stopped."))
        return redirect("actions:calendar")
    return render(
        request,
        "actions/calendar.html",
        {
            "feed": CalendarFeed.objects.filter(user=request.user).first(),
            "url": request.session.pop("calendar_url", None),
        },
    )


@require_GET
def feed(request, token):
    entry = get_object_or_404(
        CalendarFeed.objects.select_related("user").filter(user__is_active=True),
        token_hash=CalendarFeed.hash_token(token),
    )
    CalendarFeed.objects.filter(pk=entry.pk).update(last_used_at=timezone.now())
    actions = (
        Action.objects.concerning(entry.user)
        .filter(starts_at__gte=timezone.now() - timedelta(days=90))
        .select_related("campaign")
        .order_by("starts_at")[:500]
    )
    cal = ics.calendar(_("Common Good: my actions"), actions)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
