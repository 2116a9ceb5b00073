#!/usr/bin/env python
"""Benchmark: the Second Life panel endpoint against the health endpoint, under gunicorn.

Runs on this machine, loopback only, bounded in time:

1. makes a throwaway database: a SQLite file under var/ (default), or, when DATABASE_URL is a
   mysql:// URL, a database named `<that name>_bench_sl` on the same server (the database in the
   URL itself is never touched); migrates it and adds 500 upcoming public events;
2. starts gunicorn (gthread workers, so connections stay alive) on a free 127.0.0.1 port;
3. drives GET /api/v1/health and GET /api/v1/sl/events one after the other, in alternating
   rounds (so background load on the machine weighs on both alike), each for the same total
   duration over the same keep-alive connections (an asyncio load generator: no extra tool);
4. prints requests/s and p50/p99 latency for both and the throughput ratio, stops gunicorn and
   drops the throwaway database.

Targets: the panel endpoint at >= 0.8 of health's throughput, and its p99 under 50 ms. The exit
status is 1 when a target is missed or a request failed.

    .venv/bin/python bench/sl_api.py [--duration 10] [--connections 32] [--events 500]
"""

import argparse
import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from throwaway_database import throwaway_database, without_password

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 0.8
TARGET_P99_MS = 50.0


