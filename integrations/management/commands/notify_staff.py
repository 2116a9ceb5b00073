"""Run the staff-notice check now and print what it sent (nothing when nothing changed)."""

from django.core.management.base import BaseCommand

from integrations.notices.services import staff_notices_check


class Command(BaseCommand):
    help = (
        "Tell staff about integrations whose state changed since the last notice (and send "
        "the daily digest if its hour has come). Prints each notice sent."
    )

    def handle(self, *args, **options) -> None:
        for sent in staff_notices_check():
            self.stdout.write(str(sent))
