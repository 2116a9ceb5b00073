import html
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import responses
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from django_q.models import OrmQ

from events.models import Event
from integrations.facebook import tasks
from integrations.facebook.models import FacebookPost, PostTemplate

from .conftest import GRAPH, PAGE_ID

CHANGELIST = reverse("admin:events_event_changelist")
POSTS = reverse("admin:facebook_facebookpost_changelist")
PAGE_ACTION = "announce_on_facebook_page"
GROUP_ACTION = "prepare_facebook_group_post"
Status = FacebookPost.Status
POST_ID = f"{PAGE_ID}_31337"
PERMALINK = "https://www.facebook.com/dreamerscave/posts/31337"


@pytest.fixture(autouse=True)
def no_network():
    # Any Graph call not registered by a test fails it: nothing reaches the internet.
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def run_action(client, action, events):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [e.pk for e in events], "index": "0"},
    )


def confirm(client, action, response, *, repost=(), keys=None):
    previews = response.context["previews"]
    data = {
        "action": action,
        "confirm": "yes",
        "_selected_action": [p.event.pk for p in previews if not p.refusal],
        "repost": [e.pk for e in repost],
    }
    for preview in previews:
        data[f"request_key_{preview.event.pk}"] = (keys or {}).get(
            preview.event.pk, preview.request_key
        )
        data[f"digest_{preview.event.pk}"] = preview.digest
    return client.post(CHANGELIST, data)


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def test_the_action_shows_exactly_what_goes_out_and_where(staff_client, make_event, facebook):
    event = make_event(title="Luna Sparrow Live", artists=["Luna Sparrow"])
    response = run_action(staff_client, PAGE_ACTION, [event])
    assert response.status_code == 200
    text = page_text(response)
    assert "Announce on the Facebook Page?" in text
    assert "publicly" in text
    assert 'the Facebook Page <a href="https://www.facebook.com/1122334455"' in text
    assert "as a link post" in text
    assert (
        "Live Music at The Dreamer's Cave!\n\nLuna Sparrow Live\n\nLuna Sparrow\n\n"
        "When: Saturday, December 5, 2026 at 12:00 SLT\nWhere: Main Stage"
    ) in text
    assert f"https://tdc.example.org/events/{event.pk}/" in text
    assert "Yes, post to the Facebook Page" in text
    assert not FacebookPost.objects.exists()


def test_confirming_queues_the_post_and_the_worker_publishes_it(
    staff_client, make_event, facebook, no_network, django_capture_on_commit_callbacks
):
    event = make_event()
    preview = run_action(staff_client, PAGE_ACTION, [event])
    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(staff_client, PAGE_ACTION, preview)
    post = FacebookPost.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{POSTS}?pk__in={post.pk}"
    assert (post.status, post.target, post.created_by.username) == (Status.QUEUED, "page", "staff")
    assert post.message == preview.context["previews"][0].message
    assert post.link == f"https://tdc.example.org/events/{event.pk}/"
    [task] = OrmQ.objects.all()
    assert task.task["func"] == "integrations.facebook.tasks.publish_page_post"
    assert task.task["args"] == (post.pk,)

    no_network.post(f"{GRAPH}/{PAGE_ID}/feed", json={"id": POST_ID})
    no_network.get(f"{GRAPH}/{POST_ID}", json={"id": POST_ID, "permalink_url": PERMALINK})
    tasks.publish_page_post(*task.task["args"])

    log = page_text(staff_client.get(response["Location"]))
    assert "Posted" in log
    assert PERMALINK in log
    change = page_text(staff_client.get(reverse("admin:events_event_change", args=[event.pk])))
    assert "Facebook posts" in change
    assert PERMALINK in change
    assert "Posted" in page_text(staff_client.get(CHANGELIST, {"when": "all"}))


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"status": Event.Status.DRAFT}, "It is a draft"),
        ({"status": Event.Status.CANCELLED}, "It is cancelled"),
        ({"audience": Event.Audience.STAFF}, "It is for staff only"),
    ],
)
def test_events_that_cannot_be_announced_are_refused_with_the_reason(
    staff_client, make_event, facebook, fields, reason
):
    event = make_event(**fields)
    response = run_action(staff_client, PAGE_ACTION, [event])
    text = page_text(response)
    assert f"Cannot be announced: {reason}" in text
    assert "Yes, post to the Facebook Page" not in text
    # A forged confirmation is checked again on the server.
    staff_client.post(
        CHANGELIST,
        {
            "action": PAGE_ACTION,
            "confirm": "yes",
            "_selected_action": [event.pk],
            f"request_key_{event.pk}": "6a3f4c4e-8d0e-4e55-9a43-0f0a3c1b2d11",
            f"digest_{event.pk}": "0" * 64,
        },
    )
    assert not FacebookPost.objects.exists()


