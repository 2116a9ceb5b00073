"""Every failure staff can meet, in every place they can see it, reads as plain words.

Each integration is walked through its three ways to fail (nothing listens at its address,
its credentials are refused, it answers 5xx); then every staff screen that shows a failure is
read: the button's flash message, the integrations page, the admin index, the external call
log, the events list and the event's page, and the integration's own records. None may show a
Python repr (`ServerNotFoundError(...)`) or a traceback.
"""

import io
import json
import re

import httplib2
import pytest
import responses
from django.core.management import CommandError, call_command
from django.urls import reverse

from integrations.facebook import tasks as facebook_tasks
from integrations.facebook.models import FacebookPost
from integrations.google_calendar import client as calendar_client
from integrations.google_calendar.models import CalendarEntry
from integrations.google_calendar.sync import sync_event
from integrations.models import IntegrationLog
from patreon_sync.models import SyncRun

pytestmark = pytest.mark.django_db

# Nothing listens on the discard port: a connection there is refused at once.
CLOSED = "http://127.0.0.1:9"
PYTHON_TEXT = ("Error(", "Exception(", "Traceback")
PATHS = ("unreachable", "refused", "server_error")


def read_by_staff(staff_client, html: str, *urls: str) -> str:
    """`html` (a flash message's page) and every staff screen that can show a failure."""
    pages = [html]
    screens = [
        reverse("admin:integrations_health"),
        reverse("admin:index"),
        reverse("admin:integrations_integrationlog_changelist"),
        reverse("admin:events_event_changelist"),
        *urls,
        *(
            reverse("admin:integrations_integrationlog_change", args=[pk])
            for pk in IntegrationLog.objects.values_list("pk", flat=True)
        ),
    ]
    for url in screens:
        response = staff_client.get(url)
        assert response.status_code == 200, url
        pages.append(response.content.decode())
    return "\n".join(pages)


def assert_plain_words(text: str) -> None:
    found = [marker for marker in PYTHON_TEXT if marker in text]
    assert not found, [text[max(0, text.index(m) - 200) : text.index(m) + 100] for m in found]


def press(staff_client, service: str, key: str) -> str:
    url = reverse("admin:integrations_health_action", args=[service, key])
    return staff_client.post(url, follow=True).content.decode()


@pytest.fixture(autouse=True)
def one_attempt(settings):
    settings.INTEGRATION_HTTP_ATTEMPTS = 1


# --- Google Calendar -------------------------------------------------------------------------


class CannedGoogle(httplib2.Http):
    """The raw transport under googleapiclient, answering the token request then the API."""

    def __init__(self, token: tuple[int, dict], api: tuple[int, dict]):
        super().__init__()
        self.token, self.api = token, api

    def request(self, uri, method="GET", body=None, headers=None, *args, **kwargs):
        status, payload = self.token if uri.endswith("/token") else self.api
        return httplib2.Response({"status": str(status)}), json.dumps(payload).encode()


TOKEN_OK = (200, {"access_token": "ya29.not-real", "expires_in": 3600, "token_type": "Bearer"})
GOOGLE_ANSWERS = {
    "refused": ((400, {"error": "invalid_grant", "error_description": "Invalid JWT Signature."}),
                (200, {})),
    "server_error": (TOKEN_OK, (503, {"error": {"code": 503, "message": "Backend Error",
                                                "errors": [{"reason": "backendError"}]}})),
}  # fmt: skip


@pytest.fixture
def google(settings, tmp_path, private_key_pem):
    pem = private_key_pem
    credentials = tmp_path / "sa.json"
    credentials.write_text(
        json.dumps(
            {
                "type": "service_account",
                "private_key": pem,
                "client_email": "tdc-sync@tdc-venue.iam.gserviceaccount.com",
                "token_uri": f"{CLOSED}/token",
            }
        )
    )
    settings.GOOGLE_CALENDAR_CREDENTIALS_PATH = str(credentials)
    settings.GOOGLE_CALENDAR_INTERNAL_ID = "staff-cal@group.calendar.google.com"
    settings.GOOGLE_CALENDAR_PUBLIC_ID = "public-cal@group.calendar.google.com"
    settings.GOOGLE_CALENDAR_API_ENDPOINT = f"{CLOSED}/calendar/v3/"
    calendar_client.forget_credentials()
    yield
    calendar_client.forget_credentials()


