"""The steward's phone page has a "Text" button per member that opens the phone's messaging
app with the leaders' text; the app itself sends nothing."""

import pytest
from django.urls import reverse

from broadcasts.models import BroadcastSettings
from broadcasts.texting import sms_uri
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_text_button_opens_the_phone_with_the_leaders_message(cast):
    BroadcastSettings.objects.create(
        local=cast.local, text_template="Hi {first_name}, the board meets Thursday & we need you"
    )
    f.make_member(cast.building_a, first_name="Ana", phone="(916) 555-0101")
    f.make_member(cast.building_a, first_name="Nophone")
    page = cast.client_for("steward_a").get(
        reverse("campaigns:building_organize", args=[cast.building_a.pk])
    )
    text = page.content.decode()
    assert (
        'href="sms:+19165550101?body=Hi%20Ana%2C%20the%20board%20meets%20Thursday%20%26%20we'
        '%20need%20you"' in text
    )
    assert text.count('href="sms:') == 1


def test_no_button_without_a_template(cast):
    f.make_member(cast.building_a, phone="(916) 555-0101")
    page = cast.client_for("steward_a").get(
        reverse("campaigns:building_organize", args=[cast.building_a.pk])
    )
    assert 'href="sms:' not in page.content.decode()


def test_a_number_that_would_not_dial_gives_no_link():
    assert sms_uri("not a number", "Hi") == ""
