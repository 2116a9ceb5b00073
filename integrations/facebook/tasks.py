"""Task-queue entry points: thin, they carry only a post's id."""

from integrations.facebook import publish, rescrape


def publish_page_post(post_id: int) -> str:
    return publish.page_post_publish(post_id=post_id)


def rescrape_event_page(event_id: int) -> str:
    return rescrape.event_page_rescrape(event_id=event_id)


def publish_due_posts() -> dict:
    """Every minute: publish the scheduled Page posts whose moment has come."""
    return publish.scheduled_posts_publish_due()
