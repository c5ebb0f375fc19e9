from django.urls import path

from . import views

app_name = "actions"

urlpatterns = [
    path("", views.action_list, name="list"),
    path("<int:pk>/", views.action_detail, name="detail"),
    path("<int:pk>/edit/", views.action_edit, name="edit"),
    path("<int:pk>/translations/", views.action_translations, name="translations"),
    path("<int:pk>/cancel/", views.action_cancel, name="cancel"),
    path("<int:pk>/evaluate/", views.action_evaluate, name="evaluate"),
    path("<int:pk>/participation/", views.participation, name="participation"),
    path(
        "<int:pk>/participation/<int:member_pk>/",
        views.participation_mark,
        name="participation_mark",
    ),
    path("<int:pk>/our-people/", views.partner_rsvp, name="partner_rsvp"),
    path(
        "<int:pk>/our-people/<int:rsvp_pk>/remove/",
        views.partner_rsvp_remove,
        name="partner_rsvp_remove",
    ),
    path("<int:pk>/rsvp/", views.public_rsvp, name="rsvp"),
    path("rsvp/cancel/<str:token>/", views.rsvp_cancel, name="rsvp_cancel"),
    path("campaign/<slug:slug>/new/", views.action_create, name="create"),
    path("campaign/<slug:slug>/ladder/", views.ladder, name="ladder"),
    path("campaign/<slug:slug>/tactics/", views.tactics, name="tactics"),
    path("campaign/<slug:slug>/reminders/", views.reminder_settings, name="reminders"),
    path("campaign/<slug:slug>/digest/", views.digest, name="digest"),
    path("tactics/<int:pk>/edit/", views.tactic_edit, name="tactic_edit"),
    path("tactics/<int:pk>/move/", views.tactic_move, name="tactic_move"),
    path("tactics/<int:pk>/delete/", views.tactic_delete, name="tactic_delete"),
    path("reminders/<int:pk>/retry/", views.reminder_retry, name="reminder_retry"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/<str:token>.ics", views.feed, name="feed"),
]
