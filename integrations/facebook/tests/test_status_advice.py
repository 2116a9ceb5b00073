"""Each piece of advice the integrations page gives about Facebook appears exactly when it
applies, from the same settings, Page posts and token checks the page shows."""

from datetime import timedelta

import pytest
from django.utils import timezone

from integrations.facebook.models import FacebookPost, TokenCheck
from integrations.facebook.publish import sending_run_limit
from integrations.facebook.status import integration_status

pytestmark = pytest.mark.django_db
Status = FacebookPost.Status

ADVICE = {
    "posting off": "Posting to the Page is off: set",
    "stuck": "waited more than 10 minutes: check that the task worker",
    "checking": "checking: ",
    "failed": "still to come and not announced since",
    "token": "The Page token does not work",
}


def advice() -> list[str]:
    shown = integration_status().problems
    found = [key for line in shown for key, words in ADVICE.items() if words in line]
    assert len(found) == len(shown), f"advice this test does not know: {shown}"
    return found


@pytest.fixture
def page_post(facebook, make_event):
    def make(status, *, ago=timedelta(0), event=None, **fields):
        event = event or make_event(start_time=timezone.now() + timedelta(days=3))
        post = FacebookPost.objects.create(
            event=event, event_title=event.title, target="page", message="m", status=status,
            **fields,
        )  # fmt: skip
        FacebookPost.objects.filter(pk=post.pk).update(updated_at=timezone.now() - ago)
        return post

    return make


def test_a_configured_quiet_facebook_gets_no_advice(facebook):
    assert advice() == []


def test_missing_settings_are_named_and_only_they(facebook):
    facebook.FACEBOOK_PAGE_ID = ""
    assert advice() == ["posting off"]
    [line] = integration_status().problems
    assert "set FACEBOOK_PAGE_ID (" in line and "FACEBOOK_PAGE_ACCESS_TOKEN" not in line


def test_a_post_queued_over_ten_minutes_points_at_the_worker(page_post):
    post = page_post(Status.QUEUED, ago=timedelta(minutes=9))
    assert advice() == []
    FacebookPost.objects.filter(pk=post.pk).update(
        updated_at=timezone.now() - timedelta(minutes=11)
    )
    assert advice() == ["stuck"]


def test_a_post_whose_answer_was_lost_needs_checking(page_post):
    page_post(Status.NEEDS_CHECKING)
    assert advice() == ["checking"]


def test_a_post_left_sending_past_a_runs_limit_needs_checking(page_post):
    post = page_post(Status.SENDING)
    assert advice() == []  # being sent right now
    FacebookPost.objects.filter(pk=post.pk).update(
        updated_at=timezone.now() - sending_run_limit() * 2
    )
    assert advice() == ["checking"]


def test_a_failed_post_is_advice_only_while_its_event_is_to_come(page_post, make_event):
    past = make_event(start_time=timezone.now() - timedelta(days=3))
    page_post(Status.FAILED, event=past, error_message="Graph API error 190")
    assert advice() == []
    page_post(Status.FAILED, error_message="Graph API error 190")
    assert advice() == ["failed"]


def test_a_token_check_says_what_it_found_only_when_the_token_does_not_work(facebook):
    TokenCheck.objects.create(ok=True, method="debug_token", summary="Page token valid.")
    assert advice() == []
    TokenCheck.objects.create(
        ok=False, method="debug_token", summary="The Page token does not work: renew it."
    )
    assert advice() == ["token"]
    # A check that could not reach Facebook gives no verdict on the token.
    TokenCheck.objects.create(
        ok=False, method="failed", summary="The Page token does not work: could not reach …"
    )
    assert advice() == []
