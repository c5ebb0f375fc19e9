from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.urls import include, path
from django.views.decorators.http import require_safe

from accounts import views as account_views
from bargaining.portal import portal
from bargaining.sitemaps import SITEMAPS
from broadcasts.views import click
from campaigns.views.field import sign_out
from partners import urls as partner_urls

from . import pwa, views

# The admin signs people in through allauth's form, so its login is rate-limited (and offers
# two-factor sign-in) like everyone else's.
admin.site.login = login_required(admin.site.login)

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("apple-touch-icon.png", pwa.apple_touch_icon, name="apple_touch_icon"),
    path("favicon.ico", pwa.favicon, name="favicon"),
    # Django's language switch, which for a signed-in person also sets their account's language.
    path("i18n/setlang/", account_views.set_language, name="set_language"),
    # Signing out also empties what field mode kept on the phone (before allauth's own).
    path("accounts/logout/", sign_out, name="account_logout"),
    path("accounts/", include("allauth.urls")),
    path("team/", include("accounts.urls")),
    path("team/", include("campaigns.team_urls")),
    path("campaigns/", include("campaigns.urls")),
    # The portal gathers what partners, demands and actions share with a partner's people,
    # so it lives after them all, in bargaining, but keeps its name among the partners' pages.
    path(
        "partners/",
        include(([path("portal/", portal, name="portal"), *partner_urls.urlpatterns], "partners")),
    ),
    path("demands/", include("demands.urls")),
    path("actions/", include("actions.urls")),
    path("bargaining/", include("bargaining.urls")),
    path("open/<slug:slug>/petitions/", include("reach.public_urls")),
    path("open/", include("surveys.public_urls")),
    path("open/", include("bargaining.public_urls")),
    path("reach/", include("reach.urls")),
    path("audit/", include("audit.urls")),
    path("broadcasts/", include("broadcasts.urls")),
    path("surveys/", include("surveys.urls")),
    # Links in broadcasts go through here to be counted: short, as they are read in emails.
    path("r/<str:token>/", click, name="click"),
    path("api/", include("api.urls")),
    path("pick/", include("campaigns.pickers")),
    path("admin/", admin.site.urls),
    path("sitemap.xml", require_safe(sitemap_view), {"sitemaps": SITEMAPS}, name="sitemap"),
    path(".well-known/security.txt", views.security_txt, name="security_txt"),
]

# MEDIA_ROOT is not served, not even with DEBUG on: nothing public lives there (rosters and
# partners' documents are private, the public report PDF is read back by its own view).
