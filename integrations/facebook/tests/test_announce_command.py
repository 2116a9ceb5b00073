"""`manage.py announce`: the confirmation page's choices for scripts; a dry run without --yes."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_q.models import OrmQ

from events.models import Event
from integrations.facebook.models import FacebookPost

Status = FacebookPost.Status


@pytest.fixture
def future_event(make_event):
    def make(**fields):
        day = datetime.now(UTC) + timedelta(days=10)
        return make_event(
            start_time=day.replace(hour=20, minute=0, second=0, microsecond=0), **fields
        )

    return make


def announce(*args) -> str:
    out = StringIO()
    call_command("announce", *map(str, args), stdout=out)
    return out.getvalue()


def test_without_yes_it_prints_the_plan_and_changes_nothing(future_event, facebook):
    event = future_event()
    out = announce(event.pk, "--target", "page", "--plan")
    assert out.count("Would schedule event") == 3
    assert "(7 days before at 19:00 Europe/Rome)" in out
    assert "SLT" in out
    assert "    Luna Sparrow Live" in out
    assert "Dry run: nothing changed." in out
    assert not FacebookPost.objects.exists()


def test_with_yes_it_schedules_the_plan_one_line_per_post(future_event, facebook):
    first, second = future_event(), future_event(title="Orla Finch Live")
    out = announce(first.pk, second.pk, "--target", "page", "--plan", "--yes")
    posts = FacebookPost.objects.all()
    assert posts.count() == 6
    assert {p.status for p in posts} == {Status.SCHEDULED}
    assert len([line for line in out.splitlines() if line.startswith("Scheduled post ")]) == 6
    # Again: every moment is taken, so it is refused and nothing is doubled.
    with pytest.raises(CommandError, match="already taken"):
        announce(first.pk, "--target", "page", "--plan", "--yes")
    assert FacebookPost.objects.count() == 6


def test_now_with_yes_queues_the_post(future_event, facebook, django_capture_on_commit_callbacks):
    event = future_event()
    with django_capture_on_commit_callbacks(execute=True):
        out = announce(event.pk, "--target", "page", "--now", "--yes")
    post = FacebookPost.objects.get()
    assert post.status == Status.QUEUED
    assert out.strip() == f"Queued post {post.pk}: event {event.pk} “{event.title}”"
    assert OrmQ.objects.count() == 1


def test_at_schedules_one_post_at_that_time(future_event, facebook):
    event = future_event()
    when = event.start_time - timedelta(hours=2)
    announce(event.pk, "--target", "page", "--at", when.isoformat(), "--yes")
    post = FacebookPost.objects.get()
    assert (post.status, post.scheduled_for) == (Status.SCHEDULED, when)


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["--plan"], "Unknown event id(s): 999999"),
        (["--at", "yesterday"], "is not an ISO 8601 time"),
        (["--at", "2020-01-01T10:00"], "is in the past"),
        (["--at", "2040-01-01T10:00"], "is not before the event's start"),
    ],
)
def test_bad_input_exits_non_zero_with_the_reason_and_creates_nothing(
    future_event, facebook, args, reason
):
    event = future_event()
    ids = [event.pk, 999999] if "Unknown" in reason else [event.pk]
    with pytest.raises(CommandError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        announce(*ids, "--target", "page", *args, "--yes")
    assert not FacebookPost.objects.exists()


def test_one_ineligible_event_refuses_the_whole_command(future_event, facebook):
    good, draft = future_event(), future_event(status=Event.Status.DRAFT)
    with pytest.raises(CommandError, match="It is a draft"):
        announce(good.pk, draft.pk, "--target", "page", "--plan", "--yes")
    assert not FacebookPost.objects.exists()


def test_an_unconfigured_page_refuses_with_yes(future_event, settings):
    settings.FACEBOOK_PAGE_ID = ""
    event = future_event()
    with pytest.raises(CommandError, match="not configured"):
        announce(event.pk, "--target", "page", "--plan", "--yes")
