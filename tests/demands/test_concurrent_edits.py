"""Power-map targets: a stale save gets the merge page and loses nothing."""

import pytest
from django.test import Client
from django.urls import reverse

from demands.models import Target
from tests import factories as f
from tests.forms import save_merge, stale_save

pytestmark = pytest.mark.django_db


def test_stale_target_save_keeps_the_power_another_leader_set(cast):
    target = Target.objects.create(campaign=cast.campaign, name="School board", power=3)
    second = Client()
    second.force_login(f.make_leader(cast.local))
    url = reverse("demands:target_edit", args=[target.pk])
    stale = stale_save(
        cast.client_for("leader"),
        second,
        url,
        {"power": "5"},
        {"cares_about": "Re-election in November."},
    )
    target.refresh_from_db()
    assert target.power == 5
    assert target.cares_about == ""
    save_merge(second, url, stale)
    target.refresh_from_db()
    assert (target.power, target.cares_about) == (5, "Re-election in November.")
