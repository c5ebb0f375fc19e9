"""The languages a local publishes in, and how published text is read in one of them.

What leaders publish (demands, actions, the public page's story, the bargaining record) keeps
its text in the local's default language in its own columns, and a text per other language in
one JSON field, ``i18n``, managed by django-modeltrans (``title_es``, ``title_hmn``...). The
languages it can hold are the ones in ``CONTENT_LANGUAGES`` below; a local turns on the ones
its coalition speaks (``Local.content_languages``). The interface, by contrast, is translated
only where a gettext catalogue exists (``settings.LANGUAGES``): a Hmong reader reads Hmong
content in an English frame, so every content element carries its own ``lang``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.utils import translation
from django.utils.translation import get_language_info, gettext_lazy
from django.utils.translation import gettext as _

# The name of each language a local may publish in (settings.MODELTRANS_AVAILABLE_LANGUAGES),
# in its own language: a reader looks for their language's name, not its English one. Django's
# LANG_INFO lacks some of them (Hmong), so the names are kept here. Adding a content language
# is a line here and one in that setting; no migration is needed.
NAMES: dict[str, str] = {
    "en": "English",
    "es": "Español",
    "hmn": "Hmoob",
    "vi": "Tiếng Việt",
    "zh-hans": "中文（简体）",
    "zh-hant": "中文（繁體）",
    "tl": "Tagalog",
    "ko": "한국어",
    "ar": "العربية",
    "ru": "Русский",
    "uk": "Українська",
    "fa": "فارسی",
    "pa": "ਪੰਜਾਬੀ",
    "so": "Soomaali",
    "ht": "Kreyòl ayisyen",
    "pt": "Português",
    "fr": "Français",
    "km": "ខ្មែរ",
    "lo": "ລາວ",
    "am": "አማርኛ",
}
CONTENT_LANGUAGES = {
    code: NAMES[code]
    for code in (settings.LANGUAGE_CODE, *settings.MODELTRANS_AVAILABLE_LANGUAGES)
    if code in NAMES
}
# Written right to left: content in them carries ``dir="rtl"``.
RTL_LANGUAGES = {"ar", "fa"}
DEFAULT_LANGUAGE = settings.LANGUAGE_CODE


def field_key(name: str, language: str) -> str:
    """The key of a translation in ``i18n``, as django-modeltrans names it."""
    return f"{name}_{language.replace('-', '_')}"


# Names in the reader's interface language of the languages Django does not know.
OTHER_NAMES = {
    "hmn": gettext_lazy("Hmong"),
    "tl": gettext_lazy("Tagalog"),
    "so": gettext_lazy("Somali"),
    "ht": gettext_lazy("Haitian Creole"),
    "lo": gettext_lazy("Lao"),
    "am": gettext_lazy("Amharic"),
}


def language_name(code: str) -> str:
    """The language's name in that language, for menus: a reader looks for their own."""
    return CONTENT_LANGUAGES.get(code, code)


def language_label(code: str) -> str:
    """The language's name in the interface language, for text about it."""
    if code in LANG_INFO:
        return str(get_language_info(code)["name_translated"])
    return str(OTHER_NAMES.get(code, code))


def content_language_choices() -> list[tuple[str, str]]:
    """Every language but the default one, which is what the columns hold."""
    return [(code, name) for code, name in CONTENT_LANGUAGES.items() if code != DEFAULT_LANGUAGE]


def interface_language(code: str) -> str:
    """The interface language for a reader of ``code``: that language when the app has a
    catalogue for it, else the default one."""
    return code if code in {c for c, _name in settings.LANGUAGES} else DEFAULT_LANGUAGE


# The content language of the public output being written (a page, the report, the feed),
# set like translation.override() for the time of one rendering.
_reading: ContextVar[str | None] = ContextVar("content_language", default=None)


@contextmanager
def reading_in(language: str) -> Iterator[None]:
    """Write a public output for a reader of ``language``: its content in that language, its
    interface in that language where there is a catalogue for it, else in the default one."""
    token = _reading.set(language)
    try:
        with translation.override(interface_language(language)):
            yield
    finally:
        _reading.reset(token)


def reading_language() -> str:
    """The content language being written in: the one of ``reading_in``, else the active
    interface language."""
    return _reading.get() or (translation.get_language() or DEFAULT_LANGUAGE).split("-")[0]


@dataclass(frozen=True)
class Text:
    """A published text as one reader gets it: in ``language``, and whether that is the
    language they asked for (``missing`` names it when not)."""

    text: str
    language: str
    asked: str

    @property
    def missing(self) -> bool:
        return bool(self.text) and self.language != self.asked

    @property
    def direction(self) -> str:
        return "rtl" if self.language in RTL_LANGUAGES else "ltr"

    @property
    def missing_note(self) -> str:
        return _("Not yet translated into %(language)s") % {"language": language_label(self.asked)}

    def __str__(self) -> str:
        return self.text


def text_in(original: str, translations: dict | None, name: str, language: str) -> Text:
    """The text of field ``name`` in ``language`` from its default-language ``original`` and
    its ``i18n`` translations, falling back to the original."""
    if language != DEFAULT_LANGUAGE:
        translated = (translations or {}).get(field_key(name, language)) or ""
        if translated.strip():
            return Text(translated, language, language)
    return Text(original, DEFAULT_LANGUAGE, language)


def missing_languages(
    originals: dict[str, str], translations: dict | None, languages: list[str]
) -> list[str]:
    """The languages of ``languages`` in which some non-empty text of ``originals`` has no
    translation yet."""
    translations = translations or {}
    return [
        language
        for language in languages
        if language != DEFAULT_LANGUAGE
        and any(
            value.strip() and not (translations.get(field_key(name, language)) or "").strip()
            for name, value in originals.items()
        )
    ]


class TranslatedContent:
    """What a model with an ``i18n`` field and ``TRANSLATED_FIELDS`` gets: its text in a
    language, the languages still missing and the edit of one language's texts."""

    TRANSLATED_FIELDS: tuple[str, ...] = ()

    def translations_source(self) -> tuple[dict[str, str], dict]:
        """The default-language texts and the translations the public reads; a model whose
        public text waits for a publish (a demand) reads them from what was published."""
        return {name: getattr(self, name) for name in self.TRANSLATED_FIELDS}, self.i18n or {}

    def text_in(self, name: str, language: str) -> Text:
        originals, translations = self.translations_source()
        return text_in(originals[name], translations, name, language)

    def missing_languages(self, languages: list[str]) -> list[str]:
        """Languages of ``languages`` still missing a translation of the current text."""
        originals = {name: getattr(self, name) for name in self.TRANSLATED_FIELDS}
        return missing_languages(originals, self.i18n, languages)

    @property
    def missing_translations(self) -> list[str]:
        """The names of the local's languages this item's text still lacks (it needs its
        campaign and local loaded)."""
        languages = self.campaign.local.translation_languages
        return [language_label(code) for code in self.missing_languages(languages)]

    def translated_i18n(self, texts: dict[str, dict[str, str]]) -> dict:
        """The ``i18n`` value with the texts of each language of ``texts`` ({language: {field:
        text}}) replaced; an empty text removes that translation, so it reads as missing."""
        i18n = dict(self.i18n or {})
        for language, fields in texts.items():
            for name in self.TRANSLATED_FIELDS:
                key = field_key(name, language)
                value = (fields.get(name) or "").strip()
                if value:
                    i18n[key] = value
                else:
                    i18n.pop(key, None)
        return i18n
