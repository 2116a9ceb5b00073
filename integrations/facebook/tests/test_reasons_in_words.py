"""Why a post did not go out (or how it went) is recorded in English, whoever wrote it in
whatever language (mostly the task worker), and read by each staff member in theirs."""

import html
import re
from datetime import timedelta

import pytest
import requests
import responses
from django.urls import reverse
from django.utils import translation

from events.models import Event
from integrations.facebook import publish, services, tasks
from integrations.facebook.models import FacebookPost
from integrations.in_words import in_words
from tdc.tests.catalogue import english_in

from .conftest import GRAPH, PAGE_ID, graph_error
from .test_schedule import approve

Status = FacebookPost.Status
POSTS = reverse("admin:facebook_facebookpost_changelist")
CANCELLED_IN_ITALIAN = "Non pubblicato: l'evento è stato annullato."


@pytest.fixture(autouse=True)
def no_network():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def read_in_italian(client, url: str) -> str:
    return html.unescape(client.get(url, HTTP_ACCEPT_LANGUAGE="it").content.decode())


def first_of_the_plan(event) -> FacebookPost:
    approve(event)
    return FacebookPost.objects.order_by("scheduled_for").first()


def test_a_post_cancelled_by_the_worker_in_english_reads_in_italian_to_italian_staff(
    make_event, facebook, staff_client
):
    event = make_event()
    post = first_of_the_plan(event)
    Event.objects.filter(pk=event.pk).update(status=Event.Status.CANCELLED)

    with translation.override("en"):  # the task worker's language
        publish.scheduled_posts_publish_due(now=post.scheduled_for)

    post.refresh_from_db()
    assert (post.status, post.error_message) == (
        Status.CANCELLED,
        "Not posted: the event was cancelled.",
    )
    change = reverse("admin:facebook_facebookpost_change", args=[post.pk])
    event_page = reverse("admin:events_event_change", args=[event.pk])
    for url in (POSTS, change, event_page):
        page = read_in_italian(staff_client, url)
        assert CANCELLED_IN_ITALIAN in page, url
        assert "Not posted: the event was cancelled." not in page, url


def test_a_reason_written_while_italian_is_active_is_stored_in_english(make_event, facebook):
    event = make_event()
    post = first_of_the_plan(event)
    Event.objects.filter(pk=event.pk).update(status=Event.Status.CANCELLED)

    with translation.override("it"):
        publish.scheduled_posts_publish_due(now=post.scheduled_for)

    post.refresh_from_db()
    assert post.error_message == "Not posted: the event was cancelled."
    with translation.override("it"):
        assert post.error_summary == CANCELLED_IN_ITALIAN


def test_staff_cancelling_in_italian_leave_the_reason_in_english(
    make_event, facebook, staff_client
):
    post = first_of_the_plan(make_event())
    url = reverse("admin:facebook_facebookpost_cancel_scheduled", args=[post.pk])

    staff_client.post(url, HTTP_ACCEPT_LANGUAGE="it")

    post.refresh_from_db()
    assert (post.status, post.error_message) == (Status.CANCELLED, "Cancelled by staff.")
    with translation.override("it"):
        assert post.error_summary == "Annullato da staff."


def test_a_missed_moment_is_recorded_to_the_minute_and_read_in_the_readers_formats(
    make_event, facebook, settings
):
    settings.FACEBOOK_SCHEDULE_GRACE_MINUTES = 60
    post = first_of_the_plan(make_event())  # Sat 28 Nov 2026, 19:00 in Rome

    with translation.override("it"):
        publish.scheduled_posts_publish_due(now=post.scheduled_for + timedelta(minutes=61))

    post.refresh_from_db()
    assert post.status == Status.MISSED
    assert post.error_message == (
        "Not posted: its moment (2026-11-28T18:00+00:00) was more than 60 minutes ago when the "
        "task worker reached it (was it stopped?)."
    )
    with translation.override("en"):
        assert post.error_summary.startswith(
            "Not posted: its moment (Sat 28 Nov 2026, 19:00 CET) was more than 60 minutes ago"
        )
    with translation.override("it"):
        assert post.error_summary.startswith(
            "Non pubblicato: il suo momento (Sab 28 Nov 2026, 19:00 CET) era passato da più di "
            "60 minuti"
        )


