from django.urls import path

from . import feeds, public_views

# The public open-bargaining pages under /open/: no sign-in, only what leaders published.
app_name = "open"

urlpatterns = [
    path("", public_views.campaign_list, name="index"),
    path("<slug:slug>/", public_views.campaign_page, name="campaign"),
    path("<slug:slug>/demands/", public_views.demands_page, name="demands"),
    path("<slug:slug>/articles/", public_views.articles_page, name="articles"),
    path(
        "<slug:slug>/commitments/<int:pk>/evidence/",
        public_views.commitment_evidence,
        name="evidence",
    ),
    path("<slug:slug>/report.pdf", public_views.report_pdf, name="report"),
    path("<slug:slug>/feed.xml", feeds.campaign_feed, name="feed"),
    path("<slug:slug>/calendar.ics", feeds.calendar_ics, name="calendar"),
]
