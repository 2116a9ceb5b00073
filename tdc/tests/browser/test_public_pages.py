"""The audience's pages in a real browser: the countdown, the visitor's own time, the pages
without JavaScript, on a phone, and axe-core's accessibility audit."""

import re
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from events.models import Event

AXE = settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def programme(transactional_db, make_event):
    """A next event with a link-bearing line-up, a later one, a past and a cancelled one."""
    today = timezone.now().astimezone(UTC).date()
    start = datetime(today.year, today.month, today.day, 20, 0, tzinfo=UTC) + timedelta(days=3)
    events = {
        "next": make_event(
            title="Luna Sparrow Live",
            title_it="Luna Sparrow dal vivo",
            description="Songs under the stars.",
            start_time=start,
        ),
        "later": make_event(title="Nox DJ set", start_time=start + timedelta(days=2)),
        "past": make_event(title="Autumn night", start_time=start - timedelta(days=30)),
        "cancelled": make_event(
            title="Rainy night", status=Event.Status.CANCELLED, start_time=start + timedelta(days=1)
        ),
    }
    return events


@contextmanager
def browser_page(chromium, live_server, **options):
    context = chromium.new_context(base_url=live_server.url, locale="en-GB", **options)
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def test_the_countdown_ticks_down_to_the_next_event(chromium, live_server, programme):
    start = programme["next"].start_time
    with browser_page(chromium, live_server) as page:
        # The page's clock is ours: 1 day, 2 hours, 3 minutes and 4 seconds before the start.
        shown_at = start - timedelta(days=1, hours=2, minutes=3, seconds=4)
        page.clock.install(time=shown_at - timedelta(seconds=5))
        page.clock.pause_at(shown_at)
        page.goto("/")
        countdown = page.locator("[data-countdown]")
        expect(countdown).to_have_text("Starts in 1 d 02:03:04")
        page.clock.run_for(2000)
        expect(countdown).to_have_text("Starts in 1 d 02:03:02")
        page.clock.run_for(
            int(timedelta(days=1, hours=2, minutes=3, seconds=3).total_seconds() * 1000)
        )
        expect(countdown).to_have_text("On now!")


def test_the_start_is_shown_in_the_visitors_own_zone(chromium, live_server, programme):
    event = programme["next"]
    tokyo = event.start_time.astimezone(ZoneInfo("Asia/Tokyo"))
    with browser_page(chromium, live_server, timezone_id="Asia/Tokyo") as page:
        for url in ("/", f"/events/{event.pk}/"):
            page.goto(url)
            local = page.locator("[data-local-time]").first
            expect(local).to_be_visible()
            expect(local).to_contain_text("Your time")
            expect(local).to_contain_text(f"{tokyo:%H:%M}")
            expect(local).to_contain_text("Asia/Tokyo")
            # The SLT time is in the page itself.
            expect(page.locator(".when").first).to_contain_text("SLT")


def test_without_javascript_the_pages_still_say_when(chromium, live_server, programme):
    event = programme["next"]
    with browser_page(chromium, live_server, java_script_enabled=False) as page:
        page.goto(f"/events/{event.pk}/")
        expect(page.locator(".when")).to_contain_text("SLT")
        expect(page.get_by_text(re.compile(r"\d\d:\d\d CE[S]?T in Italy"))).to_be_visible()
        expect(page.locator("[data-local-time]")).to_be_hidden()
        expect(page.get_by_role("link", name="Teleport")).to_have_attribute(
            "href", re.compile(r"^https://maps\.secondlife\.com/secondlife/")
        )
        expect(page.get_by_role("link", name="Add to calendar (.ics)")).to_have_attribute(
            "href", f"/events/{event.pk}.ics"
        )
        page.goto("/")
        expect(page.locator("[data-countdown]")).to_be_hidden()
        expect(page.get_by_role("heading", name="Luna Sparrow Live")).to_be_visible()


def test_without_javascript_the_language_switch_still_works(chromium, live_server, programme):
    event = programme["next"]
    with browser_page(chromium, live_server, java_script_enabled=False) as page:
        page.goto(f"/events/{event.pk}/")
        page.get_by_role("button", name="Italiano").click()
        expect(page.locator("h1")).to_have_text("Luna Sparrow dal vivo")
        page.get_by_role("button", name="English").click()
        expect(page.locator("h1")).to_have_text("Luna Sparrow Live")


def test_a_cancelled_event_keeps_its_page_with_a_banner(chromium, live_server, programme):
    with browser_page(chromium, live_server) as page:
        page.goto(f"/events/{programme['cancelled'].pk}/")
        expect(page.get_by_role("alert")).to_have_text("This event has been cancelled.")
        expect(page.get_by_role("link", name="Add to calendar (.ics)")).to_have_count(0)


def test_the_pages_fit_a_phone(chromium, live_server, programme):
    with browser_page(chromium, live_server, viewport={"width": 360, "height": 740}) as page:
        for url in ("/", "/events/", "/events/past/", f"/events/{programme['next'].pk}/"):
            page.goto(url)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, url


def test_axe_finds_no_serious_accessibility_problem(chromium, live_server, programme):
    if not AXE.is_file():
        pytest.fail("axe-core is missing: run `npm ci` in the project (package.json).")
    urls = [
        "/",
        "/events/",
        "/events/past/",
        f"/events/{programme['next'].pk}/",
        f"/events/{programme['cancelled'].pk}/",
        "/supporters/",
    ]
    # The audit's script is injected into the page: let it past the Content-Security-Policy.
    for scheme in ("light", "dark"):
        with browser_page(chromium, live_server, bypass_csp=True, color_scheme=scheme) as page:
            for url in urls:
                page.goto(url)
                page.add_script_tag(path=str(AXE))
                violations = page.evaluate(
                    """async () => {
                      const result = await axe.run(document);
                      return result.violations
                        .filter(v => v.impact === "serious" || v.impact === "critical")
                        .map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).join(", "));
                    }"""
                )
                assert violations == [], f"{url} ({scheme}): {violations}"
