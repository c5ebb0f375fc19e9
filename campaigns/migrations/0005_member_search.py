"""Member search that ignores case, accents and apostrophes.

On PostgreSQL, ``cg_fold(text)`` is ``unaccent`` (an extension) without apostrophes, in lower
case, declared IMMUTABLE so that a trigram index on members' folded names can be built and
searched with LIKE. SQLite gets the same function from Python when it connects
(``campaigns.apps``), so nothing here runs there."""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

APOSTROPHES = "'’ʼ`´"


def create_fold(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'unaccent'"
        )
        schema = cursor.fetchone()[0]
    # unaccent() is only STABLE (its dictionary could change); naming the dictionary and the
    # schema makes the result depend on the text alone, which is what IMMUTABLE promises.
    schema_editor.execute(
        f"""
        CREATE OR REPLACE FUNCTION cg_fold(value text) RETURNS text
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        AS $$ SELECT lower(translate({schema}.unaccent('{schema}.unaccent'::regdictionary, value),
                                     $q${APOSTROPHES}$q$, '')) $$
        """
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS campaigns_member_folded_name_trgm ON campaigns_member "
        "USING gin (cg_fold(first_name || ' ' || last_name) gin_trgm_ops)"
    )
    # The expression Django's icontains compares, so an email search uses an index too.
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS campaigns_member_work_email_trgm ON campaigns_member "
        "USING gin (upper(work_email::text) gin_trgm_ops)"
    )


def drop_fold(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS campaigns_member_work_email_trgm")
    schema_editor.execute("DROP INDEX IF EXISTS campaigns_member_folded_name_trgm")
    schema_editor.execute("DROP FUNCTION IF EXISTS cg_fold(text)")


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0004_member_building_restrict"),
    ]

    operations = [
        UnaccentExtension(),
        TrigramExtension(),
        migrations.RunPython(create_fold, drop_fold),
    ]
