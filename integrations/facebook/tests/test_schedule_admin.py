"""Approving a schedule on the confirmation page, and seeing and changing it on the event page."""

import html
from datetime import UTC, datetime, timedelta

import pytest
import responses
from django.urls import reverse

from integrations.facebook.models import AnnouncementMoment, FacebookPost
from integrations.facebook.status import integration_status

CHANGELIST = reverse("admin:events_event_changelist")
POSTS = reverse("admin:facebook_facebookpost_changelist")
PAGE_ACTION = "announce_on_facebook_page"
Status = FacebookPost.Status


@pytest.fixture(autouse=True)
def no_network():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def future_event(make_event):
    def make(**fields):
        day = datetime.now(UTC) + timedelta(days=10)
        start = day.replace(hour=20, minute=0, second=0, microsecond=0)
        return make_event(start_time=start, **fields)

    return make


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def show(client, events):
    data = {"action": PAGE_ACTION, "_selected_action": [e.pk for e in events], "index": "0"}
    return client.post(CHANGELIST, data)


def submit(client, page, mode, **extra):
    data = {
        "action": PAGE_ACTION,
        "confirm": "yes",
        "mode": mode,
        "_selected_action": [p.event.pk for p in page.context["previews"] if not p.refusal],
        **extra,
    }
    for preview, plan in page.context["rows"]:
        data[f"request_key_{preview.event.pk}"] = preview.request_key
        data[f"digest_{preview.event.pk}"] = preview.digest
        if plan and not plan.refusal:
            data[f"plan_digest_{preview.event.pk}"] = plan.digest
    return client.post(CHANGELIST, data)


def test_the_confirmation_page_lists_each_moment_with_its_time_and_text(
    staff_client, future_event, facebook
):
    event = future_event()
    response = show(staff_client, [event])
    text = page_text(response)
    [(_preview, plan)] = response.context["rows"]
    assert [p.moment for p in plan.posts] == [
        "7 days before at 19:00 Europe/Rome",
        "on the day at 12:00 Europe/Rome",
        "15 minutes before the start",
    ]
    for post in plan.posts:
        assert post.when in text
    assert "SLT" in plan.posts[0].when
    assert "Schedule the posts on the plan" in text
    assert "One post at a chosen time" in text
    assert not FacebookPost.objects.exists()


def test_scheduling_on_the_plan_creates_the_posts_and_the_event_page_lists_them(
    staff_client, future_event, facebook
):
    event = future_event()
    response = submit(staff_client, show(staff_client, [event]), "plan")
    posts = list(FacebookPost.objects.order_by("scheduled_for"))
    assert response.status_code == 302
    assert [p.status for p in posts] == [Status.SCHEDULED] * 3
    page = page_text(staff_client.get(reverse("admin:events_event_change", args=[event.pk])))
    assert "Scheduled Facebook Page posts" in page
    assert "7 days before at 19:00 Europe/Rome" in page
    assert posts[0].message in page
    assert reverse("admin:facebook_facebookpost_cancel_scheduled", args=[posts[0].pk]) in page
    log = page_text(staff_client.get(POSTS, {"schedule": "scheduled"}))
    assert log.count("Scheduled for ") == 3


def test_the_confirmation_page_mentions_posts_already_scheduled(
    staff_client, future_event, facebook
):
    event = future_event()
    submit(staff_client, show(staff_client, [event]), "plan")
    page = page_text(show(staff_client, [event]))
    assert "3 posts of this event are scheduled for later" in page
    assert "Every moment of its plan has passed or is already taken." in page


def test_posting_now_still_works_from_the_same_page(staff_client, future_event, facebook):
    event = future_event()
    submit(staff_client, show(staff_client, [event]), "now")
    assert FacebookPost.objects.get().status == Status.QUEUED


