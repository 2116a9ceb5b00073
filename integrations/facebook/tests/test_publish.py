import uuid
from datetime import UTC, datetime, timedelta

import pytest
import requests
import responses
from django.core.files.base import ContentFile
from django.utils import timezone
from django_q.models import Schedule

from events.models import Event
from integrations.facebook import compose, publish, tasks
from integrations.facebook.models import FacebookPost

from .conftest import GRAPH, PAGE_ID, graph_error

FEED = f"{GRAPH}/{PAGE_ID}/feed"
PHOTOS = f"{GRAPH}/{PAGE_ID}/photos"
POST_ID = f"{PAGE_ID}_4242"
PERMALINK = "https://www.facebook.com/dreamerscave/posts/4242"

Status = FacebookPost.Status


@pytest.fixture
def queued_post(make_event, facebook, staff_user):
    def make(**fields):
        event = fields.pop("event", None) or make_event()
        values = {
            "event": event,
            "event_title": event.title,
            "target": FacebookPost.Target.PAGE,
            "message": compose.render(compose.template_for(event).text, event),
            "link": f"https://tdc.example.org/events/{event.pk}/",
            "status": Status.QUEUED,
            "created_by": staff_user,
            "request_key": uuid.uuid4(),
            **fields,
        }
        return FacebookPost.objects.create(**values)

    return make


def retries_scheduled():
    return list(Schedule.objects.filter(func="integrations.facebook.tasks.publish_page_post"))


def permalink_ok():
    responses.get(f"{GRAPH}/{POST_ID}", json={"id": POST_ID, "permalink_url": PERMALINK})


@responses.activate
def test_a_queued_post_is_published_and_recorded(queued_post):
    post = queued_post()
    responses.post(FEED, json={"id": POST_ID})
    permalink_ok()
    assert tasks.publish_page_post(post.pk) == Status.POSTED
    post.refresh_from_db()
    assert (post.status, post.remote_id, post.permalink) == (Status.POSTED, POST_ID, PERMALINK)
    assert post.posted_at is not None
    assert post.attempts == 1
    assert post.error_message == ""


@responses.activate
def test_publishing_again_makes_no_api_call(queued_post):
    post = queued_post(status=Status.POSTED, remote_id=POST_ID)
    assert tasks.publish_page_post(post.pk) == Status.POSTED
    assert len(responses.calls) == 0


def stalled(post):
    """As if the run that set it sending stopped longer ago than a run can last."""
    long_ago = timezone.now() - publish.sending_run_limit() - timedelta(seconds=1)
    FacebookPost.objects.filter(pk=post.pk).update(updated_at=long_ago)
    return post


@responses.activate
def test_a_run_that_finds_the_post_still_sending_marks_it_for_checking(queued_post):
    post = stalled(queued_post(status=Status.SENDING))
    assert tasks.publish_page_post(post.pk) == Status.NEEDS_CHECKING
    assert len(responses.calls) == 0
    post.refresh_from_db()
    assert "interrupted" in post.error_message


@responses.activate
def test_a_duplicate_run_leaves_a_post_being_sent_to_the_run_in_flight(queued_post):
    post = queued_post(status=Status.SENDING)
    assert tasks.publish_page_post(post.pk) == Status.SENDING
    assert len(responses.calls) == 0
    post.refresh_from_db()
    assert (post.status, post.error_message) == (Status.SENDING, "")


@pytest.mark.parametrize(("found", "status"), [(True, Status.POSTED), (False, Status.FAILED)])
def test_staff_resolve_a_post_left_sending_by_a_stopped_worker(queued_post, found, status):
    fresh = queued_post(status=Status.SENDING)
    stuck = stalled(queued_post(status=Status.SENDING))
    assert not publish.post_resolve_checking(post_id=fresh.pk, found_on_page=found)
    assert publish.post_resolve_checking(post_id=stuck.pk, found_on_page=found)
    stuck.refresh_from_db()
    fresh.refresh_from_db()
    assert (stuck.status, fresh.status) == (status, Status.SENDING)


@responses.activate
def test_a_missing_permalink_does_not_undo_the_post(queued_post):
    post = queued_post()
    responses.post(FEED, json={"id": POST_ID})
    responses.get(f"{GRAPH}/{POST_ID}", **graph_error(100, "Unsupported get request"))
    assert tasks.publish_page_post(post.pk) == Status.POSTED
    post.refresh_from_db()
    assert (post.remote_id, post.permalink) == (POST_ID, "")


