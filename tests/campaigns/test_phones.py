"""Phone numbers are stored in E.164, shown in national format, and their tel: links dial."""

import time
from importlib import import_module
from pathlib import Path
from unittest import mock

import pytest
from django.apps import apps as global_apps
from django.template import Context, Template
from django.urls import reverse

from actions.models import Rsvp
from campaigns import roster
from campaigns.phones import display_phone, normalise_phone, tel_uri
from partners.models import Contact
from tests import factories as f
from tests.actions.factories import make_action

from .factories import roster_csv


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("(916) 555-1234", "+19165551234"),
        ("916.555.1234", "+19165551234"),
        ("1-916-555-1234", "+19165551234"),
        ("+1 916 555 1234", "+19165551234"),
        ("916 555 1234 x12", "+19165551234;ext=12"),
        ("+44 20 7946 0958", "+442079460958"),
        ("555-0101", "555-0101"),  # not a number one can dial: kept as typed
        ("", ""),
    ],
)
def test_numbers_are_normalised_to_e164(typed, stored):
    assert normalise_phone(typed) == stored


def test_the_region_comes_from_the_setting(settings):
    settings.PHONE_REGION = "GB"
    assert normalise_phone("020 7946 0958") == "+442079460958"
    assert display_phone("+442079460958") == "020 7946 0958"


def test_display_is_national_at_home_and_international_abroad():
    assert display_phone("+19165551234") == "(916) 555-1234"
    assert display_phone("+442079460958") == "+44 20 7946 0958"
    assert display_phone("call the office") == "call the office"
    assert tel_uri("+19165551234") == "tel:+19165551234"
    assert tel_uri("call the office") == ""


def test_the_template_filter_links_only_numbers_that_dial():
    template = Template("{% load campaigns_tags %}{{ number|phone_link }}")
    linked = template.render(Context({"number": "+19165551234"}))
    assert linked == '<a href="tel:+19165551234">(916) 555-1234</a>'
    assert template.render(Context({"number": "<b>555</b>"})) == "&lt;b&gt;555&lt;/b&gt;"


def test_member_page_shows_national_format_with_a_valid_tel_link(cast):
    member = f.make_member(cast.building_a, phone="+19165551234")
    response = cast.client_for("steward_a").get(reverse("campaigns:member", args=[member.pk]))
    assert '<a href="tel:+19165551234">(916) 555-1234</a>' in response.text


def test_steward_page_links_members_phones(cast):
    f.make_member(cast.building_a, phone="+19165551234")
    response = cast.client_for("steward_a").get(
        reverse("campaigns:building_organize", args=[cast.building_a.pk])
    )
    assert 'href="tel:+19165551234"' in response.text


def _member_data(member, phone):
    return {
        "first_name": member.first_name,
        "last_name": member.last_name,
        "building": member.building_id,
        "employee_id": member.employee_id,
        "work_email": member.work_email,
        "phone": phone,
    }


def test_member_form_stores_e164_and_shows_it_back_nationally(cast):
    member = f.make_member(cast.building_a)
    client = cast.client_for("leader")
    url = reverse("campaigns:member_edit", args=[member.pk])
    response = client.post(url, _member_data(member, "916.555.1234"))
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.phone == "+19165551234"
    assert 'value="(916) 555-1234"' in client.get(url).text


def test_member_form_refuses_an_invalid_number_with_a_clear_message(cast):
    member = f.make_member(cast.building_a, phone="+19165551234")
    response = cast.client_for("leader").post(
        reverse("campaigns:member_edit", args=[member.pk]), _member_data(member, "12345")
    )
    assert response.status_code == 200
    assert "is not a phone number we can dial" in response.text
    member.refresh_from_db()
    assert member.phone == "+19165551234"


def test_partner_contact_phone_is_stored_in_e164(cast):
    response = cast.client_for("leader").post(
        reverse("partners:contact_create", args=[cast.organisation_x.pk]),
        {"name": "Rosa", "phone": "(916) 555-0141"},
    )
    assert response.status_code == 302
    assert Contact.objects.get(name="Rosa").phone == "+19165550141"
    page = cast.client_for("leader").get(reverse("partners:detail", args=[cast.organisation_x.pk]))
    assert '<a href="tel:+19165550141">(916) 555-0141</a>' in page.text


def test_roster_import_normalises_phones(cast):
    content = roster_csv(
        [
            {
                "employee_id": "T0001",
                "first_name": "Ana",
                "last_name": "Lopez",
                "work_email": "t1@district.example",
                "building": "Building A Elementary",
                "job": "Classroom teacher",
                "phone": "(916) 555-0001",
            }
        ]
    )
    dataset = roster.read_roster(content)
    preview = roster.build_preview(cast.local, dataset, roster.guess_mapping(dataset.headers))
    assert preview.to_add[0]["phone"] == "+19165550001"


def _migration(app: str, name: str):
    """A migration by its name, whatever number it gets when branches are merged."""
    folder = Path(import_module(f"{app}.migrations").__file__).parent
    (path,) = folder.glob(f"*_{name}.py")
    return import_module(f"{app}.migrations.{path.stem}")


def test_the_migration_normalises_what_it_can_and_keeps_the_rest(cast):
    valid = f.make_member(cast.building_a, phone="(916) 555-1234")
    odd = f.make_member(cast.building_a, phone="ask the front office")
    contact = Contact.objects.create(
        organisation=cast.organisation_x, name="R", phone="916-555-0141"
    )
    members = _migration("campaigns", "search_phones_and_reserved_slugs")
    contacts = _migration("partners", "contact_phones_e164")
    members.normalise_phones(global_apps, None)
    contacts.normalise_phones(global_apps, None)
    valid.refresh_from_db()
    odd.refresh_from_db()
    contact.refresh_from_db()
    assert valid.phone == "+19165551234"
    assert odd.phone == "ask the front office"
    assert contact.phone == "+19165550141"


def test_a_public_rsvp_stores_its_phone_in_e164(cast, client):
    action = make_action(cast.campaign, is_public=True)
    url = reverse("actions:rsvp", args=[action.pk])
    page = client.get(url).text
    issued = page.split('name="issued" value="', 1)[1].split('"', 1)[0]
    data = {"name": "Pat", "email": "pat@example.org", "phone": "916 555 0123", "issued": issued}
    with mock.patch("actions.forms.time.time", return_value=time.time() + 5):
        assert client.post(url, data).status_code == 302
        assert Rsvp.objects.get().phone == "+19165550123"
        bad = client.post(url, {**data, "email": "other@example.org", "phone": "12"})
    assert "is not a phone number we can dial" in bad.text
