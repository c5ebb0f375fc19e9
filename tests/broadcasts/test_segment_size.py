"""The size of a members' segment on the draft's page is cached under the roster's version,
which every committed write of a member moves: the page never shows a size the roster has
left behind, whatever wrote the members."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from broadcasts.models import RosterVersion
from campaigns.models import Member
from tests import factories as f

from .factories import make_broadcast

# The version moves as a transaction commits, so each statement here commits on its own, as
# the app's requests and jobs do.
pytestmark = pytest.mark.django_db(transaction=True)


def _size(client, broadcast) -> str:
    page = client.get(reverse("broadcasts:detail", args=[broadcast.pk])).content.decode()
    return page.split("People in the segment now</dt><dd>", 1)[1].split("</dd>", 1)[0]


def test_the_segment_size_follows_every_change_of_the_roster(cast):
    if connection.vendor != "postgresql":
        pytest.fail("the roster's version is kept by a PostgreSQL trigger: set DATABASE_URL")
    ana = f.make_member(cast.building_a, personal_email="ana@example.org")
    f.make_member(cast.building_b, personal_email="ben@example.org")
    broadcast = make_broadcast(cast.campaign)
    building = make_broadcast(cast.campaign, name="Building A", building=cast.building_a)
    client = cast.client_for("leader")
    assert (_size(client, broadcast), _size(client, building)) == ("2", "1")
    assert (_size(client, broadcast), _size(client, building)) == ("2", "1")  # from the cache

    carmen = f.make_member(cast.building_a, personal_email="carmen@example.org")
    assert (_size(client, broadcast), _size(client, building)) == ("3", "2")
    # A bulk update bypasses save(); the same address twice counts once.
    Member.objects.filter(pk=carmen.pk).update(personal_email="ANA@example.org")
    assert (_size(client, broadcast), _size(client, building)) == ("2", "1")
    Member.objects.filter(pk=carmen.pk).update(building=cast.building_b)
    assert _size(client, building) == "1"
    Member.objects.filter(pk=ana.pk).update(left_at=timezone.now())
    assert (_size(client, broadcast), _size(client, building)) == ("2", "0")
    Member.objects.filter(pk=carmen.pk).delete()
    assert _size(client, broadcast) == "1"
    # Another local's roster moves its own version only.
    before = RosterVersion.of(cast.local.pk)
    f.make_member(f.make_building(cast.other_local, "Elsewhere High"))
    assert RosterVersion.of(cast.local.pk) == before


def test_a_transaction_moves_the_version_once_for_each_local_it_wrote(cast):
    before = RosterVersion.of(cast.local.pk)
    with transaction.atomic():
        for _ in range(3):
            f.make_member(cast.building_a)
        Member.objects.filter(local=cast.local).update(tags="red")
        assert RosterVersion.of(cast.local.pk) == before  # until it commits
    assert RosterVersion.of(cast.local.pk) == before + 1
    Member.objects.filter(local=cast.local).update(tags="red")  # no change: no new version
    assert RosterVersion.of(cast.local.pk) == before + 1
