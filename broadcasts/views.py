"""Leaders' broadcast pages, partners' broadcasts to their own supporters; the public
unsubscribe page, click redirect and provider webhook."""

from __future__ import annotations

import hashlib
import hmac
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import roles_for
from actions.views.scoping import campaign_for_leader
from campaigns.versioning import EditConflict, merge_page
from campaigns.zones import shows
from partners.models import Organisation

from . import composing, segments
from .forms import BroadcastForm, BroadcastSettingsForm, PartnerBroadcastForm, ScheduleForm
from .models import Broadcast, BroadcastSettings, Click, Delivery, Link, Suppression

PAGE_SIZE = 25

# The URL names each kind of broadcast page links to: the union's, or a partner's own.
LEADER_URLS = {
    "detail": "broadcasts:detail",
    "edit": "broadcasts:edit",
    "test": "broadcasts:test",
    "schedule": "broadcasts:schedule",
    "cancel": "broadcasts:cancel",
    "retry": "broadcasts:retry",
}
PARTNER_URLS = {
    "detail": "broadcasts:partner_detail",
    "edit": "broadcasts:partner_edit",
    "test": "broadcasts:partner_test",
    "schedule": "broadcasts:partner_schedule",
    "cancel": "broadcasts:partner_cancel",
    "retry": "broadcasts:partner_retry",
}
RELATED = ("campaign__local", "building", "action", "petition", "survey", "organisation")


def _broadcast(request, pk) -> Broadcast:
    return get_object_or_404(
        Broadcast.objects.visible_to(request.user)
        .select_related(*RELATED)
        .prefetch_related("texts"),
        pk=pk,
    )


def _writable(request, pk) -> Broadcast:
    """A broadcast the leader may change and send: the union's (a partner's is theirs)."""
    broadcast = _broadcast(request, pk)
    if not broadcast.can_write(request.user):
        raise PermissionDenied
    return broadcast


def _partner_broadcast(request, pk) -> Broadcast:
    """A partner's broadcast, for its organisation's people: a leader of the local finds it
    (and reads it on the leaders' page) but may not write it; anyone else does not find it."""
    broadcast = get_object_or_404(
        (
            Broadcast.objects.visible_to(request.user)
            | Broadcast.objects.sent_by_partners_of(request.user)
        )
        .filter(audience=Broadcast.Audience.PARTNER_SUPPORTERS, organisation__isnull=False)
        .select_related(*RELATED)
        .prefetch_related("texts"),
        pk=pk,
    )
    if not broadcast.can_write(request.user):
        raise PermissionDenied
    return broadcast


def _organisation(request, pk) -> Organisation:
    """An organisation the person is a partner of; its leaders find it but write as the union."""
    organisation = get_object_or_404(
        Organisation.objects.visible_to(request.user).select_related("local"), pk=pk
    )
    if organisation.pk not in roles_for(request.user).organisation_ids:
        raise PermissionDenied
    return organisation


@login_required
@require_GET
def broadcast_list(request, slug):
    campaign = campaign_for_leader(request, slug)
    broadcasts = (
        Broadcast.objects.filter(campaign=campaign)
        .select_related("organisation")
        .prefetch_related("texts")
    )
    page = Paginator(broadcasts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "broadcasts/list.html", {"campaign": campaign, "page": page})


@login_required
@require_http_methods(["GET", "POST"])
def broadcast_create(request, slug):
    campaign = campaign_for_leader(request, slug)
    form = BroadcastForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        broadcast = form.save(by=request.user)
        messages.success(request, _("Draft saved. Preview it, send yourself a test, then send."))
        return redirect("broadcasts:detail", pk=broadcast.pk)
    return render(
        request, "broadcasts/form.html", {"campaign": campaign, "form": form, "urls": LEADER_URLS}
    )


def _edit(request, broadcast: Broadcast, form, context: dict, urls: dict):
    """Save the draft, or show the merge page when someone saved it since it was opened."""
    if not broadcast.is_draft:
        raise PermissionDenied
    context = {**context, "broadcast": broadcast, "urls": urls}
    if request.method == "POST" and form.is_valid():
        try:
            form.save_edits(by=request.user)
        except EditConflict as conflict:
            return merge_page(
                request, form, conflict.current, template="broadcasts/form.html", context=context
            )
        messages.success(request, _("Draft saved."))
        return redirect(urls["detail"], pk=broadcast.pk)
    return render(request, "broadcasts/form.html", {**context, "form": form})


@shows(Broadcast)
@login_required
@require_http_methods(["GET", "POST"])
def broadcast_edit(request, pk):
    broadcast = _writable(request, pk)
    form = BroadcastForm(request.POST or None, instance=broadcast, campaign=broadcast.campaign)
    return _edit(request, broadcast, form, {"campaign": broadcast.campaign}, LEADER_URLS)


