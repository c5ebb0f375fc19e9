"""Petitions end to end on the demo: a visitor signs in Spanish and confirms from the email; a
steward types in a paper sheet of ten signatures, one of them a duplicate, with the keyboard;
a leader downloads the delivery packet and records the delivery, which the public page and
the escalation ladder then show."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import LAPTOP, PHONE

pytestmark = pytest.mark.browser

PETITION = "/open/true-2027/petitions/counselors-in-every-school/"


def _count(page) -> int:
    return int(page.locator(".petition-count strong").inner_text().replace(",", ""))


def test_visitor_signs_in_spanish_and_confirms_from_the_email(visit, server):
    visitor = visit(PHONE, "petition-visitor")
    page = visitor.page
    page.goto("/open/true-2027/?lang=es")
    page.get_by_role("link", name="Un consejero en cada escuela").click()
    page.get_by_role("heading", name="Un consejero en cada escuela").wait_for()
    before = _count(page)
    consent = page.get_by_role("checkbox", name=re.compile("Envíenme novedades"))
    assert not consent.is_checked()
    page.get_by_label("Su nombre").fill("Lucía Fernández")
    page.get_by_label("Su correo electrónico").fill("lucia.fernandez@example.org")
    page.get_by_label("Código postal").fill("95815")
    consent.check()
    visitor.shot("filled in in spanish")
    page.wait_for_timeout(1200)
    page.get_by_role("button", name="Firmar").click()
    page.get_by_role("heading", name="Revise su correo electrónico").wait_for()
    visitor.shot("check your email")

    [email] = [m for m in server.mail() if "To: lucia.fernandez@example.org" in m]
    link = re.search(r"https?://[^\s\"]+/confirm/[^\s\"]+/", email).group(0)
    assert "lucia" not in link.lower()
    page.goto(PETITION + "?lang=es")
    assert _count(page) == before  # not counted until confirmed
    page.goto(link)
    page.get_by_role("button", name="Confirmar mi firma").click()
    page.get_by_role("heading", name="Gracias: su firma cuenta").wait_for()
    visitor.shot("confirmed")
    page.goto(PETITION + "?lang=es")
    assert _count(page) == before + 1


def test_steward_types_ten_paper_signatures_with_one_duplicate(visit, server):
    steward = visit(LAPTOP, "petition-paper")
    page = steward.page
    steward.sign_in("steward@example.org")
    page.get_by_role("link", name="Petitions").click()
    page.get_by_role("link", name="A counselor in every school").click()
    before = _count(page)
    page.get_by_role("link", name="Type in a paper sheet").click()
    rows = [(f"Paper Signer {n}", f"paper.signer{n}@example.org", "95815") for n in range(1, 10)]
    rows.append(("Paper Signer 3 again", "PAPER.SIGNER3@example.org", "95815"))  # row 3 again
    page.get_by_label("Full name").first.focus()
    for name, email, postcode in rows:
        page.keyboard.type(name)
        page.keyboard.press("Tab")
        page.keyboard.type(email)
        page.keyboard.press("Tab")
        page.keyboard.type(postcode)
        page.keyboard.press("Enter")  # to the next line (a new one after the last)
    assert page.locator("[data-paper-row]").count() == 11
    steward.shot("sheet typed in")
    page.get_by_role("button", name="Check the sheet").click()
    page.get_by_text("Same person as row 3: saved once.").wait_for()
    page.get_by_text("9 new signatures ready to save.").wait_for()
    steward.shot("duplicate shown before saving")
    page.get_by_role("button", name="Save 9 signatures").click()
    page.get_by_text("9 paper signatures saved. 1 duplicate skipped.").wait_for()
    assert _count(page) == before + 9


def test_leader_downloads_the_packet_and_records_the_delivery(visit, server):
    leader = visit(PHONE, "petition-delivery")
    page = leader.page
    leader.sign_in("leader@example.org")
    page.goto("/reach/petitions/")
    page.get_by_role("link", name="A counselor in every school").click()
    with page.expect_download() as pdf:
        page.get_by_role("link", name="Delivery packet (PDF)").click()
    assert pdf.value.suggested_filename == "counselors-in-every-school.pdf"
    with open(pdf.value.path(), "rb") as packet:
        content = packet.read()
    assert content.startswith(b"%PDF")
    with page.expect_download() as csv:
        page.get_by_role("link", name="Signers (CSV)").click()
    with open(csv.value.path(), encoding="utf-8") as rows:
        text = rows.read()
    assert text.startswith("Full name,ZIP code,Source") and "@" not in text
    page.get_by_role("link", name="Record the delivery").click()
    page.get_by_label("Delivered to").fill("Board President Ortiz, at the public meeting")
    leader.shot("delivery form")
    page.get_by_role("button", name="Record the delivery").click()
    page.get_by_text("Delivery recorded; it is on the escalation ladder").wait_for()
    leader.shot("delivered")
    page.get_by_role("link", name="on the ladder").click()
    page.get_by_role("heading", name=re.compile("^Petition delivered")).wait_for()

    visitor = visit(PHONE, "petition-delivered-public")
    visitor.page.goto(PETITION)
    visitor.page.get_by_text(re.compile("Delivered on .* to Board President Ortiz")).wait_for()
    assert visitor.page.locator('input[name="email"]').count() == 0
    visitor.shot("public page after delivery")