def test_an_unconfigured_page_says_so_once_and_still_previews_each_post(
    staff_client, make_event, facebook
):
    facebook.FACEBOOK_PAGE_ACCESS_TOKEN = ""
    events = [make_event(title="Luna Sparrow Live"), make_event(title="Blues Night")]
    response = run_action(staff_client, PAGE_ACTION, events)
    text = page_text(response)
    assert text.count("The Facebook Page is not configured: set FACEBOOK_PAGE_ACCESS_TOKEN") == 1
    assert "Nothing can be posted from this page yet" in text
    assert "as soon as you confirm" not in text
    assert "Yes, post to the Facebook Page" not in text
    # The text each event would go out with is still there to check the templates against.
    assert "Luna Sparrow Live\n\n" in text
    assert "Blues Night\n\n" in text
    assert "Cannot be announced" not in text

    # A confirmation sent anyway (an old tab, a forged form) posts nothing.
    preview = response.context["previews"][0]
    staff_client.post(
        CHANGELIST,
        {
            "action": PAGE_ACTION,
            "confirm": "yes",
            "_selected_action": [preview.event.pk],
            f"request_key_{preview.event.pk}": preview.request_key,
            f"digest_{preview.event.pk}": preview.digest,
        },
    )
    assert not FacebookPost.objects.exists()


def test_an_event_refused_for_itself_is_still_refused_under_it(staff_client, make_event, facebook):
    draft = make_event(title="Not Yet", status=Event.Status.DRAFT)
    text = page_text(run_action(staff_client, PAGE_ACTION, [draft, make_event()]))
    assert text.count("Cannot be announced: It is a draft: schedule it first.") == 1
    assert "Yes, post to the Facebook Page" in text


def test_a_past_event_is_flagged(staff_client, make_event, facebook):
    start = timezone.now() - timedelta(days=2)
    text = page_text(run_action(staff_client, PAGE_ACTION, [make_event(start_time=start)]))
    assert "This event is over." in text


@pytest.mark.parametrize(
    ("site_url", "warned"),
    [
        ("http://127.0.0.1:8000", True),
        ("http://localhost:8000", True),
        ("http://192.168.1.20", True),
        ("https://tdc.example.org", False),
        ("https://203.0.113.7.nip.io", False),
    ],
)
def test_a_site_url_facebook_cannot_open_is_flagged(
    staff_client, make_event, facebook, site_url, warned
):
    facebook.SITE_URL = site_url
    text = page_text(run_action(staff_client, PAGE_ACTION, [make_event(), make_event()]))
    # Said once at the top, not under every event.
    assert text.count("which Facebook cannot open") == (1 if warned else 0)


def test_the_group_page_says_once_that_there_is_no_group_link(staff_client, make_event, facebook):
    facebook.FACEBOOK_GROUP_ID = ""
    facebook.SITE_URL = "http://localhost:8000"
    text = page_text(run_action(staff_client, GROUP_ACTION, [make_event(), make_event()]))
    assert text.count("FACEBOOK_GROUP_ID is not set") == 1
    assert text.count("which Facebook cannot open") == 1
    assert "Yes, prepare the Group posts" in text


def test_a_poster_makes_it_a_photo_post(staff_client, make_event, facebook, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "posters").mkdir()
    (tmp_path / "posters" / "luna.png").write_bytes(b"\x89PNG small")
    event = make_event(poster="posters/luna.png")
    response = run_action(staff_client, PAGE_ACTION, [event])
    assert "as a photo post with the event's poster" in page_text(response)
    assert response.context["previews"][0].with_photo


