from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path

from bargaining.portal import portal
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
    path("i18n/", include("django.conf.urls.i18n")),
    # Signing out also empties what field mode kept on the phone (before allauth's own).
    path("accounts/logout/", sign_out, name="account_logout"),
    path("accounts/", include("allauth.urls")),
    path("team/", include("accounts.urls")),
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
    path("open/", include("bargaining.public_urls")),
    path("audit/", include("audit.urls")),
    path("pick/", include("campaigns.pickers")),
    path("admin/", admin.site.urls),
]

# MEDIA_ROOT is not served, not even with DEBUG on: nothing public lives there (rosters and
# partners' documents are private, the public report PDF is read back by its own view).
