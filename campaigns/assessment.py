"""The BCG self-assessment: statements across the five elements, each scored 1 to 4.

Drawn from the toolkit's five elements (see DOMAIN.md); a campaign scores itself on a date and
compares the scores over time.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

ELEMENTS = [
    ("racial-justice", _("Center racial justice in the demands")),
    ("partners", _("Engage community allies as partners")),
    ("scope", _("Expand the scope of bargaining")),
    ("bad-actors", _("Expose the bad actors")),
    ("internal", _("Strengthen internal organizing")),
]

SCORES = [
    (1, _("1 · Not yet")),
    (2, _("2 · Starting")),
    (3, _("3 · Growing")),
    (4, _("4 · Strong")),
]


@dataclass(frozen=True)
class Statement:
    key: str
    element: str
    text: str


STATEMENTS = [
    Statement(
        "rj-reia",
        "racial-justice",
        _("Every demand has a racial equity impact assessment."),
    ),
    Statement(
        "rj-affected-lead",
        "racial-justice",
        _("People most affected by the inequities help lead the demands."),
    ),
    Statement(
        "rj-language",
        "racial-justice",
        _("Our materials name racial inequities plainly and reach families in their languages."),
    ),
    Statement(
        "p-co-author",
        "partners",
        _("Community partners co-author demands, not just endorse them."),
    ),
    Statement(
        "p-listening",
        "partners",
        _("We held listening sessions and acted on what we heard."),
    ),
    Statement(
        "p-table",
        "partners",
        _("Partners have a seat in strategy meetings and at open bargaining."),
    ),
    Statement(
        "s-common-good",
        "scope",
        _("Our proposals include common-good demands beyond wages and benefits."),
    ),
    Statement(
        "s-members-back",
        "scope",
        _("Members understand and back the common-good demands."),
    ),
    Statement(
        "s-public",
        "scope",
        _("The public knows what we are bargaining for and why."),
    ),
    Statement(
        "b-research",
        "bad-actors",
        _("We researched the district's finances and the corporate actors around it."),
    ),
    Statement(
        "b-power-map",
        "bad-actors",
        _("We have a power map with a relationship to each decision-maker."),
    ),
    Statement(
        "b-exposed",
        "bad-actors",
        _("We have publicly exposed who profits from the status quo."),
    ),
    Statement(
        "i-stewards",
        "internal",
        _("Every building has a steward, about one for every ten members."),
    ),
    Statement(
        "i-one-on-ones",
        "internal",
        _("Stewards hold regular 1-on-1s and 10-minute meetings."),
    ),
    Statement(
        "i-structure-tests",
        "internal",
        _("Structure tests reach a majority of members at most buildings."),
    ),
]
