"""Lighthouse (npm ``lighthouse``, pinned; installed by .ci/run under var/tools) with Debian's
Chromium, mobile setting, on the public page, the sign-in page and the steward's phone page:
100 for accessibility and best practices on all three, at least 95 for SEO on the public page
(signed-in pages stay out of search engines on purpose), at least 90 for performance. Each
score is the median of three runs, since the machine is shared; one Chromium serves them all.

It measures the server as production runs it: DEBUG off, the static files collected into a
temporary STATIC_ROOT and served compressed by WhiteNoise's manifest storage, on 127.0.0.1.

Lighthouse's timings count every other process's use of the processor, so it runs on its own
after the suite (``make lighthouse``, which .ci/run calls), not beside the other tests."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.browser.conftest import PHONE, Visit
from tests.services import CHROMIUM, ROOT, app_server, require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.lighthouse]

TOOLS = Path(os.environ.get("CG_TOOLS", ROOT / "var" / "tools"))
RUNNER = Path(__file__).with_name("lighthouse.mjs")
RUNS = 3


@pytest.fixture(scope="module")
def production_server(tmp_path_factory):
    """The demo served with DEBUG off and collected, compressed static files."""
    require_chromium()
    with app_server(tmp_path_factory.mktemp("production"), production=True) as running:
        yield running


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


def test_the_measured_server_runs_as_production_does(production_server):
    """DEBUG off (no debug page for an unknown address) and hashed, compressed static files."""
    base = production_server.url
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(f"{base}/no-such-page/")
    assert missing.value.code == 404
    assert "Using the URLconf" not in missing.value.read().decode()
    page = urllib.request.urlopen(f"{base}/accounts/login/").read().decode()
    css = next(part.split('"')[0] for part in page.split('href="/static/')[1:] if ".css" in part)
    assert len(css.rsplit("/", 1)[-1].split(".")) >= 3, css  # name.hash.css
    request = urllib.request.Request(f"{base}/static/{css}", headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request) as response:
        assert response.headers["Content-Encoding"] == "gzip"


def test_lighthouse_scores_on_the_public_sign_in_and_phone_pages(production_server, browser):
    server = production_server
    public = f"{server.url}/open/true-2027/?lang=en"
    sign_in = f"{server.url}/accounts/login/"
    steward = Visit(browser, server, "lighthouse-steward", PHONE)
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
        # The medians, for whoever reads the run (pytest -s), as the machine is shared.
        print(url, json.dumps(result["scores"]))
        for category, floor in wanted.items():
            if result["scores"][category] < floor:
                failing = {k: v for k, v in result["failing"].items() if k.startswith(category)}
                short.append(f"{url} {category} {result['runs'][category]} < {floor}: {failing}")
    steward.close()
    assert short == [], "\n".join(short)
