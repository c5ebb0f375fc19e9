"""Finds English interface text in a page meant to be in another language.

The English phrases are the msgids of the project's catalogue and of the catalogues of Django
and allauth (whose pages and messages are part of ours) that the language says differently:
a phrase the language also uses ("Total", "PDF", a name) tells nothing and is left out. What
people typed (names, titles, notes) is data, not interface: the caller passes it to be taken
out of the text first.
"""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import allauth
import django
import polib
from django.conf import settings

from tests.services import ROOT

DJANGO = Path(django.__file__).parent
# What separates the literal parts of a msgid: placeholders, HTML tags and line breaks.
NOT_LITERAL = re.compile(r"%\(\w+\)[sdif]|%[sdif%]|\{\w*\}|<[^>]+>|\n")
# Every stored text of the apps that hold what people wrote (and the addresses API clients
# called, shown on the audit trail), one value per line, as JSON
# (for `manage.py shell -c` against a running server's database).
DATA_DUMP = """
import json
from django.apps import apps
from django.db import models
values = set()
for label in ("accounts", "campaigns", "partners", "demands", "actions", "bargaining", "api"):
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


def catalogues(language: str) -> list[Path]:
    return [
        ROOT / "locale" / language / "LC_MESSAGES" / "django.po",
        DJANGO / "conf" / "locale" / language / "LC_MESSAGES" / "django.po",
        DJANGO / "contrib" / "auth" / "locale" / language / "LC_MESSAGES" / "django.po",
        Path(allauth.__file__).parent / "locale" / language / "LC_MESSAGES" / "django.po",
    ]


def literal_parts(text: str) -> list[str]:
    parts = (part.strip(" \t.,:;·…()[]«»“”\"'") for part in NOT_LITERAL.split(text))
    return [part for part in parts if len(part) >= 4 and re.search(r"[A-Za-z]{3}", part)]


@cache
def english_phrases(language: str) -> re.Pattern:
    """One pattern matching, as whole words, every English phrase of the interface that
    ``language`` says differently."""
    entries = []
    translated = []
    for path in catalogues(language):
        if not path.exists():
            continue
        for entry in polib.pofile(str(path)).translated_entries():
            texts = list(entry.msgstr_plural.values()) or [entry.msgstr]
            translated += texts
            entries.append((entry, texts))
    every_translation = "\n".join(translated).lower()
    # The language menu names each language in itself ("English" on a Spanish page).
    native_names = {name for _code, name in settings.LANGUAGES}
    phrases = set()
    for entry, texts in entries:
        own = "\n".join(texts).lower()
        for msgid in filter(None, [entry.msgid, entry.msgid_plural]):
            for part in literal_parts(msgid):
                lowered = part.lower()
                if (
                    part in native_names
                    or lowered in own
                    or re.search(rf"(?<!\w){re.escape(lowered)}(?!\w)", every_translation)
                ):
                    continue
                phrases.add(part)
    alternatives = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")


class Data:
    """Stored values to take out of a page's text, whole or cut short with an ellipsis."""

    def __init__(self, values: list[str]):
        self.values = sorted(values, key=len, reverse=True)
        self.pattern = (
            re.compile("|".join(rf"(?<!\w){re.escape(v)}(?!\w)" for v in self.values))
            if self.values
            else None
        )

    def remove(self, text: str) -> str:
        lines = []
        for line in text.splitlines():
            stem = line.strip().rstrip("…").strip()
            if line.strip().endswith("…") and any(v.startswith(stem) for v in self.values):
                continue
            lines.append(line)
        text = "\n".join(lines)
        return self.pattern.sub(" ¶ ", text) if self.pattern else text


def english_in(text: str, language: str, data: Data | None = None) -> list[str]:
    """The English interface phrases left in ``text`` once the data is taken out."""
    if data is not None:
        text = data.remove(text)
    # Addresses are not words, whatever their paths say (/accounts/password/reset/).
    text = re.sub(r"\w+://\S+", " ", text)
    return sorted(set(english_phrases(language).findall(text)))


class _Text(HTMLParser):
    """The text a reader sees in an HTML page: no scripts, styles or head."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style", "head", "template"}:
            self.hidden += 1

    def handle_endtag(self, tag):
        if tag in {"script", "style", "head", "template"}:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "\n".join(part.strip() for part in parser.parts if part.strip())
