"""A controllable clock, a staff member who asked for the notices, and a configured Page."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from integrations.models import IntegrationLog, StaffNoticePreference

# 06:00 in the venue's zone: before the daily digest's hour, so only the tests of the digest
# see one.
START = datetime(2026, 12, 2, 6, 0, tzinfo=ZoneInfo("Europe/Rome"))


@pytest.fixture
def clock():
    # Ticking, so that two things done "at once" still happen in order, as they do for real.
    with time_machine.travel(START) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def notice_settings(settings):
    settings.SITE_URL = "https://tdc.example"
    settings.STAFF_CHAT_WEBHOOK_URL = ""
    settings.STAFF_NOTICE_INTERVAL_MINUTES = 60
    settings.STAFF_DIGEST_HOUR = 9
    settings.FACEBOOK_PAGE_ID = "1234567890"
    settings.FACEBOOK_PAGE_ACCESS_TOKEN = "EAAG-page-token-never-shown"
    return settings


@pytest.fixture
def subscribe(db, django_user_model):
    """A staff account that ticked "Tell me about integration problems" (and maybe the digest)."""

    def make(username="anna", *, language="en", problems=True, digest=False):
        user = django_user_model.objects.create_user(
            username, email=f"{username}@example.org", password="pw-for-tests", is_staff=True
        )
        StaffNoticePreference.objects.create(
            user=user, integration_problems=problems, daily_digest=digest, language=language
        )
        return user

    return make


@pytest.fixture
def facebook_call(db, clock):
    """A call to Facebook that worked or failed, logged a minute after the last thing done."""

    def make(
        *,
        ok: bool,
        error: str = "Network error: could not reach graph.facebook.com (Connection refused)",
    ):
        clock.shift(timedelta(minutes=1))
        return IntegrationLog.objects.create(
            service="facebook",
            operation="publish page post",
            method="POST",
            outcome=IntegrationLog.Outcome.OK if ok else IntegrationLog.Outcome.FAILED,
            error="" if ok else error,
        )

    return make
