"""Power-map targets and the campaign's adoption rule: a stale save gets the merge page and
loses nothing."""

import pytest
from django.test import Client
from django.urls import reverse

from demands.models import AdoptionRule, Target
from tests import factories as f
from tests.forms import form_data, save_merge, stale_save

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


def _second_leader(cast) -> Client:
    second = Client()
    second.force_login(f.make_leader(cast.local))
    return second


def test_two_leaders_setting_the_adoption_rule_the_second_gets_the_merge_page(cast):
    AdoptionRule.objects.create(campaign=cast.campaign, min_agreeing_percent=50)
    url = reverse("demands:adoption_rule", args=[cast.campaign.slug])
    second = _second_leader(cast)
    stale = stale_save(
        cast.client_for("leader"),
        second,
        url,
        {"min_agreeing_percent": "75"},
        {"min_agreeing_percent": "60"},
    )
    assert stale.status_code == 409
    page = stale.content.decode()
    assert "Someone else saved this while you were editing." in page
    assert 'name="keep_min_agreeing_percent"' in page
    rule = AdoptionRule.objects.get()
    assert (rule.min_agreeing_percent, rule.version) == (75, 2)
    save_merge(second, url, stale, min_agreeing_percent="theirs")
    assert AdoptionRule.objects.get().min_agreeing_percent == 75
    # Saved now from the current version, a change goes through and records who made it.
    again = Client()
    again.force_login(cast.leader)
    data = form_data(again.get(url))
    assert again.post(url, {**data, "min_agreeing_percent": "80"}).status_code == 302
    rule = AdoptionRule.objects.get()
    assert (rule.min_agreeing_percent, rule.updated_by) == (80, cast.leader)


def test_two_leaders_creating_the_first_rule_at_once_do_not_both_create_it(cast):
    url = reverse("demands:adoption_rule", args=[cast.campaign.slug])
    second = _second_leader(cast)
    stale = stale_save(
        cast.client_for("leader"),
        second,
        url,
        {"min_agreeing_percent": "70"},
        {"min_agreeing_percent": "40"},
    )
    assert stale.status_code == 409
    assert AdoptionRule.objects.get().min_agreeing_percent == 70
    save_merge(second, url, stale)  # the merge page keeps what this leader typed
    assert AdoptionRule.objects.get().min_agreeing_percent == 40
