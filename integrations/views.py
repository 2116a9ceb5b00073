"""The admin's integrations page and its buttons (mounted by integrations/admin.py)."""

import inspect
import logging
from dataclasses import replace

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from integrations.action_outcomes import action_outcome_record
from integrations.health import IntegrationReport, integration_reports
from integrations.http import IntegrationError, NotConfigured
from integrations.in_words import in_words, recorded_wordings
from integrations.registry import providers

logger = logging.getLogger("integrations")

VIEW_PERMISSION = "integrations.view_integrationlog"

# A button's last answer is recorded in English and shown through `in_words`.
NOT_CONFIGURED_ANSWER = gettext_noop("Not configured. %(error)s")
FAILED_ANSWER = gettext_noop("Failed: %(error)s")
UNEXPECTED_ANSWER = gettext_noop(
    "Failed unexpectedly (%(error)s). The error is in the server log; tell the site's developer."
)
recorded_wordings(NOT_CONFIGURED_ANSWER, FAILED_ANSWER, UNEXPECTED_ANSWER)


def integrations_page(request: HttpRequest, *, admin_site) -> HttpResponse:
    if not request.user.has_perm(VIEW_PERMISSION):
        raise PermissionDenied
    reports = [_for_this_user(report, request) for report in integration_reports()]
    context = {
        **admin_site.each_context(request),
        "title": _("Integrations"),
        "reports": reports,
        # The intro speaks of buttons only when there are some.
        "any_buttons": any(report.actions for report in reports),
    }
    return TemplateResponse(request, "admin/integrations/health.html", context)


def _for_this_user(report: IntegrationReport, request: HttpRequest) -> IntegrationReport:
    """Only the links and buttons this user may use: the others would answer 403.

    Done here, for every provider alike, so that a provider lists all its links and buttons and
    need not know who looks. (The call-log links need the permission this page itself needs.)
    """
    links = [(label, url) for label, url in report.status.links if _may_open(request, url)]
    return replace(
        report,
        status=replace(report.status, links=links),
        actions=[
            action
            for action in report.actions
            if not action.permission or request.user.has_perm(action.permission)
        ],
    )


def _may_open(request: HttpRequest, url: str) -> bool:
    """Whether the admin would show `url` to this user: its ModelAdmin is asked, as Django does."""
    try:
        match = resolve(url.split("?", 1)[0])
    except Resolver404:
        return False  # a link to nowhere helps no one
    # Django's ModelAdmin views carry their ModelAdmin; the changelist and change views let in
    # a user with the view or the change permission.
    model_admin = getattr(match.func, "model_admin", None)
    if model_admin is None:
        return True  # not a model's admin page (e.g. a public page): nothing to ask
    return model_admin.has_view_or_change_permission(request)


@require_POST
def integration_action(request: HttpRequest, service: str, key: str, *, admin_site) -> HttpResponse:
    provider = next((p for p in providers() if p.service == service), None)
    action = provider.action(key) if provider else None
    if action is None:
        raise Http404("No such integration action.")
    if not request.user.has_perm(VIEW_PERMISSION) or (
        action.permission and not request.user.has_perm(action.permission)
    ):
        raise PermissionDenied
    title = f"{provider.name}: {action.label}"
    function = action.function
    succeeded = False
    try:
        # A button whose service records who asked (e.g. a token check) receives the user.
        if "user" in inspect.signature(function).parameters:
            outcome = function(user=request.user)
        else:
            outcome = function()
    except NotConfigured as exc:
        answer = NOT_CONFIGURED_ANSWER % {"error": exc}
        messages.warning(
            request,
            _("%(button)s: not configured. %(error)s")
            % {"button": title, "error": in_words(str(exc))},
        )
    except IntegrationError as exc:
        answer = FAILED_ANSWER % {"error": exc}
        messages.error(
            request,
            _("%(button)s failed: %(error)s") % {"button": title, "error": in_words(str(exc))},
        )
    except Exception as exc:  # staff get a message, the developer the traceback in the log
        logger.exception("integrations page: %s failed", title)
        answer = UNEXPECTED_ANSWER % {"error": type(exc).__name__}
        messages.error(
            request,
            _(
                "%(button)s failed unexpectedly (%(error)s). The error is in the server log; "
                "tell the site's developer."
            )
            % {"button": title, "error": type(exc).__name__},
        )
    else:
        succeeded, answer = True, str(outcome)
        logger.info("integrations page: %s by %s: %s", title, request.user, outcome)
        messages.success(request, f"{title}: {in_words(str(outcome))}")
    # Kept so the page goes on showing it (a paused webhook is only known by asking).
    action_outcome_record(
        service=service, action=key, succeeded=succeeded, message=answer, user=request.user
    )
    return redirect("admin:integrations_health")
