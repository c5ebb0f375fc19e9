"""An action's title and description in the local's other languages: leaders write them, a
public action's page, RSVP form and calendar read them at once, in the reader's language."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from ..bargaining import factories as bf
from .factories import make_action

pytestmark = pytest.mark.django_db


@pytest.fixture
def action(cast):
    cast.local.content_languages = ["es", "hmn"]
    cast.local.save()
    bf.make_public_page(cast.campaign)
    return make_action(
        cast.campaign, title="Rally before school", description="Meet at the flagpole.",
        is_public=True,
    )  # fmt: skip


def translate(cast, action, **fields):
    return cast.client_for("leader").post(
        reverse("actions:translations", args=[action.pk]),
        {"version": action.version, **fields},
    )


def test_a_leaders_translation_goes_to_the_public_page_at_once(cast, client, action):
    cast.campaign.refresh_from_db()
    before = cast.campaign.public_version
    response = translate(
        cast, action, title_es="Mitin antes de clases", description_es="En el asta de la bandera."
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.i18n == {
        "title_es": "Mitin antes de clases",
        "description_es": "En el asta de la bandera.",
    }
    assert action.missing_languages(["es", "hmn"]) == ["hmn"]
    cast.campaign.refresh_from_db()
    assert cast.campaign.public_version == before + 1
    cache.clear()
    body = client.get(reverse("open:campaign", args=[cast.campaign.slug]) + "?lang=es")
    html = body.content.decode()
    assert "Mitin antes de clases" in html
    assert reverse("actions:rsvp", args=[action.pk]) + "?lang=es" in html


def test_the_rsvp_form_keeps_the_readers_language(cast, client, action):
    translate(cast, action, title_es="Mitin antes de clases")
    url = reverse("actions:rsvp", args=[action.pk])
    spanish = client.get(url + "?lang=es").content.decode()
    assert '<html lang="es">' in spanish
    assert "Mitin antes de clases" in spanish
    hmong = client.get(url + "?lang=hmn").content.decode()
    assert '<html lang="en">' in hmong
    assert 'lang="en" dir="ltr">Rally before school' in hmong
    assert "Not yet translated into Hmong" in hmong


def test_the_calendar_reads_the_readers_language(cast, client, action):
    translate(cast, action, title_es="Mitin antes de clases")
    ics = client.get(reverse("open:calendar", args=[cast.campaign.slug]) + "?lang=es")
    assert "SUMMARY:Mitin antes de clases" in ics.content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [("steward_a", 403), ("partner_x", 403), ("partner_y", 403), ("other_leader", 404)],
)
def test_only_the_locals_leaders_translate_an_action(cast, action, role, status):
    url = reverse("actions:translations", args=[action.pk])
    assert cast.client_for(role).get(url).status_code == status
    response = cast.client_for(role).post(url, {"version": action.version, "title_es": "X"})
    assert response.status_code == status
    action.refresh_from_db()
    assert not action.i18n
