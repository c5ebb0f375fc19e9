from django.db import migrations, models
from django.db.models import Max, Q


def mark_finished(apps, schema_editor):
    """Broadcasts whose deliveries had all ended before this status existed say so too."""
    Broadcast = apps.get_model("broadcasts", "Broadcast")
    waiting = Q(deliveries__is_test=False, deliveries__status__in=["pending", "sending"])
    finished = Broadcast.objects.filter(status="scheduled").exclude(
        pk__in=Broadcast.objects.filter(waiting).values("pk")
    )
    for broadcast in finished.annotate(last=Max("deliveries__sent_at")):
        broadcast.status = "sent"
        broadcast.finished_at = broadcast.last or broadcast.scheduled_at
        broadcast.save(update_fields=["status", "finished_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("broadcasts", "0002_partner_and_supporter_segments"),
    ]

    operations = [
        migrations.AddField(
            model_name="broadcast",
            name="finished_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="sent at"),
        ),
        migrations.AlterField(
            model_name="broadcast",
            name="status",
            field=models.CharField(
                choices=[
                    ("draft", "Draft"),
                    ("scheduled", "Scheduled"),
                    ("sent", "Sent"),
                    ("cancelled", "Cancelled"),
                ],
                default="draft",
                max_length=20,
            ),
        ),
        migrations.RunPython(mark_finished, migrations.RunPython.noop),
    ]