@responses.activate
def test_an_expired_token_fails_at_once_with_the_fix(queued_post):
    post = queued_post()
    responses.post(FEED, **graph_error(190, "Error validating access token", subcode=463))
    assert tasks.publish_page_post(post.pk) == Status.FAILED
    assert len(responses.calls) == 1
    post.refresh_from_db()
    assert (post.error_code, post.error_subcode, post.fbtrace_id) == (190, 463, "AbCdEfTrace")
    assert "Error validating access token" in post.error_message
    assert "renew the Page token" in post.error_message
    assert not retries_scheduled()


@responses.activate
def test_a_missing_permission_fails_at_once(queued_post):
    post = queued_post()
    responses.post(FEED, **graph_error(200, "Requires pages_manage_posts permission", status=403))
    assert tasks.publish_page_post(post.pk) == Status.FAILED
    assert len(responses.calls) == 1


@responses.activate
def test_a_policy_block_goes_to_staff_and_is_not_retried(queued_post):
    post = queued_post()
    responses.post(FEED, **graph_error(368, "Temporarily blocked for policies violations"))
    assert tasks.publish_page_post(post.pk) == Status.FAILED
    assert len(responses.calls) == 1
    post.refresh_from_db()
    assert post.error_code == 368
    assert "Support Inbox" in post.error_message
    assert not retries_scheduled()


@responses.activate
def test_a_duplicate_counts_as_already_posted(queued_post):
    post = queued_post()
    responses.post(FEED, **graph_error(506, "Duplicate status message"))
    assert tasks.publish_page_post(post.pk) == Status.POSTED
    post.refresh_from_db()
    assert post.error_code == 506
    assert "counts as posted" in post.error_message
    assert len(responses.calls) == 1


@responses.activate
def test_a_lost_answer_is_marked_for_checking_and_never_resent(queued_post):
    post = queued_post()
    responses.post(FEED, body=requests.ReadTimeout("read timed out"))
    assert tasks.publish_page_post(post.pk) == Status.NEEDS_CHECKING
    assert tasks.publish_page_post(post.pk) == Status.NEEDS_CHECKING
    assert len(responses.calls) == 1
    post.refresh_from_db()
    assert "mark this post as posted or not posted" in post.error_message


@responses.activate
def test_a_rate_limit_is_retried_later_by_the_queue(queued_post, settings):
    settings.INTEGRATION_HTTP_ATTEMPTS = 2
    post = queued_post()
    responses.post(FEED, **graph_error(32, "Page request limit reached"))
    before = timezone.now()
    assert tasks.publish_page_post(post.pk) == Status.QUEUED
    assert len(responses.calls) == 2  # bounded retries inside the call first
    post.refresh_from_db()
    assert post.attempts == 1
    assert post.next_attempt_at >= before + timedelta(minutes=1)
    (retry,) = retries_scheduled()
    assert retry.func == "integrations.facebook.tasks.publish_page_post"
    assert retry.args == f"({post.pk},)"
    assert retry.schedule_type == Schedule.ONCE
    assert retry.next_run == post.next_attempt_at


@responses.activate
def test_retries_later_are_bounded_too(queued_post, settings):
    settings.INTEGRATION_HTTP_ATTEMPTS = 1
    post = queued_post()
    responses.post(FEED, **graph_error(2, "Service temporarily unavailable", status=503))
    statuses = [tasks.publish_page_post(post.pk) for _ in range(publish.MAX_PUBLISH_RUNS)]
    assert statuses == [Status.QUEUED] * (publish.MAX_PUBLISH_RUNS - 1) + [Status.FAILED]
    assert len(responses.calls) == publish.MAX_PUBLISH_RUNS
    post.refresh_from_db()
    assert f"gave up after {publish.MAX_PUBLISH_RUNS} tries" in post.error_message


@responses.activate
def test_a_page_usage_wait_longer_than_the_backoff_is_honoured(queued_post, settings):
    settings.INTEGRATION_HTTP_ATTEMPTS = 1
    post = queued_post()
    usage = f'{{"{PAGE_ID}": [{{"type": "pages", "estimated_time_to_regain_access": 30}}]}}'
    responses.post(
        FEED, **graph_error(80001, "Too many calls"), headers={"X-Business-Use-Case-Usage": usage}
    )
    before = timezone.now()
    tasks.publish_page_post(post.pk)
    post.refresh_from_db()
    assert post.next_attempt_at >= before + timedelta(minutes=30)