def test_a_plan_with_a_moment_after_the_start_is_refused_on_the_page_and_creates_nothing(
    staff_client, future_event, facebook
):
    event = future_event()
    AnnouncementMoment.objects.filter(event_type="live_singer", days_before=0).update(
        at_time="23:30"
    )
    page = show(staff_client, [event])
    text = page_text(page)
    assert "Cannot be scheduled on the plan: The moment “on the day at 23:30" in text
    assert "after the event's start" in text
    assert "Schedule the posts on the plan" not in text
    submit(staff_client, page, "plan")
    assert not FacebookPost.objects.exists()


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("", "Choose the day and time of the post"),
        ("not a time", "Choose the day and time of the post"),
        ("2020-01-01T10:00", "is in the past"),
        ("0001-01-01T00:30", "Choose the day and time of the post"),
        ("9999-12-31T23:59+14:00", "Choose the day and time of the post"),
    ],
)
def test_a_bad_chosen_time_is_refused_on_the_page(
    staff_client, future_event, facebook, value, error
):
    event = future_event()
    response = submit(staff_client, show(staff_client, [event]), "at", at_time=value)
    assert response.status_code == 200
    assert error in page_text(response)
    assert not FacebookPost.objects.exists()


def test_a_chosen_time_after_the_start_is_refused(staff_client, future_event, facebook):
    event = future_event()
    late = (event.start_time + timedelta(hours=2)).astimezone(event.zone).strftime("%Y-%m-%dT%H:%M")
    response = submit(staff_client, show(staff_client, [event]), "at", at_time=late)
    assert "is not before the event's start" in page_text(response)
    assert not FacebookPost.objects.exists()


def test_one_post_at_a_chosen_time_in_the_venue_zone(staff_client, future_event, facebook):
    event = future_event()
    response = submit(staff_client, show(staff_client, [event]), "at", at_time="2030-01-01T10:00")
    # 2030-01-01 is after the event, so refused; an hour before the start is fine.
    assert "is not before the event's start" in page_text(response)
    before = (event.start_time - timedelta(hours=1)).astimezone(event.zone)
    submit(
        staff_client, show(staff_client, [event]), "at", at_time=before.strftime("%Y-%m-%dT%H:%M")
    )
    post = FacebookPost.objects.get()
    assert (post.status, post.scheduled_for) == (
        Status.SCHEDULED,
        event.start_time - timedelta(hours=1),
    )


def test_staff_cancel_a_scheduled_post_from_the_event_page(staff_client, future_event, facebook):
    event = future_event()
    submit(staff_client, show(staff_client, [event]), "plan")
    post = FacebookPost.objects.order_by("scheduled_for").first()
    url = reverse("admin:facebook_facebookpost_cancel_scheduled", args=[post.pk])
    assert post.message in page_text(staff_client.get(url))
    response = staff_client.post(url)
    assert response["Location"] == reverse("admin:events_event_change", args=[event.pk])
    post.refresh_from_db()
    assert post.status == Status.CANCELLED
    assert FacebookPost.objects.filter(status=Status.SCHEDULED).count() == 2


def test_a_held_post_is_shown_on_the_integrations_page_and_approved_again_on_the_event_page(
    staff_client, future_event, facebook
):
    event = future_event()
    submit(staff_client, show(staff_client, [event]), "plan")
    post = FacebookPost.objects.order_by("scheduled_for").first()
    FacebookPost.objects.filter(pk=post.pk).update(status=Status.HELD, error_message="Held: edited")
    event.title = "Luna Sparrow Unplugged"
    event.save()
    status = integration_status()
    assert any("1 scheduled Page post needs approving again" in p for p in status.problems)
    page = page_text(staff_client.get(reverse("admin:events_event_change", args=[event.pk])))
    url = reverse("admin:facebook_facebookpost_approve_again", args=[post.pk])
    assert url in page
    confirm = staff_client.get(url)
    assert "Luna Sparrow Unplugged" in page_text(confirm)
    staff_client.post(url, {"digest": confirm.context["digest"]})
    post.refresh_from_db()
    assert post.status == Status.SCHEDULED
    assert "Luna Sparrow Unplugged" in post.message


def test_a_stale_reapproval_is_refused(staff_client, future_event, facebook):
    event = future_event()
    submit(staff_client, show(staff_client, [event]), "plan")
    post = FacebookPost.objects.order_by("scheduled_for").first()
    FacebookPost.objects.filter(pk=post.pk).update(status=Status.HELD)
    url = reverse("admin:facebook_facebookpost_approve_again", args=[post.pk])
    staff_client.post(url, {"digest": "0" * 64})
    post.refresh_from_db()
    assert post.status == Status.HELD


