import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, Membership, Role, User
from tests import factories as f

pytestmark = pytest.mark.django_db


def invite(client, local, **data):
    return client.post(reverse("team:invite", args=[local.slug]), data)


def link_from(message) -> str:
    return re.search(r"https?://[^/]+(/team/invitations/[^/\s]+/)", message.body).group(1)


def test_leader_invites_a_steward_who_joins_through_the_link_once(
    cast, django_capture_on_commit_callbacks
):
    client = cast.client_for("leader")
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(
            client,
            cast.local,
            email="New.Steward@Example.org",
            role="steward",
            buildings=[cast.building_a.pk],
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.steward@example.org"]
    assert "steward" in message.body.lower()
    assert cast.building_a.name in message.body
    link = link_from(message)

    anonymous = cast.client_for("anonymous")
    assert anonymous.get(link).status_code == 200
    response = anonymous.post(
        link,
        {
            "first_name": "Nia",
            "last_name": "Brooks",
            "password1": "organize-every-building",
            "password2": "organize-every-building",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="new.steward@example.org")
    membership = Membership.objects.get(user=user, local=cast.local)
    assert membership.role == Role.STEWARD
    assert list(membership.buildings.all()) == [cast.building_a]
    assert (
        anonymous.get(reverse("campaigns:building", args=[cast.building_a.pk])).status_code == 200
    )
    assert (
        anonymous.get(reverse("campaigns:building", args=[cast.building_b.pk])).status_code == 404
    )

    again = cast.client_for("anonymous").get(link)
    assert again.status_code == 410


def test_the_token_is_not_stored(cast):
    invitation, token = Invitation.issue(
        local=cast.local, email="x@example.org", role=Role.LEADER, invited_by=cast.leader
    )
    assert token not in invitation.token_hash
    assert Invitation.objects.with_token(token).get() == invitation


def test_an_expired_link_does_not_work(cast):
    invitation, token = Invitation.issue(
        local=cast.local, email="late@example.org", role=Role.LEADER, invited_by=cast.leader
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    response = cast.client_for("anonymous").get(reverse("accounts:accept_invitation", args=[token]))
    assert response.status_code == 410
    assert not User.objects.filter(email="late@example.org").exists()


def test_an_unknown_token_gets_a_clear_page(cast):
    response = cast.client_for("anonymous").get(
        reverse("accounts:accept_invitation", args=["nope"])
    )
    assert response.status_code == 410
    assert "no longer works" in response.content.decode()


def test_mismatched_passwords_keep_the_invitation_usable(cast):
    invitation, token = Invitation.issue(
        local=cast.local, email="typo@example.org", role=Role.LEADER, invited_by=cast.leader
    )
    url = reverse("accounts:accept_invitation", args=[token])
    response = cast.client_for("anonymous").post(
        url,
        {
            "first_name": "T",
            "password1": "organize-every-building",
            "password2": "different-one-here",
        },
    )
    assert response.status_code == 200
    assert "differ" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.is_usable


def test_partner_invitation_needs_an_organisation_of_the_same_local(cast):
    client = cast.client_for("leader")
    foreign = f.make_organisation(cast.other_local)
    response = invite(
        client, cast.local, email="p@example.org", role="partner", organisation=foreign.pk
    )
    assert response.status_code == 200
    assert not Invitation.objects.filter(email="p@example.org").exists()
    response = invite(client, cast.local, email="p@example.org", role="partner")
    assert "Choose the partner" in response.content.decode()


def test_steward_invitation_needs_a_building(cast):
    response = invite(cast.client_for("leader"), cast.local, email="s@example.org", role="steward")
    assert response.status_code == 200
    assert "at least one building" in response.content.decode()


def test_extra_fields_cannot_widen_an_invitation(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invite(
            cast.client_for("leader"),
            cast.local,
            email="q@example.org",
            role="partner",
            organisation=cast.organisation_x.pk,
            buildings=[cast.building_a.pk],
        )
    invitation = Invitation.objects.get(email="q@example.org")
    assert invitation.buildings.count() == 0


@pytest.mark.parametrize("who", ["steward_a", "partner_x"])
def test_only_leaders_invite(cast, who):
    response = invite(cast.client_for(who), cast.local, email="z@example.org", role="leader")
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_leader_of_another_local_cannot_invite_here(cast):
    response = invite(
        cast.client_for("other_leader"), cast.local, email="z@example.org", role="leader"
    )
    assert response.status_code == 404
    assert not Invitation.objects.exists()


def test_anonymous_is_sent_to_sign_in(cast):
    response = cast.client_for("anonymous").get(reverse("team:invite", args=[cast.local.slug]))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_revoked_invitation_stops_working(cast):
    invitation, token = Invitation.issue(
        local=cast.local, email="r@example.org", role=Role.LEADER, invited_by=cast.leader
    )
    response = cast.client_for("leader").post(
        reverse("team:revoke_invitation", args=[invitation.pk])
    )
    assert response.status_code == 302
    assert (
        cast.client_for("anonymous")
        .get(reverse("accounts:accept_invitation", args=[token]))
        .status_code
        == 410
    )


def test_other_leader_cannot_revoke(cast):
    invitation, _ = Invitation.issue(
        local=cast.local, email="r@example.org", role=Role.LEADER, invited_by=cast.leader
    )
    response = cast.client_for("other_leader").post(
        reverse("team:revoke_invitation", args=[invitation.pk])
    )
    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_sending_again_replaces_the_link(cast, django_capture_on_commit_callbacks):
    invitation, old_token = Invitation.issue(
        local=cast.local, email="again@example.org", role=Role.LEADER, invited_by=cast.leader
    )
    with django_capture_on_commit_callbacks(execute=True):
        cast.client_for("leader").post(reverse("team:resend_invitation", args=[invitation.pk]))
    assert len(mail.outbox) == 1
    anonymous = cast.client_for("anonymous")
    assert anonymous.get(reverse("accounts:accept_invitation", args=[old_token])).status_code == 410
    assert anonymous.get(link_from(mail.outbox[0])).status_code == 200


def test_existing_user_joins_another_local_after_signing_in(cast):
    invitation, token = Invitation.issue(
        local=cast.other_local,
        email=cast.steward_a.email,
        role=Role.STEWARD,
        invited_by=cast.other_leader,
    )
    url = reverse("accounts:accept_invitation", args=[token])
    assert "Sign in" in cast.client_for("anonymous").get(url).content.decode()
    wrong_person = cast.client_for("steward_b")
    wrong_person.post(url)
    assert not Membership.objects.filter(user=cast.steward_b, local=cast.other_local).exists()
    client = cast.client_for("steward_a")
    assert client.post(url).status_code == 302
    assert Membership.objects.filter(user=cast.steward_a, local=cast.other_local).exists()
    assert Membership.objects.filter(user=cast.steward_a, local=cast.local).exists()


def test_inviting_someone_already_in_the_local_is_refused(cast):
    response = invite(
        cast.client_for("leader"), cast.local, email=cast.steward_a.email, role="leader"
    )
    assert "already has a role" in response.content.decode()


def test_leader_removes_a_role_after_confirming(cast):
    membership = Membership.objects.get(user=cast.steward_b)
    client = cast.client_for("leader")
    url = reverse("team:remove_membership", args=[membership.pk])
    team = client.get(reverse("team:people", args=[cast.local.slug])).content.decode()
    assert f'href="{url}"' in team
    question = client.get(url)
    assert question.status_code == 200
    assert Membership.objects.filter(pk=membership.pk).exists()
    client.post(url)
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_steward_cannot_remove_roles(cast):
    membership = Membership.objects.get(user=cast.steward_b)
    response = cast.client_for("steward_a").post(
        reverse("team:remove_membership", args=[membership.pk])
    )
    assert response.status_code == 403
    assert Membership.objects.filter(pk=membership.pk).exists()
