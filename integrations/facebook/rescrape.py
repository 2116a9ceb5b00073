"""Keeping Facebook's copy of an event's page fresh.

Facebook caches a link's preview (title, image, description) when it is first shared. When
what that preview shows changes for an event already posted on the Page, Graph is asked to
read the page again. The outcome is in the call log like every call; it never touches the
event's post records, so a failed refresh is not shown as a failed post.
"""

import logging

from events.models import Event
from integrations.facebook import client
from integrations.facebook.compose import public_event_url
from integrations.facebook.models import FacebookPost
from integrations.http import IntegrationError, NotConfigured

logger = logging.getLogger(__name__)


def preview_fields(event: Event) -> tuple | None:
    """What a link preview of the event's page shows, or None when not all of it is loaded."""
    values = event.__dict__  # no database reads for deferred fields
    if any(name not in values for name in ("title", "start_time", "poster", "status")):
        return None
    poster = values["poster"]
    return (values["title"], values["start_time"], str(poster or ""), values["status"])


def event_posted_on_page(event_id: int) -> bool:
    return FacebookPost.objects.filter(
        event_id=event_id, target=FacebookPost.Target.PAGE, status=FacebookPost.Status.POSTED
    ).exists()


def event_page_rescrape(*, event_id: int) -> str:
    """Ask Graph to scrape the event's public page again; returns what happened, in words."""
    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        return "skipped: the event no longer exists"
    url = public_event_url(event)
    try:
        client.rescrape_link(url)
    except NotConfigured as exc:
        return f"skipped: {exc.message}"
    except IntegrationError as exc:
        # Recorded in the call log by the transport; the post itself stands.
        logger.warning("Facebook could not refresh the preview of %s: %s", url, exc.message)
        return f"failed: {exc.message}"
    return f"refreshed: {url}"
