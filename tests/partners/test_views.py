"""Partner organisations, listening sessions, support and the portal, as each person."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from demands.models import Demand
from partners.models import Contact, Finding, ListeningSession, Organisation, Support
from tests import factories as f
from tests.demands.factories import make_demand

from .factories import JPEG, PDF, PNG, make_finding, make_session, make_support

pytestmark = pytest.mark.django_db

ORG_READ = {
    "anonymous": 302,
    "leader": 200,
    "steward_a": 404,
    "steward_b": 404,
    "partner_x": 200,
    "partner_y": 404,
    "other_leader": 404,
}


def test_a_leader_adds_an_organisation_and_a_duplicate_name_is_refused(cast):
    client = cast.client_for("leader")
    data = {"name": "Del Paso Heights Tenants Union", "kind": "tenants", "stage": "identified"}
    assert client.post(reverse("partners:create"), data).status_code == 302
    again = client.post(reverse("partners:create"), data)
    assert "already listed" in again.content.decode()
    assert Organisation.objects.filter(name=data["name"]).count() == 1
    assert cast.client_for("partner_x").get(reverse("partners:create")).status_code == 403


def test_member_names_in_community_mapping_are_for_leaders_only(cast):
    member = f.make_member(cast.building_a, first_name="Keisha", last_name="Moua")
    cast.organisation_x.known_by.add(member)
    leader_page = cast.client_for("leader").get(cast.organisation_x.get_absolute_url())
    assert "Keisha Moua" in leader_page.content.decode()
    partner_page = cast.client_for("partner_x").get(cast.organisation_x.get_absolute_url())
    assert "Keisha Moua" not in partner_page.content.decode()
    portal = cast.client_for("partner_x").get(reverse("partners:portal"))
    assert "Keisha Moua" not in portal.content.decode()


def test_contacts_are_added_and_removed_by_leaders(cast):
    url = reverse("partners:contact_create", args=[cast.organisation_x.pk])
    assert cast.client_for("partner_x").post(url, {"name": "Rosa"}).status_code == 403
    invalid = cast.client_for("leader").post(url, {"name": ""})
    assert invalid.status_code == 400
    cast.client_for("leader").post(
        url, {"name": "Rosa Diaz", "role": "Chair", "email": "rosa@parents.example"}
    )
    contact = Contact.objects.get()
    assert (
        cast.client_for("partner_y")
        .post(reverse("partners:contact_delete", args=[contact.pk]))
        .status_code
        == 404
    )
    cast.client_for("leader").post(reverse("partners:contact_delete", args=[contact.pk]))
    assert not Contact.objects.exists()


def test_partner_list_redirects_partner_people_to_their_portal(cast):
    response = cast.client_for("partner_x").get(reverse("partners:list"))
    assert response["Location"] == reverse("partners:portal")
    leader_list = cast.client_for("leader").get(reverse("partners:list")).content.decode()
    assert "Organisation X Parents" in leader_list
    other = cast.client_for("other_leader").get(reverse("partners:list")).content.decode()
    assert "Organisation X Parents" not in other


def test_partner_list_query_count_is_constant(cast):
    client = cast.client_for("leader")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("partners:list"))
        return len(ctx)

    small = count()
    for _ in range(27):
        org = f.make_organisation(cast.local)
        make_session(org)
        make_support(org, cast.campaign)
    assert count() == small


# Listening sessions ---------------------------------------------------------------------


SESSION = {
    "title": "Tenants' meeting",
    "kind": "meeting",
    "held_on": "2026-02-10",
    "attendance": 25,
}


@pytest.mark.parametrize(
    "who,status",
    [
        ("leader", 302),
        ("partner_x", 302),
        ("partner_y", 404),
        ("steward_a", 404),
        ("other_leader", 404),
        ("anonymous", 302),
    ],
)
def test_who_records_a_listening_session(cast, who, status):
    url = reverse("partners:session_create", args=[cast.organisation_x.pk])
    response = cast.client_for(who).post(url, SESSION)
    assert response.status_code == status
    assert ListeningSession.objects.exists() == (who in {"leader", "partner_x"})


def test_a_session_without_a_date_is_refused(cast):
    url = reverse("partners:session_create", args=[cast.organisation_x.pk])
    response = cast.client_for("partner_x").post(url, {**SESSION, "held_on": ""})
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    assert not ListeningSession.objects.exists()


def test_a_finding_becomes_a_draft_demand_that_keeps_the_link(cast):
    session = make_session(cast.organisation_x)
    cast.client_for("partner_x").post(
        reverse("partners:finding_create", args=[session.pk]),
        {"kind": "problem", "text": "Families in motels lose their school bus stop."},
    )
    finding = Finding.objects.get()
    assert (
        cast.client_for("partner_y")
        .post(reverse("demands:from_finding", args=[finding.pk]), {"campaign": cast.campaign.pk})
        .status_code
        == 404
    )
    response = cast.client_for("partner_x").post(
        reverse("demands:from_finding", args=[finding.pk]), {"campaign": cast.campaign.pk}
    )
    demand = Demand.objects.get()
    assert response["Location"] == reverse("demands:edit", args=[demand.pk])
    assert demand.source_finding == finding
    assert demand.problem == "Families in motels lose their school bus stop."
    assert list(demand.coauthors.all()) == [cast.organisation_x]
    assert demand.status == Demand.Status.DRAFT
    detail = cast.client_for("leader").get(demand.get_absolute_url()).content.decode()
    assert "Where this demand came from" in detail
    assert "listening session of Organisation X Parents" in detail
    session_page = cast.client_for("partner_x").get(session.get_absolute_url()).content.decode()
    assert "Became the demand" in session_page
    again = cast.client_for("partner_x").post(
        reverse("demands:from_finding", args=[finding.pk]), {"campaign": cast.campaign.pk}
    )
    assert again["Location"] == demand.get_absolute_url()
    assert Demand.objects.count() == 1


def test_an_empty_finding_is_refused(cast):
    session = make_session(cast.organisation_x)
    response = cast.client_for("leader").post(
        reverse("partners:finding_create", args=[session.pk]),
        {"kind": "problem", "text": ""},
        follow=True,
    )
    assert "Write what people said" in response.content.decode()
    assert not Finding.objects.exists()


# Support and uploads --------------------------------------------------------------------


def support_data(cast, content: bytes, name: str = "letter.pdf", content_type="application/pdf"):
    return {
        "campaign": cast.campaign.pk,
        "kind": "resolution",
        "title": "North Highlands resolution",
        "received_on": "2026-05-01",
        "document": SimpleUploadedFile(name, content, content_type=content_type),
    }


@pytest.mark.parametrize(
    "content,expected", [(PDF, "application/pdf"), (PNG, "image/png"), (JPEG, "image/jpeg")]
)
def test_support_documents_are_typed_by_their_content(cast, content, expected):
    url = reverse("partners:support_create", args=[cast.organisation_x.pk])
    response = cast.client_for("partner_x").post(
        url, support_data(cast, content, "scan.bin", "application/octet-stream")
    )
    assert response.status_code == 302
    assert Support.objects.get().content_type == expected


def test_a_file_that_is_not_a_pdf_or_image_is_refused_whatever_its_name(cast):
    url = reverse("partners:support_create", args=[cast.organisation_x.pk])
    response = cast.client_for("leader").post(
        url, support_data(cast, b"<html><script>x</script>", "letter.pdf")
    )
    assert response.status_code == 200
    assert "not a PDF, PNG or JPEG" in response.content.decode()
    assert (
        'value="North Highlands resolution"' in response.content.decode()
    )  # nothing typed is lost
    assert not Support.objects.exists()


def test_an_oversized_file_is_refused(cast, settings):
    url = reverse("partners:support_create", args=[cast.organisation_x.pk])
    big = PDF + b"0" * (5 * 1024 * 1024)
    response = cast.client_for("leader").post(url, support_data(cast, big))
    assert "the limit is 5 MB" in response.content.decode()
    assert not Support.objects.exists()


@pytest.mark.parametrize(
    "who,status",
    {**ORG_READ, "anonymous": 302}.items(),
)
def test_documents_are_served_only_to_people_allowed(cast, who, status):
    cast.client_for("leader").post(
        reverse("partners:support_create", args=[cast.organisation_x.pk]), support_data(cast, PDF)
    )
    support = Support.objects.get()
    response = cast.client_for(who).get(support.get_document_url())
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
    assert "/media/" not in support.get_document_url()


def test_support_is_counted_on_the_campaign_home(cast):
    make_support(cast.organisation_x, cast.campaign, kind=Support.Kind.ENDORSEMENT)
    make_support(cast.organisation_y, cast.campaign, kind=Support.Kind.RESOLUTION)
    make_support(cast.organisation_y, cast.campaign, kind=Support.Kind.RESOLUTION, title="Second")
    page = cast.client_for("steward_a").get(cast.campaign.get_absolute_url()).content.decode()
    assert "Community support" in page
    assert Support.objects.filter(campaign=cast.campaign).summary() == {
        "endorsement": 1,
        "letter": 0,
        "resolution": 2,
    }


# The portal -----------------------------------------------------------------------------


def test_the_portal_shows_the_partners_demands_sessions_and_support_only(cast):
    make_demand(cast.campaign, title="Co-authored by X", coauthors=[cast.organisation_x])
    make_demand(cast.campaign, title="Shared with X", shared_with=[cast.organisation_x])
    make_demand(cast.campaign, title="Only Y", coauthors=[cast.organisation_y])
    make_session(cast.organisation_x, title="X session")
    make_session(cast.organisation_y, title="Y session")
    make_support(cast.organisation_x, cast.campaign, title="X letter")
    make_support(cast.organisation_y, cast.campaign, title="Y letter")
    page = cast.client_for("partner_x").get(reverse("partners:portal")).content.decode()
    for text in [
        "Co-authored by X",
        "Shared with X",
        "X session",
        "X letter",
        "you co-author it",
        "shared with you for review",
        "Actions you’re invited to",
    ]:
        assert text in page, text
    for text in ["Only Y", "Y session", "Y letter"]:
        assert text not in page, text


@pytest.mark.parametrize(
    "who,status", [("leader", 403), ("steward_a", 403), ("anonymous", 302), ("partner_y", 200)]
)
def test_only_partner_people_have_a_portal(cast, who, status):
    assert cast.client_for(who).get(reverse("partners:portal")).status_code == status


def test_leaders_map_members_by_searching_without_names_in_urls(cast):
    keisha = f.make_member(cast.building_a, first_name="Keisha", last_name="Moua")
    f.make_member(cast.building_b, first_name="Luis", last_name="Yang")
    url = reverse("partners:mapping", args=[cast.organisation_x.pk])
    client = cast.client_for("leader")
    found = client.post(url, {"q": "keisha"}).content.decode()
    assert "Keisha Moua" in found and "Luis Yang" not in found
    response = client.post(url, {"member": keisha.pk})
    assert response["Location"] == url
    assert list(cast.organisation_x.known_by.all()) == [keisha]
    client.post(url, {"member": keisha.pk, "remove": "1"})
    assert not cast.organisation_x.known_by.exists()
    assert client.post(url, {"member": "x"}).status_code == 404


@pytest.mark.parametrize(
    "who,status",
    [("partner_x", 403), ("steward_a", 404), ("other_leader", 404), ("anonymous", 302)],
)
def test_only_leaders_map_members(cast, who, status):
    member = f.make_member(cast.building_a)
    url = reverse("partners:mapping", args=[cast.organisation_x.pk])
    assert cast.client_for(who).post(url, {"member": member.pk}).status_code == status
    assert cast.client_for(who).get(url).status_code == status
    assert not cast.organisation_x.known_by.exists()


def test_another_locals_member_cannot_be_mapped(cast):
    stranger = f.make_member(f.make_building(cast.other_local))
    url = reverse("partners:mapping", args=[cast.organisation_x.pk])
    assert cast.client_for("leader").post(url, {"member": stranger.pk}).status_code == 404


def test_organisation_detail_and_portal_query_counts_are_constant(cast):
    def count(who, url):
        client = cast.client_for(who)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    def grow(n):
        for i in range(n):
            session = make_session(cast.organisation_x, title=f"Session {i}")
            make_finding(session)
            make_support(cast.organisation_x, cast.campaign, title=f"Letter {i}")
            make_demand(cast.campaign, title=f"Demand {i}", coauthors=[cast.organisation_x])
            cast.organisation_x.contacts.create(name=f"Contact {i}")
            cast.organisation_x.known_by.add(f.make_member(cast.building_a))

    detail = cast.organisation_x.get_absolute_url()
    portal = reverse("partners:portal")
    grow(3)
    small = (count("leader", detail), count("partner_x", detail), count("partner_x", portal))
    grow(27)
    assert (
        count("leader", detail),
        count("partner_x", detail),
        count("partner_x", portal),
    ) == small


def test_portal_lists_the_upcoming_actions_the_organisation_is_invited_to(cast):
    from tests.actions import factories as af

    invited = af.make_action(cast.campaign, title="Packed board meeting")
    invited.invited_organisations.add(cast.organisation_x)
    af.make_action(cast.campaign, title="Steward training")
    page = cast.client_for("partner_x").get(reverse("partners:portal")).content.decode()
    assert "Packed board meeting" in page
    assert "Steward training" not in page
    other = cast.client_for("partner_y").get(reverse("partners:portal")).content.decode()
    assert "Packed board meeting" not in other
