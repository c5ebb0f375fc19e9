"""Spanish end to end: a steward and a leader who chose Spanish walk their pages and meet no
English interface text.

The check reads the page's visible text and looks for every English phrase of the interface
that Spanish says differently: the msgids of the project's catalogue and of the catalogues of
Django and allauth, whose pages (sign-in, password change) are part of the journey. What people
typed (names of members, buildings, demands, actions...) is data, not interface: every text
value stored in the demo's database is taken out of the page before the check.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import django
import polib
import pytest

import allauth
from tests.browser.conftest import DEMO_PASSWORD, LAPTOP, PHONE
from tests.services import ROOT, manage

pytestmark = pytest.mark.browser

CATALOGUES = [
    ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po",
    Path(django.__file__).parent / "conf" / "locale" / "es" / "LC_MESSAGES" / "django.po",
    Path(django.__file__).parent / "contrib" / "auth" / "locale" / "es" / "LC_MESSAGES" / "django.po",
    Path(allauth.__file__).parent / "locale" / "es" / "LC_MESSAGES" / "django.po",
]
# What separates the literal parts of a msgid: placeholders, HTML tags and line breaks.
NOT_LITERAL = re.compile(r"%\(\w+\)[sdif]|%[sdif%]|\{\w*\}|<[^>]+>|\n")
# Every stored text of the apps that hold what people wrote, one value per line.
DATA_DUMP = """
import json
from django.apps import apps
from django.db import models
values = set()
for label in ("accounts", "campaigns", "partners", "demands", "actions", "bargaining"):
    for model in apps.get_app_config(label).get_models():
        fields = [
            f.name for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField)) and not f.choices
        ]
        for row in model.objects.values_list(*fields) if fields else []:
            for value in row:
                values.update(line.strip() for line in str(value or "").splitlines())
print(json.dumps(sorted(v for v in values if len(v) >= 3)))
"""


def literal_parts(text: str) -> list[str]:
    parts = (part.strip(" \t.,:;·…()[]«»“”\"'") for part in NOT_LITERAL.split(text))
    return [part for part in parts if len(part) >= 4 and re.search(r"[A-Za-z]{3}", part)]


@cache
def english_phrases() -> tuple[re.Pattern, ...]:
    """The English phrases of the interface that Spanish says differently, as patterns that
    match them as whole words."""
    entries = []
    spanish = []
    for path in CATALOGUES:
        for entry in polib.pofile(str(path)).translated_entries():
            translations = list(entry.msgstr_plural.values()) or [entry.msgstr]
            spanish += translations
            entries.append((entry, translations))
    every_spanish = "\n".join(spanish).lower()
    phrases = set()
    for entry, translations in entries:
        own = "\n".join(translations).lower()
        for msgid in filter(None, [entry.msgid, entry.msgid_plural]):
            for part in literal_parts(msgid):
                # A phrase Spanish also uses ("Total", "PDF", a name) tells nothing.
                if part.lower() in own or re.search(
                    rf"(?<!\w){re.escape(part.lower())}(?!\w)", every_spanish
                ):
                    continue
                phrases.add(part)
    return tuple(
        re.compile(rf"(?<![\w-]){re.escape(p)}(?![\w-])") for p in sorted(phrases, key=len)
    )


@pytest.fixture(scope="module")
def data_pattern(server):
    output = manage("shell", "-v", "0", "-c", DATA_DUMP, env=server.env).stdout
    values = json.loads(output.strip().splitlines()[-1])
    values.sort(key=len, reverse=True)
    return re.compile("|".join(rf"(?<!\w){re.escape(v)}(?!\w)" for v in values))


def assert_spanish(page, data_pattern, where: str) -> None:
    assert page.locator("html").get_attribute("lang") == "es", where
    text = data_pattern.sub(" ¶ ", page.inner_text("body"))
    found = sorted({m.group(0) for p in english_phrases() for m in p.finditer(text)})
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


def test_spanish_steward_meets_no_english_on_their_phone_pages(visit, data_pattern):
    steward = visit(PHONE, "spanish-steward")
    page = steward.page
    sign_in_in_spanish(page, "steward@example.org")
    assert_spanish(page, data_pattern, "the home page")

    page.get_by_role("link", name="Mis edificios: con quién hablar ahora").click()
    page.get_by_role("heading", name="Con quién hablar ahora").wait_for()
    assert_spanish(page, data_pattern, "my buildings")
    steward.shot("mis edificios")

    page.locator("a[href$='/organize/']").first.click()
    page.wait_for_url(re.compile(r".*/organize/$"))
    assert_spanish(page, data_pattern, "a building's organize page")

    row = page.locator(".talk-row").first
    name = row.locator(".talk-name").inner_text()
    row.get_by_role("link", name=re.compile("Registrar 1 a 1")).click()
    form = page.locator("form.talk-form")
    form.wait_for()
    assert_spanish(page, data_pattern, "the 1-on-1 form")
    form.get_by_label("Dijo que sí a la petición").check()
    form.get_by_label("Temas planteados").fill("Clases de 34 y sin enfermera los martes.")
    form.get_by_label("Nuevo nivel de apoyo").select_option(label="2 · Simpatizante")
    form.get_by_role("button", name="Guardar la conversación 1 a 1").click()
    page.locator("#announcer").filter(has_text=f"Conversación 1 a 1 con {name} guardada").wait_for()
    assert_spanish(page, data_pattern, "the organize page after a 1-on-1")
    steward.shot("1 a 1 guardada")

    page.locator(".talk-row", has_text=name).first.get_by_role("link", name=name).click()
    page.get_by_text("Clases de 34 y sin enfermera los martes.").wait_for()
    assert_spanish(page, data_pattern, "the member page")

    for path, where in [
        ("/accounts/email/", "the account page"),
        ("/accounts/password/change/", "the password change page"),
        ("/campaigns/no-such-campaign/", "a page that does not exist"),
    ]:
        page.goto(path)
        assert_spanish(page, data_pattern, where)
    assert page.get_by_role("heading", name="No encontramos esa página").is_visible()
    steward.shot("404")


def test_spanish_leader_meets_no_english_on_the_campaign_pages(visit, data_pattern):
    leader = visit(LAPTOP, "spanish-leader")
    page = leader.page
    sign_in_in_spanish(page, "leader@example.org")
    for path, where in [
        ("/campaigns/true-2027/dashboard/", "the organizing dashboard"),
        ("/campaigns/members/", "the members list"),
        ("/demands/", "the demand list"),
        ("/actions/campaign/true-2027/ladder/", "the escalation ladder"),
        ("/actions/campaign/true-2027/digest/", "the steward digest"),
        ("/bargaining/true-2027/", "the bargaining overview"),
        ("/audit/", "the audit trail"),
        ("/team/true/", "the people page"),
    ]:
        page.goto(path)
        assert_spanish(page, data_pattern, where)
        if path == "/demands/":
            page.locator("main a[href^='/demands/'][href$='/']").filter(
                has_not_text=re.compile("^Nueva demanda$|^Mapa de poder$")
            ).first.click()
            page.wait_for_url(re.compile(r".*/demands/\d+/$"))
            assert_spanish(page, data_pattern, "a demand")
    leader.shot("auditoría")
