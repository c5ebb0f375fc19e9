"""A partner, on a phone, writes to the supporters their organisation brought and sends it; a
Spanish-reading supporter unsubscribes with one click (the page in Spanish, by keyboard) and
gets nothing of the partner's next broadcast."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import LAPTOP, PHONE

pytestmark = pytest.mark.browser

SUPPORTER = "maria.lopez@mail.example"  # signed through the parents' link, reads Spanish


def _write_and_send(page, name: str, english: str, spanish: str) -> None:
    page.get_by_role("link", name="Write a broadcast").click()
    page.locator("#id_name").fill(name)
    # The demo's campaign, whatever other campaigns the local has by now.
    page.get_by_label("Campaign").select_option(label="Schools Our Students Deserve")
    page.get_by_label("Subject (English)").fill(english)
    page.get_by_label("Message (English)").fill(
        "Sit with us at the board meeting. Details: https://example.org/board"
    )
    page.get_by_label("Subject (Spanish)").fill(spanish)
    page.get_by_label("Message (Spanish)").fill(
        "Siéntese con nosotros en la junta. Detalles: https://example.org/board"
    )
    page.get_by_role("button", name="Save the draft").click()
    page.get_by_text("Draft saved.").wait_for()
    page.get_by_role("heading", name="Español").wait_for()


def _to(messages: list[str], address: str, subject: str) -> list[str]:
    return [m for m in messages if f"To: {address}" in m and f"Subject: {subject}" in m]


def test_a_partner_sends_to_their_supporters_and_one_unsubscribes_for_good(visit, server):
    partner = visit(PHONE, "partner-broadcast")
    page = partner.page
    partner.sign_in("partner@example.org")
    page.goto("/partners/portal/")
    page.get_by_role("heading", name="Email your supporters").wait_for()
    page.get_by_role("link", name="Broadcasts from Twin Rivers Parents for Public Schools").click()
    _write_and_send(page, "Board on the 12th", "Sit with us on the 12th", "Venga el dia 12")
    content = page.content()
    # Only their supporters who agreed to the parents' updates: never a member of the union.
    assert "Supporters who agreed to the organisation's updates" in content
    assert "@twinriversusd.example" not in content
    partner.shot("partner broadcast preview", always=True)
    page.get_by_role("button", name="Send me a test").click()
    page.get_by_text("A test is on its way to partner@example.org.").wait_for()
    page.get_by_role("button", name="Send now or at that time").click()
    page.get_by_text(re.compile(r"Scheduled for \d+ (person|people)")).wait_for()
    partner.shot("partner broadcast sent", always=True)

    messages = server.mail()
    assert _to(messages, "partner@example.org", "Sit with us on the 12th")
    (spanish,) = _to(messages, SUPPORTER, "Venga el dia 12")
    assert "Siéntese con nosotros" in spanish and "List-Unsubscribe-Post" in spanish
    unsubscribe = re.search(
        r"Darse de baja de estas novedades: (https?://\S+/broadcasts/unsubscribe/\S+/)", spanish
    ).group(1)

    reader = visit(PHONE, "partner-broadcast-reader")
    reader.page.goto(unsubscribe)
    button = reader.page.get_by_role("button", name="Darse de baja")
    button.focus()
    reader.page.keyboard.press("Enter")
    reader.page.get_by_role("heading", name="Se dio de baja").wait_for()
    assert "No recibirá más novedades de" in reader.page.content()
    reader.shot("unsubscribed from the partner", always=True)

    # The partner's next broadcast reaches the others, not her.
    page.goto("/partners/portal/")
    page.get_by_role("link", name="Broadcasts from Twin Rivers Parents for Public Schools").click()
    _write_and_send(page, "Thank you", "Thank you for coming", "Gracias por venir")
    page.get_by_role("button", name="Send now or at that time").click()
    page.get_by_text(re.compile(r"Scheduled for \d+ (person|people)")).wait_for()
    messages = server.mail()
    assert [m for m in messages if "Subject: Thank you for coming" in m]
    assert not _to(messages, SUPPORTER, "Gracias por venir")

    # The union's leaders see it among their broadcasts, and from whom.
    leader = visit(LAPTOP, "partner-broadcast-leader")
    leader.sign_in("leader@example.org")
    leader.page.goto("/campaigns/true-2027/")
    leader.page.get_by_role("link", name="Broadcasts").click()
    row = leader.page.get_by_role("row", name=re.compile("Thank you"))
    assert "parent" in row.inner_text().lower()
    leader.shot("leaders see the partner's broadcast", always=True)
    leader.page.get_by_role("link", name="Write a broadcast").click()
    leader.page.get_by_label("Send to").select_option(label="People who signed a petition")
    leader.page.locator("#id_petition").select_option(index=1)
    leader.shot("leader's broadcast to a petition's signers", always=True)

    wide = visit(LAPTOP, "partner-broadcast-wide")
    wide.sign_in("partner@example.org")
    wide.page.goto("/partners/portal/")
    wide.page.get_by_role(
        "link", name="Broadcasts from Twin Rivers Parents for Public Schools"
    ).click()
    wide.page.get_by_role("link", name="Thank you").click()
    assert "@twinriversusd.example" not in wide.page.content()
    wide.shot("partner's sent broadcast", always=True)
