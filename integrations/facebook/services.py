"""Writes: Page posts on a schedule (created on approval, cancelled or re-approved by staff)."""

import hashlib
import hmac
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from events.models import Event
from integrations.facebook import compose
from integrations.facebook.models import FacebookPost
from integrations.facebook.preview import announcement_previews, target_problems
from integrations.facebook.publish import ConfirmOutcome
from integrations.facebook.selectors import request_key_for, schedule_previews, venue_and_slt
from integrations.in_words import recorded_wordings

Target = FacebookPost.Target
Status = FacebookPost.Status

# Recorded on the post in English, whoever cancels, and shown through `in_words`.
CANCELLED_BY = gettext_noop("Cancelled by %(who)s.")
SOMEONE = gettext_noop("someone")
recorded_wordings(CANCELLED_BY, SOMEONE)


def _parse_key(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


@transaction.atomic
def scheduled_posts_create(
    *,
    event_ids: list[int],
    user,
    request_keys: dict[int, str],
    digests: dict[int, str],
    now: datetime,
    at: datetime | None = None,
) -> ConfirmOutcome:
    """Schedule the Page posts staff approved: each event's plan, or one post `at` a time.

    Everything is computed again here, under a lock on the events: an event whose posts
    (times, texts) differ from what staff were shown is skipped, and a moment already
    taken is not created twice.
    """
    outcome = ConfirmOutcome()
    locked = list(Event.objects.select_for_update().filter(pk__in=event_ids).order_by("pk"))
    blocking = target_problems(Target.PAGE).blocking
    if blocking:
        outcome.skipped.extend((event, blocking) for event in locked)
        return outcome
    for preview in schedule_previews(events=locked, now=now, at=at):
        event = preview.event
        if preview.refusal:
            outcome.skipped.append((event, preview.refusal))
            continue
        key = _parse_key(request_keys.get(event.pk))
        if key is None or not digests.get(event.pk):
            outcome.skipped.append((event, gettext("The confirmation form was incomplete.")))
            continue
        if not hmac.compare_digest(preview.digest, digests[event.pk]):
            outcome.skipped.append(
                (
                    event,
                    gettext(
                        "Its posts (times or texts) changed after you looked: the event, its "
                        "template or its plan was edited. Approve it again to see them now."
                    ),
                )
            )
            continue
        if not preview.to_create:
            outcome.skipped.append((event, gettext("Nothing left to schedule.")))
            continue
        for planned in preview.to_create:
            try:
                with transaction.atomic():
                    post = FacebookPost.objects.create(
                        event=event,
                        event_title=event.title,
                        target=Target.PAGE,
                        message=planned.message,
                        link=preview.link,
                        with_photo=preview.with_photo,
                        status=Status.SCHEDULED,
                        scheduled_for=planned.scheduled_for,
                        moment=_recorded_moment(planned),
                        template_key=planned.template_key,
                        plan_moment=planned.plan_moment,
                        created_by=user,
                        request_key=request_key_for(key, planned.scheduled_for),
                    )
            except IntegrityError:
                outcome.skipped.append((event, gettext("This approval was already submitted.")))
                break
            outcome.created.append(post)
    return outcome


@transaction.atomic
def scheduled_post_cancel(*, post_id: int, user) -> bool:
    """Staff cancel a post still waiting (or held). False if it was not waiting any more."""
    post = FacebookPost.objects.select_for_update().filter(pk=post_id).first()
    if post is None or post.status not in (Status.SCHEDULED, Status.HELD):
        return False
    post.status = Status.CANCELLED
    post.error_message = CANCELLED_BY % {"who": user.get_username() if user else SOMEONE}
    post.save(update_fields=["status", "error_message", "updated_at"])
    return True


def reapproval_preview(post: FacebookPost, *, now: datetime) -> tuple[datetime | None, str, str]:
    """What a held post would become if approved again: (time, text, why not).

    A plan's moment is placed again on the event's current start; a chosen time stays. A
    moment passed less than the grace ago is still fine: the next run publishes it.
    """
    event = post.event
    if event is None:
        return None, "", gettext("Its event was deleted.")
    when = post.scheduled_for
    if post.plan_moment is not None:
        when = post.plan_moment.time_for(event)
    [preview] = announcement_previews(events=[event], target=Target.PAGE, now=now)
    if preview.refusal:
        return when, "", preview.refusal
    if when < now - timedelta(minutes=settings.FACEBOOK_SCHEDULE_GRACE_MINUTES):
        return (
            when,
            "",
            gettext("Its moment (%(when)s) has passed.") % {"when": venue_and_slt(when)},
        )
    if when > event.start_time:
        return (
            when,
            "",
            gettext("Its moment (%(when)s) is now after the event's start.")
            % {"when": venue_and_slt(when)},
        )
    template = compose.template_by_key(event, post.template_key)
    if template is None:
        return when, "", gettext("Its post template no longer exists.")
    try:
        return when, compose.render(template.text, event), ""
    except ValueError as exc:
        return when, "", gettext("The post template is broken: %(error)s") % {"error": exc}


@transaction.atomic
def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def scheduled_post_reapprove(*, post_id: int, digest: str, now: datetime) -> str:
    """Staff approve a held post again with the text they were shown (its `text_digest`).

    Returns why not, or "" when it is scheduled again.
    """
    post = (
        FacebookPost.objects.select_for_update()
        .select_related("event", "plan_moment")
        .filter(pk=post_id, target=Target.PAGE)
        .first()
    )
    if post is None or post.status != Status.HELD:
        return gettext("Only a post that needs approving again can be approved again.")
    when, text, problem = reapproval_preview(post, now=now)
    if problem:
        return problem
    if not hmac.compare_digest(text_digest(text), digest):
        return gettext("Its text changed again after you looked: look at it once more.")
    clash = (
        FacebookPost.objects.filter(
            event=post.event,
            target=Target.PAGE,
            scheduled_for=when,
            status__in=FacebookPost.MOMENT_TAKEN,
        )
        .exclude(pk=post.pk)
        .exists()
    )
    if clash:
        return gettext("Another post is already scheduled at that moment.")
    post.message = text
    post.link = compose.public_event_url(post.event)
    post.event_title = post.event.title
    post.scheduled_for = when
    post.status = Status.SCHEDULED
    post.error_message = ""
    post.save(
        update_fields=[
            "message",
            "link",
            "event_title",
            "scheduled_for",
            "status",
            "error_message",
            "updated_at",
        ]
    )
    return ""


def _recorded_moment(planned) -> str:
    """The plan's moment as the post records it: in English, whoever approves it (staff read it
    in their own language through `FacebookPost.moment_in_words`)."""
    if planned.plan_moment is None:
        return planned.moment
    with translation.override("en"):
        return planned.plan_moment.describe()
