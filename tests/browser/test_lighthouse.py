"""Lighthouse (npm ``lighthouse``, pinned; installed by .ci/run under var/tools) with Debian's
Chromium, mobile setting, on the public page, the sign-in page and the steward's phone page:
100 for accessibility and best practices on all three, at least 95 for SEO on the public page
(signed-in pages stay out of search engines on purpose), at least 90 for performance. Each
score is the median of three runs, since the machine is shared; one Chromium serves them all.

Lighthouse's timings count every other process's use of the processor, so it runs on its own
after the suite (``make lighthouse``, which .ci/run calls), not beside the other tests."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.browser.conftest import PHONE
from tests.services import CHROMIUM, ROOT

pytestmark = [pytest.mark.browser, pytest.mark.lighthouse]

TOOLS = Path(os.environ.get("CG_TOOLS", ROOT / "var" / "tools"))
RUNNER = Path(__file__).with_name("lighthouse.mjs")
RUNS = 3


def require_lighthouse() -> str:
    node = shutil.which("node")
    if node is None or not (TOOLS / "node_modules" / "lighthouse").exists():
        pytest.skip("needs Node and Lighthouse (npm i -E lighthouse@12.2.3 --prefix var/tools)")
    return node


def run_lighthouse(pages: list[dict]) -> dict[str, dict]:
    node = require_lighthouse()
    done = subprocess.run(
        [node, str(RUNNER), str(TOOLS), str(RUNS), json.dumps(pages)],
        capture_output=True,
        text=True,
        timeout=540,
        env={**os.environ, "CHROME_PATH": CHROMIUM},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    return {result["url"]: result for result in results}


def test_lighthouse_scores_on_the_public_sign_in_and_phone_pages(server, visit):
    public = f"{server.url}/open/true-2027/?lang=en"
    sign_in = f"{server.url}/accounts/login/"
    steward = visit(PHONE, "lighthouse-steward")
    steward.sign_in("steward@example.org")
    steward.page.get_by_role("link", name="My buildings: who to talk to next").click()
    steward.page.get_by_role("heading", name="Who to talk to next").wait_for()
    phone = steward.page.url
    cookie = "; ".join(
        f"{c['name']}={c['value']}" for c in steward.context.cookies() if c["name"] == "sessionid"
    )
    assert cookie
    results = run_lighthouse(
        [
            {"url": public},
            {"url": sign_in},
            {"url": phone, "headers": {"Cookie": cookie}},
        ]
    )
    targets = {
        public: {"accessibility": 100, "best-practices": 100, "seo": 95, "performance": 90},
        sign_in: {"accessibility": 100, "best-practices": 100, "performance": 90},
        phone: {"accessibility": 100, "best-practices": 100, "performance": 90},
    }
    short = []
    for url, wanted in targets.items():
        result = results[url]
        for category, floor in wanted.items():
            if result["scores"][category] < floor:
                failing = {k: v for k, v in result["failing"].items() if k.startswith(category)}
                short.append(f"{url} {category} {result['runs'][category]} < {floor}: {failing}")
    assert short == [], "\n".join(short)
