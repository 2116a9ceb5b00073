from django.core.management.base import BaseCommand

from events.demo import load_demo_data


class Command(BaseCommand):
    help = (
        "Fill an empty database with demo locations, artists and two weeks of events, and "
        "each integration's demo rows around them. Never calls out; run twice, does nothing."
    )

    def handle(self, *args, **options):
        created = load_demo_data()
        if created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded {created} demo events, and demo supporters, posts and calendar "
                    "entries around them (made-up names and errors say “(demo)”)."
                )
            )
        else:
            self.stdout.write("The database already has events; demo data left alone.")
