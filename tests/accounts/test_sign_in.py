import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db


def test_nobody_signs_up_on_their_own(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "walk-in@example.org",
            "password1": "a-long-password-1",
            "password2": "a-long-password-1",
        },
    )
    assert "invitation" in response.content.decode().lower()
    from accounts.models import User

    assert not User.objects.filter(email="walk-in@example.org").exists()


def test_sign_in_with_email(cast, client):
    response = client.post(
        reverse("account_login"), {"login": cast.leader.email, "password": f.PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"] == cast.leader


def test_repeated_failed_sign_ins_are_throttled(cast, client):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": cast.leader.email, "password": "wrong"})
    response = client.post(
        reverse("account_login"), {"login": cast.leader.email, "password": f.PASSWORD}
    )
    assert response.status_code in {200, 429}
    assert client.get(reverse("home")).context["user"].is_anonymous


def test_password_reset_does_not_reveal_whether_an_account_exists(cast, client):
    known = client.post(reverse("account_reset_password"), {"email": cast.leader.email})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert [m.to for m in mail.outbox][0] == [cast.leader.email]


def test_two_factor_setup_is_available(cast):
    response = cast.client_for("leader").get(reverse("mfa_activate_totp"))
    assert response.status_code in {200, 302}


def test_the_admin_login_goes_through_the_throttled_sign_in(cast, client):
    response = client.post(
        "/admin/login/", {"username": cast.leader.email, "password": "wrong"}, follow=False
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


def test_a_local_can_require_two_factor_sign_in_of_its_leaders(cast):
    from allauth.mfa.models import Authenticator

    client = cast.client_for("leader")
    response = client.post(
        reverse("team:two_factor_policy", args=[cast.local.slug]), {"require": "on"}
    )
    assert response.status_code == 302
    cast.local.refresh_from_db()
    assert cast.local.require_leader_mfa

    # Until the leader sets it up, pages lead to the setup; account pages stay reachable.
    cast.leader.refresh_from_db()
    client = cast.client_for("leader")
    response = client.get(reverse("campaigns:buildings"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    setup = client.get(reverse("mfa_activate_totp"))
    # allauth asks for the password again before setting up an authenticator.
    assert setup.status_code == 200 or setup["Location"].startswith("/accounts/reauthenticate/")

    Authenticator.objects.create(user=cast.leader, type=Authenticator.Type.TOTP, data={})
    assert cast.client_for("leader").get(reverse("campaigns:buildings")).status_code == 200
    # Stewards and partners of the local are not asked.
    assert cast.client_for("steward_a").get(reverse("campaigns:buildings")).status_code == 200


def test_only_the_local_leaders_change_the_two_factor_rule(cast):
    url = reverse("team:two_factor_policy", args=[cast.local.slug])
    assert cast.client_for("steward_a").post(url, {"require": "on"}).status_code == 403
    assert cast.client_for("other_leader").post(url, {"require": "on"}).status_code == 404
    cast.local.refresh_from_db()
    assert not cast.local.require_leader_mfa


def test_wrong_passwords_lock_the_account_being_guessed_not_the_address(cast):
    """Five wrong passwords for one account from a school's shared connection lock that
    account; a colleague behind the same address still signs in."""
    school = {"REMOTE_ADDR": "198.51.100.7"}
    guesser = Client(**school)
    for _ in range(5):
        guesser.post(reverse("account_login"), {"login": cast.leader.email, "password": "wrong"})

    colleague = Client(**school)
    response = colleague.post(
        reverse("account_login"), {"login": cast.steward_a.email, "password": f.PASSWORD}
    )
    assert response.status_code == 302
    assert colleague.get(reverse("home")).context["user"] == cast.steward_a

    owner = Client(**school)
    response = owner.post(
        reverse("account_login"), {"login": cast.leader.email, "password": f.PASSWORD}
    )
    assert response.status_code in {200, 429}
    assert "Too many failed" in response.content.decode()
    assert owner.get(reverse("home")).context["user"].is_anonymous
