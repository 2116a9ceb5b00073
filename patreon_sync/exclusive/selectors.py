"""Reads for the supporters' pages: the exclusive content a visitor sees, open or locked."""

from dataclasses import dataclass

from django.db.models import QuerySet

from patreon_sync.exclusive.access import Viewer, pledge_url
from patreon_sync.models import ExclusiveContent


@dataclass(frozen=True)
class ContentEntry:
    content: ExclusiveContent
    can_open: bool
    pledge_url: str


def exclusive_content_visible(*, viewer: Viewer) -> QuerySet[ExclusiveContent]:
    """Published content; staff also see drafts (to check a page before publishing it)."""
    queryset = ExclusiveContent.objects.select_related("required_tier")
    return queryset if viewer.is_staff else queryset.filter(published=True)


def exclusive_content_list(*, viewer: Viewer) -> list[ContentEntry]:
    """Everything listed on /supporters/, each with whether this visitor may open it."""
    return [
        ContentEntry(
            content=content,
            can_open=viewer.may_open(content.required_tier.amount_cents),
            pledge_url=pledge_url(content.required_tier),
        )
        for content in exclusive_content_visible(viewer=viewer)
    ]


def exclusive_content_get(*, viewer: Viewer, slug: str) -> ExclusiveContent | None:
    return exclusive_content_visible(viewer=viewer).filter(slug=slug).first()
