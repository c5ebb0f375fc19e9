"""The member list at any size: one search box for names (either order), employee ids, emails,
phones and building names; filters that combine; sortable columns; numbered pages; and the
export of exactly the filtered, sorted list."""

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Member, StructureTestParticipation
from tests import factories as f
from tests.conftest import ROLES

from .factories import make_test

URL = reverse("campaigns:members")


@pytest.fixture
def people(cast):
    now = timezone.now()
    return {
        "ana": f.make_member(
            cast.building_a,
            first_name="Ána",
            last_name="López",
            employee_id="E123456",
            work_email="ana.lopez@district.example",
            personal_email="ana@home.example",
            phone="+19165550142",
            support_level=1,
            preferred_language="es",
            last_contacted_at=now - timedelta(days=3),
        ),
        "bo": f.make_member(
            cast.building_a,
            first_name="Bo",
            last_name="Chen",
            employee_id="E777001",
            support_level=3,
            last_contacted_at=now - timedelta(days=60),
        ),
        "cy": f.make_member(cast.building_b, first_name="Cy", last_name="Adams", support_level=1),
        "gone": f.make_member(
            cast.building_a, first_name="Dee", last_name="Gone", left_at=now, support_level=1
        ),
    }


def found(query: str) -> set[str]:
    return set(Member.objects.search(query).values_list("first_name", flat=True))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Ána López", {"Ána"}),
        ("lopez ana", {"Ána"}),
        ("López, Ána", {"Ána"}),
        ("ANA LOP", {"Ána"}),
        ("opez", {"Ána"}),
        ("E123456", {"Ána"}),
        ("123", {"Ána"}),
        ("e7770", {"Bo"}),
        ("ANA.LOPEZ@district", {"Ána"}),
        ("ana@home", {"Ána"}),
        ("(916) 555-0142", {"Ána"}),
        ("916.555.0142", {"Ána"}),
        ("+1 916 555 0142", {"Ána"}),
        ("555-0142", {"Ána"}),
        ("building b", {"Cy"}),
        ("Building A Elementary", {"Ána", "Bo", "Dee"}),
        ("ana chen", set()),
        ("0000", set()),
    ],
)
def test_one_search_box_finds_names_ids_emails_phones_and_buildings(people, query, expected):
    assert found(query) == expected


def test_list_hides_leavers_unless_asked(cast, people):
    client = cast.client_for("leader")
    assert "Dee Gone" not in client.get(URL).text
    assert "Dee Gone" in client.get(URL, {"left": "1"}).text
    only = client.get(URL, {"left": "only"}).text
    assert "Dee Gone" in only and "Bo Chen" not in only


def test_filters_combine(cast, people):
    client = cast.client_for("leader")
    page = client.get(URL, {"building": cast.building_a.pk, "level": "1"}).text
    assert "Ána López" in page and "Bo Chen" not in page and "Cy Adams" not in page
    assert "Bo Chen" in client.get(URL, {"contact": "over"}).text
    assert "Ána López" not in client.get(URL, {"contact": "over"}).text
    assert "Ána López" in client.get(URL, {"contact": "within"}).text
    never = client.get(URL, {"contact": "never"}).text
    assert "Cy Adams" in never and "Bo Chen" not in never
    spanish = client.get(URL, {"language": "es"}).text
    assert "Ána López" in spanish and "Bo Chen" not in spanish


def test_structure_test_filter_both_ways(cast, people):
    test = make_test(cast.campaign)
    StructureTestParticipation.objects.create(test=test, member=people["bo"])
    client = cast.client_for("leader")
    took = client.get(URL, {"test": str(test.pk)}).text
    assert "Bo Chen" in took and "Ána López" not in took
    did_not = client.get(URL, {"test": f"not-{test.pk}"}).text
    assert "Bo Chen" not in did_not and "Ána López" in did_not


def test_a_filter_from_an_old_link_is_ignored_not_an_error(cast, people):
    response = cast.client_for("leader").get(URL, {"building": "999999", "level": "9"})
    assert response.status_code == 200
    assert "Ána López" in response.text


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("name", ["Cy", "Bo", "Ána"]),
        ("-name", ["Ána", "Bo", "Cy"]),
        ("support", ["Cy", "Ána", "Bo"]),
        ("-support", ["Bo", "Cy", "Ána"]),
        ("contact", ["Cy", "Bo", "Ána"]),
        ("-contact", ["Ána", "Bo", "Cy"]),
        ("building", ["Bo", "Ána", "Cy"]),
        ("nonsense", ["Cy", "Bo", "Ána"]),
    ],
)
def test_columns_sort_both_ways(cast, people, sort, order):
    page = cast.client_for("leader").get(URL, {"sort": sort})
    names = [m.first_name for m in page.context["page"].object_list]
    assert names == order


