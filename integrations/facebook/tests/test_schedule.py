"""Page posts on a schedule: approval, then the every-minute task, driven by an explicit clock."""

from datetime import UTC, datetime, time, timedelta

import pytest
import responses
from django_q.models import Schedule

from events.models import Artist, Event
from events.services import event_set_artists
from integrations.facebook import publish, services, tasks
from integrations.facebook.models import AnnouncementMoment, FacebookPost, PostTemplate
from integrations.facebook.selectors import schedule_previews

from .conftest import GRAPH, PAGE_ID, graph_error

FEED = f"{GRAPH}/{PAGE_ID}/feed"
POST_ID = f"{PAGE_ID}_777"
Status = FacebookPost.Status
# The default event starts Sat 5 Dec 2026 at 20:00 UTC (21:00 in Rome, 12:00 SLT).
START = datetime(2026, 12, 5, 20, 0, tzinfo=UTC)
MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # before every moment of the default plans


@pytest.fixture(autouse=True)
def no_network():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def approve(event, *, now=MONDAY, at=None, user=None, key="5b0c2b43-04a5-4f0e-9b44-2b8b0f0c0a01"):
    [preview] = schedule_previews(events=[event], now=now, at=at)
    return services.scheduled_posts_create(
        event_ids=[event.pk],
        user=user,
        request_keys={event.pk: key},
        digests={event.pk: preview.digest},
        now=now,
        at=at,
    )


def page_accepts(no_network):
    no_network.post(FEED, json={"id": POST_ID})
    no_network.get(f"{GRAPH}/{POST_ID}", json={"id": POST_ID, "permalink_url": ""})


def test_the_default_plan_of_a_live_singer_has_three_moments_at_exact_times(make_event):
    event = make_event()
    [preview] = schedule_previews(events=[event], now=MONDAY)
    assert [(p.moment, p.scheduled_for) for p in preview.posts] == [
        ("7 days before at 19:00 Europe/Rome", datetime(2026, 11, 28, 18, 0, tzinfo=UTC)),
        ("on the day at 12:00 Europe/Rome", datetime(2026, 12, 5, 11, 0, tzinfo=UTC)),
        ("15 minutes before the start", START - timedelta(minutes=15)),
    ]
    assert preview.posts[0].when == "Sat 28 Nov 2026, 19:00 CET · 10:00 SLT"
    assert "Luna Sparrow Live" in preview.posts[0].message


def test_approving_creates_one_scheduled_post_per_moment(make_event, facebook, staff_user):
    event = make_event()
    outcome = approve(event, user=staff_user)
    posts = list(FacebookPost.objects.order_by("scheduled_for"))
    assert len(outcome.created) == 3 and outcome.skipped == []
    assert [p.status for p in posts] == [Status.SCHEDULED] * 3
    assert posts[2].scheduled_for == START - timedelta(minutes=15)
    assert posts[0].created_by == staff_user


def test_approving_the_same_plan_twice_doubles_nothing(make_event, facebook):
    event = make_event()
    approve(event)
    again = approve(event, key="0e7f0b43-04a5-4f0e-9b44-2b8b0f0c0a02")  # a second approval
    resent = approve(event)  # the same form sent twice
    assert FacebookPost.objects.count() == 3
    assert again.created == [] and resent.created == []


def test_moments_already_past_are_skipped(make_event, facebook):
    event = make_event()
    on_wednesday = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    outcome = approve(event, now=on_wednesday)
    assert [p.moment for p in outcome.created] == [
        "on the day at 12:00 Europe/Rome",
        "15 minutes before the start",
    ]


def test_a_scheduled_post_is_published_at_its_time_not_before(make_event, facebook, no_network):
    event = make_event()
    approve(event)
    first = FacebookPost.objects.order_by("scheduled_for").first()
    assert publish.scheduled_posts_publish_due(now=first.scheduled_for - timedelta(seconds=1)) == {}
    assert len(no_network.calls) == 0
    page_accepts(no_network)
    assert publish.scheduled_posts_publish_due(now=first.scheduled_for + timedelta(seconds=30)) == {
        Status.POSTED: 1
    }
    first.refresh_from_db()
    assert (first.status, first.remote_id) == (Status.POSTED, POST_ID)
    assert no_network.calls[0].request.url == FEED
    assert FacebookPost.objects.filter(status=Status.SCHEDULED).count() == 2


