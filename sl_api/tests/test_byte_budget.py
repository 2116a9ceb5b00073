"""Every body fits `max_bytes` UTF-8 bytes and still parses: events are dropped, not cut."""

import json
from datetime import datetime, timedelta

import pytest

from events.models import Location
from sl_api.budget import ELLIPSIS, fit_records, shorten, utf8_len
from sl_api.tests.conftest import UTC

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
# 190 characters (titles hold 200), about 400 UTF-8 bytes.
LONG_ITALIAN = ("Perché è già così più bello — Caffè “Ünïcödé” 🎸🎤🇮🇹👨‍👩‍👧 " * 5)[:190]
BUDGETS = (256, 300, 777, 2048, 4000, 16384)


@pytest.fixture
def fifty_long_events(make_event, panel_clock):
    panel_clock.at = NOW
    stage = Location.objects.create(name="Sala è 🎶 " * 10, region="Città Ñ Región", x=1)
    for number in range(50):
        make_event(
            title=f"{number:02d} {LONG_ITALIAN}",
            title_it=f"{number:02d} IT {LONG_ITALIAN}",
            start_time=NOW + timedelta(hours=1, minutes=10 * number),  # all today in SLT
            location=stage,
            artists=[f"Artista {'ò' * 30} {number}-{n}" for n in range(5)],
        )


@pytest.mark.parametrize("max_bytes", BUDGETS)
@pytest.mark.parametrize("path", ("events", "events/today"))
@pytest.mark.parametrize("lang", ("en", "it"))
def test_lists_of_long_multibyte_titles_fit_and_parse(
    client, fifty_long_events, path, max_bytes, lang
):
    response = client.get(f"/api/v1/sl/{path}?limit=50&max_bytes={max_bytes}&lang={lang}")
    assert response.status_code == 200
    assert len(response.content) <= max_bytes
    events = json.loads(response.content.decode("utf-8"))
    assert events, "at least the soonest event is always shown"
    starts = [event["start"] for event in events]
    assert starts == sorted(starts)
    assert events[0]["title"].startswith("00 ")  # the soonest is kept, the trailing dropped


def test_the_list_uses_the_budget_instead_of_stopping_short(client, fifty_long_events):
    whole = client.get("/api/v1/sl/events?limit=50&max_bytes=16384").json()
    one_event_bytes = len(json.dumps(whole[0], ensure_ascii=False, separators=(",", ":")).encode())
    body = client.get("/api/v1/sl/events?limit=50&max_bytes=2048").content
    assert 2048 - len(body) < one_event_bytes + 1  # one more event would not have fitted


@pytest.mark.parametrize("max_bytes", BUDGETS)
@pytest.mark.parametrize("path", ("events", "events/today", "events/next"))
def test_text_bodies_fit_too(client, fifty_long_events, path, max_bytes):
    response = client.get(f"/api/v1/sl/{path}?limit=50&max_bytes={max_bytes}&format=text")
    assert len(response.content) <= max_bytes
    header, *lines = response.content.decode("utf-8").split("\n")
    assert int(header.split("|")[2]) == len(lines) >= 1


@pytest.mark.parametrize("max_bytes", (256, 300, 600))
def test_one_event_too_long_alone_is_shortened_with_an_ellipsis(
    client, make_event, panel_clock, max_bytes
):
    panel_clock.at = NOW
    make_event(title="Ü🎸" * 100, start_time=NOW + timedelta(hours=1))  # 600 bytes
    for path in ("events", "events/today", "events/next"):
        response = client.get(f"/api/v1/sl/{path}?max_bytes={max_bytes}")
        assert len(response.content) <= max_bytes
        body = response.json()
        event = body if path == "events/next" else body[0]
        assert event["title"].endswith(ELLIPSIS) and event["title"].startswith("Ü🎸")
        assert event["location"] == "Main Stage"  # short fields are left alone
        if path == "events/next":
            assert body["starts_in"] == 3600  # the countdown survives the shortening


def test_a_huge_slurl_is_dropped_rather_than_cut(client, make_event, panel_clock):
    panel_clock.at = NOW
    far = Location.objects.create(name="Far", region="Ω" * 100)  # 600 bytes once escaped
    make_event(title="Gig", location=far, start_time=NOW + timedelta(hours=1))
    event = client.get("/api/v1/sl/events?max_bytes=256").json()[0]
    assert event["slurl"] == ""
    wide = client.get("/api/v1/sl/events?max_bytes=2048").json()[0]
    assert wide["slurl"] == far.slurl


@pytest.mark.parametrize("limit", range(0, 40))
def test_shorten_never_exceeds_the_limit_nor_splits_a_character(limit):
    text = "aè€😀👨‍👩‍👧🇮🇹x\u0301 " * 3
    short = shorten(text, limit)
    assert utf8_len(short) <= limit
    assert short == text or short.endswith(ELLIPSIS) or short == ""
    assert short.encode().decode() == short
    assert "\u200d" + ELLIPSIS not in short  # no dangling joiner before the ellipsis


def test_shorten_keeps_text_that_fits():
    assert shorten("Caffè", 6) == "Caffè"
    assert shorten("Caffè sospeso", 9) == "Caffè…"  # 6 + 3 bytes


def test_shorten_leaves_no_half_flag():
    assert shorten("Italia 🇮🇹🇮🇹", len("Italia 🇮🇹🇮".encode()) + 3) == "Italia 🇮🇹…"


@pytest.mark.parametrize(("budget", "kept"), [(26, 3), (25, 2), (8, 1)])
def test_fit_records_drops_trailing_records_and_counts_separators(budget, kept):
    parts = fit_records(
        [{"title": "x" * 8} for _ in range(5)],
        render=lambda r: r["title"].encode(),
        budget=budget,
        separator_bytes=1,
        shortenable=["title"],
    )
    assert parts == [b"x" * 8] * kept  # three need 8 * 3 + 2 separators = 26 bytes
