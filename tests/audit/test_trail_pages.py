"""The audit trail at any size: paged, filtered by person, record, kind and date; entries
that name their record in words and link to it, in the local's time; a bulk change as one
entry that opens into its rows."""

from __future__ import annotations

from datetime import UTC, datetime

import pghistory
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import MemberEvent
from campaigns.models import ImportBatch, Member
from campaigns.roster import parse_roster, store_sheets
from tests import factories as f

from ..conftest import ROLES
from ..forms import form_data
from ..matrix_objects import ROSTER_MAPPING

# Each statement commits on its own, as the app's requests and jobs do: the trail groups the
# changes of one transaction, and a test's single transaction would be one change.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgres():
    if connection.vendor != "postgresql":
        pytest.skip("the audit trail's triggers need PostgreSQL: set DATABASE_URL (CI does)")


def trail(cast, as_="leader", **params) -> str:
    response = cast.client_for(as_).get(reverse("audit:trail"), params)
    assert response.status_code == 200
    return response.content.decode()


def edit_member(cast, member, who="leader", **changes) -> None:
    """Change a member through the member form, as a person does."""
    client = cast.client_for(who)
    url = reverse("campaigns:member_edit", args=[member.pk])
    response = client.post(url, {**form_data(client.get(url)), **changes})
    assert response.status_code == 302, response.content.decode()[:2000]


def test_an_entry_names_the_member_in_words_and_links_to_the_member(cast):
    member = f.make_member(cast.building_a, first_name="Ana", last_name="López")
    page = trail(cast)
    assert "Member Ana López" in page
    assert reverse("campaigns:member", args=[member.pk]) in page
    assert f"#{member.pk}" not in page


def test_a_role_is_named_with_its_buildings_and_its_person(cast):
    sam = f.make_steward(cast.local, cast.building_a, first_name="Sam", last_name="Lee")
    page = trail(cast, record="role")
    assert "Role: steward of Building A Elementary for Sam Lee" in page
    assert sam.email in page  # the link to the People page searches for the person


def test_filter_by_person_shows_only_what_they_changed(cast):
    by_steward = f.make_member(cast.building_a, first_name="Bea", last_name="Cruz")
    by_leader = f.make_member(cast.building_a, first_name="Lou", last_name="Diaz")
    edit_member(cast, by_steward, who="steward_a", last_name="Cruz-Ortiz")
    edit_member(cast, by_leader, who="leader", last_name="Diaz-Moreno")
    page = trail(cast, who="steward-a@test")
    assert "Cruz-Ortiz" in page
    assert "Diaz-Moreno" not in page


def test_filter_by_record_and_kind(cast):
    member = f.make_member(cast.building_a, first_name="Kim", last_name="Nguyen")
    f.make_member(cast.building_a, first_name="Ola", last_name="Berg")
    Member.objects.filter(pk=member.pk).update(support_level=1)
    one = trail(cast, record="member", id=member.pk)
    assert "Member Kim Nguyen" in one
    assert "Member Ola Berg" not in one
    assert "Only the changes of one record" in one
    changed = trail(cast, record="member", kind="update")
    assert "Member Kim Nguyen" in changed
    assert "Member Ola Berg" not in changed


def test_filter_by_dates_reads_the_locals_days(cast):
    old = f.make_member(cast.building_a, first_name="Old", last_name="Change")
    f.make_member(cast.building_a, first_name="New", last_name="Change")
    # 03:00 on 2 November in UTC is still 1 November in California, the local's zone.
    MemberEvent.objects.filter(pgh_obj_id=old.pk).update(
        pgh_created_at=datetime(2026, 11, 2, 3, 0, tzinfo=UTC)
    )
    page = trail(cast, since="2026-11-01", until="2026-11-01")
    assert "Member Old Change" in page
    assert "Member New Change" not in page
    assert "Member Old Change" not in trail(cast, since="2026-11-02", until="2026-11-02")


def test_times_are_shown_in_the_locals_zone(cast):
    member = f.make_member(cast.building_a, first_name="Zed", last_name="Time")
    MemberEvent.objects.filter(pgh_obj_id=member.pk).update(
        pgh_created_at=datetime(2026, 11, 2, 3, 0, tzinfo=UTC)
    )
    page = trail(cast, record="member", id=member.pk)
    assert 'datetime="2026-11-01T19:00:00-0800"' in page


def test_a_roster_import_is_one_entry_that_opens_into_its_rows(cast):
    rows = "".join(f"E9100{n:02d},Imported{n},Person\n" for n in range(12))
    roster = f"Employee ID,First Name,Last Name\n{rows}".encode()
    batch = ImportBatch(
        local=cast.local,
        uploaded_by=cast.leader,
        original_name="roster.csv",
        mapping=ROSTER_MAPPING,
        mark_missing_as_left=False,
    )
    store_sheets(batch, parse_roster(roster))
    client = cast.client_for("leader")
    client.post(reverse("campaigns:import_run", args=[batch.pk]))
    assert Member.objects.filter(first_name="Imported3").exists()
    page = trail(cast)
    assert "Roster import of" in page
    assert "Imported3" not in page  # the rows wait behind the one entry
    entry = page.split("Roster import of", 1)[0].rsplit('href="', 1)[1].split('"', 1)[0]
    rows_page = client.get(entry).content.decode()
    assert "Member Imported3 Person" in rows_page
    assert "Member Imported11 Person" in rows_page


def test_a_bulk_change_without_a_request_is_one_entry_too(cast):
    for n in range(8):
        f.make_member(cast.building_a, first_name=f"Bulk{n}", last_name="Row")
    with pghistory.context(user=cast.leader.pk):
        Member.objects.filter(last_name="Row").update(support_level=2)
    page = trail(cast, kind="update")
    assert "Bulk change of 8 rows" in page
    assert cast.leader.display_name in page


def test_the_entry_page_is_scoped_to_the_leaders_locals(cast):
    for n in range(5):
        f.make_member(cast.building_a, first_name=f"Scoped{n}", last_name="Row")
    with pghistory.context(user=cast.leader.pk):
        Member.objects.filter(last_name="Row").update(support_level=2)
    page = trail(cast, kind="update")
    url = page.split("Bulk change of", 1)[0].rsplit('href="', 1)[1].split('"', 1)[0]
    assert url.startswith("/audit/changes/")
    expected = {
        "anonymous": 302,
        "leader": 200,
        "steward_a": 403,
        "steward_b": 403,
        "partner_x": 403,
        "partner_y": 403,
        "other_leader": 404,
    }
    for who in ROLES:
        assert cast.client_for(who).get(url).status_code == expected[who], who


def test_the_trail_is_paged(cast):
    for n in range(30):
        f.make_member(cast.building_a, first_name=f"Paged{n}")
    page = trail(cast, record="member")
    assert "Page 1 of 2" in page
    assert "Page 2 of 2" in trail(cast, record="member", page=2)


def test_the_trail_runs_the_same_queries_at_two_sizes(cast):
    client = cast.client_for("leader")

    def changes(n):
        # The newest page holds the same mix at both sizes: a bulk change and single ones.
        for _ in range(n):
            member = f.make_member(cast.building_a)
            Member.objects.filter(pk=member.pk).update(support_level=3)
        with pghistory.context(user=cast.leader.pk):
            Member.objects.update(support_level=4)

    changes(15)
    client.get(reverse("audit:trail"))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("audit:trail"))
    changes(40)
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("audit:trail"))
    assert len(large) == len(small)
