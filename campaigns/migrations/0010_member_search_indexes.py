"""Trigram indexes for the member search's other branches: part of an employee id, a personal
email, the digits of a phone number. Each is built on the very expression Django's lookup
compares (``UPPER(col::text)`` for icontains, ``col::text`` for contains), so PostgreSQL can use
it; SQLite has no trigram indexes and needs nothing."""

from django.db import migrations

INDEXES = {
    "campaigns_member_employee_id_trgm": "upper(employee_id::text) gin_trgm_ops",
    "campaigns_member_personal_email_trgm": "upper(personal_email::text) gin_trgm_ops",
    "campaigns_member_phone_trgm": "(phone::text) gin_trgm_ops",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON campaigns_member USING gin ({expression})"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0009_search_phones_and_reserved_slugs")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
