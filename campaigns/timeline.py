"""The toolkit's campaign timeline, as offsets in days from the bargaining target date.

A BCG campaign starts about eighteen months before bargaining and carries on after settlement
(toolkit: community building and mapping, listening tours, shared vision, joint strategy,
launch, bargaining, settlement, enforcement).
"""

from django.utils.translation import gettext_lazy as _

# (phase, first day, last day, [(milestone, due day)]) with days relative to the target date.
TIMELINE_TEMPLATE = [
    (
        _("Community building and mapping"),
        -540,
        -421,
        [
            (_("Map every building: members, stewards, who talks to whom"), -510),
            (_("Map community partners and what they care about"), -480),
            (_("Power map of the district's decision-makers and bad actors"), -440),
        ],
    ),
    (
        _("Listening tours"),
        -420,
        -331,
        [
            (_("Listening sessions with parents, students and partners"), -390),
            (_("Member survey at every building"), -360),
            (_("Findings written up and shared with partners"), -335),
        ],
    ),
    (
        _("Shared vision"),
        -330,
        -241,
        [
            (_("Common-good demands drafted with partners, each with its equity assessment"), -290),
            (_("Demands adopted by the coalition"), -250),
        ],
    ),
    (
        _("Joint strategy"),
        -240,
        -151,
        [
            (_("Campaign plan and escalation ladder agreed"), -220),
            (_("A steward for every ten members"), -180),
            (_("First structure test: petition signed at every building"), -160),
        ],
    ),
    (
        _("Launch"),
        -150,
        -1,
        [
            (_("Public launch with partners"), -120),
            (_("Demands delivered to the school board"), -60),
            (_("Majority of members signed the petition"), -20),
        ],
    ),
    (
        _("Bargaining"),
        0,
        179,
        [
            (_("First bargaining session (open to members and community)"), 0),
            (_("Report back to members and partners after each session"), 30),
            (_("Escalation: packed school-board meeting"), 90),
        ],
    ),
    (
        _("Settlement"),
        180,
        239,
        [
            (_("Tentative agreement explained at every building"), 190),
            (_("Ratification vote"), 210),
        ],
    ),
    (
        _("Enforcement"),
        240,
        600,
        [
            (_("Enforcement committee with partners meets"), 270),
            (_("One year on: report on what the contract changed"), 545),
        ],
    ),
]

TEAM_KINDS = [
    "leadership",
    "organizing",
    "communications",
    "political",
    "research",
    "bargaining",
]
