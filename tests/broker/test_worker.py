"""A real Celery worker against Redis sends the invitation email enqueued by the web request."""

import subprocess
import sys
import time
import uuid

import pytest
from django.db import connection
from django.urls import reverse

from accounts.models import Invitation
from actions.models import Reminder
from config.celery import app as celery_app
from tests.services import (
    ROOT,
    base_env,
    database_url_named,
    require_redis,
    require_shared_database,
)

pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(tmp_path):
    redis_url = require_redis()
    require_shared_database()
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = base_env(
        DATABASE_URL=database_url_named(connection.settings_dict["NAME"]),
        REDIS_URL=redis_url,
        CELERY_QUEUE=queue,
        EMAIL_FILE_PATH=str(tmp_path / "mail"),
        CELERY_TASK_ALWAYS_EAGER="0",
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "WARNING",
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
    )
    previous = (celery_app.conf.task_always_eager, celery_app.conf.task_default_queue)
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    try:
        yield tmp_path / "mail"
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = previous
        process.terminate()
        process.wait(timeout=30)


def test_invitation_email_goes_out_through_a_real_worker(cast, worker):
    response = cast.client_for("leader").post(
        reverse("accounts:invite", args=[cast.local.slug]),
        {"email": "via-worker@example.org", "role": "leader"},
    )
    assert response.status_code == 302
    # The email goes out through the outbox; once its row is sent the file has been written.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if Reminder.objects.filter(kind="invitation", status="sent").exists():
            break
        time.sleep(0.2)
    messages = [p.read_text() for p in worker.iterdir()] if worker.exists() else []
    assert len(messages) == 1, "the worker did not send exactly one email"
    assert "via-worker@example.org" in messages[0]
    assert Invitation.objects.get(email="via-worker@example.org").sent_at is not None
