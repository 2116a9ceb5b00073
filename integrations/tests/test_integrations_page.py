"""The admin's integrations page: each state an integration can be in, and its buttons.

The registered integrations are swapped for fakes registered from this module, in the shape each
integration's `apps.py` registers its own.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from integrations import registry
from integrations.call_log import record_call
from integrations.http import NotConfigured, PermanentError
from integrations.models import ActionOutcome, IntegrationLog
from integrations.registry import ProviderAction, StatusProvider
from integrations.status import IntegrationStatus

pytestmark = pytest.mark.django_db

PAGE = "admin:integrations_health"

# What the fake providers report and do; each test sets what it needs.
reported: dict[str, IntegrationStatus] = {}
calls: list[str] = []


def fake_calendar_status() -> IntegrationStatus:
    return reported["google_calendar"]


def fake_facebook_status() -> IntegrationStatus:
    return reported["facebook"]


def fake_patreon_status() -> IntegrationStatus:
    return reported["patreon"]


def not_installed_status() -> IntegrationStatus:
    raise ImportError("No module named 'integrations.nope'")


def broken_status() -> IntegrationStatus:
    raise RuntimeError("a bug in the status code")


def connection_ok() -> str:
    calls.append("test_connection")
    return "Connected as the TDC Page."


def connection_expired() -> str:
    calls.append("test_connection")
    raise PermanentError("The Page token expired on 3 Nov 2026. Renew the Page token.")


def connection_not_configured() -> str:
    raise NotConfigured("Set FACEBOOK_PAGE_ACCESS_TOKEN.")


def retry_failed() -> str:
    calls.append("retry_failed")
    return "2 failed records queued again."


def resume_webhook() -> str:
    calls.append("resume_webhook")
    return "Patreon will deliver again, starting with what it held back."


def explodes() -> str:
    raise ZeroDivisionError("oops")


def webhook_paused(status: IntegrationStatus) -> bool:
    return any("paused" in problem for problem in status.problems)


PROVIDERS = (
    StatusProvider(
        name="Google Calendar",
        service="google_calendar",
        status=fake_calendar_status,
        actions=(
            ProviderAction("test_connection", "Test the connection", connection_ok),
            ProviderAction("retry_failed", "Retry what failed", retry_failed),
        ),
    ),
    StatusProvider(
        name="Facebook",
        service="facebook",
        status=fake_facebook_status,
        actions=(
            ProviderAction("test_connection", "Test the connection", connection_expired),
            ProviderAction(
                "retry_failed",
                "Retry failed posts",
                retry_failed,
                permission="events.change_event",
            ),
        ),
    ),
    StatusProvider(
        name="Patreon",
        service="patreon",
        status=fake_patreon_status,
        actions=(
            ProviderAction(
                "resume_webhook",
                "Resume the webhook",
                resume_webhook,
                offered_when=webhook_paused,
            ),
            ProviderAction("explode", "Explode", explodes),
        ),
    ),
)


@pytest.fixture(autouse=True)
def fake_providers(monkeypatch):
    monkeypatch.setattr(registry, "_providers", list(PROVIDERS))
    reported.clear()
    calls.clear()
    # Each one configured and reached successfully, an hour ago.
    reached = timezone.now() - timedelta(hours=1)
    reported.update(
        {
            "google_calendar": IntegrationStatus(
                name="Google Calendar",
                service="google_calendar",
                configured=True,
                last_success_at=reached,
            ),
            "facebook": IntegrationStatus(
                name="Facebook", service="facebook", configured=True, last_success_at=reached
            ),
            "patreon": IntegrationStatus(
                name="Patreon", service="patreon", configured=True, last_success_at=reached
            ),
        }
    )


def section(response, service: str) -> str:
    """The HTML of one integration's box on the page."""
    html = response.content.decode()
    start = html.index(f'id="integration-{service}"')
    end = html.find('<div class="module integration"', start)
    return html[start : end if end != -1 else len(html)]


def state(response, service: str) -> str:
    box = section(response, service)
    return box.split('data-state="', 1)[1].split('"', 1)[0]


def test_the_page_shows_every_integration_working(staff_client):
    response = staff_client.get(reverse(PAGE))
    assert response.status_code == 200
    for service in ("google_calendar", "facebook", "patreon"):
        assert state(response, service) == "ok"
        assert "working" in section(response, service)


