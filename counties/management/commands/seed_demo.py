"""Make a believable demo: Samburu and Turkana, their partners, one user per role,
and every feature's demo data.

Runs once: a second run finds the demo users and stops. `make run` calls it.
Each app with demo data has ``<app>/demo.py`` with ``seed(demo)``; add yours to
``SEEDERS`` in the order the data depends on.
"""

from importlib import import_module

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from counties import demo_offices
from counties.demo import DEMO_PASSWORD, Demo, logins

SEEDERS = [
    "counties.demo",
    "counties.demo_offices",
    "counties.demo_engagement",
    "counties.demo_meetings",
    "counties.demo_contacts",
    "sectorplans.demo",
    "workplans.demo",
    "monitoring.demo",
    "progress.demo",
    "calendars.demo",
    "learning.demo",
    # Keep last: this morning's reminder sweep over the dated items seeded above.
    "notifications.demo",
    # Queues a PDF for the worker of `make run` (no dated items: after the sweep is fine).
    "documents.demo",
]


class Command(BaseCommand):
    help = "Create demo data (Samburu and Turkana) once and print the demo logins."

    def handle(self, *args, **options):
        if get_user_model().objects.filter(email="secretariat@samburu.demo").exists():
            self.stdout.write("Demo data already seeded.")
        else:
            demo = Demo()
            with transaction.atomic():
                for module in SEEDERS:
                    import_module(module).seed(demo)
            self.stdout.write(self.style.SUCCESS("Demo data created."))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for email, where in [*logins(), *demo_offices.logins()]:
            self.stdout.write(f"  {email:<25} {where}")
