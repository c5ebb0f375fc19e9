import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from seeds.scale import actions, bargaining, campaigns, demands, partners

# After the local and its members, each area adds its part of the large local in this order.
AREAS = [partners, demands, actions, bargaining]


class Command(BaseCommand):
    help = (
        "Build a large local for benchmarks: 36,000 members in 1,000 buildings, 2,000 stewards "
        "and, from each area, partners, demands, actions and bargaining. Replaces an earlier one."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        with transaction.atomic():
            context = campaigns.seed()
            for area in AREAS:
                area.seed(context)
        # Fresh statistics, as autovacuum would gather them on a live database; without them
        # PostgreSQL plans the first queries as if the tables were empty.
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Large local ready in {elapsed:.1f} s."))
