"""The public RSVP form, for anonymous visitors, protected against spam and floods."""

from __future__ import annotations

from allauth.core import ratelimit
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.ratelimits import address_key, hashed_key
from campaigns.content import reading_in, reading_language
from campaigns.zones import local_time, shows

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
        Action.objects.filter(is_public=True).select_related("campaign__local"), pk=pk
    )
    # Opened from the public page in a language the local publishes in: the form, its
    # errors and its thanks stay in it (the form posts back to this address, ?lang= and all).
    language = request.GET.get("lang", "")
    if language in action.campaign.local.public_language_codes:
        with reading_in(language):
            return _public_rsvp(request, action, language)
    return _public_rsvp(request, action, "")


def _public_rsvp(request, action: Action, language: str):
    context = {"action": action, "content_language": language or reading_language()}
    if not action.takes_rsvps:
        # A link shared before the action was cancelled or took place still says what is true.
        return render(request, "actions/rsvp_closed.html", context)
    if request.GET.get("thanks") and request.method == "GET":
        return render(request, "actions/rsvp_thanks.html", context)
    form = PublicRsvpForm(request.POST or None, action_pk=action.pk)
    status = 200
    if request.method == "POST":
        key = address_key(request, "actions.public-rsvp")
        if not ratelimit.consume(request, action="public_rsvp", key=key):
            form.is_valid()
            form.add_error(
                None, _("Too many answers from your connection. Please try again in an hour.")
            )
            status = 429
        elif form.is_valid():
            email = form.cleaned_data["email"].lower()
            email_key = hashed_key("actions.public-rsvp-email", email)
            if not ratelimit.consume(request, action="public_rsvp_email", key=email_key):
                form.add_error(
                    None, _("Too many answers for this email. Please try again in an hour.")
                )
                status = 429
            else:
                _save_public_rsvp(action, form.cleaned_data, email)
                # The same answer whether or not the address was already on the list.
                thanks = "?thanks=1" + (f"&lang={language}" if language else "")
                return redirect(reverse("actions:rsvp", args=[action.pk]) + thanks)
        else:
            status = 400
    return render(request, "actions/rsvp.html", {**context, "form": form}, status=status)


def _save_public_rsvp(action: Action, data: dict, email: str) -> None:
    Rsvp.sign_up(
        action,
        source=Rsvp.Source.PUBLIC,
        name=data["name"],
        email=email,
        phone=data["phone"],
        consent=data["consent"],
        # The page's language: the confirmation and reminders are written in it.
        language=translation.get_language() or "",
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
    # The address names no object the middleware could find: the RSVP's local says the zone.
    with local_time(action.campaign.local):
        if request.method == "POST":
            rsvp.delete()
            return render(request, "actions/rsvp_cancel.html", {"action": action, "done": True})
        return render(request, "actions/rsvp_cancel.html", {"action": action, "token": token})
