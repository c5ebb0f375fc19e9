from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("invitations/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("account/", views.account, name="account"),
]
