import uuid

from django.db import migrations, models


def fill_uuids(*tables):
    """Give every existing row its own uuid: in one statement on PostgreSQL, row by row on
    SQLite."""

    def forwards(apps, schema_editor):
        connection = schema_editor.connection
        for label in tables:
            model = apps.get_model(*label.split("."))
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"UPDATE {model._meta.db_table} SET uuid = gen_random_uuid() "
                        "WHERE uuid IS NULL"
                    )
            else:
                for pk in model.objects.filter(uuid__isnull=True).values_list("pk", flat=True):
                    model.objects.filter(pk=pk).update(uuid=uuid.uuid4())

    return forwards


class Migration(migrations.Migration):

    dependencies = [
        ('campaigns', '0013_member_language_codes'),
    ]

    operations = [
        migrations.AddField(
            model_name="member",
            name="uuid",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(
            fill_uuids('campaigns.member'),
            migrations.RunPython.noop,
        ),
        migrations.AlterField(
            model_name="member",
            name="uuid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
