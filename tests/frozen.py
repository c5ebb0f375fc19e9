"""Test-only entry points that run the app with its clock moved to ``CG_FROZEN_AT`` (an ISO
datetime with an offset) and ticking from there, so a browser journey can happen "at 20:30 in
California" whatever the real time. Never imported by the app itself.

- the web server: ``gunicorn tests.frozen:application``
- a management command: ``python -m tests.frozen <command> [args]``
"""

from __future__ import annotations

import os
import sys
from datetime import datetime

import time_machine


def travel() -> None:
    moment = os.environ.get("CG_FROZEN_AT")
    if moment:
        time_machine.travel(datetime.fromisoformat(moment), tick=True).start()


if __name__ == "__main__":
    travel()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["manage.py", *sys.argv[1:]])
else:
    travel()
    from config.wsgi import application  # noqa: E402, F401
