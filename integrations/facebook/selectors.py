"""Reads: what a schedule of Page posts would hold, and the scheduled posts of an event."""

import hashlib
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q
from django.utils import formats, timezone
from django.utils.translation import gettext

from events.models import Event
from integrations.facebook import compose
from integrations.facebook.models import AnnouncementMoment, FacebookPost, PostTemplate
from integrations.facebook.preview import announcement_previews

Target = FacebookPost.Target
Status = FacebookPost.Status


def venue_and_slt(moment: datetime) -> str:
    """A moment as staff and the audience read it: "Sat 28 Nov 2026, 19:00 CET · 10:00 SLT"."""
    venue = timezone.localtime(moment, ZoneInfo(settings.TIME_ZONE))
    slt = moment.astimezone(compose.slt())
    slt_text = formats.date_format(slt, "D j M, H:i") if slt.date() != venue.date() else ""
    return f"{formats.date_format(venue, 'DATETIME_FORMAT')} {venue.tzname()} · " + (
        f"{slt_text or format(slt, '%H:%M')} SLT"
    )


def parse_venue_time(value: str) -> datetime | None:
    """A time staff typed (ISO 8601; without an offset, in the venue's zone), or None."""
    try:
        moment = datetime.fromisoformat(value.strip())
        if timezone.is_naive(moment):
            moment = moment.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
        # Years at the edges of the calendar cannot be shifted between zones.
        return moment.astimezone(ZoneInfo("UTC")) if 1900 < moment.year < 9000 else None
    except (ValueError, OverflowError):
        return None


@dataclass
class PlannedPost:
    """One post a schedule would create (or skips, and why)."""

    scheduled_for: datetime
    moment: str
    message: str
    template_key: str = ""
    plan_moment: AnnouncementMoment | None = None
    skipped: str = ""

    @property
    def when(self) -> str:
        return venue_and_slt(self.scheduled_for)


@dataclass
class SchedulePreview:
    """An event's posts on the plan (or at one chosen time), exactly as they would go out."""

    event: Event
    link: str = ""
    with_photo: bool = False
    refusal: str = ""  # non-empty: nothing can be scheduled for this event, and why
    posts: list[PlannedPost] = field(default_factory=list)
    request_key: str = field(default_factory=lambda: str(uuid.uuid4()))
    chosen_time: bool = False  # one post at a time staff chose, not the plan

    @property
    def to_create(self) -> list[PlannedPost]:
        return [] if self.refusal else [post for post in self.posts if not post.skipped]

    @property
    def digest(self) -> str:
        """A fingerprint of every post to create: its time, its text, its link and photo.

        At a chosen time, the same as the "post now" preview's: the text staff were shown.
        """
        if self.chosen_time:
            message = self.posts[0].message if self.posts else ""
            shown = "\x1f".join((Target.PAGE, message, self.link, str(self.with_photo)))
            return hashlib.sha256(shown.encode()).hexdigest()
        shown = "\x1e".join(
            "\x1f".join(
                (post.scheduled_for.isoformat(), post.template_key, post.message, self.link)
            )
            for post in self.to_create
        )
        shown += f"\x1e{self.with_photo}"
        return hashlib.sha256(shown.encode()).hexdigest()


def request_key_for(form_key: uuid.UUID, scheduled_for: datetime) -> uuid.UUID:
    # One key per moment of one confirmation form: resubmitting the form creates nothing twice.
    return uuid.uuid5(form_key, scheduled_for.astimezone(ZoneInfo("UTC")).isoformat())


def _plans() -> dict[str, list[AnnouncementMoment]]:
    plans: dict[str, list[AnnouncementMoment]] = defaultdict(list)
    for moment in AnnouncementMoment.objects.all():
        plans[moment.event_type].append(moment)
    return plans


