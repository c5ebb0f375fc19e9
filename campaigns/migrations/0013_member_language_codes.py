from django.db import migrations

from accounts.languages import normalise_language


def to_codes(apps, schema_editor):
    """Members' languages as codes: "Spanish", "Español" and "es" all become "es"; words that
    name no known language stay as they are, for a leader to see and correct."""
    Member = apps.get_model("campaigns", "Member")
    values = Member.objects.exclude(preferred_language="").values_list(
        "preferred_language", flat=True
    )
    for value in set(values.distinct()):
        code = normalise_language(value)
        if code != value:
            Member.objects.filter(preferred_language=value).update(preferred_language=code)


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0012_local_content_languages"),
    ]

    operations = [migrations.RunPython(to_codes, migrations.RunPython.noop)]
