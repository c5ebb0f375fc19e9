from django.core.management.base import BaseCommand
from django.db import transaction

from campaigns.models import Local
from campaigns.zones import local_time
from seeds.demo import (
    actions,
    api,
    bargaining,
    broadcasts,
    campaigns,
    coalition,
    demands,
    implementation,
    languages,
    partners,
    reach,
    surveys,
)

# The local and its campaign come first; then each area adds its part in this order, so later
# areas can use what earlier ones made (context holds the local, the campaign, buildings,
# organisations, the demo users and whatever each area adds).
AREAS = [
    partners,
    demands,
    coalition,
    actions,
    bargaining,
    implementation,
    languages,
    reach,
    # The surveys before the broadcasts: a draft gives each member their own survey link.
    surveys,
    broadcasts,
    api,
]


class Command(BaseCommand):
    help = "Load the demo campaign (Twin Rivers United Educators). Safe to run again."

    def handle(self, *args, **options):
        # "Today" and every date the demo writes are the demo local's, not the server's.
        with transaction.atomic(), local_time(campaigns.seed_local()):
            context = campaigns.seed()
            for area in AREAS:
                area.seed(context)
            # Seeding again adds to a local whose dashboard may be cached.
            Local.organizing_changed(*Local.objects.values_list("pk", flat=True))
        self.stdout.write(self.style.SUCCESS("Demo campaign ready."))
        self.stdout.write("Sign in at http://127.0.0.1:8000/ with password 'commongood' as:")
        for role, email in campaigns.DEMO_LOGINS.items():
            self.stdout.write(f"  {role:<8} {email}")
