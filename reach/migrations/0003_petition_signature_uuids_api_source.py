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
        ("reach", "0002_petitions"),
    ]

    operations = [
        migrations.AddField(
            model_name="petition",
            name="uuid",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.AddField(
            model_name="signature",
            name="uuid",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(
            fill_uuids("reach.petition", "reach.signature"), migrations.RunPython.noop
        ),
        migrations.AlterField(
            model_name="petition",
            name="uuid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AlterField(
            model_name="signature",
            name="uuid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AlterField(
            model_name="signature",
            name="source",
            field=models.CharField(
                choices=[
                    ("online", "On line"),
                    ("paper", "On paper"),
                    ("api", "From another tool (API)"),
                ],
                max_length=10,
                verbose_name="source",
            ),
        ),
    ]
