"""Every interface language is complete: each catalogue translates every string the code marks,
nothing is fuzzy, placeholders survive translation and the compiled catalogue matches its source.

The code's strings are extracted the way the project does it (``manage.py makemessages``), but
into a copy of the source tree, so the test never writes into the checkout and sees exactly what
a refresh of the catalogue would add.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import polib
import pytest
from django.conf import settings
from django.test import Client

from tests.english_text import Data, english_in, visible_text
from tests.services import ROOT

LOCALE = ROOT / "locale"
# The languages people can choose, except the one the code is written in.
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
DOMAINS = ["django", "djangojs"]
# What makemessages reads: the project's own code, templates and scripts, never the virtualenv
# or generated files (the same patterns as `make messages`).
IGNORE = [".venv/*", "var/*", "node_modules/*", "static/vendor/*"]
SKIP_COPY = {".venv", "var", ".git", "node_modules", "locale", ".ruff_cache", ".pytest_cache"}

# Placeholders a translation must keep: Python's %-formatting, str.format fields and the
# HTML tags that carry meaning (links, emphasis, text for screen readers only).
PLACEHOLDER = re.compile(
    r"%\(\w+\)[sdif]|%[sdif%]|\{\w*\}|</?(?:a|abbr|b|br|code|em|i|kbd|p|span|strong)\b[^>]*>"
)


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def catalogue(language: str, domain: str) -> polib.POFile | None:
    path = LOCALE / language / "LC_MESSAGES" / f"{domain}.po"
    return polib.pofile(str(path)) if path.exists() else None


def label(entry: polib.POEntry) -> str:
    where = entry.occurrences[0][0] if entry.occurrences else "?"
    return f"{entry.msgid!r} ({where})"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> dict[tuple[str, str], polib.POFile]:
    """The catalogues as makemessages would refresh them now, built in a copy of the tree."""
    tree = tmp_path_factory.mktemp("tree")
    for entry in ROOT.iterdir():
        if entry.name in SKIP_COPY or entry.name.endswith(".egg-info"):
            continue
        if entry.is_dir():
            shutil.copytree(
                entry, tree / entry.name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
            )
        else:
            shutil.copy2(entry, tree / entry.name)
    shutil.copytree(LOCALE, tree / "locale")
    env = {**os.environ, "VAR_DIR": str(tree / "var"), "DJANGO_SETTINGS_MODULE": "config.settings"}
    ignores = [arg for pattern in IGNORE for arg in ("--ignore", pattern)]
    for domain in DOMAINS:
        subprocess.run(
            [sys.executable, "manage.py", "makemessages", "-d", domain, "--no-obsolete"]
            + [arg for language in LANGUAGES for arg in ("-l", language)]
            + ignores,
            cwd=tree,
            env=env,
            check=True,
            capture_output=True,
        )
    found = {}
    for language in LANGUAGES:
        for domain in DOMAINS:
            path = tree / "locale" / language / "LC_MESSAGES" / f"{domain}.po"
            if path.exists():
                found[language, domain] = polib.pofile(str(path))
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_the_code_marks_is_in_the_catalogue(extracted, language):
    """A msgid the code uses and the catalogue lacks comes out of makemessages untranslated."""
    missing = []
    for domain in DOMAINS:
        refreshed = extracted.get((language, domain))
        if refreshed is None:
            continue
        current = catalogue(language, domain)
        known = {(e.msgctxt, e.msgid) for e in current} if current else set()
        missing += [label(e) for e in refreshed if (e.msgctxt, e.msgid) not in known]
    assert not missing, (
        f"{len(missing)} string(s) of the code are not in locale/{language}/: run "
        f"`manage.py makemessages -l {language}` and translate them:\n" + "\n".join(missing)
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("domain", DOMAINS)
def test_catalogue_has_no_untranslated_or_fuzzy_entry(language, domain):
    po = catalogue(language, domain)
    if po is None:
        # A domain without a catalogue must have no strings to translate: the scripts read
        # their words from data attributes the templates translate.
        scripts = [
            path.name
            for path in (ROOT / "static" / "js").glob("*.js")
            if re.search(r"\b(n?gettext|interpolate)\(", path.read_text())
        ]
        assert domain == "djangojs" and not scripts, f"no {domain}.po for {language}: {scripts}"
        return
    untranslated = [label(e) for e in po.untranslated_entries() if not e.obsolete]
    fuzzy = [label(e) for e in po.fuzzy_entries() if not e.obsolete]
    assert not untranslated, "untranslated:\n" + "\n".join(untranslated)
    assert not fuzzy, "fuzzy (check the translation, then remove the flag):\n" + "\n".join(fuzzy)


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders(language):
    po = catalogue(language, "django")
    wrong = []
    for entry in po.translated_entries():
        if entry.msgid_plural:
            # The singular form may drop the number ("Un miembro") but never invent one.
            plural = placeholders(entry.msgid_plural)
            for form, text in entry.msgstr_plural.items():
                found = placeholders(text)
                if found != plural and (form != 0 or not set(found) <= set(plural)):
                    wrong.append(f"{label(entry)} form {form}: {text!r}")
        elif placeholders(entry.msgstr) != placeholders(entry.msgid):
            wrong.append(f"{label(entry)}: {entry.msgstr!r}")
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_plural_entry_has_every_form_the_header_declares(language):
    po = catalogue(language, "django")
    forms = int(re.search(r"nplurals=(\d+)", po.metadata["Plural-Forms"]).group(1))
    every_form = list(range(forms))
    short = [
        label(e)
        for e in po
        if e.msgid_plural and sorted(k for k, v in e.msgstr_plural.items() if v) != every_form
    ]
    assert not short, f"plural entries without all {forms} forms:\n" + "\n".join(short)


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_its_source(language):
    """The .mo is what Django reads: a .po edited without compilemessages changes nothing."""
    source = catalogue(language, "django")
    compiled = polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))
    translated = {(e.msgctxt, e.msgid): e for e in source.translated_entries()}
    shipped = {(e.msgctxt, e.msgid): e for e in compiled if e.msgid}
    stale = [
        repr(key[1])
        for key, entry in translated.items()
        if key not in shipped
        or (shipped[key].msgstr_plural or {0: shipped[key].msgstr})
        != (entry.msgstr_plural or {0: entry.msgstr})
    ]
    assert not stale, f"run `manage.py compilemessages -l {language}`; out of date:\n" + "\n".join(
        stale[:20]
    )


@pytest.mark.django_db
@pytest.mark.parametrize("active", ["en", "es"])
def test_language_menu_names_each_language_in_itself(client, active):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = active
    page = client.get("/").text
    assert f'<html lang="{active}"' in page
    assert '<option value="en" lang="en"' in page
    assert ">English</option>" in page
    assert ">Español</option>" in page
    assert "Spanish" not in page and "Inglés" not in page


def spanish(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    return client


@pytest.mark.django_db
@pytest.mark.urls("tests.error_urls")
def test_error_pages_in_spanish_have_no_english_interface_text(cast):
    """The error pages as people meet them (DEBUG off), in Spanish; the browser journeys run
    with DEBUG on, where Django shows its technical pages instead."""
    steward = spanish(cast.client_for("steward_a"))
    csrf = spanish(Client(enforce_csrf_checks=True))
    csrf.force_login(cast.leader)
    plain = spanish(Client(raise_request_exception=False))
    responses = {
        404: steward.get("/campaigns/members/987654/"),
        403: steward.get(f"/campaigns/{cast.campaign.slug}/plan/"),
        400: plain.get("/suspicious/"),
        500: plain.get("/broken/"),
    }
    pages = dict(responses)
    pages["csrf"] = csrf.post(f"/campaigns/{cast.campaign.slug}/plan/", {"vision": "?"})
    data = Data([cast.local.name, cast.campaign.name, cast.steward_a.get_full_name()])
    for kind, response in pages.items():
        assert response.status_code == (403 if kind == "csrf" else kind)
        html = response.content.decode()
        assert '<html lang="es"' in html, kind
        assert not english_in(visible_text(html), "es", data), kind


@pytest.mark.django_db
def test_password_reset_email_asked_for_in_spanish_is_spanish_from_its_subject(cast, mailoutbox):
    spanish(Client()).post("/accounts/password/reset/", {"email": cast.steward_a.email})
    (message,) = mailoutbox
    assert message.subject.startswith("[Bien Común] ")
    assert not english_in(message.subject + "\n" + message.body, "es")
