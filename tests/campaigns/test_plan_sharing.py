"""The campaign plan: each section is internal unless a leader shares it with partners."""

import pytest
from django.urls import reverse

from tests.forms import form_data

pytestmark = pytest.mark.django_db

PLAN = {
    "vision": "A nurse in every school.",
    "strategy": "Split the board majority before the budget vote.",
    "theory_of_target": "Trustee Reyes moves when the parish does.",
    "winning": "Ratios written into the contract.",
}


@pytest.fixture
def plan(cast):
    for name, text in PLAN.items():
        setattr(cast.campaign, name, text)
    cast.campaign.save()
    return cast.campaign


def test_partners_read_no_internal_section_by_default(cast, plan):
    page = cast.client_for("partner_x").get(plan.get_absolute_url()).content.decode()
    for text in PLAN.values():
        assert text not in page
    assert "The union has not shared its plan with partners yet." in page


@pytest.mark.parametrize("who", ["leader", "steward_a"])
def test_the_union_reads_the_whole_plan(cast, plan, who):
    page = cast.client_for(who).get(plan.get_absolute_url()).content.decode()
    for text in PLAN.values():
        assert text in page


def test_a_leader_shares_the_vision_and_partners_see_only_that(cast, plan):
    url = reverse("campaigns:plan_edit", args=[plan.slug])
    leader = cast.client_for("leader")
    data = form_data(leader.get(url))
    assert "vision_shared" not in data  # internal by default
    data["vision_shared"] = "on"
    assert leader.post(url, data).status_code == 302

    page = cast.client_for("partner_x").get(plan.get_absolute_url()).content.decode()
    assert PLAN["vision"] in page
    for name in ("strategy", "theory_of_target", "winning"):
        assert PLAN[name] not in page
    leaders_page = leader.get(plan.get_absolute_url()).content.decode()
    assert "Shared with partners" in leaders_page and "Internal" in leaders_page


def test_partners_read_the_shared_section_in_spanish(cast, plan):
    plan.vision_shared = True
    plan.save()
    client = cast.client_for("partner_x")
    page = client.get(plan.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Visión" in page
    assert PLAN["vision"] in page and PLAN["strategy"] not in page
