"""Demo partners for Twin Rivers: contacts, community mapping, listening sessions and what
people named there, and the letters and resolutions that came in. Idempotent."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.base import ContentFile

from campaigns.models import Member
from partners.models import Contact, Finding, ListeningSession, Support

CONTACTS = {
    0: [
        ("Rosa Delgado", "Chair", "rosa@trparents.example", "+19165550141"),
        ("Kevin Moore", "Outreach lead", "kevin@trparents.example", ""),
    ],
    1: [("Pastor James Whitfield", "Convener", "jwhitfield@nsia.example", "+19165550177")],
    2: [("Yesenia Flores", "Organizer", "yesenia@dphtenants.example", "+19165550112")],
    3: [("Dr. Carl Pinkston", "Coordinator", "", "+19165550190")],
    4: [("Pa Houa Xiong", "Parent liaison", "pahoua@hypu.example", "")],
    5: [("Amir Khan", "Student president", "", "")],
    7: [("Fabrizio Sasso", "Executive director", "office@sacclc.example", "+19165550100")],
}

SESSIONS = [
    (
        0,
        "Parents' night at Oak Grove Elementary",
        ListeningSession.Kind.COMMUNITY_MEETING,
        -415,
        "Oak Grove Elementary library",
        46,
        "Parents from Oak Grove and Rio Vista; a third Spanish-speaking, with interpretation.",
        [
            (
                Finding.Kind.PROBLEM,
                "Our school shares one nurse with two others; on her off days "
                "the office staff hand out inhalers.",
            ),
            (Finding.Kind.PROBLEM, "Kindergarten has 31 children in one room and no aide."),
            (
                Finding.Kind.SOLUTION,
                "A full-time nurse and a counselor at every school, paid for "
                "before new administrator positions.",
            ),
        ],
    ),
    (
        2,
        "Tenant meeting at Rio Linda Boulevard apartments",
        ListeningSession.Kind.COMMUNITY_MEETING,
        -392,
        "Community room, Rio Linda Boulevard",
        28,
        "Tenant families, several living in motels on Auburn Boulevard.",
        [
            (
                Finding.Kind.PROBLEM,
                "Families evicted mid-year lose the school bus stop and miss weeks of school.",
            ),
            (
                Finding.Kind.SOLUTION,
                "A housing liaison at each high-need school and transport for "
                "students who move out of the attendance area.",
            ),
        ],
    ),
    (
        3,
        "Listening circle on suspensions",
        ListeningSession.Kind.COMMUNITY_MEETING,
        -366,
        "Del Paso Heights library",
        35,
        "Black parents and grandparents, two former students, three TRUE members.",
        [
            (
                Finding.Kind.PROBLEM,
                "Black students are suspended for 'defiance' at several times "
                "the rate of their classmates.",
            ),
            (
                Finding.Kind.SOLUTION,
                "Restorative justice coordinators, and an end to suspensions for willful defiance.",
            ),
        ],
    ),
    (
        5,
        "Student survey on counselors and mental health",
        ListeningSession.Kind.SURVEY,
        -335,
        "Online, four high schools",
        412,
        "Students at Rio Linda, Grant, Highlands and Foothill high schools.",
        [
            (
                Finding.Kind.PROBLEM,
                "Most students have never met their counselor; caseloads are over 600.",
            ),
            (Finding.Kind.SOLUTION, "Mental health days and student-led wellness rooms."),
        ],
    ),
    (
        4,
        "One-on-one with Hmong Youth and Parents United",
        ListeningSession.Kind.ONE_ON_ONE,
        -340,
        "Coffee on Norwood Avenue",
        2,
        "Their parent liaison and TRUE's community organizer.",
        [
            (
                Finding.Kind.PROBLEM,
                "Parent conferences happen without interpreters; children "
                "interpret for their own parents.",
            ),
            (Finding.Kind.SOLUTION, "Trained interpreters and a family liaison at every site."),
        ],
    ),
]

SUPPORT = [
    (
        7,
        Support.Kind.RESOLUTION,
        "Central Labor Council resolution in support of TRUE",
        -193,
        True,
    ),
    (
        1,
        Support.Kind.LETTER,
        "Interfaith letter: housing for every student",
        -179,
        True,
    ),
    (
        0,
        Support.Kind.ENDORSEMENT,
        "Parents for Public Schools endorse the common-good platform",
        -173,
        False,
    ),
    (
        6,
        Support.Kind.RESOLUTION,
        "North Highlands council resolution on safe routes",
        -163,
        True,
    ),
    (
        3,
        Support.Kind.ENDORSEMENT,
        "Black Parallel School Board endorsement",
        -156,
        False,
    ),
    (5, Support.Kind.LETTER, "Student letter: counselors, not cops", -142, True),
]


def _pdf(title: str) -> bytes:
    """A small but real one-page PDF, so the demo document opens in any viewer."""
    text = title.replace("(", "[").replace(")", "]")
    stream = f"BT /F1 14 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer << /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def seed(context: dict) -> None:
    organisations = context["organisations"]
    campaign, leader, partner = context["campaign"], context["leader"], context["partner"]
    for index, rows in CONTACTS.items():
        for name, role, email, phone in rows:
            Contact.objects.update_or_create(
                organisation=organisations[index],
                name=name,
                defaults={"role": role, "email": email, "phone": phone},
            )
    # Community mapping: a few members who know each partner (leaders see their names).
    members = list(Member.objects.filter(local=context["local"]).order_by("employee_id")[:24])
    for index, organisation in enumerate(organisations):
        organisation.known_by.add(*members[index * 3 : index * 3 + 3])

    findings = []
    # Listening tours about a year before bargaining opened; letters, endorsements and
    # resolutions while the coalition built its strategy and launched.
    opened = campaign.bargaining_target_date
    for index, title, kind, days, place, attendance, who_came, named in SESSIONS:
        session, _ = ListeningSession.objects.update_or_create(
            organisation=organisations[index],
            title=title,
            defaults={
                "kind": kind,
                "held_on": opened + timedelta(days=days),
                "place": place,
                "attendance": attendance,
                "who_came": who_came,
                "created_by": partner if index == 0 else leader,
            },
        )
        for finding_kind, text in named:
            finding, _ = Finding.objects.get_or_create(
                session=session, text=text, defaults={"kind": finding_kind}
            )
            findings.append(finding)

    for index, kind, title, days, with_document in SUPPORT:
        support, created = Support.objects.update_or_create(
            campaign=campaign,
            organisation=organisations[index],
            title=title,
            defaults={"kind": kind, "received_on": opened + timedelta(days=days)},
            create_defaults={
                "kind": kind,
                "received_on": opened + timedelta(days=days),
                "created_by": leader,
            },
        )
        if with_document and not support.document:
            support.document.save(f"{support.pk}.pdf", ContentFile(_pdf(title)), save=False)
            support.content_type = "application/pdf"
            support.save()

    context["findings"] = findings
    context["listening_sessions"] = list(
        ListeningSession.objects.filter(organisation__local=context["local"])
    )
