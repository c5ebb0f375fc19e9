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
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("webhook/", views.webhook, name="webhook"),
]