@responses.activate
def test_not_configured_fails_the_post_without_a_call(queued_post, settings):
    post = queued_post()
    settings.FACEBOOK_PAGE_ID = ""
    assert tasks.publish_page_post(post.pk) == Status.FAILED
    post.refresh_from_db()
    assert "FACEBOOK_PAGE_ID" in post.error_message
    assert len(responses.calls) == 0


@responses.activate
def test_a_photo_post_uploads_the_events_poster(queued_post, make_event):
    event = make_event()
    event.poster.save("poster.jpg", ContentFile(b"\xff\xd8jpeg-bytes"), save=True)
    post = queued_post(event=event, with_photo=True)
    responses.post(PHOTOS, json={"id": "9001", "post_id": POST_ID})
    permalink_ok()
    assert tasks.publish_page_post(post.pk) == Status.POSTED
    body = responses.calls[0].request.body
    assert b"\xff\xd8jpeg-bytes" in body
    assert b"Content-Type: image/jpeg" in body
    assert b'name="caption"' in body
    post.refresh_from_db()
    assert post.remote_id == POST_ID
    event.poster.delete(save=False)


@responses.activate
def test_a_photo_post_whose_poster_vanished_fails_with_what_to_do(queued_post, make_event):
    event = make_event(poster="posters/2026/12/gone.jpg")
    post = queued_post(event=event, with_photo=True)
    assert tasks.publish_page_post(post.pk) == Status.FAILED
    post.refresh_from_db()
    assert "poster could not be read" in post.error_message
    assert len(responses.calls) == 0


@pytest.mark.parametrize(
    "change", [{"status": "cancelled"}, {"status": "draft"}, {"audience": "staff"}]
)
@responses.activate
def test_an_event_changed_after_queueing_is_not_posted(queued_post, change):
    post = queued_post()
    Event.objects.filter(pk=post.event_id).update(**change)
    assert tasks.publish_page_post(post.pk) == Status.FAILED
    assert len(responses.calls) == 0
    post.refresh_from_db()
    assert "no longer public and scheduled" in post.error_message


@pytest.mark.parametrize(
    "change",
    [
        {"start_time": datetime(2026, 12, 6, 20, 0, tzinfo=UTC)},
        {"title": "Luna Sparrow — new title"},
    ],
)
@responses.activate
def test_a_queued_post_whose_event_was_edited_is_not_posted_stale(queued_post, change):
    post = queued_post()
    event = post.event
    for name, value in change.items():
        setattr(event, name, value)
    event.end_time = event.start_time + timedelta(minutes=90)
    event.save()
    assert tasks.publish_page_post(post.pk) == Status.FAILED
    assert len(responses.calls) == 0
    post.refresh_from_db()
    assert "no longer what the announcement would say" in post.error_message


@responses.activate
def test_a_queued_post_is_still_sent_after_an_edit_that_does_not_change_its_text(queued_post):
    post = queued_post()
    Event.objects.filter(pk=post.event_id).update(description_it="Solo in italiano")
    responses.post(FEED, json={"id": POST_ID})
    permalink_ok()
    assert tasks.publish_page_post(post.pk) == Status.POSTED


@responses.activate
def test_an_event_deleted_after_queueing_is_not_posted(queued_post):
    post = queued_post()
    post.event.delete()
    assert tasks.publish_page_post(post.pk) == Status.FAILED
    assert len(responses.calls) == 0


@responses.activate
def test_an_event_deleted_while_its_post_is_sent_keeps_the_post_record(queued_post):
    post = queued_post()

    def delete_event_then_answer(request):
        Event.objects.filter(pk=post.event_id).delete()
        return 200, {}, f'{{"id": "{POST_ID}"}}'

    responses.add_callback(responses.POST, FEED, callback=delete_event_then_answer)
    permalink_ok()
    assert tasks.publish_page_post(post.pk) == Status.POSTED
    post.refresh_from_db()
    assert (post.event_id, post.remote_id, post.permalink) == (None, POST_ID, PERMALINK)


@responses.activate
def test_an_unexpected_failure_mid_send_is_marked_for_checking(queued_post):
    post = queued_post()
    responses.post(FEED, body=ValueError("boom"))
    assert tasks.publish_page_post(post.pk) == Status.NEEDS_CHECKING
    post.refresh_from_db()
    assert "Unexpected error while sending (ValueError)" in post.error_message
