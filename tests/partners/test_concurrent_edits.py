"""Organisations and listening sessions: a stale save gets the merge page and loses nothing."""

import pytest
from django.test import Client
from django.urls import reverse

from partners.models import Organisation
from tests import factories as f
from tests.forms import save_merge, stale_save

from .factories import make_session

pytestmark = pytest.mark.django_db


def test_stale_organisation_save_keeps_the_stage_another_leader_set(cast):
    organisation = cast.organisation_x
    second = Client()
    second.force_login(f.make_leader(cast.local))
    url = reverse("partners:edit", args=[organisation.pk])
    stage = Organisation.Stage.values[-1]
    stale = stale_save(
        cast.client_for("leader"),
        second,
        url,
        {"stage": stage},
        {"cares_about": "Class sizes and school nurses."},
    )
    organisation.refresh_from_db()
    assert organisation.stage == stage
    assert organisation.cares_about != "Class sizes and school nurses."
    save_merge(second, url, stale)
    organisation.refresh_from_db()
    assert (organisation.stage, organisation.cares_about) == (
        stage,
        "Class sizes and school nurses.",
    )


def test_leaders_stale_session_form_keeps_the_attendance_the_partner_recorded(cast):
    session = make_session(cast.organisation_x, attendance=40, place="")
    url = reverse("partners:session_edit", args=[session.pk])
    leader = cast.client_for("leader")
    stale = stale_save(
        cast.client_for("partner_x"), leader, url, {"attendance": "62"}, {"place": "Library"}
    )
    session.refresh_from_db()
    assert session.attendance == 62
    save_merge(leader, url, stale)
    session.refresh_from_db()
    assert (session.attendance, session.place) == (62, "Library")
