"""Trigram indexes for the People page's search (a name or an email, in part). They are built on
the expression Django's icontains compares (``UPPER(col::text)``), so PostgreSQL finds the few
matching people by index instead of reading every local's users, which made the search twice as
slow in a database of fifty locals as in one. SQLite has no trigram indexes and needs nothing."""

from django.db import migrations

INDEXES = {
    "accounts_user_first_name_trgm": "upper(first_name::text)",
    "accounts_user_last_name_trgm": "upper(last_name::text)",
    "accounts_user_email_trgm": "upper(email::text)",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON accounts_user "
            f"USING gin ({expression} gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("campaigns", "0009_search_phones_and_reserved_slugs"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
