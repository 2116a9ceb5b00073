#!/usr/bin/env python
"""Benchmark: the public pages and feeds stay as cheap with a big programme as with a small one.

In-process (Django's test client, no server), on a throwaway database (see throwaway_database):
for each address it counts the queries and times the median of a few requests with a small
programme (20 events) and with a big one (default 1,000), and times a conditional request that
answers 304. Prints, per address, the queries (small/big), the time ratio big/small, and the
ratio 304/full answer, all measured in this run.

Targets: the same number of queries for both programmes; on the HTML pages a 304 at most 0.8 of
a full answer's time. The feeds carry every event, so their first build grows with the
programme (shown as "first ms"); the built body is then kept for that state of the programme,
so later full answers and 304s do not. Exit status 1 when a target is missed.

    .venv/bin/python bench/public_pages.py [--events 1000] [--repeat 15]
"""

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

from throwaway_database import throwaway_database, without_password

ROOT = Path(__file__).resolve().parent.parent
ADDRESSES = ["/", "/events/", "/events/past/", "/events/{pk}/", "/events/{pk}.ics", "/events.ics"]
TARGET_304_RATIO = 0.8


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    database_url, drop_database = throwaway_database("bench_public")
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "tdc.settings",
            "DATABASE_URL": database_url,
            "DEBUG": "false",
            "SECRET_KEY": "bench-only-not-a-secret",
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "false",  # plain HTTP in process, no TLS proxy
            "REDIS_URL": "",
            "LOG_LEVEL": "WARNING",
            "CONN_MAX_AGE": "60",  # one connection, so every query is counted on it
            "SITE_URL": "https://bench.example.org",
        }
    )
    print(f"database: {without_password(database_url)} (throwaway)")
    sys.path.insert(0, str(ROOT))
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        small = _measure(_add_events(20, first=True), args.repeat)
        big = _measure(_add_events(args.events - 20), args.repeat)
    finally:
        from django.db import connections

        connections.close_all()
        drop_database()
    return _report(small, big, args)


def _add_events(count: int, first: bool = False) -> int:
    from django.utils import timezone

    from events.models import Artist, Event, EventArtist, Location

    if first:
        Location.objects.create(name="Main Stage", region="Dreamers Cave")
        for n in range(50):
            Artist.objects.create(name=f"Artist {n:02d}", link=f"https://a{n}.example.org/")
    stage = Location.objects.get()
    artists = list(Artist.objects.all())
    offset = Event.objects.count()
    start = timezone.now() - timedelta(days=count // 8)
    events = Event.objects.bulk_create(
        Event(
            title=f"Live night {offset + n}: città è più bella 🎶",
            title_it=f"Serata dal vivo {offset + n}",
            description="A night of songs.\n\nBring friends.",
            start_time=start + timedelta(hours=3 * n + 1),
            end_time=start + timedelta(hours=3 * n + 2),
            location=stage,
            status=Event.Status.SCHEDULED,
            audience=Event.Audience.PUBLIC,
        )
        for n in range(count)
    )
    EventArtist.objects.bulk_create(
        EventArtist(event=event, artist=artists[(n + k) % len(artists)], order=k)
        for n, event in enumerate(events)
        for k in range(2)
    )
    upcoming = Event.objects.filter(end_time__gt=timezone.now()).order_by("start_time").first()
    return upcoming.pk


def _measure(pk: int, repeat: int) -> dict:
    from django.core.signals import request_started
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    # Django empties the query log when a request starts: keep it, to count the queries.
    request_started.disconnect(reset_queries)
    client = Client()
    results = {}
    for template in ADDRESSES:
        url = template.format(pk=pk)
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            first = client.get(url)
        first_time = time.perf_counter() - started
        query_count = len(queries.captured_queries)
        assert first.status_code == 200, (url, first.status_code)
        full, cached = [], []
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(url)
            full.append(time.perf_counter() - started)
            started = time.perf_counter()
            answer = client.get(url, headers={"if-none-match": first["ETag"]})
            cached.append(time.perf_counter() - started)
            assert answer.status_code == 304, (url, answer.status_code)
        results[template] = {
            "queries": query_count,
            "first": first_time,
            "full": statistics.median(full),
            "cached": statistics.median(cached),
        }
    return results


def _report(small: dict, big: dict, args) -> int:
    print(
        f"\n{'address':<20}{'queries':>12}{'first ms':>10}{'small ms':>10}{'big ms':>10}"
        f"{'big/small':>11}{'304 ms':>9}{'304/full':>10}"
    )
    met = True
    for address in ADDRESSES:
        s, b = small[address], big[address]
        same_queries = s["queries"] == b["queries"]
        ratio_304 = b["cached"] / b["full"]
        page = not address.endswith(".ics")
        met = met and same_queries and (ratio_304 <= TARGET_304_RATIO or not page)
        print(
            f"{address:<20}{s['queries']:>5} / {b['queries']:<5}{b['first'] * 1000:>10.1f}"
            f"{s['full'] * 1000:>10.1f}{b['full'] * 1000:>10.1f}{b['full'] / s['full']:>10.2f}x"
            f"{b['cached'] * 1000:>9.1f}{ratio_304:>10.2f}"
        )
    print(
        f"\nprogrammes: 20 and {args.events} events; targets: same queries, "
        f"pages' 304 <= {TARGET_304_RATIO} of a full answer"
    )
    print("targets met" if met else "TARGETS MISSED")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
