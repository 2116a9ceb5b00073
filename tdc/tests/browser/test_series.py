"""Staff enter a residency once in a real browser and skip one of its nights."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from playwright.sync_api import expect

from events.models import Event, Location, Series

ROME = ZoneInfo("Europe/Rome")


def test_staff_create_a_weekly_series_and_skip_a_date(signed_in):
    page = signed_in
    Location.objects.create(name="Main Stage", region="Dreamers Cave")
    first = timezone.now().astimezone(ROME).date() + timedelta(days=1)
    weekday = first.strftime("%A")

    page.goto("/admin/events/series/add/")
    page.get_by_label("Title (English)").fill("Friday Deep House")
    page.get_by_label("Event type").select_option(label="DJ set")
    page.get_by_label("Location").select_option(label="Main Stage")
    page.get_by_label("Status").select_option(label="Published")
    page.get_by_label("Starts at").fill("22:00")
    page.get_by_label("Duration (minutes)").fill("120")
    page.get_by_label("First date").fill(first.isoformat())
    page.get_by_label("Weekly", exact=True).check()
    page.get_by_label(weekday, exact=True).check()
    page.get_by_role("button", name="Save and continue editing").click()

    expect(page.locator(".messagelist .success")).to_contain_text("Friday Deep House")
    series = Series.objects.get()
    assert series.rule == f"FREQ=WEEKLY;BYDAY={first.strftime('%a')[:2].upper()}"
    upcoming = page.locator("#series-upcoming tbody tr")
    expect(upcoming).to_have_count(8)
    expect(upcoming.first).to_contain_text("Scheduled")

    second = upcoming.nth(1)
    night = (first + timedelta(weeks=1)).isoformat()
    expect(second).to_have_attribute("data-date", night)
    second.get_by_role("link", name="Skip").click()
    expect(page.locator("#content")).to_contain_text("stays cancelled")
    page.get_by_role("button", name=re.compile("Yes")).click()

    expect(page.locator(".messagelist .success")).to_contain_text("is skipped")
    skipped = page.locator(f'#series-upcoming tr[data-date="{night}"]')
    expect(skipped).to_contain_text("Cancelled")
    expect(skipped).to_contain_text("edited on its own")
    expect(skipped.get_by_role("link", name="Skip")).to_have_count(0)
    event = Event.objects.get(series=series, series_date=night)
    assert event.status == Event.Status.CANCELLED
    assert Event.objects.filter(series=series).count() == 8
