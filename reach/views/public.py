"""The public petition page with its sign form, and the confirmation link's page. No sign-in;
the page names no signer, and the form's answer is the same whether or not the address had
signed already."""

from __future__ import annotations

from allauth.account.adapter import get_adapter
from allauth.core import ratelimit
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bargaining.public import language_choice
from campaigns.content import reading_in
from campaigns.zones import local_time

from ..confirmation import read_confirm_token
from ..forms import SignForm
from ..models import Petition, Signature, organisation_of_via

# The limits (ten signatures an hour from one address, three an hour for one email) are
# allauth rate limits, "petition_sign" and "petition_sign_email" in ACCOUNT_RATE_LIMITS, in
# the default cache. The client's address is the one TRUSTED_PROXY_COUNT says, and the cache
# holds only a keyed hash of it, as of the email: visitors' addresses are kept nowhere.


def _address_key(request) -> str:
    address = get_adapter().get_client_ip(request)
    return salted_hmac("reach.petition-sign-address", address).hexdigest()


def _public_petition(slug: str, petition_slug: str) -> Petition:
    return get_object_or_404(
        Petition.objects.published()
        .filter(campaign__public_page__is_on=True)
        .select_related("campaign__local", "target", "delivery"),
        campaign__slug=slug,
        slug=petition_slug,
    )


@require_http_methods(["GET", "POST"])
def petition_page(request, slug, petition_slug):
    petition = _public_petition(slug, petition_slug)
    language = language_choice(request.GET.get("lang"), getattr(request, "LANGUAGE_CODE", ""))
    organisation = organisation_of_via(request.GET.get("via", ""), petition.campaign.local_id)
    with reading_in(language), local_time(petition.campaign.local):
        return _petition_page(request, petition, language, organisation)


def _petition_page(request, petition: Petition, language: str, organisation):
    context = {"petition": petition, "text": petition.text_for(language), "language": language}
    if request.method == "GET" and request.GET.get("thanks"):
        return render(request, "reach/public/thanks.html", context)
    context["organisation"] = organisation
    if not petition.takes_signatures:
        return _render_page(request, petition, context)
    form = SignForm(request.POST or None, petition=petition, organisation=organisation)
    status = 200
    if request.method == "POST":
        if not ratelimit.consume(request, action="petition_sign", key=_address_key(request)):
            form.is_valid()
            form.add_error(
                None, _("Too many signatures from your connection. Please try again in an hour.")
            )
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            email = data["email"].strip().lower()
            email_key = salted_hmac("reach.petition-sign-email", email).hexdigest()
            if not ratelimit.consume(request, action="petition_sign_email", key=email_key):
                form.add_error(
                    None, _("Too many signatures for this email. Please try again in an hour.")
                )
                status = 429
            else:
                petition.sign_online(
                    name=data["name"],
                    email=email,
                    postcode=data["postcode"],
                    phone=data["phone"],
                    language=language,
                    brought_by=organisation,
                    campaign_updates_wording=(
                        form.fields["campaign_updates"].label if data["campaign_updates"] else ""
                    ),
                    partner_updates_wording=(
                        form.fields["partner_updates"].label
                        if organisation and data.get("partner_updates")
                        else ""
                    ),
                )
                return redirect(f"{petition.get_public_url()}?lang={language}&thanks=1")
        else:
            status = 400
    context["form"] = form
    return _render_page(request, petition, context, status=status)


def _render_page(request, petition: Petition, context: dict, status: int = 200):
    """The page with its count, which a signature that redirects to the thanks does not
    need."""
    counts = petition.counts()
    context.update(counts=counts, percent=Petition.progress(counts["total"], petition.goal))
    return render(request, "reach/public/petition.html", context, status=status)


@require_http_methods(["GET", "POST"])
def confirm(request, slug, petition_slug, token):
    """The link in the confirmation email: a button that counts the signature (a POST, so
    that a mail scanner opening links counts nothing)."""
    signature_id = read_confirm_token(token)
    if signature_id is None:
        raise Http404
    signature = (
        Signature.objects.select_related("petition__campaign__local", "supporter")
        .filter(pk=signature_id, petition__campaign__slug=slug, petition__slug=petition_slug)
        .first()
    )
    if signature is None:
        raise Http404
    petition = signature.petition
    language = language_choice(request.GET.get("lang"), signature.language)
    context = {
        "petition": petition,
        "text": petition.text_for(language),
        "token": token,
        "language": language,
    }
    with reading_in(language), local_time(petition.campaign.local):
        if signature.is_counted:
            return render(request, "reach/public/confirm.html", {**context, "done": True})
        if request.method == "POST":
            signature.confirm()
            return render(request, "reach/public/confirm.html", {**context, "done": True})
        return render(request, "reach/public/confirm.html", context)