def test_a_not_configured_integration_names_the_missing_settings(staff_client):
    reported["facebook"] = IntegrationStatus(
        name="Facebook",
        service="facebook",
        configured=False,
        missing_settings=["FACEBOOK_PAGE_ACCESS_TOKEN", "FACEBOOK_PAGE_ID"],
    )
    response = staff_client.get(reverse(PAGE))
    box = section(response, "facebook")
    assert state(response, "facebook") == "not-configured"
    assert "No: set FACEBOOK_PAGE_ACCESS_TOKEN, FACEBOOK_PAGE_ID" in box
    # Nothing to test or retry until it is configured.
    assert "Test the connection" not in box


def test_last_success_and_last_error_come_from_the_integration(staff_client):
    reported["google_calendar"].last_success_at = datetime(2026, 11, 20, 18, 30, tzinfo=UTC)
    reported["google_calendar"].last_error_at = datetime(2026, 11, 21, 9, 5, tzinfo=UTC)
    reported["google_calendar"].last_error = "Calendar staff@… is not shared with tdc-sync@…"
    box = section(staff_client.get(reverse(PAGE)), "google_calendar")
    assert "20 Nov 2026, 19:30" in box  # shown in the venue's zone (Europe/Rome)
    assert "21 Nov 2026, 10:05" in box
    assert "is not shared with tdc-sync@" in box


@pytest.mark.parametrize(
    ("language", "success", "error", "answer"),
    [
        (
            "en",
            "Fri 20 Nov 2026, 19:30 CET",
            "Sat 21 Nov 2026, 10:05 CET:",
            "Last answer, Sun 22 Nov 2026, 08:00 CET (staff):",
        ),
        (
            "it",
            "Ven 20 Nov 2026, 19:30 CET",
            "Sab 21 Nov 2026, 10:05 CET:",
            "Ultima risposta, Dom 22 Nov 2026, 08:00 CET (staff):",
        ),
    ],
)
def test_the_page_writes_its_moments_as_every_screen_does(
    staff_client, language, success, error, answer
):
    # 24-hour, no seconds, the venue's zone named: events/when.py, in the reader's language.
    reported["google_calendar"].last_success_at = datetime(2026, 11, 20, 18, 30, tzinfo=UTC)
    reported["google_calendar"].last_error_at = datetime(2026, 11, 21, 9, 5, tzinfo=UTC)
    reported["google_calendar"].last_error = "Calendar staff@… is not shared with tdc-sync@…"
    staff_client.post(
        reverse("admin:integrations_health_action", args=["google_calendar", "test_connection"])
    )
    ActionOutcome.objects.update(done_at=datetime(2026, 11, 22, 7, 0, tzinfo=UTC))

    page = staff_client.get(reverse(PAGE), HTTP_ACCEPT_LANGUAGE=language)

    box = " ".join(section(page, "google_calendar").split())
    assert f'<td class="last-success"> {success} (' in box
    assert f'<td class="last-error"> {error} Calendar staff@' in box
    assert answer in box


def test_last_success_and_error_fall_back_to_the_call_log(staff_client):
    record_call(service="facebook", operation="page_post", outcome=IntegrationLog.Outcome.OK)
    record_call(
        service="facebook",
        operation="page_post",
        outcome=IntegrationLog.Outcome.FAILED,
        error="(#190) Error validating access token: Session has expired",
    )
    record_call(service="patreon", operation="members", outcome=IntegrationLog.Outcome.FAILED)
    response = staff_client.get(reverse(PAGE))
    facebook = section(response, "facebook")
    assert "never" not in facebook.split("Last success", 1)[1].split("</tr>", 1)[0]
    assert "page_post: (#190) Error validating access token" in facebook
    # Another service's failures are not this one's.
    assert "none" in section(response, "google_calendar").split("Last error", 1)[1][:120]


def test_waiting_and_failed_counts_are_shown_with_links(staff_client):
    reported["google_calendar"].waiting = 3
    reported["google_calendar"].failed = 2
    reported["google_calendar"].links = [
        ("Failed sync records", "/admin/google_calendar/calendarentry/?state=failed")
    ]
    response = staff_client.get(reverse(PAGE))
    box = section(response, "google_calendar")
    assert state(response, "google_calendar") == "attention"
    assert '<td class="waiting">3</td>' in box
    assert '<td class="failed count-failed">2</td>' in box
    assert 'href="/admin/google_calendar/calendarentry/?state=failed"' in box
    assert "service=google_calendar&amp;outcome__exact=failed" in box


