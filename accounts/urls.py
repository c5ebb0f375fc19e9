from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("invitations/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("invitation/<int:pk>/resend/", views.resend_invitation, name="resend_invitation"),
    path("invitation/<int:pk>/revoke/", views.revoke_invitation, name="revoke_invitation"),
    path("membership/<int:pk>/remove/", views.remove_membership, name="remove_membership"),
    path("account/", views.account, name="account"),
    path("<slug:slug>/", views.team, name="team"),
    path("<slug:slug>/invite/", views.invite, name="invite"),
    path("<slug:slug>/invitations/", views.invitations, name="invitations"),
    path("<slug:slug>/two-factor/", views.two_factor_policy, name="two_factor_policy"),
]
