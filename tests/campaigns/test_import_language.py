"""The roster's language column: "Language" or "Idioma", whatever words the district wrote,
read as language codes; words that name no language are kept for a leader to correct."""

import pytest

from campaigns.models import Member

from .test_import import run_import

pytestmark = pytest.mark.django_db


def _roster(header: str, languages: list[str]) -> bytes:
    lines = [f"Employee ID,First Name,Last Name,Email,Site,{header}"]
    for n, language in enumerate(languages, start=1):
        lines.append(
            f"T{n:04d},Given{n},Family{n},t{n}@district.example,Building A Elementary,{language}"
        )
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize("header", ["Language", "Idioma", "Home language"])
def test_the_language_column_is_read_as_codes(cast, media, header):
    batch, preview, _response = run_import(
        cast, _roster(header, ["Spanish", "es", "Español", "Hmong", "Klingon", ""])
    )
    assert preview.context["preview"].is_valid
    languages = dict(
        Member.objects.filter(local=cast.local).values_list("employee_id", "preferred_language")
    )
    assert languages == {
        "T0001": "es",
        "T0002": "es",
        "T0003": "es",
        "T0004": "hmn",
        "T0005": "Klingon",
        "T0006": "",
    }


def test_reimporting_the_same_language_in_other_words_changes_nothing(cast, media):
    run_import(cast, _roster("Language", ["Spanish"]))
    member = Member.objects.get(employee_id="T0001")
    run_import(cast, _roster("Idioma", ["español"]))
    member.refresh_from_db()
    assert member.preferred_language == "es"
    assert Member.objects.filter(local=cast.local).count() == 1
