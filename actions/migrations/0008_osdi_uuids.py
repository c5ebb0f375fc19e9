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
        ('actions', '0007_recipient_language'),
    ]

    operations = [
        migrations.AddField(
            model_name="rsvp",
            name="updated_at",
            field=models.DateTimeField(auto_now=True),
        ),
        migrations.AddField(
            model_name="action",
            name="uuid",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.AddField(
            model_name="participation",
            name="uuid",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.AddField(
            model_name="rsvp",
            name="uuid",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(
            fill_uuids('actions.action', 'actions.participation', 'actions.rsvp'),
            migrations.RunPython.noop,
        ),
        migrations.AlterField(
            model_name="action",
            name="uuid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AlterField(
            model_name="participation",
            name="uuid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AlterField(
            model_name="rsvp",
            name="uuid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
