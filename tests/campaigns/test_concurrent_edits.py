"""Two people with the same form open: a stale save gets the merge page and loses nothing."""

import pytest
from django.urls import reverse

from campaigns.models import Member
from tests import factories as f
from tests.forms import form_data

pytestmark = pytest.mark.django_db


def test_leaders_stale_member_form_keeps_the_phone_a_steward_just_saved(cast):
    member = f.make_member(cast.building_a, phone="", notes="")
    url = reverse("campaigns:member_edit", args=[member.pk])
    leader, steward = cast.client_for("leader"), cast.client_for("steward_a")
    leaders_form = form_data(leader.get(url))
    stewards_form = form_data(steward.get(url))

    stewards_form["phone"] = "(916) 555-0134"
    assert steward.post(url, stewards_form).status_code == 302

    leaders_form["notes"] = "Wants to host a house meeting."
    stale = leader.post(url, leaders_form)

    assert stale.status_code == 409
    assert "Someone else saved this while you were editing" in stale.content.decode()
    member.refresh_from_db()
    assert member.phone == "(916) 555-0134"
    # The merge page holds both: their phone, the leader's note, ready to save.
    merged = form_data(stale)
    assert merged["phone"] == "(916) 555-0134"
    assert merged["notes"] == "Wants to host a house meeting."
    assert leader.post(url, merged).status_code == 302
    member.refresh_from_db()
    assert (member.phone, member.notes) == ("(916) 555-0134", "Wants to host a house meeting.")


def test_both_changing_the_same_field_shows_both_and_lets_the_person_keep_theirs(cast):
    member = f.make_member(cast.building_a, notes="Met once.")
    url = reverse("campaigns:member_edit", args=[member.pk])
    leader, steward = cast.client_for("leader"), cast.client_for("steward_a")
    leaders_form = form_data(leader.get(url))
    stewards_form = form_data(steward.get(url))
    stewards_form["notes"] = "Signed the petition."
    steward.post(url, stewards_form)

    leaders_form["notes"] = "Call after the board meeting."
    stale = leader.post(url, leaders_form)

    page = stale.content.decode()
    assert stale.status_code == 409
    assert "You both changed these" in page
    assert "Signed the petition." in page and "Call after the board meeting." in page
    assert "Met once." in page
    merged = form_data(stale)
    merged["keep_notes"] = "theirs"
    leader.post(url, merged)
    member.refresh_from_db()
    assert member.notes == "Signed the petition."


def test_a_save_writes_only_what_the_person_changed(cast):
    member = f.make_member(cast.building_a, phone="", notes="")
    url = reverse("campaigns:member_edit", args=[member.pk])
    leader = cast.client_for("leader")
    data = form_data(leader.get(url))
    Member.objects.filter(pk=member.pk).update(job_class="Counselor")  # e.g. a roster import
    data["notes"] = "Prefers texts."
    leader.post(url, data)
    member.refresh_from_db()
    assert member.job_class == "Counselor"
    assert member.notes == "Prefers texts."
