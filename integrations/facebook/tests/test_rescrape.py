"""After an edit that changes an already-posted event's link preview, Facebook is asked to read
the page again: once per change, through the client and the queue, logged, never a post failure."""

import hashlib
import hmac
from datetime import timedelta
from urllib.parse import parse_qs

import pytest
import responses
from django.db import transaction
from django_q.models import OrmQ
from django_q.signing import SignedPackage

from events.models import Event
from integrations.facebook import tasks
from integrations.facebook.models import FacebookPost
from integrations.models import IntegrationLog

from .conftest import APP_SECRET, GRAPH, PAGE_TOKEN, graph_error

SCRAPE = f"{GRAPH}/"


def queued_rescrapes() -> list:
    found = []
    for row in OrmQ.objects.order_by("pk"):
        task = SignedPackage.loads(row.payload)
        if task["func"] == "integrations.facebook.tasks.rescrape_event_page":
            found.append(task["args"])
    return found


@pytest.fixture
def posted_event(make_event, facebook):
    event = make_event(title="Luna Sparrow Live")
    FacebookPost.objects.create(
        event=event,
        event_title=event.title,
        target=FacebookPost.Target.PAGE,
        message="Tonight!",
        link=f"https://tdc.example.org/events/{event.pk}/",
        status=FacebookPost.Status.POSTED,
        remote_id="1122334455_1",
    )
    return Event.objects.get(pk=event.pk)  # as staff's edit form would load it


@pytest.mark.parametrize(
    "change",
    [
        {"title": "Luna Sparrow Unplugged"},
        {"status": Event.Status.CANCELLED},
        {"poster": "posters/2026/12/new.jpg"},
    ],
)
def test_a_preview_change_of_a_posted_event_queues_one_rescrape(
    posted_event, change, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for name, value in change.items():
            setattr(posted_event, name, value)
        posted_event.save()
        posted_event.save()  # the same transaction saving twice still asks once
    assert queued_rescrapes() == [(posted_event.pk,)]


def test_moving_the_start_queues_a_rescrape(posted_event, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        posted_event.start_time += timedelta(hours=1)
        posted_event.end_time += timedelta(hours=1)
        posted_event.save()
    assert queued_rescrapes() == [(posted_event.pk,)]


@pytest.mark.django_db(transaction=True)
def test_each_separate_change_asks_again(posted_event):
    for title in ("First new title", "Second new title"):
        with transaction.atomic():
            posted_event.title = title
            posted_event.save()
    assert queued_rescrapes() == [(posted_event.pk,), (posted_event.pk,)]


def test_changes_the_preview_does_not_show_ask_nothing(
    posted_event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        posted_event.description = "A longer story."
        posted_event.save()
    assert queued_rescrapes() == []


def test_events_never_posted_on_the_page_ask_nothing(
    make_event, facebook, django_capture_on_commit_callbacks
):
    event = Event.objects.get(pk=make_event().pk)
    FacebookPost.objects.create(
        event=event,
        event_title=event.title,
        target=FacebookPost.Target.PAGE,
        message="x",
        status=FacebookPost.Status.FAILED,
    )
    with django_capture_on_commit_callbacks(execute=True):
        event.title = "Renamed"
        event.save()
    assert queued_rescrapes() == []


@responses.activate
def test_the_rescrape_is_the_exact_documented_request(posted_event):
    responses.post(SCRAPE, json={"id": "https://tdc.example.org/...", "title": "x"})
    outcome = tasks.rescrape_event_page(posted_event.pk)
    assert outcome == f"refreshed: https://tdc.example.org/events/{posted_event.pk}/"
    assert len(responses.calls) == 1
    request = responses.calls[0].request
    assert request.method == "POST"
    assert request.url == SCRAPE  # {FACEBOOK_GRAPH_URL}/{FACEBOOK_GRAPH_VERSION}/
    assert {k: v[0] for k, v in parse_qs(request.body).items()} == {
        "id": f"https://tdc.example.org/events/{posted_event.pk}/",
        "scrape": "true",
        "access_token": PAGE_TOKEN,
        "appsecret_proof": hmac.new(
            APP_SECRET.encode(), PAGE_TOKEN.encode(), hashlib.sha256
        ).hexdigest(),
    }
    log = IntegrationLog.objects.get()
    assert (log.service, log.operation, log.outcome) == ("facebook", "link.rescrape", "ok")
    assert PAGE_TOKEN not in log.target


@responses.activate
def test_a_failed_rescrape_is_logged_and_is_not_a_post_failure(posted_event):
    responses.post(SCRAPE, **graph_error(100, "Could not scrape", subcode=1609005))
    outcome = tasks.rescrape_event_page(posted_event.pk)
    assert outcome.startswith("failed: Graph API error 100/1609005")
    log = IntegrationLog.objects.get()
    assert log.outcome == IntegrationLog.Outcome.FAILED
    assert "Could not scrape" in log.error
    post = FacebookPost.objects.get()
    assert (post.status, post.error_message) == (FacebookPost.Status.POSTED, "")


def test_without_facebook_configured_the_rescrape_is_skipped(posted_event, settings):
    settings.FACEBOOK_PAGE_ACCESS_TOKEN = ""
    assert tasks.rescrape_event_page(posted_event.pk).startswith("skipped:")
    assert not IntegrationLog.objects.exists()