def test_the_every_minute_task_runs_the_same_publishing(make_event, facebook, no_network):
    event = make_event(start_time=datetime.now(UTC) + timedelta(hours=3))
    approve(event, now=datetime.now(UTC), at=datetime.now(UTC) + timedelta(hours=1))
    post = FacebookPost.objects.get()
    FacebookPost.objects.filter(pk=post.pk).update(scheduled_for=datetime.now(UTC))
    page_accepts(no_network)
    assert tasks.publish_due_posts() == {Status.POSTED: 1}


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"status": Event.Status.CANCELLED}, "Not posted: the event was cancelled."),
        ({"audience": Event.Audience.STAFF}, "Not posted: the event was made staff-only."),
        ({"status": Event.Status.DRAFT}, "Not posted: the event was made a draft."),
    ],
)
def test_a_post_of_an_event_no_longer_for_the_page_is_cancelled_with_the_reason(
    make_event, facebook, no_network, change, reason
):
    event = make_event()
    approve(event)
    Event.objects.filter(pk=event.pk).update(**change)
    first = FacebookPost.objects.order_by("scheduled_for").first()
    publish.scheduled_posts_publish_due(now=first.scheduled_for)
    first.refresh_from_db()
    assert (first.status, first.error_message) == (Status.CANCELLED, reason)
    assert len(no_network.calls) == 0


@pytest.mark.parametrize("edit", ["time", "title", "line-up", "template"])
def test_a_post_whose_text_changed_since_approval_is_held_never_published(
    make_event, facebook, no_network, edit
):
    event = make_event()
    approve(event)
    if edit == "time":
        event.start_time += timedelta(hours=1)
        event.end_time += timedelta(hours=1)
        event.save()
    elif edit == "title":
        event.title = "Luna Sparrow Unplugged"
        event.save()
    elif edit == "line-up":
        event_set_artists(event=event, artists=[Artist.objects.create(name="Orla Finch")])
    else:
        PostTemplate.objects.filter(event_type="live_singer").update(text="New words: {title}")
    first = FacebookPost.objects.order_by("scheduled_for").first()
    assert publish.scheduled_posts_publish_due(now=first.scheduled_for) == {Status.HELD: 1}
    first.refresh_from_db()
    assert first.status == Status.HELD
    assert first.error_message.startswith("Held: since it was approved")
    assert len(no_network.calls) == 0


def test_a_moved_event_holds_a_post_whose_text_does_not_show_the_time(make_event, facebook):
    PostTemplate.objects.filter(event_type="live_singer").update(text="Tonight: {title}!")
    event = make_event()
    approve(event)
    event.start_time += timedelta(hours=2)
    event.end_time += timedelta(hours=2)
    event.save()
    last = FacebookPost.objects.order_by("scheduled_for").last()
    assert publish.scheduled_posts_publish_due(now=last.scheduled_for)[Status.HELD] >= 1
    last.refresh_from_db()
    assert last.status == Status.HELD  # "15 minutes before" would be 2 h 15 min early


def test_a_held_post_approved_again_goes_out_with_the_new_text(make_event, facebook, no_network):
    event = make_event()
    approve(event)
    event.title = "Luna Sparrow Unplugged"
    event.save()
    first = FacebookPost.objects.order_by("scheduled_for").first()
    publish.scheduled_posts_publish_due(now=first.scheduled_for)
    # Approved again five minutes after its moment (within the grace): the next run posts it.
    later = first.scheduled_for + timedelta(minutes=5)
    _when, text, problem = services.reapproval_preview(first, now=later)
    assert problem == "" and "Luna Sparrow Unplugged" in text
    assert (
        services.scheduled_post_reapprove(
            post_id=first.pk, digest=services.text_digest(text), now=later
        )
        == ""
    )
    first.refresh_from_db()
    assert (first.status, first.message) == (Status.SCHEDULED, text)
    page_accepts(no_network)
    publish.scheduled_posts_publish_due(now=later + timedelta(minutes=1))
    first.refresh_from_db()
    assert first.status == Status.POSTED


