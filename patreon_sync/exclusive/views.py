"""Public pages: the supporters' page and the exclusive content behind it.

Views stay thin: who may open what comes from `access`, reads from `selectors`.
"""

import logging
from pathlib import PurePath

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from patreon_sync.exclusive.access import locked_response, viewer_for
from patreon_sync.exclusive.selectors import exclusive_content_get, exclusive_content_list

logger = logging.getLogger(__name__)


def _opened(request, *, slug: str, needs_file: bool):
    """The visitor, the content and, when their support does not reach its tier, the locked
    page to answer with instead; 404 for content (or a file) that is not there."""
    viewer = viewer_for(request.user)
    item = exclusive_content_get(viewer=viewer, slug=slug)
    if item is None or (needs_file and not item.file):
        raise Http404("No such file." if needs_file else "No such content.")
    if viewer.may_open(item.required_tier.amount_cents):
        return viewer, item, None
    return viewer, item, locked_response(
        request, viewer=viewer, tier=item.required_tier, what=item.title
    )


@require_safe
@never_cache  # what a visitor may open changes with their support: no cached copies
def supporters(request):
    viewer = viewer_for(request.user)
    entries = exclusive_content_list(viewer=viewer)
    context = {
        "viewer": viewer,
        "open_entries": [entry for entry in entries if entry.can_open],
        "locked_entries": [entry for entry in entries if not entry.can_open],
        "signin_query": urlencode({"next": request.get_full_path()}),
    }
    return render(request, "patreon_sync/supporters.html", context)


@require_safe
@never_cache
def content(request, slug: str):
    viewer, item, locked = _opened(request, slug=slug, needs_file=False)
    if locked:
        return locked
    context = {
        "viewer": viewer,
        "item": item,
        "file_name": PurePath(item.file.name).name if item.file else "",
    }
    return render(request, "patreon_sync/content.html", context)


@require_safe
@never_cache
def content_file(request, slug: str):
    _viewer, item, locked = _opened(request, slug=slug, needs_file=True)
    if locked:
        return locked
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        logger.error("Exclusive content %s: file %s is missing", item.pk, item.file.name)
        raise Http404("The file is missing; the staff have been told.") from exc
    return FileResponse(handle, as_attachment=True, filename=PurePath(item.file.name).name)