def test_posting_again_needs_an_explicit_tick(
    staff_client, make_event, facebook, staff_user, django_capture_on_commit_callbacks
):
    event = make_event()
    FacebookPost.objects.create(
        event=event,
        event_title=event.title,
        target="page",
        message="m",
        status=Status.POSTED,
        posted_at=datetime(2026, 11, 20, 18, 30, tzinfo=ZoneInfo("UTC")),
        created_by=staff_user,
        permalink=PERMALINK,
    )
    preview = run_action(staff_client, PAGE_ACTION, [event])
    text = page_text(preview)
    assert f"Already posted on Fri 20 Nov 2026, 19:30 by staff ({PERMALINK})." in text
    assert "Post it again anyway" in text

    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(staff_client, PAGE_ACTION, preview)
    assert FacebookPost.objects.count() == 1
    assert "tick “Post it again anyway”" in page_text(staff_client.get(response["Location"]))

    preview = run_action(staff_client, PAGE_ACTION, [event])
    with django_capture_on_commit_callbacks(execute=True):
        confirm(staff_client, PAGE_ACTION, preview, repost=[event])
    assert FacebookPost.objects.filter(status=Status.QUEUED).count() == 1


def test_submitting_the_same_confirmation_twice_posts_once(
    staff_client, make_event, facebook, django_capture_on_commit_callbacks
):
    event = make_event()
    preview = run_action(staff_client, PAGE_ACTION, [event])
    with django_capture_on_commit_callbacks(execute=True):
        confirm(staff_client, PAGE_ACTION, preview)
        # The second click even ticks "post again": the form's key still says it was sent.
        response = confirm(staff_client, PAGE_ACTION, preview, repost=[event])
    assert FacebookPost.objects.count() == 1
    assert OrmQ.objects.count() == 1
    assert "already submitted" in page_text(staff_client.get(response["Location"]))


@pytest.mark.parametrize(
    "edit",
    [
        lambda event: Event.objects.filter(pk=event.pk).update(title="Luna Sparrow — moved"),
        lambda event: PostTemplate.objects.filter(event_type="live_singer").update(
            text="Different words: {title}"
        ),
    ],
    ids=["event edited", "template edited"],
)
def test_a_post_that_changed_after_the_preview_is_not_sent(
    staff_client, make_event, facebook, edit, django_capture_on_commit_callbacks
):
    event = make_event()
    preview = run_action(staff_client, PAGE_ACTION, [event])
    edit(event)
    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(staff_client, PAGE_ACTION, preview)
    assert not FacebookPost.objects.exists()
    assert not OrmQ.objects.exists()
    assert "changed after you looked" in page_text(staff_client.get(response["Location"]))


def test_a_confirmation_without_the_previews_fingerprint_is_refused(
    staff_client, make_event, facebook
):
    event = make_event()
    preview = run_action(staff_client, PAGE_ACTION, [event]).context["previews"][0]
    staff_client.post(
        CHANGELIST,
        {
            "action": PAGE_ACTION,
            "confirm": "yes",
            "_selected_action": [event.pk],
            f"request_key_{event.pk}": preview.request_key,
        },
    )
    assert not FacebookPost.objects.exists()


@pytest.fixture
def event_editor(db, django_user_model):
    user = django_user_model.objects.create_user("editor", password="pw", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="events", codename__in=["view_event", "change_event"]
        )
    )
    return user


def test_only_staff_with_the_permission_see_and_run_the_actions(
    client, event_editor, make_event, facebook
):
    event = make_event()
    client.force_login(event_editor)
    page = client.get(CHANGELIST).content.decode()
    assert PAGE_ACTION not in page
    assert GROUP_ACTION not in page
    response = run_action(client, PAGE_ACTION, [event])
    assert response.status_code == 302  # "No action selected": Django refuses it
    assert not FacebookPost.objects.exists()
    forged = client.post(
        CHANGELIST,
        {
            "action": PAGE_ACTION,
            "confirm": "yes",
            "_selected_action": [event.pk],
            f"request_key_{event.pk}": "6a3f4c4e-8d0e-4e55-9a43-0f0a3c1b2d11",
            f"digest_{event.pk}": "0" * 64,
        },
    )
    assert forged.status_code == 302
    assert not FacebookPost.objects.exists()

    event_editor.user_permissions.add(Permission.objects.get(codename="announce_on_facebook"))
    client.force_login(event_editor)
    page = client.get(CHANGELIST).content.decode()
    assert PAGE_ACTION in page
    assert GROUP_ACTION in page
    # Without access to the post log, confirming returns to the events list.
    response = confirm(client, PAGE_ACTION, run_action(client, PAGE_ACTION, [event]))
    assert response.status_code == 302
    assert response["Location"] == CHANGELIST
    assert FacebookPost.objects.get().created_by == event_editor


