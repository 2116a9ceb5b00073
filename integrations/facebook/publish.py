"""Writes: queueing Page posts staff confirmed, publishing them, preparing Group posts.

A Page post is published at most once: the task moves it queued -> sending -> outcome under a
row lock; a run that finds it "sending" for longer than a run can last (the worker died
mid-call) marks it for checking, one that finds it sending just now leaves it to the run in
flight; a POST whose answer was lost is never repeated (integrations.http raises OutcomeUnknown).
"""

import hmac
import logging
import mimetypes
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import PurePath

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from events.models import Event
from integrations.facebook import client, compose, queue
from integrations.facebook.models import FacebookPost
from integrations.facebook.preview import announcement_previews, target_problems
from integrations.http import IntegrationError, NotConfigured, OutcomeUnknown, TransientError
from integrations.in_words import recorded_moment, recorded_wordings

logger = logging.getLogger(__name__)

# Publishing runs per post, and the pause before each retry after a transient failure.
MAX_PUBLISH_RUNS = 4
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15))
ERROR_FIELDS = ["error_code", "error_subcode", "error_message", "fbtrace_id"]

# Why a post did not go out (or how it went), recorded in English whoever wrote it (mostly the
# task worker, which has no reader's language) and shown through `in_words` in the reader's.
EVENT_DELETED = gettext_noop("Not posted: its event was deleted.")
EVENT_CANCELLED = gettext_noop("Not posted: the event was cancelled.")
EVENT_STAFF_ONLY = gettext_noop("Not posted: the event was made staff-only.")
EVENT_DRAFT = gettext_noop("Not posted: the event was made a draft.")
MOMENT_MISSED = gettext_noop(
    "Not posted: its moment (%(when)s) was more than %(minutes)s minutes ago when the task "
    "worker reached it (was it stopped?)."
)
HELD_REASON = gettext_noop(
    "Held: since it was approved the event (time, title, line-up) or its post template was "
    "edited, so it no longer says what was approved. Approve it again from the event's page, "
    "or cancel it."
)
APPROVAL_MISSED = gettext_noop(
    "Not posted: it was still waiting to be approved again when its moment passed."
)
QUEUED_EVENT_GONE = gettext_noop(
    "Not posted: since it was queued the event was deleted or is no longer public and "
    "scheduled. Announce it again if it should go out."
)
QUEUED_TEXT_CHANGED = gettext_noop(
    "Not posted: since it was confirmed the event or its post template was edited, so the text "
    "confirmed is no longer what the announcement would say. Announce it again if it should go "
    "out."
)
INTERRUPTED = gettext_noop(
    "Publishing was interrupted while sending: look at the Page, then mark this post as posted "
    "or not posted."
)
LOOK_AT_THE_PAGE = gettext_noop("Look at the Page, then mark this post as posted or not posted.")
GAVE_UP = gettext_noop("%(error)s (gave up after %(tries)s tries)")
POSTER_UNREADABLE = gettext_noop(
    "The poster could not be read (%(problem)s): upload it again or remove it, then announce again."
)
POSTER_GONE = gettext_noop("the event or its poster is gone")
UNEXPECTED = gettext_noop(
    "Unexpected error while sending (%(kind)s): look at the Page, then mark this post as posted "
    "or not posted."
)
CHECKED_ON_PAGE = gettext_noop("Checked by staff: on the Page.")
CHECKED_NOT_ON_PAGE = gettext_noop("Checked by staff: not on the Page.")
ERROR_CHECKED_ON_PAGE = gettext_noop("%(error)s Checked by staff: on the Page.")
ERROR_CHECKED_NOT_ON_PAGE = gettext_noop("%(error)s Checked by staff: not on the Page.")
recorded_wordings(
    EVENT_DELETED,
    EVENT_CANCELLED,
    EVENT_STAFF_ONLY,
    EVENT_DRAFT,
    MOMENT_MISSED,
    HELD_REASON,
    APPROVAL_MISSED,
    QUEUED_EVENT_GONE,
    QUEUED_TEXT_CHANGED,
    INTERRUPTED,
    LOOK_AT_THE_PAGE,
    GAVE_UP,
    POSTER_UNREADABLE,
    POSTER_GONE,
    UNEXPECTED,
    CHECKED_ON_PAGE,
    CHECKED_NOT_ON_PAGE,
    ERROR_CHECKED_ON_PAGE,
    ERROR_CHECKED_NOT_ON_PAGE,
)