def test_a_broken_token_is_shown_as_a_warning(staff_client):
    reported["facebook"].token = "Page token expired on 3 Nov 2026"
    reported["facebook"].token_ok = False
    reported["facebook"].problems = ["The Page token has expired: renew it (Settings > …)."]
    response = staff_client.get(reverse(PAGE))
    box = section(response, "facebook")
    assert state(response, "facebook") == "attention"
    assert '<td class="token token-bad">Page token expired on 3 Nov 2026</td>' in box
    assert '<li class="error">The Page token has expired: renew it' in box


def test_a_healthy_token_is_shown_plainly(staff_client):
    reported["patreon"].token = "Creator token valid until 25 Dec 2026; last refresh worked"
    reported["patreon"].token_ok = True
    box = section(staff_client.get(reverse(PAGE)), "patreon")
    assert '<td class="token ">Creator token valid until 25 Dec 2026; last refresh worked' in box


def test_a_button_with_a_condition_is_offered_only_while_the_condition_holds(staff_client):
    box = section(staff_client.get(reverse(PAGE)), "patreon")
    assert "Resume the webhook" not in box

    reported["patreon"].problems = ["Patreon has paused our webhook after repeated failures."]
    box = section(staff_client.get(reverse(PAGE)), "patreon")
    assert "Patreon has paused our webhook" in box
    assert "Resume the webhook" in box


def test_a_missing_integration_shows_as_not_available(staff_client, monkeypatch):
    providers = (
        StatusProvider(name="Facebook", service="facebook", status=not_installed_status),
    )
    monkeypatch.setattr(registry, "_providers", list(providers))
    response = staff_client.get(reverse(PAGE))
    assert state(response, "facebook") == "unavailable"
    assert "not installed in this version" in section(response, "facebook")


def test_a_broken_status_is_reported_without_hiding_the_others(staff_client, monkeypatch):
    broken = StatusProvider(name="Patreon", service="patreon", status=broken_status)
    monkeypatch.setattr(registry, "_providers", [PROVIDERS[0], broken])
    response = staff_client.get(reverse(PAGE))
    assert state(response, "google_calendar") == "ok"
    assert state(response, "patreon") == "broken"
    box = section(response, "patreon")
    assert "could not be read (RuntimeError)" in box
    assert "a bug in the status code" not in box


def test_test_the_connection_reports_success(staff_client):
    url = reverse("admin:integrations_health_action", args=["google_calendar", "test_connection"])
    response = staff_client.post(url, follow=True)
    assert calls == ["test_connection"]
    assert response.redirect_chain[-1][0] == reverse(PAGE)
    assert "Google Calendar: Test the connection: Connected as the TDC Page." in (
        response.content.decode()
    )


def test_test_the_connection_reports_a_permanent_failure_in_plain_words(staff_client):
    url = reverse("admin:integrations_health_action", args=["facebook", "test_connection"])
    response = staff_client.post(url, follow=True)
    html = response.content.decode()
    assert 'class="error"' in html
    assert "Facebook: Test the connection failed: The Page token expired" in html


def test_retry_what_failed_runs_the_integrations_retry(staff_client):
    url = reverse("admin:integrations_health_action", args=["google_calendar", "retry_failed"])
    response = staff_client.post(url, follow=True)
    assert calls == ["retry_failed"]
    assert "2 failed records queued again." in response.content.decode()


def test_resume_webhook_calls_patreon(staff_client):
    reported["patreon"].problems = ["Patreon has paused our webhook."]
    url = reverse("admin:integrations_health_action", args=["patreon", "resume_webhook"])
    staff_client.post(url)
    assert calls == ["resume_webhook"]


def test_an_unexpected_failure_becomes_a_message_not_a_server_error(staff_client, caplog):
    url = reverse("admin:integrations_health_action", args=["patreon", "explode"])
    response = staff_client.post(url, follow=True)
    assert response.status_code == 200
    assert "failed unexpectedly (ZeroDivisionError)" in response.content.decode()
    assert "ZeroDivisionError" in caplog.text  # the developer gets the traceback


