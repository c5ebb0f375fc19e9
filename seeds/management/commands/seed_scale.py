import time

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction

from seeds.scale import actions, bargaining, campaigns, demands, partners, sizes

# After a local and its members, each area adds its part of that local in this order.
AREAS = [partners, demands, actions, bargaining]


class Command(BaseCommand):
    help = (
        "Build the large local for benchmarks (36,000 members in 1,000 buildings, 2,000 "
        "stewards, partners, demands, actions and bargaining), alone or with --locals N among "
        "the smaller locals of a state affiliate (--locals 50: about 300,000 members). "
        "Replaces an earlier one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--locals", type=int, default=1, help="how many locals, the large one among them"
        )
        parser.add_argument(
            "--members-per-local",
            type=int,
            help="give every local, the large one too, this many members (small, for tests)",
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        plan = sizes(options["locals"], options["members_per_local"])
        # One hash for every seeded user: hashing is deliberately slow.
        password_hash = make_password(campaigns.PASSWORD)
        with transaction.atomic():
            campaigns.clear()
            for size in plan:
                context = campaigns.seed(size, password_hash)
                for area in AREAS:
                    area.seed(context)
        # Fresh statistics, as autovacuum would gather them on a live database; without them
        # PostgreSQL plans the first queries as if the tables were empty.
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        elapsed = time.monotonic() - started
        members = sum(size.members for size in plan)
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(plan)} local(s) with {members:,} members ready in {elapsed:.1f} s."
            )
        )
