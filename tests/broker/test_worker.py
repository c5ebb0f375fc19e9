"""A real Celery worker against Redis sends the invitation email enqueued by the web request."""

import time

import pytest
from django.urls import reverse

from accounts.models import Invitation, InvitationEmail

from .conftest import workers_on_own_queue

pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(tmp_path):
    with workers_on_own_queue(["a"], EMAIL_FILE_PATH=str(tmp_path / "mail")):
        yield tmp_path / "mail"


def test_invitation_email_goes_out_through_a_real_worker(cast, worker):
    response = cast.client_for("leader").post(
        reverse("team:invite", args=[cast.local.slug]),
        {"email": "via-worker@example.org", "role": "leader"},
    )
    assert response.status_code == 302
    # The email goes out through the outbox; once its row is sent the file has been written.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if InvitationEmail.objects.filter(status="sent").exists():
            break
        time.sleep(0.2)
    messages = [p.read_text() for p in worker.iterdir()] if worker.exists() else []
    assert len(messages) == 1, "the worker did not send exactly one email"
    assert "via-worker@example.org" in messages[0]
    assert Invitation.objects.get(email="via-worker@example.org").sent_at is not None
