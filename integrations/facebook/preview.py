"""What an announcement would send, and why staff should think twice: read-only, no API call."""

import hashlib
import ipaddress
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Prefetch
from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext

from events.models import Event, EventArtist
from integrations.facebook import client, compose
from integrations.facebook.models import FacebookPost, PostTemplate

# Page photos should stay under 4 MB (Graph API, Page photos reference).
PHOTO_MAX_BYTES = 4 * 1024 * 1024


@dataclass
class AnnouncementPreview:
    event: Event
    target: str
    message: str = ""
    link: str = ""
    with_photo: bool = False
    refusal: str = ""  # non-empty: this event cannot be announced, and why
    warnings: list[str] = field(default_factory=list)
    already_on_target: list[FacebookPost] = field(default_factory=list)
    request_key: str = field(default_factory=lambda: str(uuid.uuid4()))

    @property
    def needs_repost_tick(self) -> bool:
        return bool(self.already_on_target) and not self.refusal

    @property
    def digest(self) -> str:
        """A fingerprint of what goes out, so a confirmation only sends what staff were shown."""
        shown = "\x1f".join((self.target, self.message, self.link, str(self.with_photo)))
        return hashlib.sha256(shown.encode()).hexdigest()


def page_url() -> str:
    page_id = settings.FACEBOOK_PAGE_ID
    return f"https://www.facebook.com/{page_id}" if page_id else ""


def group_url() -> str:
    group_id = settings.FACEBOOK_GROUP_ID
    return f"https://www.facebook.com/groups/{group_id}/" if group_id else ""


def site_url_problem() -> str:
    """Why Facebook could not open our links (SITE_URL is this machine or a private address)."""
    host = urlsplit(settings.SITE_URL).hostname or ""
    try:
        private = not ipaddress.ip_address(host).is_global
    except ValueError:
        private = host == "localhost" or host.endswith((".localhost", ".local", ".internal"))
    if not private:
        return ""
    return gettext(
        "SITE_URL is %(url)s, which Facebook cannot open: the link and its preview will not "
        "work. Set SITE_URL to the site's public address."
    ) % {"url": settings.SITE_URL}


@dataclass
class TargetProblems:
    """What concerns every event on one confirmation page: said once, not per event."""

    blocking: str = ""  # non-empty: nothing can go to this target yet, and why
    warnings: list[str] = field(default_factory=list)


def target_problems(target: str) -> TargetProblems:
    problems = TargetProblems()
    if target == FacebookPost.Target.PAGE:
        missing = client.missing_settings()
        if missing:
            problems.blocking = gettext(
                "The Facebook Page is not configured: set %(settings)s. Nothing can be posted "
                "until then."
            ) % {"settings": ", ".join(missing)}
    elif not settings.FACEBOOK_GROUP_ID:
        problems.warnings.append(
            gettext("FACEBOOK_GROUP_ID is not set, so there is no link to it.")
        )
    link_problem = site_url_problem()
    if link_problem:
        problems.warnings.append(link_problem)
    return problems


def _refusal(event: Event) -> str:
    if event.status == Event.Status.DRAFT:
        return gettext("It is a draft: schedule it first.")
    if event.status == Event.Status.CANCELLED:
        return gettext("It is cancelled.")
    if event.audience != Event.Audience.PUBLIC:
        return gettext("It is for staff only.")
    return ""


def _when(post: FacebookPost) -> str:
    moment = post.posted_at or post.created_at
    local = timezone.localtime(moment, ZoneInfo(settings.TIME_ZONE))
    return formats.date_format(local, "DATETIME_FORMAT")


def describe_existing(post: FacebookPost) -> str:
    who = post.created_by.get_username() if post.created_by else gettext("someone")
    values = {
        "status": post.get_status_display().lower(),
        "when": _when(post),
        "who": who,
        "link": post.permalink,
    }
    if post.permalink:
        return gettext("Already %(status)s on %(when)s by %(who)s (%(link)s).") % values
    return gettext("Already %(status)s on %(when)s by %(who)s.") % values


def _poster_size(event: Event) -> int | None:
    try:
        return event.poster.size
    except (OSError, ValueError):
        return None


def announcement_previews(
    *, events: Iterable[Event], target: str, now: datetime | None = None
) -> list[AnnouncementPreview]:
    """One preview per event: the exact text and link, the photo, warnings and refusals.

    Only what is about the event itself: see `target_problems` for the Page's settings and
    SITE_URL, which concern every event alike.

    A fixed number of queries: the events with their artists, the templates, the past posts.
    """
    now = now or timezone.now()
    event_ids = [event.pk for event in events]
    events = list(
        Event.objects.filter(pk__in=event_ids)
        .select_related("location")
        .prefetch_related(
            Prefetch("artist_links", queryset=EventArtist.objects.select_related("artist"))
        )
        .order_by("start_time", "pk")
    )
    templates = {t.event_type: t for t in PostTemplate.objects.all()}
    posts_by_event: dict[int, list[FacebookPost]] = defaultdict(list)
    for post in FacebookPost.objects.filter(event_id__in=event_ids, target=target).select_related(
        "created_by"
    ):
        posts_by_event[post.event_id].append(post)

    previews = []
    for event in events:
        preview = AnnouncementPreview(event=event, target=target)
        previews.append(preview)
        preview.refusal = _refusal(event)
        template = compose.template_for(event, templates=templates)
        if template is None:
            preview.refusal = preview.refusal or (
                gettext(
                    "There is no post template for “%(type)s” and no default template: add one "
                    "under Facebook post templates."
                )
                % {"type": event.get_event_type_display()}
            )
        else:
            try:
                preview.message = compose.render(template.text, event)
            except ValueError as exc:
                preview.refusal = preview.refusal or gettext(
                    "The post template is broken: %(error)s"
                ) % {"error": exc}
        preview.link = compose.public_event_url(event)

        if target == FacebookPost.Target.PAGE and event.poster:
            size = _poster_size(event)
            if size is None:
                preview.warnings.append(
                    gettext("The poster file cannot be read: posted as a link.")
                )
            elif size > PHOTO_MAX_BYTES:
                preview.warnings.append(
                    gettext("The poster is larger than 4 MB: posted as a link.")
                )
            else:
                preview.with_photo = True

        if event.end_time <= now:
            preview.warnings.append(gettext("This event is over."))
        elif event.start_time <= now:
            preview.warnings.append(gettext("This event has already started."))

        waiting = [
            post
            for post in posts_by_event.get(event.pk, [])
            if post.status in (FacebookPost.Status.SCHEDULED, FacebookPost.Status.HELD)
        ]
        if waiting:
            preview.warnings.append(
                ngettext(
                    "%(count)d post of this event is scheduled for later (see the event's page).",
                    "%(count)d posts of this event are scheduled for later (see the event's page).",
                    len(waiting),
                )
                % {"count": len(waiting)}
            )
        for post in posts_by_event.get(event.pk, []):
            if post.status in FacebookPost.ON_TARGET:
                preview.already_on_target.append(post)
                preview.warnings.append(describe_existing(post))
            elif post.status == FacebookPost.Status.FAILED:
                preview.warnings.append(
                    gettext("An earlier attempt on %(when)s failed: %(error)s")
                    % {"when": _when(post), "error": post.error_summary}
                )
    return previews
