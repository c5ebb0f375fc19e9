"""The public RSVP form: anonymous, public actions only, protected against spam and floods."""

import time
from unittest import mock

import pytest
from django.urls import reverse

from actions.models import Reminder, Rsvp

from .factories import make_action

pytestmark = pytest.mark.django_db


def form_data(client, url, **extra):
    """Load the form (for its signed time stamp) and fill it in like a person would."""
    page = client.get(url).content.decode()
    issued = page.split('name="issued" value="', 1)[1].split('"', 1)[0]
    data = {"name": "Pat Parent", "email": "pat@example.org", "phone": "", "issued": issued}
    data.update(extra)
    return data


def later(seconds=5):
    return mock.patch("actions.forms.time.time", return_value=time.time() + seconds)


def test_anonymous_visitor_rsvps_to_a_public_action(cast, client):
    action = make_action(cast.campaign, is_public=True)
    url = reverse("actions:rsvp", args=[action.pk])
    assert url == f"/actions/{action.pk}/rsvp/"
    data = form_data(client, url, consent="on")
    with later():
        response = client.post(url, data)
    assert response.status_code == 302
    rsvp = Rsvp.objects.get()
    assert (rsvp.name, rsvp.email, rsvp.consent_to_contact) == (
        "Pat Parent",
        "pat@example.org",
        True,
    )
    assert Reminder.objects.filter(rsvp=rsvp, kind="reminder").count() == 3
    assert Reminder.objects.filter(rsvp=rsvp, kind="confirmation").count() == 1
    thanks = client.get(response["Location"]).content.decode()
    assert "You are on the list" in thanks


def test_internal_actions_have_no_public_rsvp_page(cast, client):
    action = make_action(cast.campaign, is_public=False)
    url = reverse("actions:rsvp", args=[action.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "x", "email": "x@example.org"}).status_code == 404