def sending_run_limit() -> timedelta:
    """How long one publishing run can last: the task worker stops a task after its timeout."""
    return timedelta(seconds=settings.Q_CLUSTER.get("timeout") or 600)


def _sending_stalled(post: FacebookPost, now) -> bool:
    return post.status == FacebookPost.Status.SENDING and (
        post.updated_at < now - sending_run_limit()
    )


@dataclass
class ConfirmOutcome:
    created: list[FacebookPost] = field(default_factory=list)
    skipped: list[tuple[Event, str]] = field(default_factory=list)


def _parse_key(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


def _create_posts(
    *,
    event_ids: list[int],
    target: str,
    status: str,
    user,
    reposts: set[int],
    request_keys: dict[int, str],
    digests: dict[int, str],
) -> ConfirmOutcome:
    """Record one post per event that may go out; everything is re-checked here, not trusted.

    `digests` are the fingerprints of the previews staff confirmed: an event whose text, link
    or photo has changed since (its details or its template were edited) is not posted.
    """
    outcome = ConfirmOutcome()
    # Lock the events so two staff confirming at once cannot both post the same one.
    locked = list(Event.objects.select_for_update().filter(pk__in=event_ids).order_by("pk"))
    blocking = target_problems(target).blocking
    if blocking:
        outcome.skipped.extend((event, blocking) for event in locked)
        return outcome
    for preview in announcement_previews(events=locked, target=target):
        event = preview.event
        if preview.refusal:
            outcome.skipped.append((event, preview.refusal))
            continue
        if preview.already_on_target and event.pk not in reposts:
            outcome.skipped.append(
                (
                    event,
                    gettext(
                        "It is already there (or on its way); tick “Post it again anyway” on the "
                        "confirmation page to post it once more."
                    ),
                )
            )
            continue
        key = _parse_key(request_keys.get(event.pk))
        if key is None or not digests.get(event.pk):
            outcome.skipped.append(
                (event, gettext("The confirmation form was incomplete; try again."))
            )
            continue
        if not hmac.compare_digest(preview.digest, digests[event.pk]):
            outcome.skipped.append(
                (
                    event,
                    gettext(
                        "Its text, link or photo changed after you looked (the event or its "
                        "template was edited); announce it again to see what would go out now."
                    ),
                )
            )
            continue
        try:
            with transaction.atomic():
                post = FacebookPost.objects.create(
                    event=event,
                    event_title=event.title,
                    target=target,
                    message=preview.message,
                    link=preview.link,
                    with_photo=preview.with_photo,
                    status=status,
                    created_by=user,
                    request_key=key,
                )
        except IntegrityError:
            outcome.skipped.append((event, gettext("This confirmation was already submitted.")))
            continue
        outcome.created.append(post)
    return outcome


@transaction.atomic
def page_posts_queue(
    *,
    event_ids: list[int],
    user,
    reposts: set[int],
    request_keys: dict[int, str],
    digests: dict[int, str],
) -> ConfirmOutcome:
    """Queue the confirmed Page posts; the worker publishes them once this commits."""
    outcome = _create_posts(
        event_ids=event_ids,
        target=FacebookPost.Target.PAGE,
        status=FacebookPost.Status.QUEUED,
        user=user,
        reposts=reposts,
        request_keys=request_keys,
        digests=digests,
    )
    for post in outcome.created:
        transaction.on_commit(lambda pk=post.pk: queue.enqueue_page_post(pk))
    return outcome


@transaction.atomic
def group_posts_prepare(
    *,
    event_ids: list[int],
    user,
    reposts: set[int],
    request_keys: dict[int, str],
    digests: dict[int, str],
) -> ConfirmOutcome:
    """Record Group posts as prepared: the Graph API cannot publish to Groups since 2024-04-22."""
    return _create_posts(
        event_ids=event_ids,
        target=FacebookPost.Target.GROUP,
        status=FacebookPost.Status.PREPARED,
        user=user,
        reposts=reposts,
        request_keys=request_keys,
        digests=digests,
    )


def _poster_upload(event: Event | None) -> tuple[bytes, str, str]:
    if event is None or not event.poster:
        raise FileNotFoundError(POSTER_GONE)
    with event.poster.open("rb") as poster:
        image = poster.read()
    filename = PurePath(event.poster.name).name
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    return image, filename, content_type


def _send(post: FacebookPost) -> client.PublishedPost:
    if post.with_photo:
        image, filename, content_type = _poster_upload(post.event)
        return client.publish_photo_post(
            caption=post.message, image=image, filename=filename, content_type=content_type
        )
    return client.publish_link_post(message=post.message, link=post.link)


def _record_error(post: FacebookPost, error: IntegrationError, advice: str = "") -> None:
    graph = error if isinstance(error, client.GraphError) else None
    post.error_code = graph.code if graph else None
    post.error_subcode = graph.subcode if graph else None
    post.fbtrace_id = graph.trace_id if graph else ""
    advice = advice or client.advice_for(post.error_code, post.error_subcode)
    post.error_message = (
        client.WITH_ADVICE % {"error": error.message, "advice": advice} if advice else error.message
    )


def _clear_error(post: FacebookPost) -> None:
    post.error_code = post.error_subcode = None
    post.error_message = post.fbtrace_id = ""


def _no_longer_right(post: FacebookPost) -> str:
    """Why a queued post must not go out any more (the event changed since it was confirmed)."""
    event = post.event
    if event is None or not event.is_public_and_scheduled:
        return QUEUED_EVENT_GONE
    # A post can wait (rate limits, a stopped worker): never publish a time or place gone stale.
    if _text_now(post) != (post.message, post.link):
        return QUEUED_TEXT_CHANGED
    return ""


def _text_now(post: FacebookPost) -> tuple[str, str]:
    """The post's text and link as they would be composed now, from the template it used."""
    template = compose.template_by_key(post.event, post.template_key)
    try:
        message = compose.render(template.text, post.event) if template else ""
    except ValueError:
        message = ""
    return message, compose.public_event_url(post.event)


def _changed_since_approval(post: FacebookPost) -> bool:
    """The post would no longer be what staff approved: its text, or its moment, moved."""
    if _text_now(post) != (post.message, post.link):
        return True
    if post.plan_moment is not None and post.plan_moment.time_for(post.event) != post.scheduled_for:
        return True  # the event moved (or the plan changed) and the text does not show it
    return post.scheduled_for > post.event.start_time


def _grace() -> timedelta:
    return timedelta(minutes=settings.FACEBOOK_SCHEDULE_GRACE_MINUTES)


def _why_cancelled(event: Event | None) -> str:
    if event is None:
        return EVENT_DELETED
    if event.status == Event.Status.CANCELLED:
        return EVENT_CANCELLED
    if event.audience != Event.Audience.PUBLIC:
        return EVENT_STAFF_ONLY
    if event.status != Event.Status.SCHEDULED:
        return EVENT_DRAFT
    return ""


def scheduled_post_release(*, post_id: int, now: datetime) -> str:
    """Decide what becomes of a scheduled post whose moment has come. Returns the new status.

    Queued (to be published now) only if its event can still go on the Page, its moment is
    less than the grace behind, and its text is still what staff approved; otherwise it is
    cancelled, missed or held, and says why. The change is conditional on the post still
    being scheduled, so two workers never both release it.
    """
    post = (
        FacebookPost.objects.select_related("event", "plan_moment")
        .filter(pk=post_id, target=FacebookPost.Target.PAGE)
        .first()
    )
    if post is None or post.status != FacebookPost.Status.SCHEDULED:
        return post.status if post else "missing"
    if post.scheduled_for > now:
        return post.status  # not yet
    status, reason = FacebookPost.Status.QUEUED, ""
    cancelled = _why_cancelled(post.event)
    if cancelled:
        status, reason = FacebookPost.Status.CANCELLED, cancelled
    elif post.scheduled_for < now - _grace():
        status = FacebookPost.Status.MISSED
        reason = MOMENT_MISSED % {
            "when": recorded_moment(post.scheduled_for),
            "minutes": str(settings.FACEBOOK_SCHEDULE_GRACE_MINUTES),
        }
    elif _changed_since_approval(post):
        status = FacebookPost.Status.HELD
        reason = HELD_REASON
    changed = FacebookPost.objects.filter(pk=post.pk, status=FacebookPost.Status.SCHEDULED).update(
        status=status, error_message=reason, updated_at=timezone.now()
    )
    return status if changed else FacebookPost.objects.get(pk=post.pk).status


def scheduled_posts_publish_due(*, now: datetime | None = None, limit: int = 10) -> dict:
    """Publish every scheduled Page post whose moment has come (the every-minute task).

    Held posts whose moment passed more than the grace ago are marked missed, so nothing
    waits for an approval that can no longer be used. At most `limit` posts a run, soonest
    first, so a run ends well within the worker's timeout; the rest go a minute later.
    """
    now = now or timezone.now()
    FacebookPost.objects.filter(
        target=FacebookPost.Target.PAGE,
        status=FacebookPost.Status.HELD,
        scheduled_for__lt=now - _grace(),
    ).update(
        status=FacebookPost.Status.MISSED,
        error_message=APPROVAL_MISSED,
        updated_at=timezone.now(),
    )
    # Posts of the next day whose text changed are held now, while there is time to approve.
    upcoming = FacebookPost.objects.filter(
        target=FacebookPost.Target.PAGE,
        status=FacebookPost.Status.SCHEDULED,
        scheduled_for__gt=now,
        scheduled_for__lte=now + timedelta(hours=24),
        event__isnull=False,
    ).select_related("event", "plan_moment")
    for post in upcoming[:limit]:
        if not _why_cancelled(post.event) and _changed_since_approval(post):
            FacebookPost.objects.filter(pk=post.pk, status=FacebookPost.Status.SCHEDULED).update(
                status=FacebookPost.Status.HELD,
                error_message=HELD_REASON,
                updated_at=timezone.now(),
            )
    due = list(
        FacebookPost.objects.filter(
            target=FacebookPost.Target.PAGE,
            status=FacebookPost.Status.SCHEDULED,
            scheduled_for__lte=now,
        )
        .order_by("scheduled_for", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    outcomes: dict[str, int] = {}
    for post_id in due:
        status = scheduled_post_release(post_id=post_id, now=now)
        if status == FacebookPost.Status.QUEUED:
            status = page_post_publish(post_id=post_id)
        outcomes[status] = outcomes.get(status, 0) + 1
    return outcomes


def page_post_publish(*, post_id: int) -> str:
    """Publish one queued Page post and record what happened. Returns the new status."""
    with transaction.atomic():
        post = (
            FacebookPost.objects.select_for_update()
            .select_related("event")
            .filter(pk=post_id, target=FacebookPost.Target.PAGE)
            .first()
        )
        if post is None:
            return "missing"
        if post.status == FacebookPost.Status.SENDING:
            if not _sending_stalled(post, timezone.now()):
                return post.status  # another run is sending it right now
            # An earlier run stopped mid-call: the post may be on the Page already.
            post.status = FacebookPost.Status.NEEDS_CHECKING
            post.error_message = INTERRUPTED
            post.save(update_fields=["status", "error_message", "updated_at"])
            return post.status
        if post.status != FacebookPost.Status.QUEUED:
            return post.status  # a duplicate task: already handled
        reason = _no_longer_right(post)
        if reason:
            post.status = FacebookPost.Status.FAILED
            _clear_error(post)
            post.error_message = reason
            post.save(update_fields=[*ERROR_FIELDS, "status", "updated_at"])
            return post.status
        post.status = FacebookPost.Status.SENDING
        post.attempts += 1
        post.next_attempt_at = None
        post.save(update_fields=["status", "attempts", "next_attempt_at", "updated_at"])

    permalink_wanted = False
    try:
        published = _send(post)
    except client.DuplicatePost as exc:
        post.status = FacebookPost.Status.POSTED
        post.posted_at = timezone.now()
        _record_error(post, exc)
    except OutcomeUnknown as exc:
        post.status = FacebookPost.Status.NEEDS_CHECKING
        _record_error(post, exc, LOOK_AT_THE_PAGE)
    except NotConfigured as exc:
        post.status = FacebookPost.Status.FAILED
        _record_error(post, exc)
    except TransientError as exc:
        _record_error(post, exc)
        if post.attempts < MAX_PUBLISH_RUNS:
            delay = RETRY_DELAYS[min(post.attempts, len(RETRY_DELAYS)) - 1]
            if exc.retry_after:
                delay = max(delay, timedelta(seconds=exc.retry_after))
            post.status = FacebookPost.Status.QUEUED
            post.next_attempt_at = timezone.now() + delay
        else:
            post.status = FacebookPost.Status.FAILED
            post.error_message = GAVE_UP % {
                "error": post.error_message,
                "tries": str(post.attempts),
            }
    except IntegrationError as exc:
        post.status = FacebookPost.Status.FAILED
        _record_error(post, exc)
    except OSError as exc:
        post.status = FacebookPost.Status.FAILED
        _clear_error(post)
        post.error_message = POSTER_UNREADABLE % {"problem": exc}
    except Exception as exc:
        # A bug or an unforeseen failure mid-send: whether it went out is unknown.
        logger.exception("Publishing Facebook post %s failed unexpectedly", post.pk)
        post.status = FacebookPost.Status.NEEDS_CHECKING
        _clear_error(post)
        post.error_message = UNEXPECTED % {"kind": type(exc).__name__}
    else:
        post.status = FacebookPost.Status.POSTED
        post.posted_at = timezone.now()
        post.remote_id = published.post_id
        _clear_error(post)
        permalink_wanted = True

    # Only what this run decided: the row may have changed meanwhile (its event deleted).
    post.save(
        update_fields=[
            "status",
            "posted_at",
            "remote_id",
            "next_attempt_at",
            *ERROR_FIELDS,
            "updated_at",
        ]
    )
    if post.status == FacebookPost.Status.QUEUED and post.next_attempt_at:
        queue.enqueue_page_post_at(post.pk, post.next_attempt_at)
    if permalink_wanted:
        _store_permalink(post)
    return post.status


def _store_permalink(post: FacebookPost) -> None:
    # The post is out whatever happens here; a missing permalink only costs a click.
    try:
        permalink = client.fetch_permalink(post.remote_id)
    except IntegrationError:
        return
    if permalink:
        FacebookPost.objects.filter(pk=post.pk).update(permalink=permalink)
        post.permalink = permalink


@transaction.atomic
def post_mark_posted_by_hand(*, post_id: int, permalink: str = "") -> bool:
    """A prepared Group post was pasted by staff. False if it was not a prepared Group post."""
    post = FacebookPost.objects.select_for_update().filter(pk=post_id).first()
    if (
        post is None
        or post.target != FacebookPost.Target.GROUP
        or post.status != FacebookPost.Status.PREPARED
    ):
        return False
    post.status = FacebookPost.Status.POSTED_BY_HAND
    post.posted_at = timezone.now()
    if permalink:
        post.permalink = permalink
    post.save(update_fields=["status", "posted_at", "permalink", "updated_at"])
    return True


@transaction.atomic
def post_resolve_checking(*, post_id: int, found_on_page: bool) -> bool:
    """Staff looked at the Page for a post whose outcome was unknown, and say what they saw.

    Also for a post left "sending" by a worker that stopped mid-call and was not run again.
    """
    post = FacebookPost.objects.select_for_update().filter(pk=post_id).first()
    if post is None or not (
        post.status == FacebookPost.Status.NEEDS_CHECKING or _sending_stalled(post, timezone.now())
    ):
        return False
    if found_on_page:
        post.status = FacebookPost.Status.POSTED
        post.posted_at = post.posted_at or timezone.now()
    else:
        post.status = FacebookPost.Status.FAILED
    if post.error_message:
        checked = ERROR_CHECKED_ON_PAGE if found_on_page else ERROR_CHECKED_NOT_ON_PAGE
        post.error_message = checked % {"error": post.error_message}
    else:
        post.error_message = CHECKED_ON_PAGE if found_on_page else CHECKED_NOT_ON_PAGE
    post.save(update_fields=["status", "posted_at", "error_message", "updated_at"])
    return True
