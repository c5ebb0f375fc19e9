"""WCAG 2.2 AA with axe-core, on every page type, as each role, at phone and laptop widths.

The pages are found by following the links each person sees, starting from their home and the
public pages, so a new page is checked as soon as it is linked. Pages of the same type (the same
address with different ids) are checked once, as the first person who reaches them.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest
from axe_playwright_python.base import AXE_SCRIPT

from tests.browser.conftest import LAPTOP, PHONE

pytestmark = pytest.mark.browser

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]},
    "rules": {"target-size": {"enabled": True}},
    "resultTypes": ["violations"],
}
# The API is for other tools' servers; its documentation page is Swagger UI's own markup.
SKIP = re.compile(
    r"^/(admin|static|media|i18n|accounts/logout|api/)|\.(pdf|ics|xml|csv|txt)$|/export"
)
MAX_PAGES = 60
# The leader first, who reaches the most page types; each person's start pages (their own
# home) are checked whoever came before.
START = {
    "leader@example.org": ["/"],
    "steward@example.org": ["/"],
    "partner@example.org": ["/"],
    "anonymous": ["/", "/accounts/login/", "/accounts/password/reset/", "/open/"],
}


def page_type(path: str) -> str:
    return re.sub(r"/\d+(?=/|$)", "/N", path)


def same_site_links(page, base: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
    paths = []
    for href in hrefs:
        url = urlsplit(urljoin(base, href))
        if url.netloc == urlsplit(base).netloc and not SKIP.search(url.path):
            paths.append(url.path)
    return paths


def axe_violations(page) -> list[dict]:
    """axe's violations on the page as it is now. Its script (half a megabyte) is injected
    once per page load rather than once per run, as the crawl runs it at two widths."""
    if not page.evaluate("() => typeof window.axe?.run === 'function'"):
        page.evaluate(AXE_SCRIPT)
    return page.evaluate(
        "options => axe.run(document, options).then(results => results.violations)",
        AXE_OPTIONS,
    )


def test_every_page_type_has_no_axe_violations(visit, server):
    """Each person walks every page type they reach, in the order of START; axe checks a page
    type once, as the first person who reaches it (the leader reaches most), so each later
    person adds only the types new to the crawl (the steward's phone pages, the partner's
    portal, the public pages) rather than checking the same templates again."""
    checked_types: set[str] = set()
    problems: list[str] = []
    for who, start in START.items():
        person = visit(LAPTOP, f"axe-{who.split('@')[0]}")
        if who != "anonymous":
            person.sign_in(who)
        page = person.page
        queue = list(start)
        walked_types: set[str] = set()
        reached = 0
        while queue and len(walked_types) < MAX_PAGES:
            path = queue.pop(0)
            if page_type(path) in walked_types:
                continue
            walked_types.add(page_type(path))
            response = page.goto(path)
            if response is None or response.status != 200:
                continue
            reached += 1
            if path in start or page_type(path) not in checked_types:
                checked_types.add(page_type(path))
                for viewport in (LAPTOP, PHONE):
                    page.set_viewport_size(viewport)
                    for violation in axe_violations(page):
                        targets = [node["target"] for node in violation["nodes"]][:3]
                        problems.append(
                            f"{path} as {who} at {viewport['width']}px: {violation['id']} "
                            f"({violation['help']}) {targets}"
                        )
                page.set_viewport_size(LAPTOP)
            queue.extend(same_site_links(page, server.url + path))
        assert reached >= 2, f"only {reached} pages reached as {who}"
    assert not problems, "\n".join(problems)


def test_focus_is_visible_on_links_and_buttons(visit):
    person = visit(LAPTOP, "focus-visible")
    person.page.goto("/accounts/login/")
    person.page.keyboard.press("Tab")
    outline = person.page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2; }"
    )
    assert outline, "the focused element has no visible outline"
