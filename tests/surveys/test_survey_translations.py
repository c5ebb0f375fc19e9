"""A survey's title and introduction, like its questions, come in the reader's language."""

from __future__ import annotations

import pytest
from django.urls import reverse

from surveys.models import Survey

from .. import factories as f
from ..forms import form_data
from .factories import make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def spanish(cast):
    cast.local.content_languages = ["es", "hmn"]
    cast.local.save(update_fields=["content_languages"])
    return cast


def test_a_leader_translates_the_title_and_introduction(spanish):
    cast = spanish
    survey = make_survey(cast.campaign, intro="Tell us what matters.")
    client = cast.client_for("leader")
    url = reverse("surveys:edit", args=[survey.pk])
    data = form_data(client.get(url))
    assert {"title_es", "intro_es", "title_hmn", "intro_hmn"} <= set(data)
    data.update(title_es="Encuesta de negociación", intro_es="Díganos qué le importa.")
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    survey.refresh_from_db()
    assert survey.i18n == {
        "title_es": "Encuesta de negociación",
        "intro_es": "Díganos qué le importa.",
    }
    assert survey.missing_languages(["es", "hmn"]) == ["hmn"]


def test_a_spanish_member_reads_the_title_and_introduction_in_spanish(spanish):
    cast = spanish
    survey = make_survey(
        cast.campaign,
        open_by=cast.leader,
        intro="Tell us what matters.",
        i18n={"title_es": "Encuesta de negociación", "intro_es": "Díganos qué le importa."},
    )
    member = f.make_member(cast.building_a, preferred_language="es")
    client = cast.client_for("anonymous")
    url = reverse("surveys:personal", args=[survey.link_token(member)])
    text = client.get(url).content.decode()
    assert "<title>Encuesta de negociación" in text
    assert '<span lang="es" dir="ltr">Encuesta de negociación</span>' in text
    assert "Díganos qué le importa." in text and "Tell us what matters." not in text
    thanks = client.get(url + "?thanks=1").content.decode()
    assert "«Encuesta de negociación»" in thanks


def test_the_public_survey_reads_in_the_language_asked_for(spanish):
    cast = spanish
    survey = make_survey(
        cast.campaign,
        audience=Survey.Audience.PUBLIC,
        open_by=cast.leader,
        slug="listening",
        intro="Tell us what matters.",
        i18n={"title_es": "Encuesta de escucha"},
    )
    url = reverse("open_surveys:answer", args=[cast.campaign.slug, survey.slug])
    client = cast.client_for("anonymous")
    spanish_page = client.get(url + "?lang=es").content.decode()
    assert "Encuesta de escucha" in spanish_page
    # The introduction has no Spanish yet: the English one stands in, and says so.
    assert '<div lang="en" dir="ltr" class="lede"><p>Tell us what matters.</p></div>' in (
        spanish_page
    )
    assert "Aún no traducido al Español" in spanish_page
    english_page = client.get(url).content.decode()
    assert "Bargaining survey" in english_page and "Encuesta de escucha" not in english_page
