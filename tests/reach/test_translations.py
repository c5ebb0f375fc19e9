"""Petitions and survey questions in every content language: the public pages read the
reader's language and mark what is not translated yet."""

import pytest
from django.urls import reverse

from reach.models import Petition
from surveys.models import Question, Survey
from tests.surveys.factories import make_survey

from .factories import make_petition

pytestmark = pytest.mark.django_db

HMONG_NOTE = "Not yet translated into Hmong"


@pytest.fixture
def languages(cast):
    cast.local.content_languages = ["es", "hmn"]
    cast.local.save(update_fields=["content_languages"])
    return cast.local


def test_a_petition_keeps_its_texts_per_language_in_i18n(cast):
    petition = make_petition(cast.campaign)
    petition = Petition.objects.get(pk=petition.pk)
    assert petition.title == "Fund counselors in every school"
    assert petition.i18n == {
        "title_es": "Consejeros en cada escuela",
        "statement_es": "Pedimos a la junta que financie consejeros.",
    }
    assert petition.statement_for("es") == "Pedimos a la junta que financie consejeros."
    assert petition.statement_for("hmn") == "We ask the board to fund counselors."
    # Emptying a language's boxes removes its translation, so it reads as missing again.
    petition.change(texts={"es": ("", "")})
    assert Petition.objects.get(pk=petition.pk).i18n == {}


def test_the_public_petition_reads_spanish_and_marks_hmong(cast, client, languages):
    petition = make_petition(cast.campaign)
    spanish = client.get(petition.get_public_url() + "?lang=es").content.decode()
    assert '<h1 lang="es" dir="ltr">Consejeros en cada escuela</h1>' in spanish
    assert "Pedimos a la junta que financie consejeros." in spanish
    assert "Aún no" not in spanish
    hmong = client.get(petition.get_public_url() + "?lang=hmn").content.decode()
    assert '<h1 lang="en" dir="ltr">Fund counselors in every school</h1>' in hmong
    assert HMONG_NOTE in hmong


def test_the_public_survey_reads_spanish_and_marks_hmong(cast, client, languages):
    survey = make_survey(cast.campaign, audience=Survey.Audience.PUBLIC, open_by=cast.leader)
    question = survey.questions.get(kind=Question.Kind.SINGLE)
    question.i18n = {
        "text_es": "¿Qué importa más en esta negociación?",
        "choices_es": "Tamaño de las clases\nSalarios\nConsejeros",
    }
    question.save()
    url = reverse("open_surveys:answer", args=[cast.campaign.slug, survey.slug])
    spanish = client.get(url + "?lang=es").content.decode()
    assert '<span lang="es" dir="ltr">¿Qué importa más en esta negociación?</span>' in spanish
    # The choice reads in Spanish and still answers with the stored (English) choice.
    assert 'value="Class size"' in spanish and "Tamaño de las clases" in spanish
    hmong = client.get(url + "?lang=hmn").content.decode()
    assert '<span lang="en" dir="ltr">What matters most this bargaining?</span>' in hmong
    assert HMONG_NOTE in hmong


def test_a_translation_with_other_choices_than_the_question_is_not_used(cast):
    survey = make_survey(cast.campaign)
    question = survey.questions.get(kind=Question.Kind.SINGLE)
    question.i18n = {"choices_es": "Solo una"}
    pairs, text = question.choice_pairs("es")
    assert pairs == [("Class size", "Class size"), ("Pay", "Pay"), ("Counselors", "Counselors")]
    assert text.missing


def test_a_leader_writes_a_question_in_each_language(cast, languages):
    survey = make_survey(cast.campaign)
    leader = cast.client_for("leader")
    page = leader.get(survey.get_absolute_url()).content.decode()
    assert 'name="text_hmn"' in page and 'name="choices_es"' in page
    leader.post(
        reverse("surveys:question_add", args=[survey.pk]),
        {
            "text": "Would you wear red?",
            "kind": "single",
            "choices": "Yes\nNo",
            "text_es": "¿Se vestiría de rojo?",
            "choices_es": "Sí\nNo",
        },
    )
    question = survey.questions.get(text="Would you wear red?")
    assert question.i18n == {"text_es": "¿Se vestiría de rojo?", "choices_es": "Sí\nNo"}


def test_a_leader_writes_the_petition_in_hmong_when_the_local_publishes_in_it(cast, languages):
    petition = make_petition(cast.campaign)
    url = reverse("reach:petition_edit", args=[petition.pk])
    page = cast.client_for("leader").get(url).content.decode()
    assert 'name="title_hmn"' in page and 'lang="hmn"' in page


def test_the_confirmation_email_follows_the_locals_content_languages(cast, languages):
    """A Hmong reader's email carries the petition's Hmong title in an English frame while
    the local publishes in Hmong; once the local stops, the email is in English."""
    from actions.models import Reminder
    from reach.confirmation import confirmation_message

    petition = make_petition(cast.campaign)
    petition.i18n = {**petition.i18n, "title_hmn": "Cov kws pab tswv yim"}
    petition.save(update_fields=["i18n"])
    hmong = petition.sign_online(name="Pa", email="pa@example.org", language="hmn")
    spanish = petition.sign_online(name="Ana", email="ana@example.org", language="es")

    def message(signature):
        return confirmation_message(Reminder.objects.get(event_id=signature.pk))

    email = message(hmong)
    assert email.extra_headers["Content-Language"] == "hmn"
    assert "Cov kws pab tswv yim" in email.body and "Thank you for signing" in email.body
    assert message(spanish).extra_headers["Content-Language"] == "es"
    assert "Gracias" in message(spanish).body
    cast.local.content_languages = []
    cast.local.save(update_fields=["content_languages"])
    email = message(hmong)
    assert email.extra_headers["Content-Language"] == "en"
    assert "Fund counselors in every school" in email.body
