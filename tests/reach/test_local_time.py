"""A petition's last day and its signatures' times are the local's, not the server's."""

from __future__ import annotations

import pytest
from django.utils import timezone

from .factories import make_petition

pytestmark = pytest.mark.django_db


def test_a_petition_takes_signatures_all_of_its_last_local_day(cast, client, local_clock):
    petition = make_petition(cast.campaign, ends_on=local_clock.date())
    page = client.get(petition.get_public_url()).content.decode()
    assert 'name="email"' in page
    assert "Open for signatures until Sunday 29 November 2026." in page


def test_a_petition_is_closed_the_local_day_after(cast, client, local_clock):
    petition = make_petition(cast.campaign, ends_on=local_clock.date().replace(day=28))
    page = client.get(petition.get_public_url()).content.decode()
    assert "no longer takes signatures" in page


def test_the_team_reads_when_each_signature_counted_in_the_local_zone(cast, local_clock):
    petition = make_petition(cast.campaign)
    petition.add_paper_signatures([{"name": "Lee Park", "postcode": "95815"}], by=cast.leader)
    page = cast.client_for("leader").get(petition.get_absolute_url()).content.decode()
    shown = timezone.localtime(timezone.now(), local_clock.tzinfo)
    assert shown.strftime("%H:%M") in page
    assert local_clock.strftime("%H:%M") == shown.strftime("%H:%M")
