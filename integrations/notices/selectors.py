"""Reads for the staff notices: who receives them, in which language, and what is wrong now."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation

from integrations.health import IntegrationReport, integration_reports


@dataclass(frozen=True)
class Recipient:
    email: str
    language: str


def notice_language(language: str) -> str:
    """One of the site's languages: the given one if we speak it, else the site's default."""
    known = {code for code, _name in settings.LANGUAGES}
    language = (language or "").split("-")[0].lower()
    return language if language in known else settings.LANGUAGE_CODE


def _recipients(users) -> list[Recipient]:
    found: dict[str, Recipient] = {}
    for user in users.select_related("notice_preference").order_by("pk"):
        preference = getattr(user, "notice_preference", None)
        language = preference.language if preference is not None else ""
        found.setdefault(user.email.lower(), Recipient(user.email, notice_language(language)))
    return list(found.values())


def notice_recipients() -> list[Recipient]:
    """Active staff who ticked "Tell me about integration problems"; when nobody has, every
    active superuser with an e-mail address, so a problem never goes untold."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    asked = _recipients(users.filter(is_staff=True, notice_preference__integration_problems=True))
    return asked or _recipients(users.filter(is_superuser=True))


def digest_recipients() -> list[Recipient]:
    """Active staff who asked for the daily digest (opt-in only)."""
    users = get_user_model().objects.filter(is_active=True, is_staff=True).exclude(email="")
    return _recipients(users.filter(notice_preference__daily_digest=True))


def reports_in(language: str) -> dict[str, IntegrationReport]:
    """The integrations page's reports, worded in `language`, by service; those not installed
    on this server are left out (they have nothing to tell)."""
    with translation.override(language):
        reports = integration_reports()
    return {
        report.provider.service: report for report in reports if report.available or report.broken
    }
