"""A leader broadcasts to one building's members in two languages; a Spanish-reading member
gets it in Spanish and unsubscribes with one click, and the leader sees the count."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import LAPTOP, PHONE, choose_in_picker

pytestmark = pytest.mark.browser

SUBJECT_EN = "Thursday at the board"
SUBJECT_ES = "El jueves en la junta"


def test_leader_broadcasts_to_a_building_in_two_languages_and_a_reader_unsubscribes(visit, server):
    leader = visit(LAPTOP, "broadcast-leader")
    page = leader.page
    leader.sign_in("leader@example.org")
    page.goto("/campaigns/true-2027/")
    page.get_by_role("link", name="Broadcasts").click()
    page.get_by_role("link", name="Write a broadcast").click()
    page.locator("#id_name").fill("Oak Grove: Thursday")
    page.get_by_label("Send to").select_option(label="Members")
    choose_in_picker(page, "Search buildings by name", "Oak Grove Elementary")
    page.get_by_label("Subject (English)").fill(SUBJECT_EN)
    page.get_by_label("Message (English)").fill(
        "Come to the board meeting on Thursday. Details: https://example.org/board"
    )
    page.get_by_label("Subject (Spanish)").fill(SUBJECT_ES)
    page.get_by_label("Message (Spanish)").fill(
        "Vengan a la reunión de la junta el jueves. Detalles: https://example.org/board"
    )
    leader.shot("broadcast form")
    page.get_by_role("button", name="Save the draft").click()
    page.get_by_text("Draft saved.").wait_for()
    page.get_by_role("heading", name="Español").wait_for()
    assert "People in the segment now" in page.content()
    leader.shot("broadcast preview", always=True)
    page.get_by_role("button", name="Send now or at that time").click()
    page.get_by_text(re.compile(r"Scheduled for \d+ (person|people)")).wait_for()

    sent = [m for m in server.mail() if f"Subject: {SUBJECT_EN}" in m or SUBJECT_ES in m]
    spanish = [m for m in sent if f"Subject: {SUBJECT_ES}" in m]
    english = [m for m in sent if f"Subject: {SUBJECT_EN}" in m]
    assert spanish and english
    assert all("List-Unsubscribe-Post: List-Unsubscribe=One-Click" in m for m in sent)
    message = spanish[0]
    assert "Vengan a la reunión" in message and "/r/" in message
    unsubscribe = re.search(
        r"Darse de baja de estas novedades: (https?://\S+/broadcasts/unsubscribe/\S+/)", message
    ).group(1)
    reader = visit(PHONE, "broadcast-reader")
    reader.page.goto(unsubscribe)
    # The page speaks the language the message was written in.
    reader.page.get_by_role("button", name="Darse de baja").click()
    reader.page.get_by_role("heading", name="Se dio de baja").wait_for()
    reader.shot("unsubscribed", always=True)

    page.reload()
    unsubscribed = page.locator(".stat", has_text="unsubscribed").locator("strong")
    assert unsubscribed.inner_text() == "1"
    leader.shot("broadcast counts", always=True)
