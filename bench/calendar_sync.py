#!/usr/bin/env python
"""Benchmark: Google Calendar API calls spent by the sync, against a local Calendar endpoint.

Runs on this machine only: a throwaway SQLite database under var/, a throwaway service-account
key, and the local HTTP endpoint of integrations/google_calendar/tests/fake_calendar_api.py
(the API subset we use, with Google's answers), reached through GOOGLE_CALENDAR_API_ENDPOINT.
It counts the API calls (the token exchange is counted apart) for:

  (a) one create, one edit, one delete of a public event     target: 1 call per calendar each
  (b) the same event saved 10 times with no visible change   target: 0 calls after the first
  (c) reconcile of N events (default 1,000) where 10 differ   target: list calls + 1 call per
                                                                       differing event/calendar

and prints the counts and the reconcile time. Exit status 1 when a target is missed.

    .venv/bin/python bench/calendar_sync.py [--events 1000] [--differ 10]
"""

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

INTERNAL = "staff@group.calendar.google.com"
PUBLIC = "public@group.calendar.google.com"


def main() -> int:
    args = _arguments()
    workdir = Path(tempfile.mkdtemp(prefix="tdc-bench-calendar-"))
    database = ROOT / "var" / "bench_calendar.sqlite3"
    database.unlink(missing_ok=True)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "tdc.settings",
            "SECRET_KEY": "bench-only-not-a-secret",
            "DATABASE_URL": f"sqlite:///{database}",
            "REDIS_URL": "",
            "LOG_LEVEL": "WARNING",
            "SITE_URL": "https://bench.example.org",
            "INTEGRATION_HTTP_BACKOFF": "0",
            "GOOGLE_CALENDAR_INTERNAL_ID": INTERNAL,
            "GOOGLE_CALENDAR_PUBLIC_ID": PUBLIC,
        }
    )
    from integrations.google_calendar.tests.fake_calendar_api import FakeCalendarApi

    with FakeCalendarApi([INTERNAL, PUBLIC]) as api:
        key_file = _service_account_file(workdir, token_uri=api.token_uri)
        os.environ["GOOGLE_CALENDAR_CREDENTIALS_PATH"] = str(key_file)
        os.environ["GOOGLE_CALENDAR_API_ENDPOINT"] = api.api_endpoint
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        try:
            ok = _run(api, args)
        finally:
            database.unlink(missing_ok=True)
    return 0 if ok else 1


def _run(api, args) -> bool:
    from django.db.models import F

    from events.models import Event, Location
    from integrations.google_calendar import reconcile
    from integrations.google_calendar.client import CalendarClient
    from integrations.google_calendar.sync import event_body, sync_event

    location = Location.objects.create(name="Main Stage", region="Dreamers Cave")
    start = datetime(2027, 1, 8, 20, 0, tzinfo=UTC)
    results = []

    def measure(label: str, target: int, action) -> None:
        api.reset_counts()
        action()
        results.append((label, api.api_calls, target, dict(api.calls), api.token_calls))

    # (a) one create, one edit, one delete
    event = Event.objects.create(
        title="Luna Sparrow Live",
        start_time=start,
        end_time=start + timedelta(minutes=90),
        location=location,
        status=Event.Status.SCHEDULED,
    )
    measure("(a) create", 2, lambda: sync_event(event_id=event.pk))

    def edit():
        event.title = "Luna Sparrow Live — acoustic"
        event.save()
        sync_event(event_id=event.pk)

    measure("(a) edit", 2, edit)

    # (b) ten saves with no visible change
    def ten_saves():
        for _ in range(10):
            Event.objects.get(pk=event.pk).save()
            sync_event(event_id=event.pk)

    measure("(b) 10 saves, no change", 0, ten_saves)

    def delete():
        event_id = event.pk
        Event.objects.filter(pk=event_id).delete()
        sync_event(event_id=event_id)

    measure("(a) delete", 2, delete)

    # (c) reconcile N events where `differ` differ. Google already holds every event (as if
    # synced earlier); a first reconcile confirms that with list calls only.
    events = Event.objects.bulk_create(
        Event(
            title=f"Evening {n}",
            start_time=start + timedelta(days=n % 365, hours=n % 3),
            end_time=start + timedelta(days=n % 365, hours=n % 3 + 2),
            location=location,
            status=Event.Status.SCHEDULED,
        )
        for n in range(args.events)
    )
    events = list(Event.objects.filter(pk__in=[e.pk for e in events]).select_related("location"))
    for event in events:
        body = event_body(event)
        for calendar in (INTERNAL, PUBLIC):
            api.calendars[calendar][body["id"]] = {**body, "etag": '"0"'}
    client = CalendarClient.from_settings()

    def reconcile_all() -> tuple[float, int]:
        started = time.perf_counter()
        plan = reconcile.plan_reconcile(client=client)
        outcome = reconcile.apply_plan(plan=plan, client=client)
        assert not outcome.errors, outcome.errors
        return time.perf_counter() - started, len(plan.actions)

    timings = {}
    measure(
        f"(c) first reconcile, {args.events} in step",
        2,
        lambda: timings.setdefault("first", reconcile_all()),
    )
    changed = [e.pk for e in events[:: max(1, len(events) // args.differ)][: args.differ]]
    Event.objects.filter(pk__in=changed).update(title=F("title") + " (moved indoors)")
    measure(
        f"(c) reconcile, {args.differ} of {args.events} differ",
        2 + 2 * args.differ,
        lambda: timings.setdefault("second", reconcile_all()),
    )

    print(f"{'scenario':<40} {'API calls':>9} {'target':>6}  detail (token exchanges)")
    ok = True
    for label, calls, target, detail, tokens in results:
        met = calls <= target
        ok &= met
        detail_text = ", ".join(f"{k} {v}" for k, v in sorted(detail.items())) or "none"
        print(
            f"{label:<40} {calls:>9} {target:>6}  {detail_text} ({tokens})"
            + ("" if met else "  MISSED")
        )
    for name, (seconds, actions) in timings.items():
        print(f"reconcile ({name}): {seconds:.2f}s for {args.events} events, {actions} change(s)")
    return ok


def _service_account_file(workdir: Path, *, token_uri: str) -> Path:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    path = workdir / "service-account.json"
    path.write_text(
        json.dumps(
            {
                "type": "service_account",
                "project_id": "bench",
                "private_key_id": "bench",
                "private_key": pem,
                "client_email": "bench@bench.iam.gserviceaccount.com",
                "client_id": "1",
                "token_uri": token_uri,
            }
        )
    )
    return path


def _arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--differ", type=int, default=10)
    return parser.parse_args()


if __name__ == "__main__":
    sys.exit(main())