def test_buttons_only_answer_post(staff_client):
    url = reverse("admin:integrations_health_action", args=["google_calendar", "retry_failed"])
    assert staff_client.get(url).status_code == 405
    assert calls == []


def test_an_unknown_action_is_not_found(staff_client):
    url = reverse("admin:integrations_health_action", args=["google_calendar", "format_disk"])
    assert staff_client.post(url).status_code == 404
    url = reverse("admin:integrations_health_action", args=["myspace", "test_connection"])
    assert staff_client.post(url).status_code == 404


def test_buttons_need_a_csrf_token(client, staff_user):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(staff_user)
    url = reverse("admin:integrations_health_action", args=["google_calendar", "retry_failed"])
    assert csrf_client.post(url).status_code == 403
    assert calls == []


@pytest.fixture
def clerk(client, django_user_model):
    user = django_user_model.objects.create_user("clerk", password="pw-for-tests", is_staff=True)
    client.force_login(user)
    return user


def test_staff_without_the_log_permission_cannot_see_the_page(client, clerk):
    assert client.get(reverse(PAGE)).status_code == 403


def test_an_action_with_its_own_permission_refuses_staff_without_it(client, clerk):
    clerk.user_permissions.add(Permission.objects.get(codename="view_integrationlog"))
    assert client.get(reverse(PAGE)).status_code == 200
    url = reverse("admin:integrations_health_action", args=["facebook", "retry_failed"])
    assert client.post(url).status_code == 403
    assert calls == []


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get(reverse(PAGE))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_admin_index_links_to_the_page_and_counts_what_needs_attention(staff_client):
    reported["facebook"].token_ok = False
    reported["facebook"].problems = ["The Page token has expired."]
    html = staff_client.get(reverse("admin:index")).content.decode()
    assert f'href="{reverse(PAGE)}"' in html
    assert "1 needs attention: Facebook" in html


def test_the_admin_index_says_all_is_well_when_it_is(staff_client):
    html = staff_client.get(reverse("admin:index")).content.decode()
    assert "3 of 3 configured, all working" in html


def test_an_action_on_a_service_that_is_not_configured_says_so(staff_client, monkeypatch):
    provider = StatusProvider(
        name="Facebook",
        service="facebook",
        status=fake_facebook_status,
        actions=(ProviderAction("test_connection", "Test", connection_not_configured),),
    )
    monkeypatch.setattr(registry, "_providers", [provider])
    url = reverse("admin:integrations_health_action", args=["facebook", "test_connection"])
    html = staff_client.post(url, follow=True).content.decode()
    assert "Facebook: Test: not configured. Set FACEBOOK_PAGE_ACCESS_TOKEN." in html


def test_a_buttons_answer_stays_on_the_page_after_its_message_is_gone(staff_client):
    url = reverse("admin:integrations_health_action", args=["google_calendar", "test_connection"])
    staff_client.post(url)
    box = section(staff_client.get(reverse(PAGE)), "google_calendar")  # the message is spent
    assert "Connected as the TDC Page." in box
    answer = box.split('id="button-google_calendar-test_connection"', 1)[1].split("</div>", 1)[0]
    assert "Last answer," in answer
    assert "(staff): Connected as the TDC Page." in answer
    assert "answer-bad" not in answer


def test_a_failed_answer_is_kept_and_marked_and_the_next_press_replaces_it(staff_client):
    url = reverse("admin:integrations_health_action", args=["facebook", "test_connection"])
    staff_client.post(url)
    box = section(staff_client.get(reverse(PAGE)), "facebook")
    assert 'class="last-answer answer-bad"' in box
    assert "Failed: The Page token expired on 3 Nov 2026. Renew the Page token." in box

    url = reverse("admin:integrations_health_action", args=["patreon", "explode"])
    staff_client.post(url)
    staff_client.post(url)
    box = section(staff_client.get(reverse(PAGE)), "patreon")
    assert box.count("Failed unexpectedly (ZeroDivisionError).") == 1
    assert "oops" not in box  # the exception's text is for the developer's log only


def test_a_button_never_pressed_shows_no_answer(staff_client):
    box = section(staff_client.get(reverse(PAGE)), "google_calendar")
    assert 'id="button-google_calendar-retry_failed"' in box
    assert "Last answer" not in box


