"""Trigram indexes for the member search's other branches: part of an employee id, a personal
email, the digits of a phone number, a building's name. Each is built on the very expression Django's lookup
compares (``UPPER(col::text)`` for icontains, ``col::text`` for contains), so PostgreSQL can use
it; SQLite has no trigram indexes and needs nothing."""

from django.db import migrations

INDEXES = {
    "campaigns_member_employee_id_trgm": ("campaigns_member", "upper(employee_id::text)"),
    "campaigns_member_personal_email_trgm": ("campaigns_member", "upper(personal_email::text)"),
    "campaigns_member_phone_trgm": ("campaigns_member", "(phone::text)"),
    # A building's name typed in the member search, compared folded as names are.
    "campaigns_building_folded_name_trgm": ("campaigns_building", "cg_fold(name)"),
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, expression) in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({expression} gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0009_search_phones_and_reserved_slugs")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
