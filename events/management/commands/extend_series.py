from django.core.management.base import BaseCommand
from django.utils import timezone

from events.series import series_extend_all


class Command(BaseCommand):
    help = "Create every series' dates up to the horizon now (the daily task, at once)."

    def handle(self, *args, **options):
        result = series_extend_all(now=timezone.now())
        self.stdout.write(
            f"{len(result.created)} dates created, {len(result.updated)} updated, "
            f"{len(result.cancelled)} cancelled."
        )
