"""`load_demo_data`: every screen has something in it, made by the real models and services,
without a single outside call, once."""

from datetime import timedelta

import pytest
import responses
from django.urls import reverse
from django.utils import timezone

from events.demo import DEMO_MARK, load_demo_data
from events.models import Event
from integrations.facebook.models import FacebookPost
from integrations.google_calendar.models import CalendarEntry
from integrations.models import IntegrationLog
from patreon_sync.models import ExclusiveContent, Supporter, SyncRun, Tier, WebhookDelivery
from patreon_sync.supporters.selectors import supporter_is_active

Status = Supporter.PatronStatus


@pytest.fixture
def loaded(db, django_capture_on_commit_callbacks):
    # `responses` with no registered URL fails any request made through requests.
    with responses.RequestsMock(assert_all_requests_are_fired=False) as network:
        with django_capture_on_commit_callbacks(execute=False):
            created = load_demo_data()
    assert len(network.calls) == 0
    return created


def test_the_demo_makes_no_outside_call_and_logs_none(loaded):
    assert loaded > 0
    assert not IntegrationLog.objects.exists()


def test_the_demo_has_supporters_in_every_state(loaded):
    now = timezone.now()
    supporters = {s.patreon_member_id: s for s in Supporter.objects.prefetch_related("tiers")}
    by_status = {}
    for supporter in supporters.values():
        by_status.setdefault(supporter.patron_status, []).append(supporter)
        assert DEMO_MARK in supporter.full_name
        assert supporter.email.endswith("@example.org")
    declined = by_status[Status.DECLINED]
    assert sorted(supporter_is_active(supporter=s, now=now) for s in declined) == [False, True]
    assert all(supporter_is_active(supporter=s, now=now) for s in by_status[Status.ACTIVE])
    assert by_status[Status.FORMER] and by_status[Status.NONE]
    free = by_status[Status.NONE][0]
    assert [tier.amount_cents for tier in free.tiers.all()] == [0]


def test_the_demo_has_tiers_content_deliveries_and_a_sync_run(loaded):
    assert sorted(Tier.objects.values_list("amount_cents", flat=True)) == [0, 300, 800]
    content_tiers = ExclusiveContent.objects.values_list("required_tier__amount_cents", flat=True)
    assert sorted(content_tiers) == [300, 800]
    statuses = set(WebhookDelivery.objects.values_list("status", flat=True))
    assert statuses == {WebhookDelivery.Status.PROCESSED, WebhookDelivery.Status.FAILED}
    assert SyncRun.objects.get().complete


def test_the_demo_has_posts_and_calendar_entries_in_several_states(loaded):
    post_states = set(FacebookPost.objects.values_list("status", flat=True))
    assert {FacebookPost.Status.POSTED, FacebookPost.Status.FAILED} <= post_states
    assert FacebookPost.Status.PREPARED in post_states
    assert all(post.message for post in FacebookPost.objects.all())
    entry_states = set(CalendarEntry.objects.values_list("state", flat=True))
    assert entry_states == {CalendarEntry.State.SYNCED, CalendarEntry.State.FAILED}
    assert DEMO_MARK in CalendarEntry.objects.get(state="failed").last_error


def test_a_second_run_adds_nothing(loaded):
    counts = [m.objects.count() for m in (Event, Supporter, FacebookPost, CalendarEntry)]
    assert load_demo_data() == 0
    assert [m.objects.count() for m in (Event, Supporter, FacebookPost, CalendarEntry)] == counts


def test_the_demo_only_fills_an_empty_database(db, make_event):
    make_event(start_time=timezone.now() + timedelta(days=1))
    assert load_demo_data() == 0
    assert not Supporter.objects.exists() and not FacebookPost.objects.exists()


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:patreon_sync_supporter_changelist",
        "admin:patreon_sync_tier_changelist",
        "admin:patreon_sync_exclusivecontent_changelist",
        "admin:patreon_sync_webhookdelivery_changelist",
        "admin:patreon_sync_syncrun_changelist",
        "admin:facebook_facebookpost_changelist",
        "admin:google_calendar_calendarentry_changelist",
        "admin:events_event_changelist",
    ],
)
def test_every_demo_screen_shows_demo_rows(loaded, staff_client, url_name):
    page = staff_client.get(reverse(url_name)).content.decode()
    table = page.partition('id="result_list"')[2].partition("</table>")[0]
    assert table.count("<tr") >= 2, "a header and at least one row"
