import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction

from seeds.scale import actions, bargaining, campaigns, demands, history, partners, sizes

# After a local and its members, each area adds its part of that local in this order.
AREAS = [partners, demands, actions, bargaining]


@contextmanager
def inverted_indexes_built_after() -> Iterator[None]:
    """Drop the trigram (GIN) indexes while the rows go in and build them again at the end.

    Growing an inverted index row by row is what made the bulk insert of members slow (every
    member's name adds to the same few trigrams' long lists); building it once over all the
    rows is many times quicker. The locals go in one transaction each, so the indexes are
    dropped and built in transactions of their own around them, and built again even when a
    local fails half way."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes"
            " WHERE schemaname = current_schema() AND indexdef LIKE '%% USING gin %%'"
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    try:
        yield
    finally:
        with transaction.atomic(), connection.cursor() as cursor:
            # PostgreSQL builds no index on a table with foreign keys still to check (the
            # case inside a test's transaction): check them.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for _name, definition in indexes:
                cursor.execute(definition)


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
        with inverted_indexes_built_after():
            with transaction.atomic(), history.recorded_in_bulk():
                campaigns.clear()
            # One transaction a local, as each would have been built on a live deployment:
            # the rows of a transaction share its moment in the audit trail, and a trail that
            # pages by moment would otherwise read every local's events to keep one's.
            for size in plan:
                with transaction.atomic(), history.recorded_in_bulk():
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
