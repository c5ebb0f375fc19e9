from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path

from bargaining.portal import portal
from partners import urls as partner_urls

from . import views

# The admin signs people in through allauth's form, so its login is rate-limited (and offers
# two-factor sign-in) like everyone else's.
admin.site.login = login_required(admin.site.login)

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("i18n/", include("django.conf.urls.i18n")),
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
    path("open/<slug:slug>/petitions/", include("reach.public_urls")),
    path("open/", include("bargaining.public_urls")),
    path("reach/", include("reach.urls")),
    path("audit/", include("audit.urls")),
    path("pick/", include("campaigns.pickers")),
    path("admin/", admin.site.urls),
]

# MEDIA_ROOT is not served, not even with DEBUG on: nothing public lives there (rosters and
# partners' documents are private, the public report PDF is read back by its own view).
