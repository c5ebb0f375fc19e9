"""Refusals and failures get the site's own page: its layout, a way back, both languages, and
nothing internal (no paths, no ids, no exception text)."""

import pytest
from django.db import OperationalError, connection
from django.test import Client

from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.error_urls")]

INTERNAL = ["/srv/app", "4711", "RuntimeError", "Traceback", "10.0.0.7", "tampered"]


def broken_context_processor(request):
    raise RuntimeError("the context processor is down")


def assert_friendly(response, status: int, heading: str) -> str:
    page = response.content.decode()
    assert response.status_code == status
    assert 'id="error-page"' in page
    assert 'class="site-header"' in page and 'class="site-footer"' in page
    assert heading in page
    assert 'href="/"' in page  # a way back
    for secret in INTERNAL:
        assert secret not in page
    return page


def test_not_found_is_the_friendly_page_without_the_address(cast):
    response = cast.client_for("leader").get("/campaigns/members/987654/")
    page = assert_friendly(response, 404, "We could not find that page")
    assert "987654" not in page


def test_forbidden_is_the_friendly_page(cast):
    # A steward may see the campaign but not edit its plan.
    response = cast.client_for("steward_a").get(f"/campaigns/{cast.campaign.slug}/plan/")
    assert_friendly(response, 403, "This is not open to you")


def test_bad_request_is_the_friendly_page():
    response = Client(raise_request_exception=False).get("/suspicious/")
    assert_friendly(response, 400, "We could not understand that request")


def test_csrf_failure_is_the_friendly_page_and_says_nothing_was_saved(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.leader)
    response = client.post(f"/campaigns/{cast.campaign.slug}/plan/", {"vision": "Lost?"})
    page = assert_friendly(response, 403, "The form could not be sent")
    assert "Nothing was saved" in page
    for reason in ("CSRF token", "CSRF cookie", "Referer", "Forbidden"):
        assert reason not in page


def test_server_error_renders_when_the_database_is_down(db):
    def refuse(*args, **kwargs):
        raise OperationalError("the database is down")

    client = Client(raise_request_exception=False)
    with connection.execute_wrapper(refuse):
        response = client.get("/broken/")
    assert_friendly(response, 500, "Something went wrong on our side")


def test_server_error_renders_when_context_processors_fail(settings):
    template_settings = settings.TEMPLATES[0]
    settings.TEMPLATES = [
        {
            **template_settings,
            "OPTIONS": {
                **template_settings["OPTIONS"],
                "context_processors": [
                    "tests.accounts.test_error_pages.broken_context_processor",
                ],
            },
        }
    ]
    response = Client(raise_request_exception=False).get("/broken/")
    assert_friendly(response, 500, "Something went wrong on our side")


@pytest.mark.parametrize(
    ("path", "status", "heading"),
    [
        ("/campaigns/members/987654/", 404, "No encontramos esa página"),
        ("/broken/", 500, "Algo salió mal de nuestro lado"),
    ],
)
def test_error_pages_speak_spanish(cast, path, status, heading):
    """A signed-in person who has not chosen a language gets the browser's."""
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="es")
    client.force_login(f.make_leader(cast.local))
    assert_friendly(client.get(path), status, heading)
