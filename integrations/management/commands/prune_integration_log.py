"""`manage.py prune_integration_log`: delete external-call log rows past their retention."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from integrations.log_retention import prune_call_log, retention_cutoff
from integrations.models import IntegrationLog


class Command(BaseCommand):
    help = (
        "Delete external-call log rows older than INTEGRATION_LOG_RETENTION_DAYS "
        "(the worker also does this daily)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Keep this many days instead "
            f"(default {settings.INTEGRATION_LOG_RETENTION_DAYS}).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be deleted; delete nothing."
        )

    def handle(self, *args, days, dry_run, **options):
        now = timezone.now()
        try:
            cutoff = retention_cutoff(now=now, retention_days=days)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if dry_run:
            count = IntegrationLog.objects.filter(created_at__lt=cutoff).count()
            self.stdout.write(
                f"Would delete {count} log rows older than {cutoff:%Y-%m-%d %H:%M} UTC."
            )
            return
        deleted = prune_call_log(now=now, retention_days=days)
        self.stdout.write(f"Deleted {deleted} log rows older than {cutoff:%Y-%m-%d %H:%M} UTC.")
