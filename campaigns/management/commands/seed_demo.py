from importlib import import_module
from importlib.util import find_spec

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from campaigns import demo

# Each app that adds to the demo has a ``<app>/demo.py`` with ``seed(context: dict)``; they run
# in this order, so later apps can use what earlier ones made (context holds the local, the
# campaign, buildings, organisations, the demo users and whatever each app adds).
DEMO_APPS = ["partners", "demands", "actions", "bargaining"]


class Command(BaseCommand):
    help = "Load the demo campaign (Twin Rivers United Educators). Safe to run again."

    def handle(self, *args, **options):
        # Dates are the demo local's ("today" in California, whatever the server's zone).
        with transaction.atomic(), timezone.override(demo.ZONE):
            context = demo.seed()
            for app in DEMO_APPS:
                if find_spec(f"{app}.demo") is not None:
                    import_module(f"{app}.demo").seed(context)
        self.stdout.write(self.style.SUCCESS("Demo campaign ready."))
        self.stdout.write("Sign in at http://127.0.0.1:8000/ with password 'commongood' as:")
        for role, email in demo.DEMO_LOGINS.items():
            self.stdout.write(f"  {role:<8} {email}")
