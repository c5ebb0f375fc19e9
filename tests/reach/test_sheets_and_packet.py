"""Paper sheets (duplicates shown before saving, who entered them, a partner's credited to
its organisation), the team's petition pages per role, and the delivery packet, which holds
names and ZIP codes only."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from reach.models import Signature, Supporter

from .factories import make_petition

pytestmark = pytest.mark.django_db


def sheet(rows, *, save=False) -> dict:
    data = {"row-TOTAL_FORMS": str(len(rows)), "row-INITIAL_FORMS": "0"}
    for n, row in enumerate(rows):
        for key, value in row.items():
            data[f"row-{n}-{key}"] = value
    data["save" if save else "check"] = "1"
    return data


def test_the_sheet_offers_ten_blank_lines_without_javascript(cast):
    petition = make_petition(cast.campaign)
    page = cast.client_for("steward_a").get(reverse("reach:paper", args=[petition.pk]))
    html = page.content.decode()
    assert html.count('name="row-') >= 40  # ten rows of four boxes
    assert 'name="row-9-name"' in html and 'name="row-10-name"' not in html


def test_checking_a_sheet_shows_duplicates_before_anything_is_saved(cast):
    petition = make_petition(cast.campaign)
    petition.add_paper_signatures(
        [{"name": "Ana Reyes", "email": "ana@example.org", "postcode": "95815"}],
        by=cast.leader,
    )
    rows = [
        {"name": "Ana Reyes", "email": "ANA@example.org", "postcode": "95815"},  # signed
        {"name": "Lee Park", "email": "", "postcode": "95820"},
        {"name": "lee  park", "email": "", "postcode": "95820"},  # same as row 2
        {"name": "Sam Ortiz", "email": "sam@example.org", "postcode": "95821"},
    ]
    client = cast.client_for("steward_a")
    url = reverse("reach:paper", args=[petition.pk])
    checked = client.post(url, sheet(rows))
    html = checked.content.decode()
    assert "Already signed" in html and "Same person as row 2" in html
    assert "Save 2 signatures" in html
    assert Signature.objects.filter(petition=petition).count() == 1
    saved = client.post(url, sheet(rows, save=True))
    assert saved.status_code == 302
    paper = Signature.objects.filter(petition=petition).exclude(supporter__email="ana@example.org")
    assert paper.count() == 2
    assert {s.entered_by for s in paper} == {cast.steward_a}
    assert {s.source for s in paper} == {"paper"}
    assert all(s.is_counted for s in paper)
    assert petition.counts() == {"total": 3, "online": 0, "paper": 3}


def test_a_row_without_a_name_is_refused_and_nothing_is_saved(cast):
    petition = make_petition(cast.campaign)
    url = reverse("reach:paper", args=[petition.pk])
    response = cast.client_for("leader").post(
        url, sheet([{"name": "", "email": "x@example.org"}], save=True)
    )
    assert response.status_code == 200 and "Write the signer" in response.content.decode()
    assert not Signature.objects.exists()


def test_a_partners_sheet_is_credited_to_its_organisation(cast):
    petition = make_petition(cast.campaign)
    url = reverse("reach:paper", args=[petition.pk])
    cast.client_for("partner_x").post(
        url, sheet([{"name": "Pat Parent", "email": "pat@example.org"}], save=True)
    )
    supporter = Supporter.objects.get()
    assert supporter.brought_by == cast.organisation_x
    assert Signature.objects.get().entered_by == cast.partner_x
    detail = cast.client_for("partner_x").get(petition.get_absolute_url()).content.decode()
    assert "Pat Parent" in detail
    assert (
        "Pat Parent"
        not in cast.client_for("partner_y").get(petition.get_absolute_url()).content.decode()
    )
    assert (
        "Pat Parent"
        not in cast.client_for("steward_a").get(petition.get_absolute_url()).content.decode()
    )


def test_a_partner_sees_its_referral_link_and_a_steward_none(cast):
    petition = make_petition(cast.campaign)
    partner = cast.client_for("partner_x").get(petition.get_absolute_url()).content.decode()
    assert "?via=" in partner
    steward = cast.client_for("steward_a").get(petition.get_absolute_url()).content.decode()
    assert "?via=" not in steward


def test_partners_do_not_see_drafts(cast):
    draft = make_petition(cast.campaign, published=False)
    assert cast.client_for("partner_x").get(draft.get_absolute_url()).status_code == 404
    assert cast.client_for("steward_a").get(draft.get_absolute_url()).status_code == 200


def _signed(cast, petition):
    signature = petition.sign_online(
        name="Ana Reyes", email="ana@example.org", phone="+19165550177", postcode="95815"
    )
    signature.confirm()
    petition.add_paper_signatures(
        [{"name": "Lee Park", "email": "lee@example.org", "phone": "916-555-0188",
          "postcode": "95820"}],
        by=cast.steward_a,
    )  # fmt: skip


def test_the_packet_pdf_holds_names_and_zip_codes_never_emails_or_phones(cast):
    petition = make_petition(cast.campaign)
    _signed(cast, petition)
    response = cast.client_for("leader").get(reverse("reach:packet_pdf", args=[petition.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Fund counselors in every school" in text
    assert "Ana Reyes" in text and "Lee Park" in text and "95820" in text
    assert "example.org" not in text and "0177" not in text and "0188" not in text


def test_the_packet_csv_has_the_same_columns(cast):
    petition = make_petition(cast.campaign)
    _signed(cast, petition)
    response = cast.client_for("leader").get(reverse("reach:packet_csv", args=[petition.pk]))
    body = response.content.decode()
    assert body.splitlines()[0] == "Full name,ZIP code,Source"
    assert "Ana Reyes,95815,On line" in body and "Lee Park,95820,On paper" in body
    assert "example.org" not in body and "0177" not in body and "0188" not in body


def test_a_name_written_like_a_formula_stays_text_in_the_csv(cast):
    petition = make_petition(cast.campaign)
    petition.add_paper_signatures([{"name": "=HYPERLINK(1)", "postcode": ""}], by=cast.leader)
    body = (
        cast.client_for("leader")
        .get(reverse("reach:packet_csv", args=[petition.pk]))
        .content.decode()
    )
    assert "'=HYPERLINK(1)" in body


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", ["detail", "public", "paper", "list"])
def test_queries_do_not_grow_with_the_signatures(cast, page):
    petition = make_petition(cast.campaign)
    client = cast.client_for("anonymous" if page == "public" else "leader")
    url = {
        "detail": petition.get_absolute_url(),
        "public": petition.get_public_url(),
        "paper": reverse("reach:paper", args=[petition.pk]),
        "list": reverse("reach:petitions"),
    }[page]
    rows = [{"name": f"Signer {n}", "email": f"s{n}@example.org"} for n in range(3)]
    petition.add_paper_signatures(rows, by=cast.leader)
    few = _queries(client, url)
    rows = [{"name": f"Signer {n}", "email": f"s{n}@example.org"} for n in range(3, 60)]
    petition.add_paper_signatures(rows, by=cast.leader)
    make_petition(cast.campaign)
    assert _queries(client, url) == few
