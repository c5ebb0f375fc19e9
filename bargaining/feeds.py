"""The public Atom feed and iCalendar file of a campaign: only published items."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import condition, require_GET, require_safe
from icalendar import Calendar, Event

from actions.models import Action
from campaigns.content import reading_in, reading_language
from campaigns.models import Campaign
from campaigns.zones import local_time

from .models import CampaignEvent, ProposalVersion, Session, TentativeAgreement, localized
from .public import OFF, current_version, language_choice

FEED_ITEMS = 50
# Stored anywhere, but asked again before each reuse (a 304 when nothing changed).
PUBLIC_CACHE_CONTROL = "public, no-cache"


def _language(request) -> str:
    return language_choice(request.GET.get("lang"), getattr(request, "LANGUAGE_CODE", ""))


def _public_campaign(slug: str) -> Campaign:
    return get_object_or_404(
        Campaign.objects.select_related("local", "public_page"), slug=slug, public_page__is_on=True
    )


def _when(moment: datetime) -> str:
    """A date and time as the campaign's public reads it, in the active (the local's) zone."""
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _public(item, name: str, *others: str) -> str:
    """An item's text ``name`` in the feed's language, followed by the note that it is not
    yet translated when it, or the item's ``others`` (its title), stand in for a missing
    translation: a feed has no badges."""
    language = reading_language()
    text = item.text_in(name, language)
    shown = [text, *(item.text_in(other, language) for other in others)]
    missing = next((each for each in shown if each.missing), None)
    if missing is None:
        return text.text
    return f"{text.text}\n\n({missing.missing_note})".strip()


class FeedItem:
    def __init__(self, title: str, description: str, link: str, updated: datetime, uid: str):
        self.title, self.description, self.link = title, description, link
        self.updated, self.uid = updated, uid


class CampaignFeed(Feed):
    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        self.language = _language(request)
        # Loaded once here so that the whole feed is written in the local's time zone.
        request.public_campaign = _public_campaign(kwargs["slug"])
        with reading_in(self.language), local_time(request.public_campaign.local):
            response = super().__call__(request, *args, **kwargs)
        response["Cache-Control"] = PUBLIC_CACHE_CONTROL
        return response

    def get_object(self, request, slug):
        return request.public_campaign

    def author_name(self, campaign):
        return campaign.local.name

    def feed_guid(self, campaign):
        return tag_uri(campaign, f"feed/{self.language}")

    def title(self, campaign):
        return _("%(campaign)s · open bargaining") % {"campaign": campaign.name}

    def subtitle(self, campaign):
        return campaign.local.name

    def link(self, campaign):
        return reverse("open:campaign", args=[campaign.slug]) + f"?lang={self.language}"

    def feed_url(self, campaign):
        return reverse("open:feed", args=[campaign.slug]) + f"?lang={self.language}"

    def items(self, campaign):
        page = reverse("open:campaign", args=[campaign.slug])
        lang = f"?lang={self.language}"
        items = []
        for session in Session.objects.published().filter(campaign=campaign):
            items.append(
                FeedItem(
                    _("Bargaining session, %(date)s: %(status)s")
                    % {"date": _when(session.starts_at), "status": session.get_status_display()},
                    _public(session, "public_summary"),
                    f"{page}{lang}#session-{session.pk}",
                    session.published_at,
                    f"session-{session.pk}",
                )
            )
        versions = ProposalVersion.objects.published().filter(proposal__campaign=campaign)
        for version in versions.select_related("proposal__article"):
            items.append(
                FeedItem(
                    _("%(side)s %(kind)s on %(subject)s")
                    % {
                        "side": version.get_side_display(),
                        "kind": version.kind_label.lower(),
                        "subject": version.proposal.public_title,
                    },
                    _public(version, "text"),
                    f"{page}{lang}#version-{version.pk}",
                    version.published_at,
                    f"version-{version.pk}",
                )
            )
        for agreement in TentativeAgreement.objects.published().filter(campaign=campaign):
            items.append(
                FeedItem(
                    _("Tentative agreement: %(title)s") % {"title": agreement.public_title},
                    _public(agreement, "summary", "title"),
                    f"{page}{lang}#ta-{agreement.pk}",
                    agreement.published_at,
                    f"ta-{agreement.pk}",
                )
            )
        for event in CampaignEvent.objects.published().filter(campaign=campaign):
            items.append(
                FeedItem(
                    event.public_title,
                    _public(event, "description", "title"),
                    f"{page}{lang}#event-{event.pk}",
                    event.published_at,
                    f"event-{event.pk}",
                )
            )
        # An item is in the feed from the moment it is public, never dated ahead of it.
        now = timezone.now()
        items = [item for item in items if item.updated <= now]
        items.sort(key=lambda item: item.updated, reverse=True)
        for item in items:
            item.uid = tag_uri(campaign, f"{self.language}/{item.uid}")
        return items[:FEED_ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.description

    def item_link(self, item):
        return item.link

    def item_updateddate(self, item):
        return item.updated

    def item_pubdate(self, item):
        return item.updated

    def item_guid(self, item):
        return item.uid


def tag_uri(campaign: Campaign, specific: str) -> str:
    """A permanent id (RFC 4151): the site's host name, the day the campaign was created, on
    which the site surely held that name, and what is named within the campaign."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    day = campaign.created_at.astimezone(UTC).date().isoformat()
    return f"tag:{host},{day}:open/{campaign.slug}/{specific}"


