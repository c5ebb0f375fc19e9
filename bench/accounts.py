"""People benchmarks: the People page of the large local (2,000 stewards) as its leader, the
first page and a search, with the size of the HTML each sends."""

from __future__ import annotations

PEOPLE = "/team/scale/"
SEARCH = "/team/scale/?q=steward1234"


def pages(ctx) -> dict[str, tuple[str, str | None]]:
    return {
        "people": (PEOPLE, "leader@scale.example"),
        "people_search": (SEARCH, "leader@scale.example"),
    }


def measure(ctx) -> dict[str, float]:
    client = ctx.client("leader@scale.example")
    return {
        "people_html_kb": round(len(client.get(PEOPLE).content) / 1024, 1),
        "people_search_html_kb": round(len(client.get(SEARCH).content) / 1024, 1),
    }