def post_queued(make_event) -> FacebookPost:
    post = first_of_the_plan(make_event())
    FacebookPost.objects.filter(pk=post.pk).update(status=Status.QUEUED)
    return post


def test_a_post_given_up_on_reads_in_italian_to_the_last_word(
    make_event, facebook, settings, no_network
):
    # Wordings around wordings around Facebook's words: the one written is recognised, whatever
    # order the wordings were registered in.
    settings.INTEGRATION_HTTP_ATTEMPTS = 1
    post = post_queued(make_event)
    no_network.post(f"{GRAPH}/{PAGE_ID}/feed", **graph_error(2, "Service unavailable", status=503))
    for _run in range(publish.MAX_PUBLISH_RUNS):
        tasks.publish_page_post(post.pk)

    post.refresh_from_db()
    assert (post.status, post.error_message) == (
        Status.FAILED,
        "Graph API error 2: Service unavailable — A temporary problem at Facebook; the post is "
        "tried again later. (gave up after 4 tries)",
    )
    with translation.override("it"):
        assert post.error_summary == (
            "Errore 2 della Graph API: Service unavailable — Un problema temporaneo di Facebook; "
            "il post verrà ritentato più tardi. (abbandonato dopo 4 tentativi)"
        )


def test_a_post_checked_by_staff_reads_in_italian_to_the_last_word(
    make_event, facebook, no_network
):
    post = post_queued(make_event)
    no_network.post(f"{GRAPH}/{PAGE_ID}/feed", body=requests.ReadTimeout("read timed out"))
    tasks.publish_page_post(post.pk)  # the answer is lost: it needs checking
    publish.post_resolve_checking(post_id=post.pk, found_on_page=False)

    post.refresh_from_db()
    assert post.error_message.endswith(
        " — Look at the Page, then mark this post as posted or not posted. Checked by staff: "
        "not on the Page."
    )
    with translation.override("it"):
        italian = post.error_summary
    assert italian.endswith(
        " — Guarda la Pagina, poi segna questo post come pubblicato o non pubblicato. "
        "Verificato dallo staff: non è sulla Pagina."
    )
    assert english_in(italian) == []


RECORDED = [
    publish.EVENT_DELETED,
    publish.EVENT_CANCELLED,
    publish.EVENT_STAFF_ONLY,
    publish.EVENT_DRAFT,
    publish.MOMENT_MISSED,
    publish.HELD_REASON,
    publish.APPROVAL_MISSED,
    publish.QUEUED_EVENT_GONE,
    publish.QUEUED_TEXT_CHANGED,
    publish.INTERRUPTED,
    publish.LOOK_AT_THE_PAGE,
    publish.GAVE_UP,
    publish.POSTER_UNREADABLE,
    publish.POSTER_GONE,
    publish.UNEXPECTED,
    publish.CHECKED_ON_PAGE,
    publish.CHECKED_NOT_ON_PAGE,
    publish.ERROR_CHECKED_ON_PAGE,
    publish.ERROR_CHECKED_NOT_ON_PAGE,
    services.CANCELLED_BY,
]


@pytest.mark.parametrize("wording", RECORDED)
def test_every_reason_recorded_on_a_post_reads_in_italian(wording):
    # Filled as the code fills it: a number, a moment, Facebook's (or the system's) words.
    recorded = re.sub(r"%\((\w+)\)s", "42", wording)

    with translation.override("it"):
        italian = in_words(recorded)

    assert italian != recorded
    assert english_in(italian) == []
