from django.urls import path

from . import views

app_name = "campaigns"

urlpatterns = [
    path("buildings/", views.building_list, name="buildings"),
    path("buildings/<int:pk>/", views.building_detail, name="building"),
    path("<slug:slug>/", views.campaign_detail, name="detail"),
]
