import uuid

from django.db import migrations, models


def fill_uuids(apps, schema_editor):
    """Give every existing supporter its own uuid: in one statement on PostgreSQL, row by row
    on SQLite."""
    supporter = apps.get_model("reach", "Supporter")
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {supporter._meta.db_table} SET uuid = gen_random_uuid() "
                "WHERE uuid IS NULL"
            )
        return
    for pk in supporter.objects.filter(uuid__isnull=True).values_list("pk", flat=True):
        supporter.objects.filter(pk=pk).update(uuid=uuid.uuid4())


class Migration(migrations.Migration):

    dependencies = [
        ("reach", "0004_petition_texts_translated"),
    ]

    operations = [
        migrations.AddField(
            model_name="supporter",
            name="uuid",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(fill_uuids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="supporter",
            name="uuid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
