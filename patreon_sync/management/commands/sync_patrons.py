"""`manage.py sync_patrons`: read the campaign, its tiers and every member from Patreon."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from patreon_sync.supporters.sync import SyncFailed, sync_campaign
from patreon_sync.tokens import creator_client


class Command(BaseCommand):
    help = (
        "Reconcile supporters and tiers with Patreon (the truth): upserts every member; "
        "members missing from a complete listing become former patrons."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Read everything and report what would change, writing nothing.",
        )

    def handle(self, *args, dry_run: bool = False, **options):
        if not settings.PATREON_CREATOR_ACCESS_TOKEN:
            raise CommandError("PATREON_CREATOR_ACCESS_TOKEN is not set; nothing to sync with.")
        try:
            run, summary = sync_campaign(
                api=creator_client(), dry_run=dry_run, progress=self.stdout.write
            )
        except SyncFailed as failure:
            run = failure.run
            raise CommandError(
                f"Sync stopped after {run.pages} pages ({run.created} new, {run.changed} "
                f"changed so far; nobody was marked lapsed): {failure}"
            ) from failure
        prefix = "Dry run, nothing written: would have" if dry_run else "Done:"
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix} {run.members} members — {run.created} new, {run.changed} changed, "
                f"{run.lapsed} lapsed, {run.unchanged} unchanged; tiers "
                f"{summary.tiers_created} new, {summary.tiers_changed} changed."
            )
        )
        for title, count in sorted(summary.per_tier.items(), key=lambda item: (-item[1], item[0])):
            self.stdout.write(f"  {title}: {count} members entitled")
