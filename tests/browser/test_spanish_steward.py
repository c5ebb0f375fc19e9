"""Spanish end to end: a steward and a leader who chose Spanish walk their pages and meet no
English interface text (tests/english_text.py says how it is found), and every page says
``<html lang="es">``. What people typed (names of members, buildings, demands...) is data, not
interface: every text value stored in the demo's database is taken out of the page first.

The server runs with DEBUG on, where a missing page is Django's technical page; the error
pages in Spanish are checked without the browser in tests/test_translations.py.
"""

from __future__ import annotations

import json
import re

import pytest

from tests.browser.conftest import DEMO_PASSWORD, LAPTOP, PHONE
from tests.english_text import DATA_DUMP, Data, english_in
from tests.services import manage

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def data(server) -> Data:
    output = manage("shell", "-v", "0", "-c", DATA_DUMP, env=server.env).stdout
    return Data(json.loads(output.strip().splitlines()[-1]))


def assert_spanish(page, data: Data, where: str, *, besides: str = "") -> None:
    """No English interface text in what the page shows, apart from the elements ``besides``
    selects (hidden first, as inner_text reads only what is rendered)."""
    assert page.locator("html").get_attribute("lang") == "es", where
    # The audit trail's old and new values are what people wrote, in whatever language.
    besides = ", ".join(filter(None, [besides, ".audit-value"]))
    page.locator(besides).evaluate_all("(found) => found.forEach((e) => (e.hidden = true))")
    found = english_in(page.inner_text("body"), "es", data)
    assert not found, f"English interface text on {where} ({page.url}): {found}"


def sign_in_in_spanish(page, email: str) -> None:
    """Choose Spanish in the language menu of the sign-in page, then sign in."""
    page.goto("/accounts/login/")
    page.get_by_label("Language").select_option(label="Español")
    page.get_by_role("button", name="Change").click()
    page.get_by_role("heading", name="Iniciar sesión").wait_for()
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Contraseña").fill(DEMO_PASSWORD)
    page.locator("main form").get_by_role("button", name="Iniciar sesión").click()
    page.wait_for_url(re.compile(r".*/$"))


def test_spanish_steward_meets_no_english_on_their_phone_pages(visit, data):
    steward = visit(PHONE, "spanish-steward")
    page = steward.page
    sign_in_in_spanish(page, "steward@example.org")
    assert_spanish(page, data, "the home page")

    page.get_by_role("link", name="Mis edificios: con quién hablar ahora").click()
    page.get_by_role("heading", name="Con quién hablar ahora").wait_for()
    assert_spanish(page, data, "my buildings")
    steward.shot("mis edificios")

    # The steward's other building, and its 10-minute meeting form.
    page.locator("main a[href*='?building=']").last.click()
    page.wait_for_url(re.compile(r".*\?building=\d+$"))
    assert_spanish(page, data, "a building's organize page")
    page.get_by_role("link", name="Registrar una reunión de 10 minutos").click()
    page.wait_for_url(re.compile(r".*/meetings/new/$"))
    assert_spanish(page, data, "the 10-minute meeting form")
    page.go_back()

    row = page.locator(".talk-row").first
    name = row.locator(".talk-name").inner_text()
    row.get_by_role("link", name=re.compile("Registrar 1 a 1")).click()
    form = page.locator("form.talk-form")
    form.wait_for()
    assert_spanish(page, data, "the 1-on-1 form")
    form.get_by_label("Dijo que sí a lo que se le pidió").check()
    form.get_by_label("Temas planteados").fill("Clases de 34 y sin enfermera los martes.")
    form.get_by_label("Nuevo nivel de apoyo").select_option(label="2 · Simpatizante")
    form.get_by_role("button", name="Guardar la conversación 1 a 1").click()
    page.locator("#announcer").filter(has_text=f"Conversación 1 a 1 con {name} guardada").wait_for()
    assert_spanish(page, data, "the organize page after a 1-on-1")
    steward.shot("1 a 1 guardada")

    page.locator(".talk-row", has_text=name).first.locator("a.talk-name").click()
    page.get_by_text("Clases de 34 y sin enfermera los martes.").wait_for()
    assert_spanish(page, data, "the member page")

    page.goto("/accounts/email/")
    assert_spanish(page, data, "the account page")
    page.goto("/accounts/password/change/")
    page.get_by_role("heading", name="Cambiar la contraseña").wait_for()
    assert_spanish(page, data, "the password change page")
    steward.shot("cambiar contraseña")


LEADER_PAGES = [
    ("/campaigns/true-2027/dashboard/", "the organizing dashboard"),
    ("/campaigns/members/", "the members list"),
    ("/demands/", "the demand list"),
    ("/actions/campaign/true-2027/ladder/", "the escalation ladder"),
    ("/bargaining/true-2027/", "the bargaining overview"),
    ("/audit/", "the audit trail"),
    ("/team/true/", "the people page"),
]


def test_spanish_leader_meets_no_english_on_the_campaign_pages(visit, data):
    leader = visit(LAPTOP, "spanish-leader")
    page = leader.page
    sign_in_in_spanish(page, "leader@example.org")
    for path, where in LEADER_PAGES:
        page.goto(path)
        assert_spanish(page, data, where)
    leader.shot("personas")

    # The digest's preview is the email as the steward receives it, in the steward's language
    # (the demo's steward reads English); the page around it is the leader's.
    page.goto("/actions/campaign/true-2027/digest/")
    page.get_by_role("heading", name="Vista previa").wait_for()
    assert_spanish(page, data, "the steward digest", besides="#preview-heading ~ *")

    page.goto("/demands/")
    page.locator("main table a[href^='/demands/']").first.click()
    page.wait_for_url(re.compile(r".*/demands/\d+/$"))
    assert_spanish(page, data, "a demand")
    leader.shot("demanda")