@pytest.mark.parametrize("path", PATHS)
def test_google_calendar_failures_read_as_plain_words(
    path, google, staff_client, make_event, monkeypatch
):
    if path != "unreachable":
        canned = CannedGoogle(*GOOGLE_ANSWERS[path])
        monkeypatch.setattr(calendar_client, "build_http", lambda: canned)
    event = make_event()
    sync_event(event_id=event.pk)
    assert CalendarEntry.objects.filter(state=CalendarEntry.State.FAILED).exists()

    flash = press(staff_client, "google_calendar", "test_connection")
    assert "Google Calendar: Test the connection failed" in flash

    seen = read_by_staff(
        staff_client,
        flash,
        reverse("admin:events_event_change", args=[event.pk]),
        reverse("admin:google_calendar_calendarentry_changelist"),
    )
    assert_plain_words(seen)
    if path == "unreachable":
        assert "could not reach 127.0.0.1 (Connection refused)" in seen


# --- Facebook --------------------------------------------------------------------------------


@pytest.fixture
def facebook(settings):
    settings.FACEBOOK_PAGE_ID = "1122334455"
    settings.FACEBOOK_PAGE_ACCESS_TOKEN = "EAAPageToken-not-real-123"
    settings.FACEBOOK_APP_ID = "4455"
    settings.FACEBOOK_APP_SECRET = "app-secret-not-real"
    settings.FACEBOOK_GRAPH_URL = CLOSED
    settings.SITE_URL = "https://tdc.example.org"
    return settings


def graph_answers(path: str, graph: responses.RequestsMock) -> None:
    if path == "refused":
        error = {"message": "Error validating access token: Session has expired.",
                 "type": "OAuthException", "code": 190, "fbtrace_id": "AbC"}  # fmt: skip
        status = 400
    else:
        error = {"message": "An unexpected error has occurred.", "type": "OAuthException",
                 "code": 2, "is_transient": True, "fbtrace_id": "AbC"}  # fmt: skip
        status = 500
    graph.add(responses.GET, re.compile(f"{CLOSED}/.*"), json={"error": error}, status=status)
    graph.add(responses.POST, re.compile(f"{CLOSED}/.*"), json={"error": error}, status=status)


@pytest.mark.parametrize("path", PATHS)
def test_facebook_failures_read_as_plain_words(
    path, facebook, staff_client, make_event, staff_user
):
    event = make_event()
    post = FacebookPost.objects.create(
        event=event,
        event_title=event.title,
        target=FacebookPost.Target.PAGE,
        message="Luna Sparrow live tonight",
        link=f"https://tdc.example.org/events/{event.pk}/",
        status=FacebookPost.Status.QUEUED,
        created_by=staff_user,
    )
    with responses.RequestsMock(assert_all_requests_are_fired=False) as graph:
        if path == "unreachable":
            graph.add_passthru(CLOSED)
        else:
            graph_answers(path, graph)
        facebook_tasks.publish_page_post(post.pk)
        flash = press(staff_client, "facebook", "test_connection")
    assert "Facebook: Check the Page token" in flash

    seen = read_by_staff(
        staff_client,
        flash,
        reverse("admin:events_event_change", args=[event.pk]),
        reverse("admin:facebook_facebookpost_changelist"),
        reverse("admin:facebook_facebookpost_change", args=[post.pk]),
        reverse("admin:facebook_tokencheck_changelist"),
    )
    assert_plain_words(seen)
    if path == "unreachable":
        assert "could not reach 127.0.0.1 (Connection refused)" in seen


# --- Patreon ---------------------------------------------------------------------------------


@pytest.fixture
def patreon(settings):
    settings.PATREON_API_URL = CLOSED
    settings.PATREON_CREATOR_ACCESS_TOKEN = "creator-token-not-real-456"
    settings.PATREON_WEBHOOK_SECRET = "webhook-secret-not-real"
    settings.PATREON_CAMPAIGN_ID = "5566"
    return settings


@pytest.mark.parametrize("path", PATHS)
def test_patreon_failures_read_as_plain_words(path, patreon, staff_client):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as api:
        if path == "unreachable":
            api.add_passthru(CLOSED)
        else:
            status = 401 if path == "refused" else 502
            body = {"errors": [{"code": 1, "code_name": "Unauthorized", "detail": "no"}]}
            api.add(responses.GET, re.compile(f"{CLOSED}/.*"), json=body, status=status)
            api.add(responses.POST, re.compile(f"{CLOSED}/.*"), json=body, status=status)
        with pytest.raises(CommandError):
            call_command("sync_patrons", stdout=io.StringIO())
        flash = press(staff_client, "patreon", "test_connection")
    assert "Patreon: Test the connection failed" in flash
    run = SyncRun.objects.get()

    seen = read_by_staff(
        staff_client,
        flash,
        reverse("admin:patreon_sync_syncrun_changelist"),
        reverse("admin:patreon_sync_syncrun_change", args=[run.pk]),
    )
    assert_plain_words(seen)
    if path == "unreachable":
        assert "could not reach 127.0.0.1 (Connection refused)" in seen