def main() -> int:
    args = _arguments()
    database_url, drop_database = throwaway_database("bench_sl")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tdc.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "false",  # DEBUG keeps every query in memory: not what production runs
        "SECRET_KEY": "bench-only-not-a-secret",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",  # plain HTTP on this machine, no TLS proxy
        "CONN_MAX_AGE": os.environ.get("CONN_MAX_AGE", "60"),
        "REDIS_URL": "",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    print(f"database: {without_password(database_url)} (throwaway)")
    gunicorn = None
    try:
        _prepare_database(args.events)
        port = _free_port()
        # gunicorn's rule of thumb, 2 x cores + 1: with threads alone the GIL queues requests.
        workers = args.workers or 2 * (os.cpu_count() or 1) + 1
        threads = max(1, -(-args.connections // workers))  # every connection gets a thread
        gunicorn = subprocess.Popen(
            [
                _gunicorn(),
                "tdc.wsgi:application",
                f"--bind=127.0.0.1:{port}",
                "--worker-class=gthread",
                f"--workers={workers}",
                f"--threads={threads}",
                "--keep-alive=30",
                "--log-level=warning",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,  # its own process group: stopped as a whole below
        )
        print(
            f"gunicorn: 127.0.0.1:{port}, {workers} gthread workers x {threads} threads, "
            f"CONN_MAX_AGE={env['CONN_MAX_AGE']}"
        )
        _wait_until_up(port, gunicorn)
        results = asyncio.run(_measure_both(port, args))
    finally:
        if gunicorn is not None:
            os.killpg(gunicorn.pid, signal.SIGTERM)
            try:
                gunicorn.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(gunicorn.pid, signal.SIGKILL)
        drop_database()
    return _report(results, args)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per endpoint")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds before measuring")
    parser.add_argument("--rounds", type=int, default=10, help="alternations of the two")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--panel-path", default="/api/v1/sl/events", help="the panel URL to load")
    parser.add_argument("--workers", type=int, default=0, help="default: 2 x CPUs + 1")
    args = parser.parse_args()
    if not (0 < args.duration <= 120 and 0 < args.connections <= 256 and 0 < args.rounds <= 50):
        parser.error("duration must be in (0, 120] s, connections in (0, 256], rounds in (0, 50]")
    return args


# --- the benchmark's database -----------------------------------------------------------------


def _prepare_database(count: int) -> None:
    sys.path.insert(0, str(ROOT))
    import django  # after the environment is set

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from events.models import Artist, Event, EventArtist, Location

    call_command("migrate", verbosity=0)
    stages = [
        Location.objects.create(name=f"Stage {n}", region=f"Dreamers Cave {n}") for n in range(3)
    ]
    artists = [Artist.objects.create(name=f"Artist {n:03d}") for n in range(100)]
    start = timezone.now() + timedelta(hours=1)
    events = Event.objects.bulk_create(
        Event(
            title=f"Live night {n}: città è più bella 🎶",
            title_it=f"Serata dal vivo {n}",
            start_time=start + timedelta(hours=6 * n),
            end_time=start + timedelta(hours=6 * n + 2),
            location=stages[n % len(stages)],
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
    from django.db import connections

    connections.close_all()
    print(f"events: {count} upcoming, public, scheduled, two artists each")


# --- gunicorn ----------------------------------------------------------------------------------


def _gunicorn() -> str:
    """gunicorn from this interpreter's environment (requirements.txt pins it)."""
    beside = Path(sys.executable).parent / "gunicorn"
    found = str(beside) if beside.exists() else shutil.which("gunicorn")
    if not found:
        raise SystemExit("gunicorn not found: run with .venv/bin/python (pip install -r ...)")
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(port: int, gunicorn: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if gunicorn.poll() is not None:
            raise SystemExit(f"gunicorn exited with status {gunicorn.returncode}")
        try:
            status, _ms = asyncio.run(_one_request(port, "/api/v1/health"))
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("gunicorn did not answer within 30 seconds")


# --- the load generator -------------------------------------------------------------------------


async def _one_request(port: int, path: str) -> tuple[int, float]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        started = time.perf_counter()
        status = await _exchange(reader, writer, _request_bytes(path))
        return status, (time.perf_counter() - started) * 1000
    finally:
        writer.close()


def _request_bytes(path: str) -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n".encode()


async def _exchange(reader, writer, request: bytes) -> int:
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
    if length:
        await reader.readexactly(length)
    return status


async def _drive(port: int, path: str, connections: int, seconds: float) -> dict:
    """Keep `connections` keep-alive connections busy for `seconds`; latencies in ms."""
    request = _request_bytes(path)
    latencies: list[float] = []
    failures = 0
    stop_at = time.perf_counter() + seconds

    async def connection() -> None:
        nonlocal failures
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while time.perf_counter() < stop_at:
                started = time.perf_counter()
                status = await _exchange(reader, writer, request)
                latencies.append((time.perf_counter() - started) * 1000)
                if status != 200:
                    failures += 1
        finally:
            writer.close()

    started, cpu_started = time.perf_counter(), time.process_time()
    await asyncio.wait_for(
        asyncio.gather(*(connection() for _ in range(connections))), timeout=seconds + 30
    )
    return {
        "latencies": latencies,
        "failures": failures,
        "elapsed": time.perf_counter() - started,
        "client_cpu": time.process_time() - cpu_started,
    }


def _summary(path: str, runs: list[dict]) -> dict:
    latencies = sorted(ms for run in runs for ms in run["latencies"])
    elapsed = sum(run["elapsed"] for run in runs)
    return {
        "path": path,
        "requests": len(latencies),
        "failures": sum(run["failures"] for run in runs),
        "rps": len(latencies) / elapsed,
        "p50": _percentile(latencies, 50),
        "p99": _percentile(latencies, 99),
        "client_cpu": sum(run["client_cpu"] for run in runs) / elapsed,
    }


def _percentile(ordered: list[float], percent: float) -> float:
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(len(ordered) * percent / 100))]


async def _measure_both(port: int, args: argparse.Namespace) -> list[dict]:
    paths = ["/api/v1/health", args.panel_path]
    for path in paths:  # warm both: imports, database connections, the kept panel
        await _drive(port, path, args.connections, args.warmup)
    # Alternating short rounds, so that whatever else the machine does weighs on both alike.
    runs: dict[str, list[dict]] = {path: [] for path in paths}
    each = args.duration / args.rounds
    print(
        f"loading {' and '.join(paths)} alternately, {args.rounds} x {each:g} s each, "
        f"over {args.connections} keep-alive connections..."
    )
    for _round in range(args.rounds):
        for path in paths:
            runs[path].append(await _drive(port, path, args.connections, each))
    return [_summary(path, runs[path]) for path in paths]


def _report(results: list[dict], args: argparse.Namespace) -> int:
    health, panel = results
    print()
    print(f"{'endpoint':<28}{'requests':>10}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'fail':>6}")
    for row in results:
        print(
            f"{row['path']:<28}{row['requests']:>10}{row['rps']:>10.0f}"
            f"{row['p50']:>10.2f}{row['p99']:>10.2f}{row['failures']:>6}"
            f"   (load generator used {row['client_cpu']:.0%} of a CPU)"
        )
    ratio = panel["rps"] / health["rps"]
    print(f"\nratio sl/health: {ratio:.2f} (target >= {TARGET_RATIO})")
    print(f"sl p99: {panel['p99']:.2f} ms (target < {TARGET_P99_MS:g} ms)")
    met = (
        ratio >= TARGET_RATIO
        and panel["p99"] < TARGET_P99_MS
        and not (health["failures"] or panel["failures"])
    )
    print("targets met" if met else "TARGETS MISSED")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