def test_sort_links_keep_the_filters_and_turn_the_order_around(cast, people):
    page = cast.client_for("leader").get(URL, {"level": "1", "sort": "name", "page": "1"}).text
    assert 'aria-sort="ascending"' in page
    assert "?level=1&amp;sort=-name" in page
    assert "?level=1&amp;sort=support" in page


def test_pages_are_numbered_with_first_last_and_neighbours(cast):
    for n in range(50 * 12):
        f.make_member(cast.building_a, first_name=f"P{n:04d}", last_name="Paged")
    page = cast.client_for("leader").get(URL, {"q": "paged", "page": "6"}).text
    for number in (1, 4, 5, 7, 8, 12):
        assert f'q=paged&amp;page={number}"' in page
    assert 'page=2"' not in page and 'page=10"' not in page
    assert page.count("…") == 2
    assert 'aria-current="page">6<' in page


def test_empty_states_tell_filters_from_no_members(cast):
    client = cast.client_for("leader")
    assert "No members yet" in client.get(URL).text
    f.make_member(cast.building_a)
    page = client.get(URL, {"q": "nobody-at-all"}).text
    assert "No members match these filters." in page


def _csv(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(content, newline="")))


def test_export_is_exactly_the_filtered_sorted_list(cast, people):
    client = cast.client_for("leader")
    params = {"building": cast.building_a.pk, "level": "1", "sort": "-name"}
    page = client.get(URL, params).text
    assert "Export 1 member:" in page
    assert f"/campaigns/members/export/?building={cast.building_a.pk}&amp;level=1" in page
    rows = _csv(client.get(reverse("campaigns:member_export"), params))
    assert [row[1] for row in rows[1:]] == ["Ána"]
    rows = _csv(client.get(reverse("campaigns:member_export"), {"sort": "-name"}))
    assert [row[1] for row in rows[1:]] == ["Ána", "Bo", "Cy"]
    rows = _csv(client.get(reverse("campaigns:member_export"), {"left": "1"}))
    assert {row[1] for row in rows[1:]} == {"Ána", "Bo", "Cy", "Dee"}


def test_excel_export_is_the_filtered_list_too(cast, people):
    response = cast.client_for("leader").get(
        reverse("campaigns:member_export_xlsx"), {"q": "lopez"}
    )
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
    assert [row[1] for row in rows[1:]] == ["Ána"]
    assert rows[1][5] == "(916) 555-0142"


def test_export_neutralises_formulas_in_both_formats(cast):
    f.make_member(cast.building_a, first_name="=1+2", last_name="@SUM(A1)", tags="x")
    client = cast.client_for("leader")
    rows = _csv(client.get(reverse("campaigns:member_export")))
    assert rows[1][1:3] == ["'=1+2", "'@SUM(A1)"]
    response = client.get(reverse("campaigns:member_export_xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["B2"].value == "'=1+2" and sheet["B2"].data_type == "s"


@pytest.mark.parametrize("role", ROLES)
def test_list_and_export_as_each_role(cast, people, role):
    client = cast.client_for(role)
    listed = client.get(URL, {"left": "1"})
    exported = client.get(reverse("campaigns:member_export"), {"left": "1"})
    if role == "anonymous":
        assert listed.status_code == exported.status_code == 302
        return
    if role in {"partner_x", "partner_y"}:
        assert listed.status_code == exported.status_code == 403
        return
    sees = {
        "leader": {"Ána", "Bo", "Cy", "Dee"},
        "steward_a": {"Ána", "Bo", "Dee"},
        "steward_b": {"Cy"},
        "other_leader": set(),
    }[role]
    assert {m.first_name for m in listed.context["page"].object_list} == sees
    assert {row[1] for row in _csv(exported)[1:]} == sees
    # A steward's search never reaches past their buildings, whatever it matches.
    searched = client.get(URL, {"q": "Building B"}).context["page"].object_list
    assert {m.first_name for m in searched} == sees & {"Cy"}


def _queries(client, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params)
        assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "Last Paged", "sort": "-contact"},
        {"level": "1", "contact": "over", "language": "es", "left": "1", "sort": "building"},
    ],
)
def test_the_list_takes_as_many_queries_at_any_size(cast, params):
    client = cast.client_for("leader")
    test = make_test(cast.campaign)
    params = {**params, "test": str(test.pk)} if "level" in params else params

    def grow(count):
        for n in range(count):
            building = f.make_building(cast.local)
            f.make_member(building, last_name="Paged", support_level=1, preferred_language=f"L{n}")

    grow(2)
    small = _queries(client, params)
    grow(60)
    assert _queries(client, params) == small


def test_the_list_speaks_spanish(cast, people):
    page = cast.client_for("leader").get(URL, HTTP_ACCEPT_LANGUAGE="es").text
    for words in ("Miembros actuales", "Último contacto", "Exportar", "Prueba de estructura"):
        assert words in page
