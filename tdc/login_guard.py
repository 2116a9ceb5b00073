"""The sign-in lockout's two hooks into django-axes: whose address a sign-in comes from, and the
page a locked-out sign-in gets."""

from django.conf import settings
from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils.translation import gettext

LOCKED_OUT_STATUS = 429


def client_address(request) -> str | None:
    """The visitor's address, as our own reverse proxy saw it.

    Behind nginx every request comes from the proxy itself, which appends the address it was
    reached from to X-Forwarded-For: the last entry is that one, while any before it are
    whatever the visitor chose to send.
    """
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR")


def locked_out_response(request, original_response=None, credentials=None):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {
        **admin.site.each_context(request),
        "title": gettext("Sign-in locked"),
        "minutes": minutes,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
    }
    response = TemplateResponse(request, "admin/locked_out.html", context, status=LOCKED_OUT_STATUS)
    return response.render()
