from django.core.management.base import BaseCommand
from django.db import transaction

from campaigns import demo


class Command(BaseCommand):
    help = "Load the demo campaign (Twin Rivers United Educators). Safe to run again."

    def handle(self, *args, **options):
        with transaction.atomic():
            demo.seed()
        self.stdout.write(self.style.SUCCESS("Demo campaign ready."))
        self.stdout.write("Sign in at http://127.0.0.1:8000/ with password 'commongood' as:")
        for role, email in demo.DEMO_LOGINS.items():
            self.stdout.write(f"  {role:<8} {email}")
