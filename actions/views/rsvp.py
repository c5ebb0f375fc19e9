"""The public RSVP form, for anonymous visitors, protected against spam and floods."""

from __future__ import annotations

import hashlib
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import reminders
from ..forms import PublicRsvpForm
from ..models import Action, Rsvp
from .scoping import in_local_time, use_time_zone

RSVP_LIMIT_PER_IP = (10, 60 * 60)  # ten answers an hour from one address
RSVP_LIMIT_PER_EMAIL = (3, 60 * 60)  # three an hour for one email


def _client_ip(request) -> str:
    """The visitor's address. Behind a reverse proxy every request comes from the proxy, so a
    deployment that has one sets USE_X_FORWARDED_FOR and the address the proxy saw is used
    (the last one in the header: earlier ones are whatever the client claimed)."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and getattr(settings, "USE_X_FORWARDED_FOR", False):
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def _over_limit(key: str, limit: tuple[int, int]) -> bool:
    """Count one more attempt under ``key``; True once the limit for the window is passed."""
    allowed, window = limit
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, window)
        count = 1
    return count > allowed


def _hashed(value: str) -> str:
    return hashlib.sha256(value.lower().encode()).hexdigest()[:32]


@in_local_time
@require_http_methods(["GET", "POST"])
def public_rsvp(request, pk):
    action = get_object_or_404(
        Action.objects.filter(is_public=True).select_related("campaign__local"), pk=pk
    )
    use_time_zone(action.campaign.local)
    if not action.takes_rsvps:
        # A link shared before the action was cancelled or took place still says what is true.
        return render(request, "actions/rsvp_closed.html", {"action": action})
    if request.GET.get("thanks") and request.method == "GET":
        return render(request, "actions/rsvp_thanks.html", {"action": action})
    form = PublicRsvpForm(request.POST or None, action_pk=action.pk)
    status = 200
    if request.method == "POST":
        ip_key = f"rsvp:ip:{_hashed(_client_ip(request))}"
        if _over_limit(ip_key, RSVP_LIMIT_PER_IP):
            form.is_valid()
            form.add_error(
                None, _("Too many answers from your connection. Please try again in an hour.")
            )
            status = 429
        elif form.is_valid():
            email = form.cleaned_data["email"].lower()
            if _over_limit(f"rsvp:email:{_hashed(email)}", RSVP_LIMIT_PER_EMAIL):
                form.add_error(
                    None, _("Too many answers for this email. Please try again in an hour.")
                )
                status = 429
            else:
                _save_public_rsvp(action, form.cleaned_data, email)
                # The same answer whether or not the address was already on the list.
                return redirect(reverse("actions:rsvp", args=[action.pk]) + "?thanks=1")
        else:
            status = 400
    return render(request, "actions/rsvp.html", {"action": action, "form": form}, status=status)


def _save_public_rsvp(action: Action, data: dict, email: str) -> None:
    Rsvp.sign_up(
        action,
        source=Rsvp.Source.PUBLIC,
        name=data["name"],
        email=email,
        phone=data["phone"],
        consent=data["consent"],
    )


@require_http_methods(["GET", "POST"])
def rsvp_cancel(request, token):
    """The link in an RSVP's confirmation: asks, then takes the person off the list. The token
    names only the RSVP's number, signed, so the address carries no personal data."""
    rsvp_id = reminders.read_rsvp_cancel_token(token)
    if rsvp_id is None:
        raise Http404
    rsvp = Rsvp.objects.select_related("action__campaign__local").filter(pk=rsvp_id).first()
    if rsvp is None:
        return render(request, "actions/rsvp_cancel.html", {"gone": True})
    action = rsvp.action
    with timezone.override(ZoneInfo(action.campaign.local.timezone)):
        if request.method == "POST":
            rsvp.delete()
            return render(request, "actions/rsvp_cancel.html", {"action": action, "done": True})
        return render(request, "actions/rsvp_cancel.html", {"action": action, "token": token})
