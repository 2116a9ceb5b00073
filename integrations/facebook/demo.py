"""Demo rows for the post log: what staff see once a few announcements have gone out.

Nothing is sent: the texts come from the real templates through the confirmation page's own
preview, and the outcomes are written as the publishing task would have written them.
"""

from datetime import date

from django.utils import timezone

from events.demo import DEMO_MARK
from events.models import Event
from integrations.facebook.client import POLICY_BLOCK_CODE
from integrations.facebook.models import FacebookPost
from integrations.facebook.preview import announcement_previews

Status = FacebookPost.Status
Target = FacebookPost.Target

# target, status, outcome fields; one post per announceable event, soonest event first
POSTS = [
    (Target.PAGE, Status.POSTED, {"remote_id": "demo_1122334455_1001"}),
    (
        Target.PAGE,
        Status.FAILED,
        {
            "error_code": POLICY_BLOCK_CODE,
            "error_message": (
                f"{DEMO_MARK} Facebook blocked this post as possibly against its Community "
                "Standards."
            ),
            "attempts": 1,
        },
    ),
    (Target.GROUP, Status.PREPARED, {}),
    (Target.GROUP, Status.POSTED_BY_HAND, {}),
    (Target.PAGE, Status.NEEDS_CHECKING, {"attempts": 1}),
]


def add_demo_rows(*, events: list[Event], today: date) -> None:
    now = timezone.now()
    announceable = [
        event for event in events if event.is_public_and_scheduled and event.end_time > now
    ]
    for event, (target, status, outcome) in zip(announceable, POSTS, strict=False):
        preview = announcement_previews(events=[event], target=target, now=now)[0]
        if preview.refusal or not preview.message:
            continue
        done = status in (Status.POSTED, Status.POSTED_BY_HAND)
        FacebookPost.objects.create(
            event=event,
            event_title=event.title,
            target=target,
            message=preview.message,
            link=preview.link,
            status=status,
            posted_at=now if done else None,
            **outcome,
        )
