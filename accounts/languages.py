"""Languages people speak: a member's preferred language as a code, whatever a roster or a
leader wrote ("Spanish", "Español", "es", "Hmong"), and each language's name in itself.

A value that names no known language is kept as written, so leaders still see what the
roster said and can correct it. Emails go out in a person's language when the interface has
it (``settings.LANGUAGES``), otherwise in the site's default.
"""

from __future__ import annotations

import unicodedata

from django.conf import settings
from django.conf.locale import LANG_INFO

# Languages families of a school district speak that Django's own list lacks: code, the name
# in English, the name in the language itself, and other spellings rosters use.
EXTRA_LANGUAGES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "hmn": ("Hmong", "Hmoob", ("hmong", "hmoob")),
    "tl": ("Tagalog", "Tagalog", ("filipino", "tagalog")),
    "so": ("Somali", "Soomaali", ()),
    "ht": ("Haitian Creole", "Kreyòl ayisyen", ("haitian", "creole", "kreyol")),
    "sm": ("Samoan", "Gagana Sāmoa", ("samoa",)),
    "to": ("Tongan", "Lea faka-Tonga", ("tonga",)),
    "yue": ("Cantonese", "粵語", ("cantonese",)),
    "zh-hans": ("Chinese", "中文", ("chinese", "mandarin", "zh", "普通话")),
    "mien": ("Mien", "Iu Mien", ("iumien", "yao")),
    "lo": ("Lao", "ພາສາລາວ", ("laotian",)),
    "ps": ("Pashto", "پښتو", ()),
    "prs": ("Dari", "دری", ()),
    "ti": ("Tigrinya", "ትግርኛ", ()),
    "am": ("Amharic", "አማርኛ", ()),
}


def _fold(text: str) -> str:
    """Lower case, without accents, spaces or punctuation: "Español " and "espanol" match."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c))


def _names() -> dict[str, tuple[str, str]]:
    """Every known code with its English name and its name in itself."""
    names = {
        code: (info["name"], info["name_local"])
        for code, info in LANG_INFO.items()
        if "name" in info
    }
    names.update(
        {code: (name, local) for code, (name, local, _spellings) in EXTRA_LANGUAGES.items()}
    )
    return names


def _spellings() -> dict[str, str]:
    """Folded spellings (code, English name, own name, other spellings) to their code."""
    spellings: dict[str, str] = {}
    for code, (name, local) in _names().items():
        for spelling in (code, name, local):
            spellings.setdefault(_fold(spelling), code)
    for code, (_name, _local, others) in EXTRA_LANGUAGES.items():
        for spelling in others:
            spellings.setdefault(_fold(spelling), code)
    return spellings


NAMES = _names()
SPELLINGS = _spellings()


def normalise_language(value: str) -> str:
    """The code of the language ``value`` names, or ``value`` as written when it names none.

    Regional variants fold into their language when the region is not known on its own
    ("Spanish (Mexico)" and "es-MX" become "es-mx" or "es")."""
    value = (value or "").strip()
    if not value:
        return ""
    folded = _fold(value)
    if folded in SPELLINGS:
        return SPELLINGS[folded]
    code = value.lower().replace("_", "-")
    if code in NAMES:
        return code
    base = code.split("-")[0].split("(")[0].strip()
    if _fold(base) in SPELLINGS:
        return SPELLINGS[_fold(base)]
    return value


def is_known(value: str) -> bool:
    return value in NAMES


def language_name(value: str) -> str:
    """A language's name in the language itself ("Español"), or the value as written."""
    if value in NAMES:
        local = NAMES[value][1]
        return local[:1].upper() + local[1:]
    return value


def interface_language(value: str) -> str:
    """The interface language to write to someone who prefers ``value``: that language when
    the interface has it (or its base language: "es-mx" reads Spanish), else the default."""
    codes = {code for code, _name in settings.LANGUAGES}
    value = (value or "").lower()
    if value in codes:
        return value
    base = value.split("-")[0]
    if base in codes:
        return base
    return settings.LANGUAGE_CODE


def interface_choices() -> list[tuple[str, str]]:
    """The interface languages, each named in itself, for a person's choice of language."""
    return [(code, language_name(code) or str(name)) for code, name in settings.LANGUAGES]


def member_choices(current: str = "") -> list[tuple[str, str]]:
    """The languages a member may prefer: the interface's first, then every other known one
    by its own name; a value no list knows stays offered, so editing keeps it."""
    first = interface_choices()
    taken = {code for code, _name in first}
    others = sorted(
        (
            (code, language_name(code))
            for code in NAMES
            if code not in taken and code.split("-")[0] not in NAMES.keys() - {code}
        ),
        key=lambda choice: _fold(choice[1]),
    )
    choices = [("", "—"), *first, *others]
    if current and current not in NAMES and current not in taken:
        choices.append((current, current))
    return choices
