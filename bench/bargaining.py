"""Benchmarks of bargaining: the overview, the public page, rendering the whole report,
downloads."""

from __future__ import annotations

import statistics
import time
import urllib.request

SLUG = "scale-campaign"


def pages(ctx) -> dict[str, tuple[str, str | None]]:
    return {
        "public_page": (f"/open/{SLUG}/", None),
        "public_demands": (f"/open/{SLUG}/demands/?status=proposed", None),
        # 60 articles carrying 600 published versions, both sides' latest side by side.
        "article_tracker": (f"/open/{SLUG}/articles/", None),
        # The campaign's 100 proposals of six versions each, as the leader opens them.
        "bargaining_overview": (f"/bargaining/{SLUG}/", "leader@scale.example"),
    }


def measure(ctx) -> dict[str, float]:
    from bargaining.report import store_public_reports
    from campaigns.models import Campaign

    campaign = Campaign.objects.select_related("public_page", "local").get(slug=SLUG)
    started = time.perf_counter()
    store_public_reports(campaign, force=True, languages=["en"])
    pdf_s = time.perf_counter() - started
    store_public_reports(campaign, languages=["es"])

    url = f"{ctx.url}/open/{SLUG}/report.pdf?lang=en"
    with urllib.request.urlopen(url) as response:  # warm up
        assert response.read(4) == b"%PDF"
    timings = []
    for _ in range(50):
        started = time.perf_counter()
        with urllib.request.urlopen(url) as response:
            body = response.read()
        timings.append((time.perf_counter() - started) * 1000)
        assert body.startswith(b"%PDF")
    return {"pdf_s": round(pdf_s, 2), "pdf_download_ms": round(statistics.median(timings), 2)}