def test_an_edit_holds_the_posts_of_the_next_day_before_their_moment(make_event, facebook):
    event = make_event()
    approve(event)
    event.title = "Luna Sparrow Unplugged"
    event.save()
    the_day_before = START - timedelta(hours=23)
    publish.scheduled_posts_publish_due(now=the_day_before)
    statuses = list(FacebookPost.objects.order_by("scheduled_for").values_list("status", flat=True))
    # The week-before post was due days ago (no run reached it): missed, not held.
    assert statuses == [Status.MISSED, Status.HELD, Status.HELD]


def test_a_moved_event_places_a_held_moment_again_on_its_new_start(make_event, facebook):
    event = make_event()
    approve(event)
    event.start_time += timedelta(days=1)
    event.end_time += timedelta(days=1)
    event.save()
    last = FacebookPost.objects.order_by("scheduled_for").last()
    publish.scheduled_posts_publish_due(now=last.scheduled_for)
    last.refresh_from_db()
    assert last.status == Status.HELD
    when, _text, _problem = services.reapproval_preview(last, now=last.scheduled_for)
    assert when == START + timedelta(days=1) - timedelta(minutes=15)


def test_a_worker_back_within_the_grace_publishes_what_it_missed(
    make_event, facebook, no_network, settings
):
    settings.FACEBOOK_SCHEDULE_GRACE_MINUTES = 60
    event = make_event()
    approve(event)
    first = FacebookPost.objects.order_by("scheduled_for").first()
    page_accepts(no_network)
    publish.scheduled_posts_publish_due(now=first.scheduled_for + timedelta(minutes=59))
    first.refresh_from_db()
    assert first.status == Status.POSTED


def test_a_worker_back_after_the_grace_marks_the_post_missed(
    make_event, facebook, no_network, settings
):
    settings.FACEBOOK_SCHEDULE_GRACE_MINUTES = 60
    event = make_event()
    approve(event)
    first = FacebookPost.objects.order_by("scheduled_for").first()
    publish.scheduled_posts_publish_due(now=first.scheduled_for + timedelta(minutes=61))
    first.refresh_from_db()
    assert first.status == Status.MISSED
    assert "more than 60 minutes ago" in first.error_message
    assert len(no_network.calls) == 0


def test_a_held_post_whose_moment_passed_the_grace_becomes_missed(make_event, facebook):
    event = make_event()
    approve(event)
    event.title = "Changed"
    event.save()
    first = FacebookPost.objects.order_by("scheduled_for").first()
    publish.scheduled_posts_publish_due(now=first.scheduled_for)
    publish.scheduled_posts_publish_due(now=first.scheduled_for + timedelta(hours=2))
    first.refresh_from_db()
    assert first.status == Status.MISSED


def test_a_transient_failure_is_retried_through_the_ordinary_path(make_event, facebook, no_network):
    event = make_event()
    approve(event)
    first = FacebookPost.objects.order_by("scheduled_for").first()
    no_network.post(FEED, **graph_error(2, "Service temporarily unavailable", status=503))
    publish.scheduled_posts_publish_due(now=first.scheduled_for)
    first.refresh_from_db()
    assert first.status == Status.QUEUED
    assert first.next_attempt_at is not None
    assert "Service temporarily unavailable" in first.error_message


