"""The PDF report: served from storage and never rendered for a download; WeasyPrint fetches
nothing but data: URLs and the app's own static files."""

import contextlib
import io
import socket
import threading

import pytest
from django.urls import reverse
from pypdf import PdfReader

from bargaining.models import PublishedReport
from bargaining.report import RefusedURL, StaticOnlyFetcher, html_to_pdf, static_file_for
from bargaining.report import store_public_reports as store
from campaigns.models import Campaign

from . import factories as bf

pytestmark = pytest.mark.django_db


def fresh(campaign):
    return Campaign.objects.select_related("public_page", "local").get(pk=campaign.pk)


def test_a_download_of_a_fresh_report_never_renders(cast, client, monkeypatch):
    bf.make_public_page(cast.campaign)
    store(fresh(cast.campaign))

    def no_rendering(*args, **kwargs):
        raise AssertionError("a download of a fresh report must not render")

    monkeypatch.setattr("bargaining.report.html_to_pdf", no_rendering)
    response = client.get(reverse("open:report", args=[cast.campaign.slug]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_report_not_rendered_yet_is_rendered_once_by_the_first_download(
    cast, client, monkeypatch
):
    bf.make_public_page(cast.campaign)
    from bargaining import report

    renders = []
    real = report.html_to_pdf
    monkeypatch.setattr(
        "bargaining.report.html_to_pdf", lambda html: renders.append(1) or real(html)
    )
    url = reverse("open:report", args=[cast.campaign.slug])
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    assert len(renders) == 1


def test_the_stored_report_is_served_with_cache_headers_and_etag(cast, client):
    bf.make_public_page(cast.campaign)
    bf.make_session(cast.campaign)
    store(fresh(cast.campaign))
    url = reverse("open:report", args=[cast.campaign.slug])
    response = client.get(url)
    body = b"".join(response.streaming_content)
    report = PublishedReport.objects.get(language="en")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["ETag"] == f'"{report.sha256}"'
    assert "public" in response["Cache-Control"]
    assert body.startswith(b"%PDF")
    assert len(PdfReader(io.BytesIO(body)).pages) == report.pages
    assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    spanish = client.get(url + "?lang=es")
    assert spanish["ETag"] != response["ETag"]


def test_an_older_report_is_never_served_once_something_changed(
    cast, client, django_capture_on_commit_callbacks
):
    bf.make_public_page(cast.campaign)
    store(fresh(cast.campaign))
    first = PublishedReport.objects.get(language="en")
    session = bf.make_session(cast.campaign, published=False, public_summary="New session")
    # The publish commits; its render is queued on commit, which this test never runs.
    session.publish(by=cast.leader)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("open:report", args=[cast.campaign.slug]))
    second = PublishedReport.objects.get(language="en")
    assert second.page_version == 2
    assert response["ETag"] == f'"{second.sha256}"' != f'"{first.sha256}"'
    from django.core.files.storage import default_storage

    assert not default_storage.exists(first.file.name)
    assert default_storage.exists(second.file.name)


def test_rendering_again_without_changes_is_skipped(cast):
    bf.make_public_page(cast.campaign)
    store(fresh(cast.campaign))
    rendered_at = PublishedReport.objects.get(language="en").rendered_at
    store(fresh(cast.campaign))
    assert PublishedReport.objects.get(language="en").rendered_at == rendered_at


def test_the_report_has_a_cover_contents_chart_and_page_numbers(cast):
    bf.make_open_campaign(cast.campaign, 3)
    store(fresh(cast.campaign))
    report = PublishedReport.objects.get(language="es")
    with report.file.open("rb") as handle:
        pdf = PdfReader(handle)
        text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "informe de negociación abierta" in text.lower()
    assert "Contenido" in text
    assert "Seguimiento de las demandas" in text
    # Page numbers in the footer, none on the cover.
    assert not pdf.pages[0].extract_text().rstrip().endswith("1")
    assert pdf.pages[1].extract_text().rstrip().endswith("2")
    assert pdf.pages[-1].extract_text().rstrip().endswith(str(len(pdf.pages)))


class Listener:
    """A real local HTTP listener that records whether anything connected."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.settimeout(1)
            with contextlib.suppress(OSError):
                conn.recv(4096)
            conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: text/css\r\n\r\nbody{color:red}")
            conn.close()

    def close(self):
        self.running = False
        self.thread.join(timeout=2)
        self.sock.close()


@pytest.fixture
def listener():
    running = Listener()
    yield running
    running.close()


def test_a_listener_check_is_real(listener):
    """The listener does see a plain request, so its silence below means something."""
    import urllib.request

    urllib.request.urlopen(f"http://127.0.0.1:{listener.port}/", timeout=2).read()  # noqa: S310
    assert listener.connections == 1


def test_weasyprint_fetches_nothing_from_markup(listener, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRETFILE")
    url = f"http://127.0.0.1:{listener.port}/"
    html = f"""<html><head>
      <link rel="stylesheet" href="{url}style.css">
      <link rel="attachment" href="{url}attach.txt">
      <link rel="attachment" href="file://{secret}">
      <link rel="stylesheet" href="file:///etc/passwd">
      </head><body>
      <img src="{url}image.png"><img src="file:///etc/passwd">
      <a rel="attachment" href="file://{secret}">secret</a>
      <iframe src="{url}frame"></iframe>
      <p style="background: url({url}bg.png)">text</p>
      <img src="/static/../../../../etc/passwd">
      <img src="/static/img/icon.svg">
      <img src="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E">
      </body></html>"""
    pdf, _pages = html_to_pdf(html)
    assert listener.connections == 0
    assert b"TOPSECRETFILE" not in pdf
    assert b"root:x:0:0" not in pdf
    reader = PdfReader(io.BytesIO(pdf))
    assert "/EmbeddedFiles" not in str(reader.trailer["/Root"].get("/Names", {}))
    assert not reader.attachments


def test_user_text_with_markup_fetches_and_embeds_nothing(cast, listener):
    url = f"http://127.0.0.1:{listener.port}/"
    bf.make_public_page(
        cast.campaign,
        story=(
            f'<link rel="attachment" href="{url}x"><img src="{url}y">'
            ' <img src="file:///etc/passwd">'
        ),
        story_es="",
    )
    bf.make_session(
        cast.campaign,
        public_summary=(
            '<a rel="attachment" href="file:///etc/passwd">passwd</a>'
            f'<style>@import "{url}";</style>'
        ),
        public_summary_es="",
    )
    store(fresh(cast.campaign))
    assert listener.connections == 0
    for report in PublishedReport.objects.filter(campaign=cast.campaign):
        with report.file.open("rb") as handle:
            data = handle.read()
        reader = PdfReader(io.BytesIO(data))
        assert not reader.attachments
        assert b"root:x:0:0" not in data
        # The markup is shown as the text it is.
        assert '<link rel="attachment"' in "".join(p.extract_text() for p in reader.pages)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:8000/static/css/app.css",
        "https://commongood.invalid/static/../../etc/passwd",
        "https://commongood.invalid/static/%2e%2e/%2e%2e/etc/passwd",
        "https://commongood.invalid/static/css/../../../etc/passwd",
        "https://commongood.invalid/static//etc/passwd",
        "https://commongood.invalid/media/bargaining/reports/x.pdf",
        "https://commongood.invalid/static/nothing-here.css",
        "https://evil.example/static/css/app.css",
    ],
)
def test_the_fetcher_refuses_anything_but_our_static_files(url):
    with pytest.raises(RefusedURL):
        static_file_for(url)
    with pytest.raises(Exception):  # noqa: B017
        StaticOnlyFetcher().fetch(url)


def test_the_fetcher_reads_our_static_files_and_data_urls():
    response = StaticOnlyFetcher().fetch("https://commongood.invalid/static/bargaining/report.css")
    assert b"@page" in response.read()
    assert StaticOnlyFetcher().fetch("data:text/plain,hello").read() == b"hello"


@pytest.mark.parametrize("who", ["leader", "steward_a", "partner_x", "other_leader", "anonymous"])
def test_the_internal_session_report_is_for_leaders(cast, who):
    session = bf.make_session(cast.campaign, notes="Internal note for the team")
    response = cast.client_for(who).get(reverse("bargaining:session_report", args=[session.pk]))
    expected = {"leader": 200, "steward_a": 403, "partner_x": 403, "other_leader": 404}
    assert response.status_code == expected.get(who, 302)
    if who == "leader":
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
        assert "Internal note for the team" in text
