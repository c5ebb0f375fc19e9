"""Every paginated list keeps its filters from page to page, through one include."""

import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from demands.models import Demand
from tests import factories as f
from tests.demands.factories import make_demand

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def _link(html: str, rel: str) -> str:
    match = re.search(rf'<a href="([^"]*)" rel="{rel}"', html)
    assert match, f"no {rel} link"
    return match.group(1).replace("&amp;", "&")


def test_member_list_pages_keep_the_search_and_filters(cast):
    for n in range(55):
        f.make_member(cast.building_a, first_name=f"García{n}", last_name="Núñez", support_level=3)
    f.make_member(cast.building_b, first_name="García", last_name="Elsewhere", support_level=3)
    client = cast.client_for("leader")
    first = client.get(
        reverse("campaigns:members"),
        {"q": "garcia", "building": cast.building_a.pk, "level": "3"},
    ).text
    next_url = _link(first, "next")
    assert "q=garcia" in next_url
    assert f"building={cast.building_a.pk}" in next_url
    assert "level=3" in next_url
    assert "page=2" in next_url
    second = client.get(reverse("campaigns:members") + next_url).text
    assert "Page 2 of 2" in second
    assert "Elsewhere" not in second
    previous_url = _link(second, "prev")
    assert "q=garcia" in previous_url and "page=1" in previous_url
    assert previous_url.count("page=") == 1


def test_demand_list_pages_keep_the_status_and_category_filters(cast):
    category = Demand.Category.values[0]
    for n in range(51):
        make_demand(cast.campaign, by=cast.leader, title=f"Demand {n}", category=category)
    page = (
        cast.client_for("leader")
        .get(reverse("demands:list"), {"status": "draft", "category": category})
        .text
    )
    next_url = _link(page, "next")
    assert "status=draft" in next_url and f"category={category}" in next_url


def test_one_pagination_include_serves_every_list():
    """No template writes its own pagination links: they would forget the filters."""
    own = []
    for path in TEMPLATES.rglob("*.html"):
        if path == TEMPLATES / "includes" / "pagination.html":
            continue
        text = path.read_text()
        if 'class="pagination"' in text or "page_number" in text:
            own.append(str(path.relative_to(TEMPLATES)))
    assert own == []