def test_the_group_flow_prepares_text_to_paste_and_records_it(staff_client, make_event, facebook):
    event = make_event(title="Tribute to Queen", event_type="tribute_concert")
    preview = run_action(staff_client, GROUP_ACTION, [event])
    text = page_text(preview)
    assert "no longer lets apps publish to Groups (since 22 April 2024)" in text
    assert 'the Facebook Group <a href="https://www.facebook.com/groups/555666777/"' in text
    assert "Tribute Concert!\n\nTribute to Queen" in text

    prepared = confirm(staff_client, GROUP_ACTION, preview)
    post = FacebookPost.objects.get()
    assert (post.target, post.status) == ("group", Status.PREPARED)
    # Redirected to a page that reloads safely (no form resubmission) while pasting.
    group_posts = f"{reverse('admin:facebook_facebookpost_group_posts')}?ids={post.pk}"
    assert (prepared.status_code, prepared["Location"]) == (302, group_posts)
    text = page_text(staff_client.get(group_posts))
    assert "1 Group post prepared." in text
    assert "Group posts to paste" in text
    assert "Copy text" in text
    assert 'data-copy-from="group-text-' in text
    assert "https://www.facebook.com/groups/555666777/" in text
    assert "Mark as posted by hand" in text
    assert "Tribute Concert!\n\nTribute to Queen" in text

    url = reverse("admin:facebook_facebookpost_posted_by_hand", args=[post.pk])
    refused = staff_client.post(url, {"permalink": "javascript:alert(1)", "next": group_posts})
    assert refused["Location"] == group_posts
    post.refresh_from_db()
    assert post.status == Status.PREPARED

    group_post = "https://www.facebook.com/groups/555666777/posts/42/"
    marked = staff_client.post(url, {"permalink": group_post, "next": group_posts}, follow=True)
    post.refresh_from_db()
    assert (post.status, post.permalink) == (Status.POSTED_BY_HAND, group_post)
    assert post.posted_at is not None
    assert "marked as posted by hand" in page_text(marked)
    assert "Status: Posted by hand" in page_text(marked)  # back on the list of Group posts

    again = page_text(run_action(staff_client, GROUP_ACTION, [event]))
    assert "Already posted by hand on" in again
    assert "Post it again anyway" in again


def test_the_group_posts_page_needs_the_permission_and_real_group_posts(
    client, staff_client, event_editor, make_event
):
    event = make_event()
    page_post = FacebookPost.objects.create(
        event=event, event_title=event.title, target="page", message="m", status=Status.POSTED
    )
    url = reverse("admin:facebook_facebookpost_group_posts")
    assert staff_client.get(f"{url}?ids={page_post.pk}").status_code == 404
    assert staff_client.get(f"{url}?ids=abc,,").status_code == 404
    client.force_login(event_editor)
    assert client.get(f"{url}?ids={page_post.pk}").status_code == 403


def test_checked_posts_can_be_resolved_from_the_post_log(staff_client, make_event, staff_user):
    event = make_event()
    post = FacebookPost.objects.create(
        event=event,
        event_title=event.title,
        target="page",
        message="m",
        status=Status.NEEDS_CHECKING,
        created_by=staff_user,
    )
    staff_client.post(
        POSTS, {"action": "mark_found_on_page", "_selected_action": [post.pk], "index": "0"}
    )
    post.refresh_from_db()
    assert post.status == Status.POSTED


