"""`manage.py sync_calendars [--dry-run]`: make both Google Calendars match the database."""

import time

from django.core.management.base import BaseCommand, CommandError

from integrations.google_calendar import reconcile
from integrations.google_calendar.client import CalendarClient
from integrations.http import IntegrationError, NotConfigured


class Command(BaseCommand):
    help = (
        "Reconcile the staff and public Google Calendars with the events: insert what is "
        "missing, update what differs, re-confirm what Google has as deleted, remove orphans."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Print the plan; change nothing."
        )

    def handle(self, *args, dry_run: bool = False, verbosity: int = 1, **options):
        started = time.monotonic()
        try:
            client = CalendarClient.from_settings()
            pacer = reconcile.Pacer()  # one budget for the listing and the changes
            plan = reconcile.plan_reconcile(client=client, pacer=pacer)
        except NotConfigured as error:
            raise CommandError(error.message) from error
        except IntegrationError as error:  # the credentials file, before any call
            raise CommandError(error.message) from error
        if not plan.listed:
            raise CommandError(plan.unlisted_summary())

        listed = ", ".join(f"{n} on the {c} calendar" for c, n in plan.listed.items())
        self.stdout.write(
            f"Google has {listed} ({plan.list_calls} list call(s)); "
            f"{len(plan.in_step)} in step, {len(plan.actions)} change(s) needed."
        )
        if plan.unlisted:
            self.stderr.write("Left alone: " + plan.unlisted_summary())
        if verbosity >= 1:
            for action in plan.actions:
                self.stdout.write("  " + action.describe())
        if dry_run:
            self.stdout.write("Dry run: nothing changed.")
            return
        outcome = reconcile.apply_plan(
            plan=plan, client=client, pacer=pacer, progress=self._progress(len(plan.actions))
        )
        elapsed = time.monotonic() - started
        skipped = (
            f", {outcome.skipped} no longer needed (the event changed meanwhile)"
            if outcome.skipped
            else ""
        )
        self.stdout.write(
            f"Done in {elapsed:.1f}s: {outcome.done} of {len(plan.actions)} change(s) made "
            f"with {outcome.calls} call(s){skipped}."
        )
        for error in outcome.errors:
            self.stderr.write("  " + error)
        if outcome.stopped:
            raise CommandError(f"Stopped early: {outcome.stopped}")
        problems = [f"{len(outcome.errors)} change(s) failed; see above"] if outcome.errors else []
        if plan.unlisted:
            problems.append(plan.unlisted_summary())
        if problems:
            raise CommandError("; ".join(problems))

    def _progress(self, total: int):
        step = max(25, total // 20)

        def report(done: int, total: int = total) -> None:
            if done % step == 0 and done != total:
                self.stdout.write(f"  … {done}/{total}")

        return lambda done, _total: report(done)
