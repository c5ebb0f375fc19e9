from django.urls import path

from . import views

app_name = "bargaining"

urlpatterns = [
    path("", views.index, name="index"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("sessions/<int:pk>/edit/", views.session_form, name="session_edit"),
    path("sessions/<int:pk>/report.pdf", views.session_report, name="session_report"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path("proposals/<int:pk>/edit/", views.proposal_edit, name="proposal_edit"),
    path("proposals/<int:pk>/versions/new/", views.version_new, name="version_new"),
    path("proposals/<int:pk>/compare/", views.compare, name="compare"),
    path("versions/<int:pk>/edit/", views.version_edit, name="version_edit"),
    path("versions/<int:pk>/withdraw/", views.version_withdraw, name="version_withdraw"),
    path("articles/<int:pk>/tracker/", views.article_tracker_switch, name="article_tracker"),
    path("commitments/<int:pk>/edit/", views.commitment_form, name="commitment_edit"),
    path("commitments/<int:pk>/evidence/", views.commitment_evidence, name="commitment_evidence"),
    path("agreements/<int:pk>/edit/", views.agreement_form, name="agreement_edit"),
    path("events/<int:pk>/edit/", views.event_form, name="event_edit"),
    path("<str:kind>/<int:pk>/preview/", views.preview, name="preview"),
    path("<str:kind>/<int:pk>/publish/", views.publish, name="publish"),
    path("<str:kind>/<int:pk>/translations/", views.translations, name="translations"),
    path("<slug:slug>/", views.campaign_detail, name="campaign"),
    path("<slug:slug>/sessions/new/", views.session_form, name="session_new"),
    path("<slug:slug>/articles/", views.articles, name="articles"),
    path("<slug:slug>/proposals/new/", views.proposal_new, name="proposal_new"),
    path("<slug:slug>/agreements/new/", views.agreement_form, name="agreement_new"),
    path("<slug:slug>/events/new/", views.event_form, name="event_new"),
    path("<slug:slug>/commitments/", views.commitments, name="commitments"),
    path("<slug:slug>/commitments/new/", views.commitment_form, name="commitment_new"),
    path("<slug:slug>/public/", views.public_page_settings, name="public_page"),
    path("<slug:slug>/public/preview/", views.public_page_preview, name="public_preview"),
    path(
        "<slug:slug>/public/articles/",
        views.public_articles_preview,
        name="public_articles_preview",
    ),
]
