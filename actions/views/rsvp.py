"""The public RSVP form, for anonymous visitors, protected against spam and floods."""

from __future__ import annotations

from allauth.core import ratelimit
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from campaigns.zones import shows

from .. import reminders
from ..forms import PublicRsvpForm
from ..models import Action, Rsvp

# The limits (ten answers an hour from one address, three an hour for one email) are allauth
# rate limits, "public_rsvp" and "public_rsvp_email" in ACCOUNT_RATE_LIMITS, so the client's
# address is the one TRUSTED_PROXY_COUNT says, as for sign-in.


@shows(Action)
@require_http_methods(["GET", "POST"])
def public_rsvp(request, pk):
    action = get_object_or_404(
        Action.objects.public()
        .filter(ends_at__gte=timezone.now())
        .select_related("campaign__local"),
        pk=pk,
    )
    if request.GET.get("thanks") and request.method == "GET":
        return render(request, "actions/rsvp_thanks.html", {"action": action})
    form = PublicRsvpForm(request.POST or None, action_pk=action.pk)
    status = 200
    if request.method == "POST":
        if not ratelimit.consume(request, action="public_rsvp"):
            form.is_valid()
            form.add_error(
                None, _("Too many answers from your connection. Please try again in an hour.")
            )
            status = 429
        elif form.is_valid():
            email = form.cleaned_data["email"].lower()
            if not ratelimit.consume(request, action="public_rsvp_email", key=email):
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
    with transaction.atomic():
        rsvp, created = Rsvp.objects.get_or_create(
            action=action,
            source=Rsvp.Source.PUBLIC,
            email=email,
            defaults={
                "name": data["name"],
                "phone": data["phone"],
                "consent_to_contact": data["consent"],
            },
        )
        if created:
            reminders.plan_for_rsvp(rsvp)
