"""Benchmarks for the OSDI API, against the large local, as its leader's token.

- api_people_page_ms: a page of 25 people (``/api/v1/people/?per_page=25``), p50 of 50 calls.
- api_people_sync_s: every person the leader sees (36,000 members, then the local's
  supporters), page by page at ``max_pagesize``, following the ``next`` links as a sync client
  does; ``api_people_synced_supporters`` says how many of them were supporters.
"""

from __future__ import annotations

import http.client
import json
import statistics
import time
from urllib.parse import urlsplit

SAMPLES = 50
LEADER = "leader@scale.example"
SUPPORTERS = 2_000


def pages(ctx) -> dict[str, tuple[str, str | None]]:
    return {}


class TokenClient:
    def __init__(self, url: str, token: str):
        parts = urlsplit(url)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
        self.headers = {"OSDI-API-Token": token, "Accept": "application/hal+json"}

    def get(self, href: str) -> dict:
        parts = urlsplit(href)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        self.connection.request("GET", path, headers=self.headers)
        response = self.connection.getresponse()
        body = response.read()
        assert response.status == 200, (response.status, body[:300])
        return json.loads(body)


def _supporters() -> None:
    """The large local's supporters, made here when it has fewer than ``SUPPORTERS`` (kept
    for ``--reuse``): the sync walks them after the members."""
    from campaigns.models import Local
    from reach.models import Supporter

    local = Local.objects.get(memberships__user__email=LEADER, memberships__role="leader")
    missing = SUPPORTERS - Supporter.objects.filter(local=local, member__isnull=True).count()
    Supporter.objects.bulk_create(
        Supporter(
            local=local,
            name=f"API supporter {n}",
            email=f"bench-api-supporter{n}@example.net",
            postcode=f"9{n % 10000:04d}",
        )
        for n in range(max(0, missing))
    )


def _token() -> str:
    from accounts.models import User
    from api.models import Token

    return Token.issue(User.objects.get(email=LEADER), name="bench", read_only=True, days=1)[1]


def measure(ctx) -> dict[str, float]:
    _supporters()
    client = TokenClient(ctx.url, _token())
    people = client.get("/api/v1/")["_links"]["osdi:people"]["href"]
    page = f"{people}?per_page=25"
    client.get(page)  # warm up
    timings = []
    for _ in range(SAMPLES):
        started = time.perf_counter()
        body = client.get(page)
        timings.append((time.perf_counter() - started) * 1000)
        assert len(body["_embedded"]["osdi:people"]) == 25

    sync = TokenClient(ctx.url, _token())
    aep = sync.get("/api/v1/")
    href = f"{aep['_links']['osdi:people']['href']}?per_page={aep['max_pagesize']}"
    started = time.perf_counter()
    seen = supporters = 0
    while href:
        body = sync.get(href)
        people = body["_embedded"]["osdi:people"]
        seen += len(people)
        supporters += sum("/people/supporters/" in p["_links"]["self"]["href"] for p in people)
        href = body["_links"].get("next", {}).get("href")
    sync_s = time.perf_counter() - started
    assert seen == body["total_records"], (seen, body["total_records"])
    assert supporters >= SUPPORTERS, supporters
    return {
        "api_people_page_ms": round(statistics.median(timings), 2),
        "api_people_sync_s": round(sync_s, 2),
        "api_people_synced": seen,
        "api_people_synced_supporters": supporters,
    }
