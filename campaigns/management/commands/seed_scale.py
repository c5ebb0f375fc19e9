import time
from importlib import import_module
from importlib.util import find_spec

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from campaigns import scale

# Each app that adds to the large local has a ``<app>/scale.py`` with ``seed(context: dict)``.
SCALE_APPS = ["partners", "demands", "actions", "bargaining"]


class Command(BaseCommand):
    help = (
        "Build a large local for benchmarks: 36,000 members in 1,000 buildings, 2,000 stewards "
        "and, from each app, partners, demands, actions and bargaining. Replaces an earlier one."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        with transaction.atomic():
            context = scale.seed()
            for app in SCALE_APPS:
                if find_spec(f"{app}.scale") is not None:
                    import_module(f"{app}.scale").seed(context)
        # Fresh statistics, as autovacuum would gather them on a live database; without them
        # PostgreSQL plans the first queries as if the tables were empty.
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Large local ready in {elapsed:.1f} s."))
