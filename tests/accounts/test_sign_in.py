import pytest
from django.core import mail
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