def test_links_and_buttons_the_user_may_not_use_are_not_shown(client, clerk):
    clerk.user_permissions.add(Permission.objects.get(codename="view_integrationlog"))
    calendar_entries = reverse("admin:google_calendar_calendarentry_changelist")
    events = reverse("admin:events_event_changelist")
    reported["google_calendar"].links = [
        ("Calendar entries", calendar_entries),
        ("Events", f"{events}?status__exact=scheduled"),
    ]

    box = section(client.get(reverse(PAGE)), "google_calendar")
    assert "Calendar entries" not in box
    assert "Events" not in box
    assert "External calls" in box  # the call log: this page's own permission
    facebook = section(client.get(reverse(PAGE)), "facebook")
    assert "Retry failed posts" not in facebook  # needs events.change_event
    assert "Test the connection" in facebook

    clerk.user_permissions.add(Permission.objects.get(codename="view_event"))
    clerk.user_permissions.add(Permission.objects.get(codename="change_event"))
    page = client.get(reverse(PAGE))
    box = section(page, "google_calendar")
    assert f'href="{events}?status__exact=scheduled"' in box
    assert "Calendar entries" not in box
    # What the page now offers, the user can open.
    assert client.get(events).status_code == 200
    assert "Retry failed posts" in section(page, "facebook")


def test_a_superuser_sees_every_link(staff_client):
    url = reverse("admin:google_calendar_calendarentry_changelist")
    reported["google_calendar"].links = [("Calendar entries", url)]
    assert f'href="{url}"' in section(staff_client.get(reverse(PAGE)), "google_calendar")


def test_a_configured_service_whose_every_call_failed_is_failing_not_working(staff_client):
    reported["google_calendar"].last_success_at = None
    record_call(
        service="google_calendar",
        operation="calendars.get",
        outcome=IntegrationLog.Outcome.FAILED,
        error="Network error: could not reach oauth2.googleapis.com (Name or service not known)",
    )
    response = staff_client.get(reverse(PAGE))
    assert state(response, "google_calendar") == "failing"
    assert ">failing<" in section(response, "google_calendar").replace("\n", "").replace(" ", "")


def test_a_failure_after_the_last_success_is_failing(staff_client):
    reported["facebook"].last_success_at = timezone.now() - timedelta(days=1)
    record_call(service="facebook", operation="debug_token", outcome=IntegrationLog.Outcome.FAILED)
    assert state(staff_client.get(reverse(PAGE)), "facebook") == "failing"


def test_a_success_in_the_call_log_after_the_reported_failure_is_working(staff_client):
    reported["facebook"].last_success_at = None
    reported["facebook"].last_error_at = timezone.now() - timedelta(days=1)
    reported["facebook"].last_error = "could not reach graph.facebook.com (Connection refused)"
    record_call(service="facebook", operation="debug_token", outcome=IntegrationLog.Outcome.OK)
    assert state(staff_client.get(reverse(PAGE)), "facebook") == "ok"


def test_a_configured_service_never_reached_is_not_verified_yet(staff_client):
    reported["patreon"].last_success_at = None
    response = staff_client.get(reverse(PAGE))
    assert state(response, "patreon") == "not-verified"
    assert "not verified yet" in section(response, "patreon")


def test_the_admin_index_counts_failing_services_as_needing_attention(staff_client):
    for service in ("google_calendar", "facebook"):
        reported[service].last_success_at = None
        record_call(service=service, operation="call", outcome=IntegrationLog.Outcome.FAILED)
    html = staff_client.get(reverse("admin:index")).content.decode()
    assert "2 need attention: Google Calendar, Facebook" in html
    assert "all working" not in html


def test_the_admin_index_names_services_not_verified_yet(staff_client):
    reported["patreon"].last_success_at = None
    html = staff_client.get(reverse("admin:index")).content.decode()
    assert "1 not verified yet: Patreon" in html
    assert "need attention" not in html and "all working" not in html


def test_the_intro_speaks_of_buttons_only_when_there_are_some(staff_client):
    html = staff_client.get(reverse(PAGE)).content.decode()
    assert "the buttons do, one at a time" in html
    for service in reported:
        reported[service].configured = False  # nothing to test or retry
    html = staff_client.get(reverse(PAGE)).content.decode()
    assert "button" not in html.split('id="content-main"', 1)[1].split("<p>", 1)[1].split("</p>")[0]
    assert "Nothing on this page calls the services." in html