@responses.activate
def test_the_token_check_button_asks_facebook_and_shows_the_answer(staff_client, facebook):
    responses.get(
        f"{GRAPH}/debug_token",
        json={
            "data": {
                "app_id": "998877",
                "type": "PAGE",
                "is_valid": True,
                "expires_at": 0,
                "data_access_expires_at": 1800000000,
                "profile_id": PAGE_ID,
                "scopes": ["pages_manage_posts", "pages_read_engagement", "pages_show_list"],
            }
        },
    )
    url = reverse("admin:facebook_tokencheck_run")
    assert "Check now" in staff_client.get(url).content.decode()
    response = staff_client.post(url, follow=True)
    text = page_text(response)
    assert "Page token valid, does not expire; data access until Fri 15 Jan 2027." in text
    assert "Check the Page token" in page_text(staff_client.get(POSTS))


def test_the_admin_pages_load(staff_client, make_event, facebook, staff_user):
    event = make_event()
    post = FacebookPost.objects.create(
        event=event, event_title=event.title, target="group", message="m", status="prepared"
    )
    for url in (
        POSTS,
        reverse("admin:facebook_facebookpost_change", args=[post.pk]),
        reverse("admin:facebook_facebookpost_posted_by_hand", args=[post.pk]),
        reverse("admin:facebook_posttemplate_changelist"),
        reverse("admin:facebook_posttemplate_change", args=[1]),
        reverse("admin:facebook_posttemplate_add"),
        reverse("admin:facebook_tokencheck_changelist"),
    ):
        assert staff_client.get(url).status_code == 200, url


def test_queued_posts_can_be_handed_to_the_worker_again(staff_client, make_event, staff_user):
    event = make_event()
    queued, posted = (
        FacebookPost.objects.create(
            event=event, event_title=event.title, target="page", message="m", status=status
        )
        for status in (Status.QUEUED, Status.POSTED)
    )
    response = staff_client.post(
        POSTS,
        {"action": "send_queued_now", "_selected_action": [queued.pk, posted.pk], "index": "0"},
        follow=True,
    )
    [task] = OrmQ.objects.all()
    assert task.task["args"] == (queued.pk,)
    text = page_text(response)
    assert "1 post handed to the task worker." in text
    assert "1 post left unchanged: only queued Page posts can be." in text


# --- what the confirmation and the post log say, and how ---------------------------------------


def upcoming_events(make_event, count):
    from datetime import timedelta

    from django.utils import timezone

    soon = timezone.now() + timedelta(days=2)
    return [make_event(title=f"Gig {n}", start_time=soon + timedelta(days=n)) for n in range(count)]


@pytest.mark.parametrize(
    ("count", "said"),
    [
        (1, "1 post queued for the Facebook Page. Its outcome shows here as it goes out."),
        (2, "2 posts queued for the Facebook Page. Their outcome shows here as they go out."),
    ],
)
def test_the_queued_message_counts_in_words(staff_client, make_event, facebook, count, said):
    events = upcoming_events(make_event, count)
    preview = run_action(staff_client, PAGE_ACTION, events)
    response = confirm(staff_client, PAGE_ACTION, preview)
    assert said in page_text(staff_client.get(response["Location"]))


@pytest.mark.parametrize(
    ("count", "said"), [(1, "1 Group post prepared."), (2, "2 Group posts prepared.")]
)
def test_the_prepared_message_counts_in_words(staff_client, make_event, facebook, count, said):
    events = upcoming_events(make_event, count)
    preview = run_action(staff_client, GROUP_ACTION, events)
    response = confirm(staff_client, GROUP_ACTION, preview)
    assert said in page_text(staff_client.get(response["Location"]))


def test_the_post_text_is_shown_as_text_not_in_a_text_box(staff_client, make_event, facebook):
    [event] = upcoming_events(make_event, 1)
    confirmation = page_text(run_action(staff_client, PAGE_ACTION, [event]))
    assert "<textarea" not in confirmation
    assert f'<div class="facebook-post-text" id="text-{event.pk}">' in confirmation
    preview = run_action(staff_client, PAGE_ACTION, [event])
    confirm(staff_client, PAGE_ACTION, preview)
    post = FacebookPost.objects.get()
    detail = page_text(
        staff_client.get(reverse("admin:facebook_facebookpost_change", args=[post.pk]))
    )
    assert "<textarea" not in detail
    assert f'<div id="facebook-post-{post.pk}" class="facebook-post-text">' in detail
    assert f'data-copy-from="facebook-post-{post.pk}"' in detail
