"""A mail backend that records each message's Message-ID in a log file and sends nothing.

Used by the worker tests and the benchmark (``EMAIL_BACKEND=actions.mail.SentLogBackend``,
``EMAIL_SENT_LOG=/path``): counting the lines proves every reminder went out exactly once, and
``was_delivered`` lets a worker that takes over an interrupted hand-off know whether the message
already went out. Each line is written with one ``write`` on a file opened for appending, so
lines from several processes never interleave, and a killed process loses no written line.
"""

from __future__ import annotations

import os
import time

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend


def log_path() -> str:
    return getattr(settings, "EMAIL_SENT_LOG", "") or os.path.join(settings.VAR_DIR, "sent.log")


class SentLogBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        delay = float(os.environ.get("EMAIL_SENT_LOG_DELAY", "0") or 0)
        count = 0
        fd = os.open(log_path(), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            for message in email_messages:
                if delay:
                    time.sleep(delay)
                message_id = message.extra_headers.get("Message-ID", "")
                line = f"{message_id}\t{','.join(message.to)}\t{os.getpid()}\n"
                os.write(fd, line.encode())
                count += 1
        finally:
            os.close(fd)
        return count

    def was_delivered(self, message_id: str) -> bool:
        # Read once per connection (a worker opens one per batch): a batch taken over from a
        # stopped worker asks about each of its messages.
        if getattr(self, "_logged", None) is None:
            self._logged = set(read_log(log_path()))
        return message_id in self._logged


def read_log(path) -> list[str]:
    """The Message-IDs in a sent log, one per message sent."""
    try:
        with open(path) as log:
            return [line.split("\t", 1)[0] for line in log if line.strip()]
    except FileNotFoundError:
        return []
