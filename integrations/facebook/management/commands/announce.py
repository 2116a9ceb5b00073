"""`manage.py announce`: what the "Announce on Facebook Page" confirmation does, for scripts.

Its output is in English whatever the language: operators and scripts read it (the messages
are not marked for translation).
"""

import uuid

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from events.models import Event
from integrations.facebook import publish, services
from integrations.facebook.models import FacebookPost
from integrations.facebook.preview import announcement_previews, target_problems
from integrations.facebook.selectors import parse_venue_time, schedule_previews, venue_and_slt

Target = FacebookPost.Target


def _indented(text: str) -> str:
    return "\n".join(f"    {line}" for line in text.splitlines())


class Command(BaseCommand):
    help = (
        "Post events on the Facebook Page now, schedule them on their type's announcement plan, "
        "or schedule one post at a time. Without --yes, prints what it would do and changes "
        "nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("event_ids", nargs="+", type=int, metavar="EVENT_ID")
        parser.add_argument("--target", choices=[Target.PAGE.value], required=True)
        when = parser.add_mutually_exclusive_group(required=True)
        when.add_argument("--now", action="store_true", help="Post as soon as the worker can.")
        when.add_argument("--plan", action="store_true", help="Schedule the type's plan.")
        when.add_argument(
            "--at",
            metavar="ISO-8601-TIME",
            help="Schedule one post at this time (without an offset: in the venue's zone).",
        )
        parser.add_argument("--yes", action="store_true", help="Do it (otherwise: a dry run).")

    def handle(self, *args, event_ids, now, plan, at, yes, **options):
        event_ids = list(dict.fromkeys(event_ids))
        events = list(Event.objects.filter(pk__in=event_ids))
        unknown = sorted(set(event_ids) - {event.pk for event in events})
        if unknown:
            raise CommandError(
                f"Unknown event id(s): {', '.join(map(str, unknown))}. Nothing done."
            )
        moment = None
        if at is not None:
            moment = parse_venue_time(at)
            if moment is None:
                raise CommandError(f"--at {at!r} is not an ISO 8601 time. Nothing done.")
        blocking = target_problems(Target.PAGE).blocking
        if blocking and yes:
            raise CommandError(f"{blocking} Nothing done.")
        if now:
            self._now(events, yes=yes)
        else:
            self._schedule(events, at=moment, yes=yes)

    def _refuse(self, refusals: list[tuple[Event, str]]) -> None:
        if refusals:
            reasons = "\n".join(f"Event {e.pk} “{e.title}”: {reason}" for e, reason in refusals)
            raise CommandError(f"{reasons}\nNothing done.")

    def _now(self, events, *, yes: bool) -> None:
        previews = announcement_previews(events=events, target=Target.PAGE)
        self._refuse(
            [(p.event, p.refusal) for p in previews if p.refusal]
            + [
                (
                    p.event,
                    "It is already on the Page (or on its way); post it again from the admin.",
                )
                for p in previews
                if p.already_on_target and not p.refusal
            ]
        )
        if not yes:
            for preview in previews:
                self.stdout.write(
                    f"Would post event {preview.event.pk} “{preview.event.title}” now:\n"
                    f"{_indented(preview.message)}"
                )
            self.stdout.write("Dry run: nothing changed. Add --yes to post.")
            return
        with transaction.atomic():  # all or nothing: a refusal found now undoes the rest
            outcome = publish.page_posts_queue(
                event_ids=[p.event.pk for p in previews],
                user=None,
                reposts=set(),
                request_keys={p.event.pk: p.request_key for p in previews},
                digests={p.event.pk: p.digest for p in previews},
            )
            self._refuse(outcome.skipped)
        self._report(outcome, verb="Queued")

    def _schedule(self, events, *, at, yes: bool) -> None:
        moment = timezone.now()
        previews = schedule_previews(events=events, now=moment, at=at)
        self._refuse([(p.event, p.refusal) for p in previews if p.refusal])
        if not yes:
            for preview in previews:
                for post in preview.posts:
                    head = f"event {preview.event.pk} “{preview.event.title}” at {post.when}"
                    if post.skipped:
                        self.stdout.write(f"Would skip {head} ({post.moment}): {post.skipped}")
                    else:
                        self.stdout.write(
                            f"Would schedule {head} ({post.moment}):\n{_indented(post.message)}"
                        )
            self.stdout.write("Dry run: nothing changed. Add --yes to schedule.")
            return
        with transaction.atomic():  # all or nothing: a refusal found now undoes the rest
            outcome = services.scheduled_posts_create(
                event_ids=[p.event.pk for p in previews],
                user=None,
                request_keys={p.event.pk: str(uuid.uuid4()) for p in previews},
                digests={p.event.pk: p.digest for p in previews},
                now=moment,
                at=at,
            )
            self._refuse(outcome.skipped)
        self._report(outcome, verb="Scheduled")

    def _report(self, outcome, *, verb: str) -> None:
        for post in outcome.created:
            when = f" at {venue_and_slt(post.scheduled_for)}" if post.scheduled_for else ""
            self.stdout.write(
                f"{verb} post {post.pk}: event {post.event_id} “{post.event_title}”{when}"
                + (f" ({post.moment})" if post.moment else "")
            )
