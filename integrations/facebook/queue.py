"""Handing Page posts to the task worker (django-q2), now or at a later time."""

from datetime import datetime
from functools import partial

from django_q.models import Schedule
from django_q.tasks import async_task, schedule

from integrations.queueing import enqueue_once_on_commit

PUBLISH_TASK = "integrations.facebook.tasks.publish_page_post"


def enqueue_page_post(post_id: int) -> None:
    async_task(PUBLISH_TASK, post_id, task_name=f"facebook-post-{post_id}", group="facebook")


def enqueue_page_post_at(post_id: int, when: datetime) -> None:
    """Run the publishing task once at `when` (a retry after a rate limit or an outage)."""
    schedule(
        PUBLISH_TASK,
        post_id,
        name=f"facebook-post-{post_id}-retry-{when:%Y%m%d%H%M%S}",
        schedule_type=Schedule.ONCE,
        next_run=when,
    )


RESCRAPE_TASK = "integrations.facebook.tasks.rescrape_event_page"


def enqueue_rescrape(event_id: int) -> None:
    async_task(RESCRAPE_TASK, event_id, task_name=f"facebook-rescrape-{event_id}", group="facebook")


def queue_rescrape(event_id: int) -> None:
    """Queue one re-scrape of the event's page when the current transaction commits.

    With the broker down the edit stands; Facebook refreshes its cached preview within 30 days.
    """
    enqueue_once_on_commit(
        key=(RESCRAPE_TASK, event_id),
        enqueue=partial(enqueue_rescrape, event_id),
        what=f"the Facebook re-scrape of event {event_id}",
    )