def test_the_integrations_page_counts_what_is_due_in_the_next_day(
    staff_client, make_event, facebook
):
    soon = datetime.now(UTC) + timedelta(hours=3)
    event = make_event(start_time=soon + timedelta(hours=1))
    for when in (soon, soon + timedelta(minutes=30), soon + timedelta(days=2)):
        FacebookPost.objects.create(
            event=event,
            event_title=event.title,
            target="page",
            message="x",
            status=Status.SCHEDULED,
            scheduled_for=when,
        )
    assert "2 scheduled Page posts are due in the next 24 hours." in integration_status().notes
    page = page_text(staff_client.get(reverse("admin:integrations_health")))
    assert "2 scheduled Page posts are due in the next 24 hours." in page


def test_the_plans_are_editable_in_the_admin_with_defaults_for_the_four_types(staff_client):
    assert set(AnnouncementMoment.objects.values_list("event_type", flat=True)) == {
        "live_singer",
        "dj_set",
        "tribute_concert",
        "special",
    }
    url = reverse("admin:facebook_announcementmoment_changelist")
    assert "15 minutes before the start" in page_text(staff_client.get(url))
    moment = AnnouncementMoment.objects.first()
    response = staff_client.get(
        reverse("admin:facebook_announcementmoment_change", args=[moment.pk])
    )
    assert response.status_code == 200


def test_a_moment_without_its_time_is_refused_in_the_admin(staff_client):
    url = reverse("admin:facebook_announcementmoment_add")
    data = {"event_type": "dj_set", "order": 5, "kind": "days_before", "days_before": 2}
    response = staff_client.post(url, {**data, "time_zone": "Europe/Rome", "at_time": ""})
    assert "Say at what time of day." in page_text(response)
    response = staff_client.post(url, {**data, "time_zone": "Mars/Olympus", "at_time": "19:00"})
    assert response.status_code == 200
    assert not AnnouncementMoment.objects.filter(order=5).exists()


def test_a_plan_that_changed_after_it_was_shown_is_not_scheduled(
    staff_client, future_event, facebook
):
    event = future_event()
    page = show(staff_client, [event])
    event.title = "Luna Sparrow Unplugged"
    event.save()
    response = submit(staff_client, page, "plan")
    assert not FacebookPost.objects.exists()
    shown = page_text(staff_client.get(response["Location"]))
    assert "Its posts (times or texts) changed after you looked" in shown


def test_a_new_event_form_has_no_empty_schedule(staff_client):
    page = page_text(staff_client.get(reverse("admin:events_event_add")))
    assert "Scheduled Facebook Page posts" not in page


def test_a_plan_approved_in_italian_records_its_moments_in_english_and_reads_in_each_language(
    staff_client, future_event, facebook
):
    event = future_event()
    page = staff_client.post(
        CHANGELIST,
        {"action": PAGE_ACTION, "_selected_action": [event.pk], "index": "0"},
        HTTP_ACCEPT_LANGUAGE="it",
    )
    data = {
        "action": PAGE_ACTION,
        "confirm": "yes",
        "mode": "plan",
        "_selected_action": [event.pk],
    }
    for preview, plan in page.context["rows"]:
        data[f"request_key_{preview.event.pk}"] = preview.request_key
        data[f"digest_{preview.event.pk}"] = preview.digest
        data[f"plan_digest_{preview.event.pk}"] = plan.digest
    staff_client.post(CHANGELIST, data, HTTP_ACCEPT_LANGUAGE="it")
    first = FacebookPost.objects.order_by("scheduled_for").first()
    assert first.moment == "7 days before at 19:00 Europe/Rome"
    url = reverse("admin:events_event_change", args=[event.pk])
    italian = page_text(staff_client.get(url, HTTP_ACCEPT_LANGUAGE="it"))
    assert "7 giorni prima alle 19:00 Europe/Rome" in italian
    english = page_text(staff_client.get(url, HTTP_ACCEPT_LANGUAGE="en"))
    assert "7 days before at 19:00 Europe/Rome" in english


def test_a_moment_whose_plan_changed_since_reads_as_recorded(staff_client, future_event, facebook):
    event = future_event()
    submit(staff_client, show(staff_client, [event]), "plan")
    moment = FacebookPost.objects.order_by("scheduled_for").first().plan_moment
    assert moment.days_before == 7
    moment.days_before = 5
    moment.save()
    url = reverse("admin:events_event_change", args=[event.pk])
    italian = page_text(staff_client.get(url, HTTP_ACCEPT_LANGUAGE="it"))
    assert "7 days before at 19:00 Europe/Rome" in italian  # what was approved, not the plan now
