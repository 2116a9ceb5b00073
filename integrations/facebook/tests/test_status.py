import pytest

from integrations.call_log import record_call
from integrations.facebook.models import FacebookPost, TokenCheck
from integrations.facebook.status import integration_status

Status = FacebookPost.Status


@pytest.fixture
def post(make_event):
    event = make_event()

    def make(status, **fields):
        return FacebookPost.objects.create(
            event=event,
            event_title=event.title,
            target="page",
            message="m",
            status=status,
            **fields,
        )

    return make


def test_an_unconfigured_facebook_says_which_settings_are_missing(db, settings):
    settings.FACEBOOK_PAGE_ID = ""
    settings.FACEBOOK_PAGE_ACCESS_TOKEN = ""
    status = integration_status()
    assert not status.configured
    assert status.missing_settings == ["FACEBOOK_PAGE_ID", "FACEBOOK_PAGE_ACCESS_TOKEN"]
    assert not status.healthy
    assert "set FACEBOOK_PAGE_ID, FACEBOOK_PAGE_ACCESS_TOKEN" in status.problems[0]
    assert status.token == ""  # there is no token to speak of


def test_a_check_made_while_unconfigured_is_not_repeated_as_a_problem(db, facebook):
    facebook.FACEBOOK_PAGE_ACCESS_TOKEN = ""
    TokenCheck.objects.create(
        ok=False, method="not configured", summary="Facebook is not configured: set X."
    )
    status = integration_status()
    assert len(status.problems) == 1
    assert (status.token, status.token_ok) == ("", None)

    # Configured since: that old check says nothing about the token now set.
    facebook.FACEBOOK_PAGE_ACCESS_TOKEN = "EAAnew"
    status = integration_status()
    assert status.problems == []
    assert (status.token, status.token_ok) == ("Not checked since the Page was configured", None)


def test_counts_last_outcomes_and_token_come_from_what_is_stored(
    facebook, post, django_assert_max_num_queries
):
    post(Status.QUEUED)
    post(Status.SENDING)
    post(Status.POSTED, posted_at="2026-11-20T10:00:00Z")
    post(Status.NEEDS_CHECKING)
    post(Status.FAILED, error_message="Graph API error 190/463: expired — renew the Page token")
    record_call(service="facebook", operation="page.feed", outcome="ok")
    TokenCheck.objects.create(ok=False, method="debug_token", summary="The Page token expired.")

    with django_assert_max_num_queries(8):
        status = integration_status()
    assert status.configured
    assert (status.waiting, status.failed) == (2, 2)
    assert status.last_success_at is not None
    assert "renew the Page token" in status.last_error
    assert status.token_ok is False
    assert "The Page token expired." in status.problems
    assert any("needs checking" in problem for problem in status.problems)
    assert ("Failed posts", "/admin/facebook/facebookpost/?status__exact=failed") in status.links
    assert not status.healthy


def test_a_healthy_facebook(facebook, post):
    post(Status.POSTED, posted_at="2026-11-20T10:00:00Z")
    TokenCheck.objects.create(ok=True, method="debug_token", summary="Page token valid.")
    status = integration_status()
    assert status.healthy
    assert status.token_ok is True
    assert status.token == "Page token valid."


def test_a_check_that_could_not_run_gives_no_verdict(db, facebook):
    TokenCheck.objects.create(ok=False, method="failed", summary="The check itself failed: 503")
    status = integration_status()
    assert status.token_ok is None
    assert status.problems == []


def test_posts_queued_for_long_point_at_the_task_worker(facebook, post):
    from datetime import timedelta

    from django.utils import timezone

    stuck = post(Status.QUEUED)
    FacebookPost.objects.filter(pk=stuck.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    post(Status.QUEUED)  # just queued: fine
    status = integration_status()
    assert status.waiting == 2
    assert any("task worker (manage.py qcluster)" in problem for problem in status.problems)


def test_a_post_left_sending_by_a_stopped_worker_needs_checking(facebook, post):
    from django.utils import timezone

    from integrations.facebook.publish import sending_run_limit

    stuck = post(Status.SENDING)
    long_ago = timezone.now() - sending_run_limit() * 2
    FacebookPost.objects.filter(pk=stuck.pk).update(updated_at=long_ago)
    post(Status.SENDING)  # being sent right now: fine
    status = integration_status()
    assert (status.waiting, status.failed) == (1, 1)
    assert any("worker stopped while sending" in problem for problem in status.problems)


def test_a_failure_staff_have_dealt_with_no_longer_needs_attention(facebook, make_event):
    from datetime import timedelta

    from django.utils import timezone

    def failed(event, **fields):
        return FacebookPost.objects.create(
            event=event,
            event_title=event.title,
            target="page",
            message="m",
            status=Status.FAILED,
            error_message="Graph API error 190: expired — renew the Page token",
            **fields,
        )

    announced_again = make_event(title="Announced again")
    failed(announced_again)
    FacebookPost.objects.create(
        event=announced_again,
        event_title="Announced again",
        target="page",
        message="m",
        status=Status.POSTED,
        posted_at=timezone.now(),
    )
    failed(make_event(title="Over", start_time=timezone.now() - timedelta(days=3)))
    deleted = make_event(title="Deleted")
    failed(deleted)
    deleted.delete()
    TokenCheck.objects.create(ok=True, method="debug_token", summary="Page token valid.")
    status = integration_status()
    assert status.failed == 0
    assert status.healthy
    assert "renew the Page token" in status.last_error  # still the history

    failed(make_event(title="Still to come"))
    status = integration_status()
    assert status.failed == 1
    assert not status.healthy
    assert any(
        "1 Page post failed" in problem and "renew the Page token" in problem
        for problem in status.problems
    )
