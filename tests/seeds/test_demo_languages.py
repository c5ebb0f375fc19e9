"""The demo speaks more than English: a Spanish-reading steward, and members whose roster
language is a code (or, once, words the app does not know)."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import Membership, Role, User
from campaigns.models import Member

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_spanish_steward_and_members_by_language_code():
    call_command("seed_demo", stdout=None)
    delegada = User.objects.get(email="delegada@example.org")
    assert delegada.language == "es" and delegada.check_password("commongood")
    assert Membership.objects.get(user=delegada).role == Role.STEWARD
    for email in ("leader@example.org", "steward@example.org", "partner@example.org"):
        assert User.objects.get(email=email).language in ("", "en")
    languages = set(Member.objects.values_list("preferred_language", flat=True))
    assert {"en", "es", "hmn", "Mixteco"} <= languages
    assert "Spanish" not in languages
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(delegada)
    page = client.get(reverse("campaigns:my_buildings"))
    assert page.headers["Content-Language"] == "es"
