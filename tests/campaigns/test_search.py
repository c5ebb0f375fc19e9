"""Member search ignores case, accents and apostrophes, on the member list and the community
mapping page alike."""

import pytest

from campaigns.models import Member
from tests import factories as f


@pytest.fixture
def names(cast):
    return {
        "siobhan": f.make_member(cast.building_a, first_name="Siobhán", last_name="O'Brien"),
        "jose": f.make_member(cast.building_a, first_name="José", last_name="Núñez"),
        "curly": f.make_member(cast.building_a, first_name="Dana", last_name="D’Angelo"),
        "other": f.make_member(cast.building_a, first_name="Sam", last_name="Brown"),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Siobhan", {"siobhan"}),
        ("siobhán", {"siobhan"}),
        ("OBrien", {"siobhan"}),
        ("obrien", {"siobhan"}),
        ("O'BRIEN", {"siobhan"}),
        ("o’brien", {"siobhan"}),
        ("siobhan obrien", {"siobhan"}),
        ("jose nunez", {"jose"}),
        ("NÚÑEZ", {"jose"}),
        ("dangelo", {"curly"}),
        ("d'angelo", {"curly"}),
        ("brien", {"siobhan"}),
        ("nobody", set()),
    ],
)
def test_search_ignores_case_accents_and_apostrophes(names, query, expected):
    found = set(Member.objects.search(query).values_list("pk", flat=True))
    assert found == {names[key].pk for key in expected}


def test_search_still_finds_an_employee_id_and_a_work_email(names):
    siobhan = names["siobhan"]
    assert list(Member.objects.search(siobhan.employee_id.lower())) == [siobhan]
    assert list(Member.objects.search(siobhan.work_email.upper())) == [siobhan]


def test_member_list_search_finds_accented_names(cast, names):
    response = cast.client_for("leader").get("/campaigns/members/", {"q": "siobhan obrien"})
    assert response.status_code == 200
    assert "Siobhán" in response.text
    assert "Brown" not in response.text


def test_steward_search_stays_inside_their_buildings(cast, names):
    f.make_member(cast.building_b, first_name="Siobhan", last_name="Obrien")
    response = cast.client_for("steward_a").get("/campaigns/members/", {"q": "obrien"})
    assert response.text.count("Siobh") == 1
    response = cast.client_for("steward_b").get("/campaigns/members/", {"q": "obrien"})
    assert "Siobhán" not in response.text
    assert "Siobhan" in response.text


def test_community_mapping_search_ignores_accents_and_apostrophes(cast, names):
    url = f"/partners/{cast.organisation_x.pk}/mapping/"
    response = cast.client_for("leader").post(url, {"q": "OBRIEN"})
    assert response.status_code == 200
    assert "Siobhán" in response.text


def test_the_admin_member_search_ignores_accents_and_apostrophes(cast, names, client):
    admin = f.make_user(is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.get("/admin/campaigns/member/", {"q": "siobhan obrien"})
    assert response.status_code == 200
    assert "Siobhán" in response.text and "Brown" not in response.text


def test_the_building_filter_escapes_its_options_and_marks_the_chosen_one(cast):
    from django.urls import reverse

    odd = f.make_building(cast.local, 'Martin "Luther" King <Jr> & Sons\'')
    client = cast.client_for("leader")
    page = client.get(reverse("campaigns:members"), {"building": odd.pk}).content.decode()
    escaped = "Martin &quot;Luther&quot; King &lt;Jr&gt; &amp; Sons&#x27;"
    assert f'<option value="{odd.pk}" selected>{escaped}</option>' in page
    assert f'<option value="{cast.building_a.pk}">{cast.building_a.name}</option>' in page
    assert "<Jr>" not in page
