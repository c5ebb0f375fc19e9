from django.urls import path

from . import views

app_name = "broadcasts"
urlpatterns = [
    path("campaign/<slug:slug>/", views.broadcast_list, name="list"),
    path("campaign/<slug:slug>/new/", views.broadcast_create, name="create"),
    path("campaign/<slug:slug>/settings/", views.broadcast_settings, name="settings"),
    path("<int:pk>/", views.broadcast_detail, name="detail"),
    path("<int:pk>/edit/", views.broadcast_edit, name="edit"),
    path("<int:pk>/test/", views.broadcast_test, name="test"),
    path("<int:pk>/send/", views.broadcast_schedule, name="schedule"),
    path("<int:pk>/cancel/", views.broadcast_cancel, name="cancel"),
    path("<int:pk>/retry/", views.broadcast_retry, name="retry"),
    path("organisation/<int:pk>/", views.partner_list, name="partner_list"),
    path("organisation/<int:pk>/new/", views.partner_create, name="partner_create"),
    path("partner/<int:pk>/", views.partner_detail, name="partner_detail"),
    path("partner/<int:pk>/edit/", views.partner_edit, name="partner_edit"),
    path("partner/<int:pk>/test/", views.partner_test, name="partner_test"),
    path("partner/<int:pk>/send/", views.partner_schedule, name="partner_schedule"),
    path("partner/<int:pk>/cancel/", views.partner_cancel, name="partner_cancel"),
    path("partner/<int:pk>/retry/", views.partner_retry, name="partner_retry"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("webhook/", views.webhook, name="webhook"),
]