@pytest.mark.parametrize(
    "kind, says",
    [
        ("cancelled", "This action was cancelled"),
        ("past", "This action has taken place, so sign-ups are closed"),
    ],
)
def test_a_cancelled_or_past_actions_rsvp_page_says_so_instead_of_404(cast, client, kind, says):
    values = {
        "cancelled": {"status": "cancelled", "cancel_reason": "The board met earlier."},
        "past": {"days": -2},
    }[kind]
    action = make_action(cast.campaign, is_public=True, **values)
    url = reverse("actions:rsvp", args=[action.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert says in page.content.decode()
    assert "Count me in" not in page.content.decode()
    if kind == "cancelled":
        assert "The board met earlier." in page.content.decode()
    response = client.post(url, {"name": "x", "email": "x@example.org"})
    assert response.status_code == 200 and not Rsvp.objects.exists()


def test_the_response_reveals_nothing_about_who_else_is_coming(cast, client):
    action = make_action(cast.campaign, is_public=True)
    Rsvp.objects.create(
        action=action, source="public", name="Already Here", email="pat@example.org"
    )
    url = reverse("actions:rsvp", args=[action.pk])
    page = client.get(url).content.decode()
    assert "Already Here" not in page
    data = form_data(client, url)
    with later():
        response = client.post(url, data)
    # The same redirect and thanks whether or not the address was on the list.
    assert response.status_code == 302
    assert "Already Here" not in client.get(response["Location"]).content.decode()
    assert Rsvp.objects.count() == 1


def test_the_honeypot_field_stops_bots(cast, client):
    action = make_action(cast.campaign, is_public=True)
    url = reverse("actions:rsvp", args=[action.pk])
    data = form_data(client, url, website="http://spam.example")
    with later():
        response = client.post(url, data)
    assert response.status_code == 400 and not Rsvp.objects.exists()


def test_a_person_whose_browser_fills_the_form_in_gets_through(cast, client):
    """Autofill and one click take a person about a second and a half."""
    action = make_action(cast.campaign, is_public=True)
    url = reverse("actions:rsvp", args=[action.pk])
    data = form_data(client, url)
    with later(1.5):
        response = client.post(url, data)
    assert response.status_code == 302
    assert Rsvp.objects.get().email == "pat@example.org"


def test_a_form_sent_at_once_comes_back_filled_in_for_one_more_press(cast, client):
    action = make_action(cast.campaign, is_public=True)
    url = reverse("actions:rsvp", args=[action.pk])
    response = client.post(url, form_data(client, url, name="Pat Quick"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "press the button once more" in page and 'value="Pat Quick"' in page
    assert not Rsvp.objects.exists()
    # The page carries a fresh stamp: sending it again a moment later works.
    issued = page.split('name="issued" value="', 1)[1].split('"', 1)[0]
    with later(2):
        again = client.post(
            url, {"name": "Pat Quick", "email": "pat@example.org", "issued": issued}
        )
    assert again.status_code == 302 and Rsvp.objects.get().name == "Pat Quick"


def test_a_forged_or_foreign_time_stamp_is_refused(cast, client):
    action = make_action(cast.campaign, is_public=True)
    other = make_action(cast.campaign, is_public=True)
    url = reverse("actions:rsvp", args=[action.pk])
    stolen = form_data(client, reverse("actions:rsvp", args=[other.pk]))
    with later():
        assert client.post(url, stolen).status_code == 400
        assert client.post(url, {**stolen, "issued": "forged"}).status_code == 400
    assert not Rsvp.objects.exists()


def test_a_flood_from_one_address_is_limited(cast, client):
    action = make_action(cast.campaign, is_public=True)
    url = reverse("actions:rsvp", args=[action.pk])
    codes = []
    for n in range(12):
        data = form_data(client, url, email=f"p{n}@example.org")
        with later():
            codes.append(client.post(url, data).status_code)
    assert codes[:10] == [302] * 10
    assert codes[10:] == [429, 429]
    assert Rsvp.objects.count() == 10


def test_one_email_cannot_be_flooded_from_many_addresses(cast, client):
    action = make_action(cast.campaign, is_public=True)
    url = reverse("actions:rsvp", args=[action.pk])
    codes = []
    for n in range(5):
        data = form_data(client, url)
        with later():
            codes.append(client.post(url, data, REMOTE_ADDR=f"10.0.0.{n}").status_code)
    assert codes == [302, 302, 302, 429, 429]
    assert Rsvp.objects.count() == 1


def test_the_rate_limit_keeps_no_visitor_address_or_email(cast, client, settings):
    from django.core.cache import cache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    action = make_action(cast.campaign, is_public=True)
    url = reverse("actions:rsvp", args=[action.pk])
    data = form_data(client, url, email="kept.nowhere@example.org")
    with later():
        assert client.post(url, data, REMOTE_ADDR="203.0.113.77").status_code == 302
    keys = " ".join(str(k) for k in cache._cache)
    assert "allauth:rl" in keys
    assert "203.0.113.77" not in keys and "kept.nowhere" not in keys


def test_a_bad_phone_number_gets_a_clear_message(cast, client):
    action = make_action(cast.campaign, is_public=True)
    url = reverse("actions:rsvp", args=[action.pk])
    data = form_data(client, url, phone="<script>")
    with later():
        response = client.post(url, data)
    assert "phone number" in response.content.decode() and not Rsvp.objects.exists()


def test_behind_a_proxy_the_forwarded_address_is_limited_not_the_proxy(cast, client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    action = make_action(cast.campaign, is_public=True)
    url = reverse("actions:rsvp", args=[action.pk])
    codes = []
    for n in range(11):
        data = form_data(client, url, email=f"v{n}@example.org")
        # Eleven visitors through one proxy: nobody is refused; a client's own claim is ignored.
        with later():
            response = client.post(url, data, HTTP_X_FORWARDED_FOR=f"1.2.3.4, 10.0.1.{n}")
        codes.append(response.status_code)
    assert codes == [302] * 11


def test_a_cancelled_actions_rsvp_page_speaks_spanish(cast, client):
    action = make_action(cast.campaign, is_public=True, status="cancelled")
    page = client.get(reverse("actions:rsvp", args=[action.pk]), HTTP_ACCEPT_LANGUAGE="es")
    assert "Esta acción se canceló. Nadie tiene que venir." in page.content.decode()
