"""Who may comment on a demand: its local's leaders and the partners it reached, no one else."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Membership, Role
from demands.models import DemandComment
from tests import factories as f

from .factories import make_demand

pytestmark = pytest.mark.django_db


def _comment(client, demand):
    return client.post(reverse("demands:comment", args=[demand.pk]), {"body": "We can help."})


def test_a_steward_who_is_a_partner_elsewhere_cannot_comment_here(cast):
    demand = make_demand(cast.campaign)
    person = cast.steward_a
    elsewhere = f.make_organisation(cast.other_local)
    Membership.objects.create(
        user=person, local=cast.other_local, role=Role.PARTNER, organisation=elsewhere
    )
    client = Client()
    client.force_login(person)

    page = client.get(demand.get_absolute_url())
    assert page.status_code == 200
    assert "Add comment" not in page.content.decode()
    assert _comment(client, demand).status_code == 403
    assert not DemandComment.objects.exists()


def test_a_partner_comments_only_on_demands_shared_with_their_organisation(cast):
    shared = make_demand(cast.campaign)
    shared.shared_with.add(cast.organisation_x)
    other = make_demand(cast.campaign)
    other.shared_with.add(cast.organisation_y)
    partner = cast.client_for("partner_x")

    assert _comment(partner, shared).status_code == 302
    assert _comment(partner, other).status_code == 404
    assert list(DemandComment.objects.values_list("demand_id", flat=True)) == [shared.pk]


def test_a_leader_and_a_coauthor_comment(cast):
    demand = make_demand(cast.campaign)
    demand.coauthors.add(cast.organisation_y)
    assert _comment(cast.client_for("leader"), demand).status_code == 302
    assert _comment(cast.client_for("partner_y"), demand).status_code == 302
    assert _comment(cast.client_for("steward_a"), demand).status_code == 403
