"""The team pages under ``/team/`` (included after ``accounts.urls``, whose fixed paths come
before a local's slug)."""

from django.urls import path

from .views import people

app_name = "team"

urlpatterns = [
    path("invitation/<int:pk>/resend/", people.resend_invitation, name="resend_invitation"),
    path("invitation/<int:pk>/revoke/", people.revoke_invitation, name="revoke_invitation"),
    path("membership/<int:pk>/remove/", people.remove_membership, name="remove_membership"),
    path("<slug:slug>/", people.team, name="people"),
    path("<slug:slug>/invite/", people.invite, name="invite"),
    path("<slug:slug>/invitations/", people.invitations, name="invitations"),
    path("<slug:slug>/two-factor/", people.two_factor_policy, name="two_factor_policy"),
]
