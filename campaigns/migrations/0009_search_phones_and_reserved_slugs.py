"""Member search that ignores case, accents and apostrophes; phone numbers in E.164; slugs that
cannot take the place of a fixed address.

On PostgreSQL, ``cg_fold(text)`` is ``unaccent`` (an extension) without apostrophes, in lower
case, declared IMMUTABLE so that a trigram index on members' folded names can be built and
searched with LIKE. SQLite gets the same function from Python when it connects
(``campaigns.apps``), so nothing here runs there but the phone numbers."""

import phonenumbers
from django.conf import settings
from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations, models

import campaigns.slugs

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


def normalise(raw: str) -> str:
    """E.164 when the number is valid; what was there otherwise, so nothing is lost."""
    try:
        number = phonenumbers.parse(raw.strip(), settings.PHONE_REGION)
    except phonenumbers.NumberParseException:
        return raw
    if not phonenumbers.is_valid_number(number):
        return raw
    stored = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return f"{stored};ext={number.extension}" if number.extension else stored


def normalise_phones(apps, schema_editor):
    Member = apps.get_model("campaigns", "Member")
    changed = []
    for member in Member.objects.exclude(phone="").only("pk", "phone").iterator(chunk_size=2000):
        phone = normalise(member.phone)
        if phone != member.phone:
            member.phone = phone
            changed.append(member)
    Member.objects.bulk_update(changed, ["phone"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0008_campaign_public_version"),
    ]

    operations = [
        UnaccentExtension(),
        TrigramExtension(),
        migrations.RunPython(create_fold, drop_fold),
        migrations.RunPython(normalise_phones, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="campaign",
            name="slug",
            field=models.SlugField(
                help_text="Used in the public page's address.",
                unique=True,
                validators=[campaigns.slugs.validate_free_slug],
                verbose_name="web address",
            ),
        ),
        migrations.AlterField(
            model_name="local",
            name="slug",
            field=models.SlugField(
                unique=True,
                validators=[campaigns.slugs.validate_free_slug],
                verbose_name="short name",
            ),
        ),
    ]