def _etag(request, slug) -> str | None:
    """Changes with every public change of the campaign, so a reader's copy is never stale."""
    version = current_version(slug)
    if version == OFF:
        return None
    return f"{slug}-{_language(request)}-{version}"


# Compressed like the public pages: the feed holds no secret and repeats nothing a visitor sent.
campaign_feed = require_GET(gzip_page(condition(etag_func=_etag)(CampaignFeed())))


@require_safe
@condition(etag_func=_etag)
def calendar_ics(request, slug):
    """Open sessions and public actions, for calendar apps."""
    campaign = _public_campaign(slug)
    language = _language(request)
    site = request.build_absolute_uri("/").rstrip("/")
    page_url = site + reverse("open:campaign", args=[campaign.slug])
    with reading_in(language), local_time(campaign.local):
        calendar = Calendar()
        calendar.add("prodid", "-//Common Good//Open bargaining//EN")
        calendar.add("version", "2.0")
        calendar.add(
            "x-wr-calname", _("%(campaign)s · open bargaining") % {"campaign": campaign.name}
        )
        sessions = Session.objects.published().filter(campaign=campaign, format=Session.Format.OPEN)
        for session in sessions:
            event = Event()
            event.add("uid", f"session-{session.pk}@{request.get_host()}")
            event.add(
                "summary", _("Open bargaining session · %(campaign)s") % {"campaign": campaign.name}
            )
            event.add("dtstart", session.starts_at)
            event.add("dtend", session.ends_at)
            event.add("dtstamp", session.published_at)
            event.add("location", session.where)
            when = _when(session.starts_at)
            event.add("description", f"{when}\n\n{session.summary_text}".strip())
            event.add("url", f"{page_url}#session-{session.pk}")
            if session.status in (
                Session.Status.CANCELLED,
                Session.Status.DECLINED_EMPLOYER,
                Session.Status.DECLINED_UNION,
            ):
                event.add("status", "CANCELLED")
            else:
                event.add("status", "CONFIRMED")
            calendar.add_component(event)
        for action in Action.objects.public().filter(campaign=campaign):
            event = Event()
            event.add("uid", f"action-{action.pk}@{request.get_host()}")
            event.add("summary", localized(action, "title"))
            event.add("dtstart", action.starts_at)
            event.add("dtend", action.ends_at)
            event.add("dtstamp", action.updated_at or timezone.now())
            event.add("location", action.place)
            event.add("description", _when(action.starts_at))
            event.add("url", page_url)
            calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{campaign.slug}.ics"'
    response["Cache-Control"] = PUBLIC_CACHE_CONTROL
    return response