def _previews(broadcast: Broadcast) -> list[dict]:
    """The message as one reader of each language with a text will get it."""
    links = {link.url: link for link in broadcast.links.all()}
    previews = []
    for text in broadcast.texts.all():
        reader = segments.sample(broadcast, text.language)
        subject, body, _html = composing.render(broadcast, text.language, links)
        with translation.override(text.language):
            # The marker stands where the reader's link will be, in the message's language.
            body = body.replace(composing._UNSUBSCRIBE, _("(the reader's unsubscribe link)"))
            body = body.replace(composing._SURVEY, composing.survey_link(None))
        previews.append(
            {
                "language": text.get_language_display(),
                "reader": reader,
                "subject": subject,
                "body": body.replace(composing._PERSON, ""),
            }
        )
    return previews


def _detail(request, broadcast: Broadcast, urls: dict):
    failed = broadcast.deliveries.filter(status=Delivery.Status.FAILED, is_test=False)
    page = Paginator(failed.order_by("pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "broadcast": broadcast,
        "campaign": broadcast.campaign,
        "counts": broadcast.counts(),
        "segment_size": segments.count(broadcast) if broadcast.is_draft else None,
        "previews": _previews(broadcast),
        "page": page,
        "links": broadcast.links.order_by("-clicks", "url")[:20],
        "schedule_form": ScheduleForm(),
        "urls": urls,
        "can_write": broadcast.can_write(request.user),
    }
    return render(request, "broadcasts/detail.html", context)


def _test(request, broadcast: Broadcast, urls: dict):
    if not broadcast.texts.all():
        raise PermissionDenied
    broadcast.send_test(to=request.user)
    messages.success(
        request, _("A test is on its way to %(email)s.") % {"email": request.user.email}
    )
    return redirect(urls["detail"], pk=broadcast.pk)


def _schedule(request, broadcast: Broadcast, urls: dict):
    if not broadcast.is_draft:
        raise PermissionDenied
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("send_at", []):
            messages.error(request, error)
        return redirect(urls["detail"], pk=broadcast.pk)
    try:
        written = broadcast.schedule(by=request.user, send_at=form.cleaned_data["send_at"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(urls["detail"], pk=broadcast.pk)
    messages.success(
        request,
        ngettext("Scheduled for %(count)d person.", "Scheduled for %(count)d people.", written)
        % {"count": written},
    )
    return redirect(urls["detail"], pk=broadcast.pk)


def _cancel(request, broadcast: Broadcast, urls: dict):
    if broadcast.status != Broadcast.Status.SCHEDULED:
        raise PermissionDenied
    stopped = broadcast.cancel(by=request.user)
    messages.success(
        request,
        ngettext(
            "Cancelled: %(count)d message will not go out.",
            "Cancelled: %(count)d messages will not go out.",
            stopped,
        )
        % {"count": stopped},
    )
    return redirect(urls["detail"], pk=broadcast.pk)


def _retry(request, broadcast: Broadcast, urls: dict):
    from .sending import send_soon

    retried = broadcast.retry_failed()
    if retried:
        send_soon()
    messages.success(
        request,
        ngettext(
            "%(count)d message will be sent again.",
            "%(count)d messages will be sent again.",
            retried,
        )
        % {"count": retried},
    )
    return redirect(urls["detail"], pk=broadcast.pk)


@shows(Broadcast)
@login_required
@require_GET
def broadcast_detail(request, pk):
    return _detail(request, _broadcast(request, pk), LEADER_URLS)


@shows(Broadcast)
@login_required
@require_POST
def broadcast_test(request, pk):
    return _test(request, _writable(request, pk), LEADER_URLS)


@shows(Broadcast)
@login_required
@require_POST
def broadcast_schedule(request, pk):
    return _schedule(request, _writable(request, pk), LEADER_URLS)


@shows(Broadcast)
@login_required
@require_POST
def broadcast_cancel(request, pk):
    # Leaders may stop a partner's broadcast too: the messages go out in the union's system.
    return _cancel(request, _broadcast(request, pk), LEADER_URLS)


@shows(Broadcast)
@login_required
@require_POST
def broadcast_retry(request, pk):
    return _retry(request, _broadcast(request, pk), LEADER_URLS)


# A partner organisation's broadcasts to the supporters it brought --------------------------


@shows(Organisation)
@login_required
@require_GET
def partner_list(request, pk):
    organisation = _organisation(request, pk)
    broadcasts = Broadcast.objects.filter(
        organisation=organisation, audience=Broadcast.Audience.PARTNER_SUPPORTERS
    ).select_related("campaign")
    page = Paginator(broadcasts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "broadcasts/partner_list.html",
        {"organisation": organisation, "page": page},
    )


@shows(Organisation)
@login_required
@require_http_methods(["GET", "POST"])
def partner_create(request, pk):
    organisation = _organisation(request, pk)
    form = PartnerBroadcastForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        broadcast = form.save(by=request.user)
        messages.success(request, _("Draft saved. Preview it, send yourself a test, then send."))
        return redirect("broadcasts:partner_detail", pk=broadcast.pk)
    return render(
        request,
        "broadcasts/form.html",
        {"organisation": organisation, "form": form, "urls": PARTNER_URLS},
    )


@shows(Broadcast)
@login_required
@require_GET
def partner_detail(request, pk):
    return _detail(request, _partner_broadcast(request, pk), PARTNER_URLS)


@shows(Broadcast)
@login_required
@require_http_methods(["GET", "POST"])
def partner_edit(request, pk):
    broadcast = _partner_broadcast(request, pk)
    form = PartnerBroadcastForm(
        request.POST or None, instance=broadcast, organisation=broadcast.organisation
    )
    context = {"organisation": broadcast.organisation}
    return _edit(request, broadcast, form, context, PARTNER_URLS)


@shows(Broadcast)
@login_required
@require_POST
def partner_test(request, pk):
    return _test(request, _partner_broadcast(request, pk), PARTNER_URLS)


@shows(Broadcast)
@login_required
@require_POST
def partner_schedule(request, pk):
    return _schedule(request, _partner_broadcast(request, pk), PARTNER_URLS)


@shows(Broadcast)
@login_required
@require_POST
def partner_cancel(request, pk):
    return _cancel(request, _partner_broadcast(request, pk), PARTNER_URLS)


@shows(Broadcast)
@login_required
@require_POST
def partner_retry(request, pk):
    return _retry(request, _partner_broadcast(request, pk), PARTNER_URLS)


@login_required
@require_http_methods(["GET", "POST"])
def broadcast_settings(request, slug):
    campaign = campaign_for_leader(request, slug)
    instance = BroadcastSettings.for_local(campaign.local_id)
    form = BroadcastSettingsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Settings saved."))
        return redirect("broadcasts:list", slug=campaign.slug)
    return render(request, "broadcasts/settings.html", {"campaign": campaign, "form": form})


@csrf_exempt  # mail providers post RFC 8058 one-click unsubscribes without a CSRF token
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    delivery_id = composing.read_unsubscribe_token(token)
    delivery = (
        Delivery.objects.select_related("broadcast__campaign__local", "broadcast__organisation")
        .filter(pk=delivery_id)
        .first()
        if delivery_id is not None
        else None
    )
    if delivery is None:
        raise Http404
    campaign = delivery.broadcast.campaign
    # The page speaks the language the message was written in, whatever the browser says.
    with translation.override(delivery.language or translation.get_language()):
        return _unsubscribe(request, delivery, campaign, token)


def _unsubscribe(request, delivery: Delivery, campaign, token: str):
    # A partner's reader stops that partner's updates; anyone else the campaign's.
    context = {"campaign": campaign, "organisation": delivery.broadcast.organisation}
    if request.method == "POST":
        delivery.unsubscribe()
        return render(request, "broadcasts/unsubscribed.html", {**context, "done": True})
    return render(
        request, "broadcasts/unsubscribed.html", {**context, "done": False, "token": token}
    )


@never_cache
@require_GET
def click(request, token):
    """Count the click and send the reader on; who clicked is kept only where the local asked."""
    link = Link.objects.filter(token=token).first()
    if link is None:
        raise Http404
    Link.objects.filter(pk=link.pk).update(clicks=F("clicks") + 1)
    delivery_id = composing.read_person_token(request.GET.get("p", ""))
    if delivery_id is not None:
        delivery = Delivery.objects.filter(pk=delivery_id, broadcast_id=link.broadcast_id).first()
        local_id = link.broadcast.campaign.local_id
        if delivery is not None and BroadcastSettings.for_local(local_id).track_people:
            Click.objects.create(link=link, delivery=delivery)
    return HttpResponseRedirect(link.url)


WEBHOOK_REASONS = {
    "bounce": Suppression.Reason.BOUNCED,
    "bounced": Suppression.Reason.BOUNCED,
    "complaint": Suppression.Reason.COMPLAINED,
    "complained": Suppression.Reason.COMPLAINED,
    "spam": Suppression.Reason.COMPLAINED,
}


def signature(body: bytes) -> str:
    secret = getattr(settings, "BROADCAST_WEBHOOK_SECRET", "")
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@csrf_exempt  # posted by the mail provider, which holds no CSRF token; signed instead
@require_POST
def webhook(request):
    """Bounces and complaints: ``{"events": [{"type": "bounce", "email": "..."}]}`` signed with
    the hex HMAC-SHA256 of the body in ``X-Signature``; each stops further sends there."""
    secret = getattr(settings, "BROADCAST_WEBHOOK_SECRET", "")
    given = request.headers.get("X-Signature", "").removeprefix("sha256=")
    if not secret or not hmac.compare_digest(given, signature(request.body)):
        raise PermissionDenied
    try:
        payload = json.loads(request.body)
        events = payload.get("events", [payload]) if isinstance(payload, dict) else payload
        parsed = [(e["type"], e["email"]) for e in events]
    except (ValueError, TypeError, KeyError, AttributeError):
        return HttpResponseBadRequest()
    stopped = 0
    for kind, email in parsed:
        reason = WEBHOOK_REASONS.get(str(kind).lower())
        if reason is not None and isinstance(email, str) and "@" in email:
            stopped += 1
            Suppression.stop(email, reason)
    return HttpResponse(f"{stopped}\n", content_type="text/plain")
