"""Audit trail benchmarks: the trail of the large local (every member's creation recorded,
roster imports among them) as its leader, unfiltered and filtered to members, with the size
of the HTML each sends."""

from __future__ import annotations

TRAIL = "/audit/"
MEMBERS = "/audit/?record=member&kind=update"


def pages(ctx) -> dict[str, tuple[str, str | None]]:
    return {
        "audit_trail": (TRAIL, "leader@scale.example"),
        "audit_trail_members": (MEMBERS, "leader@scale.example"),
    }


def measure(ctx) -> dict[str, float]:
    client = ctx.client("leader@scale.example")
    return {
        "audit_trail_html_kb": round(len(client.get(TRAIL).content) / 1024, 1),
        "audit_trail_members_html_kb": round(len(client.get(MEMBERS).content) / 1024, 1),
    }
