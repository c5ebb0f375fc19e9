"""Each page of the API takes the same number of queries whatever the size of the data."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions.models import Participation, Rsvp
from api.models import Identifier
from tests import factories as f
from tests.actions.factories import make_action
from tests.reach.factories import make_petition, make_supporter
from tests.surveys.factories import answers_for, make_survey

from .helpers import api_for

pytestmark = pytest.mark.django_db


def grow(cast, action, n: int, petition=None, survey=None) -> None:
    for _ in range(n):
        member = f.make_member(
            cast.building_a, personal_email=f"m{_}@home.example", support_level=3
        )
        Identifier.attach(member, [f"action_network:{member.uuid}"])
        Participation.mark(action, member, by=cast.leader, coming=True)
        Rsvp.sign_up(action, source="public", name="Guest", email=f"{member.uuid}@x.example")
        supporter = make_supporter(cast.local, brought_by=cast.organisation_x)
        Identifier.attach(supporter, [f"action_network:{supporter.uuid}"])
        make_action(cast.campaign, title="More")
        if petition is not None:
            petition.add_paper_signatures(
                [{"name": "", "email": member.work_email, "postcode": ""}], by=cast.leader
            )
            petition.add_paper_signatures(
                [{"name": "Guest", "email": f"s{member.uuid}@x.example", "postcode": ""}],
                by=cast.leader,
            )
            make_petition(cast.campaign)
        if survey is not None:
            survey.respond(answers_for(survey, text="More counselors"), member=member)
            make_survey(cast.campaign, slug=f"survey-{member.pk}")


def queries(api, href: str, **params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert api.get(href, **params).status_code == 200
    return len(captured)


@pytest.mark.parametrize("who", ["leader", "steward_a"])
def test_every_collection_takes_the_same_queries_at_two_sizes(cast, who, monkeypatch):
    # A token's last use is written once a minute: growing the data may take longer.
    monkeypatch.setattr("api.tokens.LAST_USED_GRAIN", timedelta(days=1))
    action = make_action(cast.campaign, title="Rally")
    petition = make_petition(cast.campaign)
    survey = make_survey(cast.campaign, open_by=cast.leader)
    api = api_for(cast, who)
    aep = api.aep()
    event = api.every(aep["_links"]["osdi:events"]["href"], "events")[0]
    found = api.every(aep["_links"]["osdi:petitions"]["href"], "petitions")[0]
    form = api.every(aep["_links"]["osdi:forms"]["href"], "forms")[0]
    tag = api.every(aep["_links"]["osdi:tags"]["href"], "tags")[2]
    # The people collection, members then supporters, has its own test below.
    hrefs = [
        tag["_links"]["osdi:taggings"]["href"],
        aep["_links"]["osdi:events"]["href"],
        event["_links"]["osdi:attendances"]["href"],
        aep["_links"]["osdi:petitions"]["href"],
        found["_links"]["osdi:signatures"]["href"],
        aep["_links"]["osdi:forms"]["href"],
        form["_links"]["osdi:submissions"]["href"],
    ]
    grow(cast, action, 3, petition, survey)
    for href in hrefs:  # Django caches content types on first use.
        queries(api, href)
    small = [queries(api, href, per_page=25) for href in hrefs]
    grow(cast, action, 30, petition, survey)
    large = [queries(api, href, per_page=25) for href in hrefs]
    assert large == small


def walk(api, href: str) -> list[tuple[str, int]]:
    """Every page of a collection by its ``next`` links: what it held (m for members, s for
    supporters, ms for both) and how many queries it took."""
    pages = []
    while href:
        with CaptureQueriesContext(connection) as captured:
            response = api.get(href)
        assert response.status_code == 200
        body = response.json()
        kinds = {
            "s" if "/people/supporters/" in p["_links"]["self"]["href"] else "m"
            for p in body["_embedded"]["osdi:people"]
        }
        pages.append(("".join(sorted(kinds)), len(captured)))
        href = body["_links"].get("next", {}).get("href")
    return pages


@pytest.mark.parametrize("who", ["leader", "partner_x"])
def test_people_pages_take_the_same_queries_at_two_sizes(cast, who, monkeypatch):
    """The first page counts members and supporters; each page after it reads on from the
    last one's cursor. A page of members, of both or of supporters takes as many queries at
    30 of each as at 60, and at 60 as many as the same kind of page at 30."""
    monkeypatch.setattr("api.tokens.LAST_USED_GRAIN", timedelta(days=1))
    action = make_action(cast.campaign, title="Rally")
    api = api_for(cast, who)
    href = api.aep()["_links"]["osdi:people"]["href"] + "?per_page=25"
    grow(cast, action, 1)
    walk(api, href)  # Django caches content types on first use.
    grow(cast, action, 29)
    small = walk(api, href)
    grow(cast, action, 30)
    large = walk(api, href)
    assert len(large) > len(small)
    by_kind: dict[tuple[bool, str], set[int]] = {}
    for pages in (small, large):
        for number, (kinds, count) in enumerate(pages):
            by_kind.setdefault((number == 0, kinds), set()).add(count)
    assert all(len(counts) == 1 for counts in by_kind.values()), by_kind
    if who == "leader":
        assert {kinds for kinds, _count in large} == {"m", "ms", "s"}