def test_two_runs_at_once_publish_a_post_once(make_event, facebook, no_network):
    event = make_event()
    approve(event)
    first = FacebookPost.objects.order_by("scheduled_for").first()
    page_accepts(no_network)
    publish.scheduled_posts_publish_due(now=first.scheduled_for)
    # A second worker that read the post as due before the first released it.
    assert publish.scheduled_post_release(post_id=first.pk, now=first.scheduled_for) == (
        Status.POSTED
    )
    assert publish.page_post_publish(post_id=first.pk) == Status.POSTED
    assert len([c for c in no_network.calls if c.request.url == FEED]) == 1


def test_cancelling_a_scheduled_post_keeps_it_from_going_out(make_event, facebook, staff_user):
    event = make_event()
    approve(event)
    first = FacebookPost.objects.order_by("scheduled_for").first()
    assert services.scheduled_post_cancel(post_id=first.pk, user=staff_user)
    publish.scheduled_posts_publish_due(now=first.scheduled_for)
    first.refresh_from_db()
    assert (first.status, first.error_message) == (Status.CANCELLED, "Cancelled by staff.")
    assert not services.scheduled_post_cancel(post_id=first.pk, user=staff_user)


def test_one_post_at_a_chosen_time(make_event, facebook):
    event = make_event()
    at = datetime(2026, 12, 1, 17, 30, tzinfo=UTC)
    outcome = approve(event, at=at)
    [post] = outcome.created
    assert (post.scheduled_for, post.status, post.moment) == (
        at,
        Status.SCHEDULED,
        "at a chosen time",
    )


@pytest.mark.parametrize(
    ("at", "reason"),
    [
        (MONDAY - timedelta(minutes=1), "is in the past"),
        (START + timedelta(minutes=1), "is not before the event's start"),
    ],
)
def test_a_chosen_time_in_the_past_or_after_the_start_is_refused(make_event, facebook, at, reason):
    event = make_event()
    outcome = approve(event, at=at)
    assert outcome.created == []
    assert reason in outcome.skipped[0][1]
    assert not FacebookPost.objects.exists()


def test_a_moment_after_the_start_refuses_the_whole_plan(make_event, facebook):
    event = make_event()
    AnnouncementMoment.objects.create(
        event_type="live_singer", order=9, kind="days_before", days_before=0, at_time=time(23, 30)
    )
    [preview] = schedule_previews(events=[event], now=MONDAY)
    assert "falls at Sat 5 Dec 2026, 23:30 CET" in preview.refusal
    assert "after the event's start" in preview.refusal
    assert approve(event).created == []
    assert not FacebookPost.objects.exists()


def test_a_moment_naming_a_template_that_does_not_exist_refuses_the_plan(make_event, facebook):
    event = make_event()
    AnnouncementMoment.objects.filter(event_type="live_singer").update(template_key="special")
    [preview] = schedule_previews(events=[event], now=MONDAY)
    assert "uses the post template “special”, which does not exist" in preview.refusal
    assert approve(event).created == []


def test_an_event_not_for_the_page_cannot_be_scheduled(make_event, facebook):
    event = make_event(audience=Event.Audience.STAFF)
    assert approve(event).skipped == [(event, "It is for staff only.")]
    assert not FacebookPost.objects.exists()


def test_migrate_creates_the_every_minute_run_of_the_publishing_task(db):
    run = Schedule.objects.get(name="Publish scheduled Facebook posts")
    assert run.func == "integrations.facebook.tasks.publish_due_posts"
    assert (run.schedule_type, run.repeats) == (Schedule.MINUTES, -1)


def test_a_run_handles_at_most_ten_posts_and_leaves_the_rest_to_the_next(make_event, facebook):
    event = make_event(status=Event.Status.CANCELLED)
    for minute in range(12):
        FacebookPost.objects.create(
            event=event,
            event_title=event.title,
            target="page",
            message="x",
            status=Status.SCHEDULED,
            scheduled_for=MONDAY + timedelta(minutes=minute),
        )
    assert publish.scheduled_posts_publish_due(now=MONDAY + timedelta(minutes=20)) == {
        Status.CANCELLED: 10
    }
    assert publish.scheduled_posts_publish_due(now=MONDAY + timedelta(minutes=21)) == {
        Status.CANCELLED: 2
    }
