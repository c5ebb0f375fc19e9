"""A demand's public text in the local's other languages: written by whoever may edit the
demand, kept in its revisions, public only once a leader publishes, and read by the public in
their language, with the English text marked where a translation is missing."""

import io

import pytest
from django.core.cache import cache
from django.urls import reverse
from pypdf import PdfReader

from campaigns.content import reading_in
from demands.models import Demand

from ..bargaining import factories as bf
from .factories import make_demand

pytestmark = pytest.mark.django_db


@pytest.fixture
def languages(cast):
    cast.local.content_languages = ["es", "hmn"]
    cast.local.save()
    return cast.local


@pytest.fixture
def published(cast, languages):
    bf.make_public_page(cast.campaign)
    demand = make_demand(
        cast.campaign,
        by=cast.leader,
        coauthors=[cast.organisation_x],
        title="Nurses in every school",
        summary="A nurse at every school, every day.",
    )
    demand.edit_translations(
        texts={"es": {"title": "Enfermeras en cada escuela", "summary": "Una enfermera diaria."}},
        by=cast.leader,
        expected_version=demand.version,
    )
    demand.publish(by=cast.leader)
    return demand


def page(client, demand, language: str) -> str:
    url = reverse("open:campaign", args=[demand.campaign.slug]) + f"?lang={language}"
    return client.get(url).content.decode()


def test_the_text_falls_back_to_english_and_says_so(published):
    spanish = published.text_in("title", "es")
    assert (spanish.text, spanish.language, spanish.missing) == (
        "Enfermeras en cada escuela",
        "es",
        False,
    )
    hmong = published.text_in("title", "hmn")
    assert (hmong.text, hmong.language, hmong.missing) == ("Nurses in every school", "en", True)
    assert "Hmong" in hmong.missing_note
    with reading_in("es"):
        assert published.public_title == "Enfermeras en cada escuela"


def test_the_missing_languages_are_those_without_every_text(cast, published):
    assert published.missing_languages(["es", "hmn"]) == ["hmn"]
    demand = Demand.objects.select_related("campaign__local").get(pk=published.pk)
    assert demand.missing_translations == ["Hmong"]


def test_a_translation_edit_waits_for_the_publish_which_moves_the_public_version(
    cast, client, published
):
    published.campaign.refresh_from_db()
    version = published.campaign.public_version
    published.edit_translations(
        texts={"hmn": {"title": "Kws saib mob hauv txhua lub tsev kawm ntawv", "summary": ""}},
        by=cast.leader,
        expected_version=published.version,
    )
    published.refresh_from_db()
    assert published.revisions.get(number=published.version).snapshot["i18n"]["title_hmn"]
    assert published.public_is_behind
    assert "Kws saib mob" not in page(client, published, "hmn")
    published.publish(by=cast.leader)
    published.campaign.refresh_from_db()
    assert published.campaign.public_version > version
    assert "Kws saib mob hauv txhua lub tsev kawm ntawv" in page(client, published, "hmn")


def test_the_public_page_reads_the_readers_language_and_marks_what_is_missing(client, published):
    cache.clear()
    spanish = page(client, published, "es")
    assert '<html lang="es">' in spanish
    assert 'lang="es" dir="ltr" class="demand-title">Enfermeras en cada escuela' in spanish
    hmong = page(client, published, "hmn")
    # No Hmong interface catalogue: the frame is English, the content says what it is.
    assert '<html lang="en">' in hmong
    assert 'lang="en" dir="ltr" class="demand-title">Nurses in every school' in hmong
    assert "Not yet translated into Hmong" in hmong
    assert 'href="?lang=hmn" hreflang="hmn" lang="hmn"' in hmong
    # One cached copy per language: the English page is not the Hmong one.
    assert "Not yet translated" not in page(client, published, "en")


def test_the_report_is_in_the_readers_language(client, published):
    url = reverse("open:report", args=[published.campaign.slug])
    spanish = client.get(url + "?lang=es")
    text = "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(b"".join(spanish.streaming_content))).pages
    )
    assert "Enfermeras en cada escuela" in text
    hmong = client.get(url + "?lang=hmn")
    assert hmong.status_code == 200
    assert hmong["Content-Language"] == "hmn"


def test_a_language_the_local_does_not_publish_in_reads_as_the_interface(client, published):
    cache.clear()
    body = page(client, published, "vi")
    assert '<html lang="en">' in body
    assert "Not yet translated" not in body


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("leader", 200),
        ("partner_x", 200),  # a co-author edits its text
        ("steward_a", 403),  # reads along, does not edit
        ("partner_y", 404),
        ("other_leader", 404),
    ],
)
def test_who_may_write_the_translations(cast, languages, role, status):
    demand = make_demand(cast.campaign, by=cast.leader, coauthors=[cast.organisation_x])
    url = reverse("demands:translations", args=[demand.pk])
    assert cast.client_for(role).get(url).status_code == status
    response = cast.client_for(role).post(
        url, {"version": demand.version, "title_es": "Enfermeras", "summary_es": ""}
    )
    demand.refresh_from_db()
    if status == 200:
        assert response.status_code == 302
        assert demand.i18n == {"title_es": "Enfermeras"}
        assert demand.revisions.filter(number=demand.version).exists()
    else:
        assert response.status_code == status
        assert not demand.i18n


def test_the_anonymous_visitor_is_sent_to_sign_in(cast, client, languages):
    demand = make_demand(cast.campaign, by=cast.leader)
    response = client.get(reverse("demands:translations", args=[demand.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_stale_translation_save_keeps_what_was_typed(cast, languages):
    demand = make_demand(cast.campaign, by=cast.leader)
    opened_at = demand.version
    demand.edit_translations(
        texts={"es": {"title": "Otra"}}, by=cast.leader, expected_version=opened_at
    )
    response = cast.client_for("leader").post(
        reverse("demands:translations", args=[demand.pk]),
        {"version": opened_at, "title_es": "Enfermeras en cada escuela"},
    )
    assert response.status_code == 409
    assert "Enfermeras en cada escuela" in response.content.decode()
    demand.refresh_from_db()
    assert demand.i18n == {"title_es": "Otra"}


def test_the_list_and_the_detail_name_the_missing_languages(cast, languages):
    demand = make_demand(cast.campaign, by=cast.leader, title="Counselors")
    leader = cast.client_for("leader")
    listing = leader.get(reverse("demands:list")).content.decode()
    assert "Missing: Spanish, Hmong" in listing
    detail = leader.get(reverse("demands:detail", args=[demand.pk])).content.decode()
    assert "Missing: Spanish, Hmong" in detail
    assert reverse("demands:translations", args=[demand.pk]) in detail
