from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path

from accounts import views as account_views

# The admin signs people in through allauth's form, so its login is rate-limited (and offers
# two-factor sign-in) like everyone else's.
admin.site.login = login_required(admin.site.login)

urlpatterns = [
    path("", account_views.home, name="home"),
    path("healthz", account_views.healthz, name="healthz"),
    path("robots.txt", account_views.robots_txt, name="robots_txt"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("team/", include("accounts.urls")),
    path("campaigns/", include("campaigns.urls")),
    path("partners/", include("partners.urls")),
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
