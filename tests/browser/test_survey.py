"""The bargaining survey end to end: a leader finds a Spanish-speaking member's personal link,
the member answers on their phone in Spanish, and the leader's results count the answer."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import LAPTOP, PHONE

pytestmark = pytest.mark.browser


def test_a_spanish_member_answers_from_a_personal_link_and_the_results_show_it(visit):
    leader = visit(LAPTOP, "survey-leader")
    page = leader.page
    leader.sign_in("leader@example.org")
    page.goto("/surveys/campaign/true-2027/")
    page.get_by_role("link", name="TRUE 2027 bargaining survey").click()
    survey_path = re.sub(r"^https?://[^/]+", "", page.url)
    page.get_by_role("link", name="Results").click()
    counted = page.get_by_text(re.compile(r"\d+ responses? so far"))
    counted.wait_for()
    before = int(re.search(r"(\d+) responses? so far", counted.inner_text()).group(1))
    leader.shot("survey results before")

    page.goto(survey_path)
    page.get_by_role("link", name="Members' links").click()
    page.wait_for_url("**/links/**")
    row = page.get_by_role("row").filter(has_text="Español").filter(has_text="not yet").first
    link = row.get_by_role("textbox").input_value()
    assert "/surveys/s/" in link
    leader.shot("members' links")

    member = visit(PHONE, "survey-member")
    mine = member.page
    mine.goto(link)
    assert mine.locator("html").get_attribute("lang") == "es"
    mine.get_by_role("group", name="What should our first priority at the table be?").get_by_label(
        "A nurse and a counselor in every school"
    ).check()
    mine.get_by_label("Wear red on Thursdays").check()
    mine.get_by_label("Pack the school-board meeting").check()
    mine.get_by_role("group", name=re.compile("How ready are you to strike")).get_by_label(
        "5"
    ).check()
    mine.get_by_label("What one thing would make your school better for students?").fill(
        "Una enfermera todos los días."
    )
    member.shot("survey answered in Spanish")
    mine.get_by_role("button", name="Enviar mis respuestas").click()
    mine.get_by_role("heading", name="Gracias").wait_for()
    member.shot("survey thanks in Spanish")
    # The same link opens the answers again, to change them.
    mine.get_by_role("link", name="Cambiar mis respuestas").click()
    assert mine.get_by_label("Wear red on Thursdays").is_checked()

    page.goto(survey_path + "results/")
    page.get_by_text(f"{before + 1} responses so far.").wait_for()
    assert "Una enfermera todos los días." in page.content()
    leader.shot("survey results after")
    member.assert_no_csp_violations()
    leader.assert_no_csp_violations()
