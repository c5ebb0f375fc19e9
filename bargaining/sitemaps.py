"""The public pages for search engines (/sitemap.xml): each public campaign's page and its
demands, and the sign-up page of each upcoming public action, in every language.

Addresses are absolute under ``SITE_URL``, like the pages' canonical links, whatever host
the request came in on."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils import translation

from actions.models import Action
from campaigns.models import Campaign


class PublicSitemap(Sitemap):
    i18n = True
    alternates = True
    url_name = ""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc

    def location(self, item):
        # The public pages take their language from ?lang, not from the path.
        return reverse(self.url_name, args=[self.argument(item)]) + (
            f"?lang={translation.get_language()}"
        )

    def argument(self, item):
        return item.slug


class CampaignSitemap(PublicSitemap):
    url_name = "open:campaign"
    changefreq = "daily"
    priority = 1.0

    def items(self):
        return Campaign.objects.filter(public_page__is_on=True).order_by("pk")


class DemandsSitemap(CampaignSitemap):
    url_name = "open:demands"
    priority = 0.8


class PublicActionSitemap(PublicSitemap):
    url_name = "actions:rsvp"
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return (
            Action.objects.public()
            .upcoming()
            .filter(campaign__public_page__is_on=True)
            .order_by("starts_at", "pk")
        )

    def argument(self, item):
        return item.pk


SITEMAPS = {
    "campaigns": CampaignSitemap,
    "demands": DemandsSitemap,
    "actions": PublicActionSitemap,
}
