"""Each person's language: the pages they see signed in, and every email written to them in
it (reminders, notices, digests, invitations, password resets), with times in the local's zone
and HTML parts that say their language."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.languages import interface_language, language_name, normalise_language
from accounts.models import Invitation, User
from actions import digest, reminders
from actions.models import Participation
from campaigns import invitations
from campaigns.forms import MemberForm
from tests import factories as f
from tests.actions.factories import make_action

pytestmark = pytest.mark.django_db

PACIFIC = ZoneInfo("America/Los_Angeles")
EVENING = datetime(2026, 12, 1, 20, 30, tzinfo=PACIFIC)  # already Wednesday 2 December in UTC


@pytest.fixture(autouse=True)
def _locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://cg.example"


def _html(message) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Spanish", "es"),
        ("español", "es"),
        ("Español ", "es"),
        ("ES", "es"),
        ("Hmong", "hmn"),
        ("Tiếng Việt", "vi"),
        ("Spanish (Mexico)", "es"),
        ("Klingon", "Klingon"),
        ("", ""),
    ],
)
def test_whatever_a_roster_writes_a_known_language_becomes_its_code(written, code):
    assert normalise_language(written) == code


def test_a_language_is_named_in_itself_and_unknown_ones_fall_back_to_english():
    assert language_name("es") == "Español"
    assert language_name("hmn") == "Hmoob"
    assert language_name("Klingon") == "Klingon"
    assert interface_language("es") == "es"
    assert interface_language("hmn") == "en"  # not an interface language: the default
    assert interface_language("") == "en"


def test_a_signed_in_spanish_speaker_sees_spanish_whatever_the_browser_asks(cast):
    cast.steward_a.choose_language("es")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(cast.steward_a)
    page = client.get(reverse("campaigns:my_buildings"))
    assert page.headers["Content-Language"] == "es"
    assert '<html lang="es">' in page.text
    assert "Mis escuelas" in page.text or "Mis edificios" in page.text
    # Signed out, the same browser gets what it asks for again.
    assert Client(HTTP_ACCEPT_LANGUAGE="en").get(reverse("account_login")).headers[
        "Content-Language"
    ] == ("en")


def test_someone_who_never_chose_follows_the_browser(cast):
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    client.force_login(cast.leader)
    assert client.get(reverse("home")).headers["Content-Language"] == "es"


def test_the_language_menu_also_sets_the_accounts_language(cast):
    client = cast.client_for("partner_x")
    response = client.post(reverse("set_language"), {"language": "es", "next": "/"})
    assert response.status_code == 302
    cast.partner_x.refresh_from_db()
    assert cast.partner_x.language == "es"
    Client().post(reverse("set_language"), {"language": "es", "next": "/"})  # signed out: fine


@pytest.mark.parametrize("who", ["leader", "steward_a", "partner_x", "other_leader"])
def test_everyone_chooses_their_language_on_their_account_page(cast, who):
    client = cast.client_for(who)
    page = client.get(reverse("accounts:account"))
    assert page.status_code == 200
    assert '<option value="es">Español</option>' in page.text
    response = client.post(
        reverse("accounts:account"), {"first_name": "Ana", "last_name": "Ruiz", "language": "es"}
    )
    assert response.status_code == 302
    user = User.objects.get(pk=page.context["user"].pk)
    assert (user.language, user.first_name) == ("es", "Ana")
    assert "Su cuenta" in client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").text


def test_an_unknown_language_is_refused_on_the_account_page(cast):
    client = cast.client_for("leader")
    response = client.post(reverse("accounts:account"), {"first_name": "A", "language": "xx"})
    assert response.status_code == 200
    cast.leader.refresh_from_db()
    assert cast.leader.language == ""


def test_the_account_page_needs_signing_in(client):
    response = client.get(reverse("accounts:account"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


@time_machine.travel(EVENING, tick=False)
def test_an_invitation_in_spanish_and_the_account_starts_in_spanish(
    cast, django_capture_on_commit_callbacks
):
    client = cast.client_for("leader")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("team:invite", args=[cast.local.slug]),
            {"email": "ana@example.org", "role": "leader", "language": "es"},
        )
    assert response.status_code == 302
    invitations.send_due()
    [message] = [m for m in mail.outbox if m.to == ["ana@example.org"]]
    html = _html(message)
    assert '<html lang="es">' in html
    # Expires a week from the local's evening of 1 December, printed in Spanish.
    assert "martes 8 de diciembre de 2026, 20:30 PST" in message.body
    assert Invitation.objects.get(email="ana@example.org").language == "es"
    url = message.body.split("https://cg.example", 1)[1].split()[0]
    response = Client().post(
        url,
        {
            "first_name": "Ana",
            "password1": "a long pass phrase 7",
            "password2": "a long pass phrase 7",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(email="ana@example.org").language == "es"


def test_the_invitation_form_offers_each_language_in_itself(cast):
    page = cast.client_for("leader").get(reverse("team:invite", args=[cast.local.slug]))
    assert 'value="es"' in page.text and "Español" in page.text


@time_machine.travel(EVENING, tick=False)
def test_each_recipient_reads_a_reminder_in_their_language_with_the_local_time(cast):
    cast.steward_a.choose_language("es")
    english = f.make_steward(cast.local, cast.building_a, email="en-steward@test.example")
    # Within the reminder window, so each gets one at once; in UTC it is already 2 December.
    action = make_action(
        cast.campaign, title="Red Thursday walk-in", starts_at=EVENING + timedelta(hours=1)
    )
    action.buildings.set([cast.building_a])
    reminders.plan_action(action)
    reminders.send_due()
    spanish = [m for m in mail.outbox if m.to == [cast.steward_a.email]]
    assert spanish, [m.to for m in mail.outbox]
    [message] = spanish
    assert "martes 1 de diciembre de 2026, 21:30 PST" in message.body
    assert "Cuándo:" in message.body and "Hola" in message.body
    assert "Recibe este mensaje porque" in message.body
    assert '<html lang="es">' in _html(message)
    [other] = [m for m in mail.outbox if m.to == [english.email]]
    assert "Tuesday 1 December 2026, 21:30 PST" in other.body
    assert '<html lang="en">' in _html(other)


@time_machine.travel(EVENING, tick=False)
def test_a_spanish_member_coming_to_an_action_is_told_of_its_new_time_in_spanish(cast):
    member = f.make_member(
        cast.building_a, personal_email="lucia@example.org", preferred_language="es"
    )
    hmong = f.make_member(
        cast.building_a, personal_email="tou@example.org", preferred_language="hmn"
    )
    action = make_action(
        cast.campaign, title="Rally", starts_at=datetime(2026, 12, 3, 18, 0, tzinfo=PACIFIC)
    )
    Participation.objects.create(action=action, member=member, coming=True)
    Participation.objects.create(action=action, member=hmong, coming=True)
    previous = action.starts_at
    action.starts_at = datetime(2026, 12, 4, 17, 30, tzinfo=PACIFIC)
    action.save()
    reminders.notify_moved(action, previous=previous)
    reminders.send_due()
    [notice] = [m for m in mail.outbox if m.to == ["lucia@example.org"]]
    assert "17:30" in notice.body and "4 de diciembre de 2026" in notice.body
    assert "dijo que viene a esta acción" in notice.body
    assert '<html lang="es">' in _html(notice)
    # Hmong is not an interface language yet: the local's default, English.
    [english] = [m for m in mail.outbox if m.to == ["tou@example.org"]]
    assert "you said you are coming to this action" in english.body
    assert '<html lang="en">' in _html(english)


@time_machine.travel(datetime(2026, 11, 30, 7, 5, tzinfo=PACIFIC), tick=False)
def test_a_steward_who_reads_spanish_gets_the_digest_in_spanish(cast):
    cast.steward_a.choose_language("es")
    f.make_member(cast.building_a, first_name="Quiet", last_name="Teacher")
    assert digest.plan_weekly_digests() >= 1
    reminders.send_due()
    [message] = [m for m in mail.outbox if m.to == [cast.steward_a.email]]
    assert message.subject.startswith("Sus escuelas esta semana")
    assert "es delegado de" in message.body
    assert '<html lang="es">' in _html(message)
    [english] = [m for m in mail.outbox if m.to == [cast.steward_b.email]]
    assert english.subject.startswith("Your buildings this week")


def test_a_password_reset_asked_for_signed_out_comes_in_the_accounts_language(cast):
    cast.steward_a.choose_language("es")
    Client(HTTP_ACCEPT_LANGUAGE="en").post(
        reverse("account_reset_password"), {"email": cast.steward_a.email}
    )
    [message] = [m for m in mail.outbox if m.to == [cast.steward_a.email]]
    assert "Password Reset" not in message.subject
    assert "contraseña" in message.body


def test_the_member_form_offers_languages_in_themselves_and_keeps_unknown_words(cast):
    member = f.make_member(cast.building_a, preferred_language="Klingon")
    form = MemberForm(instance=member, buildings=cast.local.buildings.all())
    choices = dict(form.fields["preferred_language"].choices)
    assert choices["es"] == "Español" and choices["hmn"] == "Hmoob"
    assert choices["Klingon"] == "Klingon"
    page = cast.client_for("leader").get(member.get_absolute_url()).text
    assert "Klingon (not a language we know" in page
    member.preferred_language = "es"
    member.save()
    page = cast.client_for("leader").get(member.get_absolute_url()).text
    assert '<span lang="es">Español</span>' in page


def test_the_member_list_filters_by_language_code_named_in_itself(cast):
    f.make_member(cast.building_a, preferred_language="es", first_name="Lucia")
    f.make_member(cast.building_a, preferred_language="vi", first_name="Minh")
    client = cast.client_for("leader")
    page = client.get(reverse("campaigns:members")).text
    assert '<option value="es">Español</option>' in page
    filtered = client.get(reverse("campaigns:members"), {"language": "es"}).text
    assert "Lucia" in filtered and "Minh" not in filtered


@time_machine.travel(EVENING, tick=False)
def test_an_rsvp_from_the_spanish_page_is_confirmed_in_spanish(cast):
    from tests.actions.test_rsvp import form_data, later

    starts = datetime(2026, 12, 2, 18, 0, tzinfo=PACIFIC)
    action = make_action(cast.campaign, title="Rally", starts_at=starts, is_public=True)
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    url = reverse("actions:rsvp", args=[action.pk])
    data = form_data(client, url, name="Lucía", email="lucia@example.org")
    with later():
        assert client.post(url, data).status_code == 302
    reminders.send_due()
    [message] = [m for m in mail.outbox if m.to == ["lucia@example.org"]]
    assert "miércoles 2 de diciembre de 2026" in message.body
    assert "dijo que viene a esta acción" in message.body
    assert '<html lang="es">' in _html(message)