def schedule_previews(
    *, events: Iterable[Event], now: datetime, at: datetime | None = None
) -> list[SchedulePreview]:
    """Per event, the Page posts its type's plan holds (or one post `at` a chosen time).

    Moments already past or already taken by a post of the event are listed as skipped; a
    moment after the start (other than "minutes before"), a template that does not exist or
    an event that cannot go on the Page refuse the whole event. A fixed number of queries.
    """
    base = announcement_previews(events=events, target=Target.PAGE, now=now)
    event_ids = [preview.event.pk for preview in base]
    templates = {t.event_type: t for t in PostTemplate.objects.all()}
    plans = _plans() if at is None else {}
    taken: dict[int, set[datetime]] = defaultdict(set)
    for event_id, when in FacebookPost.objects.filter(
        event_id__in=event_ids,
        target=Target.PAGE,
        status__in=FacebookPost.MOMENT_TAKEN,
        scheduled_for__isnull=False,
    ).values_list("event_id", "scheduled_for"):
        taken[event_id].add(when)

    previews = []
    for announcement in base:
        event = announcement.event
        preview = SchedulePreview(
            event=event,
            link=announcement.link,
            with_photo=announcement.with_photo,
            chosen_time=at is not None,
        )
        previews.append(preview)
        preview.refusal = announcement.refusal
        if preview.refusal:
            continue
        if at is not None:
            moments = [(at, gettext("at a chosen time"), "", None)]
        else:
            moments = [
                (moment.time_for(event), moment.describe(), moment.template_key, moment)
                for moment in plans.get(event.event_type, [])
            ]
            if not moments:
                preview.refusal = gettext(
                    "There is no announcement plan for “%(type)s”: add its moments under "
                    "Announcement plans."
                ) % {"type": event.get_event_type_display()}
                continue
        for when, described, template_key, plan_moment in moments:
            preview.refusal = _moment_refusal(event, when, described, plan_moment, now, at)
            if preview.refusal:
                break
            template = compose.template_by_key(event, template_key, templates=templates)
            if template is None:
                preview.refusal = gettext(
                    "The moment “%(moment)s” uses the post template “%(template)s”, which does "
                    "not exist: add it under Facebook post templates, or change the plan."
                ) % {"moment": described, "template": template_key}
                break
            try:
                message = compose.render(template.text, event)
            except ValueError as exc:
                preview.refusal = gettext("The post template is broken: %(error)s") % {"error": exc}
                break
            post = PlannedPost(
                scheduled_for=when,
                moment=described,
                message=message,
                template_key=template_key,
                plan_moment=plan_moment,
            )
            if when <= now:
                post.skipped = gettext("Its moment has passed.")
            elif when in taken[event.pk]:
                post.skipped = gettext("Already scheduled or posted.")
            preview.posts.append(post)
        if preview.refusal:
            preview.posts = []
        elif not preview.to_create and at is None:
            preview.refusal = gettext("Every moment of its plan has passed or is already taken.")
    return previews


def _moment_refusal(event, when, described, plan_moment, now, at) -> str:
    if at is not None:
        if when <= now:
            return gettext("The chosen time %(when)s is in the past.") % {
                "when": venue_and_slt(when)
            }
        if when >= event.start_time:
            return gettext("The chosen time %(when)s is not before the event's start.") % {
                "when": venue_and_slt(when)
            }
        return ""
    # "Minutes before" is before the start by definition; a time of day may not be.
    if plan_moment.kind == AnnouncementMoment.Kind.DAYS_BEFORE and when > event.start_time:
        return gettext(
            "The moment “%(moment)s” falls at %(when)s, after the event's start (%(start)s): "
            "change the plan."
        ) % {
            "moment": described,
            "when": venue_and_slt(when),
            "start": venue_and_slt(event.start_time),
        }
    return ""


def scheduled_posts_of_event(*, event_id: int) -> list[FacebookPost]:
    """The event's Page posts on a schedule, soonest first, whatever became of them."""
    return list(
        FacebookPost.objects.filter(
            event_id=event_id, target=Target.PAGE, scheduled_for__isnull=False
        )
        .select_related("plan_moment")  # each says its moment in the reader's language
        .order_by("scheduled_for", "pk")
    )


def scheduled_post_counts(*, now: datetime) -> dict[str, int]:
    """How many scheduled posts are due in the next 24 hours, and how many are held."""
    return FacebookPost.objects.filter(target=Target.PAGE).aggregate(
        due=Count(
            "pk",
            filter=Q(
                status=Status.SCHEDULED,
                scheduled_for__gt=now - timedelta(minutes=settings.FACEBOOK_SCHEDULE_GRACE_MINUTES),
                scheduled_for__lte=now + timedelta(hours=24),
            ),
        ),
        held=Count("pk", filter=Q(status=Status.HELD)),
    )
