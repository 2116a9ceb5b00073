"""Who receives the notices, in which language, through which channel; each channel's failure
recorded in the call log and shown on the integrations page, never stopping the other."""

import json
import socket
from datetime import timedelta

import pytest
import responses
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django_q.models import OrmQ, Schedule

from integrations.call_log import record_call
from integrations.health import integration_reports
from integrations.models import IntegrationLog, NoticeDigest
from integrations.notices import queue
from integrations.notices.services import staff_notices_check
from integrations.status import Verdict

CHAT = "https://discord.example/api/webhooks/123456/chat-token-never-shown"


def _failing(facebook_call) -> None:
    facebook_call(ok=True)
    staff_notices_check()
    facebook_call(ok=False)


def test_each_recipient_reads_the_notice_in_their_language(clock, subscribe, facebook_call):
    subscribe("anna", language="en")
    subscribe("marco", language="it")
    _failing(facebook_call)

    staff_notices_check()

    by_recipient = {message.to[0]: message for message in mail.outbox}
    english, italian = by_recipient["anna@example.org"], by_recipient["marco@example.org"]
    assert english.subject == "[TDC] Facebook is failing"
    assert italian.subject == "[TDC] Facebook non funziona"
    assert "Facebook non funziona: l'ultimo tentativo è fallito." in italian.body
    assert "Da quando: Mer 2 Dic 2026, 06:02 CET" in italian.body
    assert "La pagina delle integrazioni: https://tdc.example/admin/integrations/health/" in (
        italian.body
    )
    assert "Since:" not in italian.body


def test_every_active_superuser_with_an_address_hears_when_nobody_asked(
    clock, facebook_call, django_user_model
):
    django_user_model.objects.create_superuser("boss", email="boss@example.org", password="pw")
    django_user_model.objects.create_superuser(
        "gone", email="gone@example.org", password="pw", is_active=False
    )
    django_user_model.objects.create_superuser("noaddress", email="", password="pw")
    django_user_model.objects.create_user("clerk", email="clerk@example.org", is_staff=True)
    _failing(facebook_call)

    staff_notices_check()

    assert [message.to for message in mail.outbox] == [["boss@example.org"]]


def test_only_those_who_asked_hear_once_someone_has(
    clock, subscribe, facebook_call, django_user_model
):
    django_user_model.objects.create_superuser("boss", email="boss@example.org", password="pw")
    subscribe("anna")
    subscribe("piero", problems=False)
    _failing(facebook_call)

    staff_notices_check()

    assert [message.to for message in mail.outbox] == [["anna@example.org"]]


@responses.activate
def test_the_chat_receives_the_notice_and_its_address_stays_out_of_the_log(
    clock, subscribe, facebook_call, settings
):
    settings.STAFF_CHAT_WEBHOOK_URL = CHAT
    settings.STAFF_CHAT_LANGUAGE = "it"
    responses.post(CHAT, status=204)
    subscribe("anna")
    _failing(facebook_call)

    sent = staff_notices_check()

    assert sent[0].chat is True
    body = json.loads(responses.calls[0].request.body)
    assert body["content"].startswith("**[TDC] Facebook non funziona**\nFacebook non funziona")
    assert body["allowed_mentions"] == {"parse": []}  # no @everyone from an error text
    call = IntegrationLog.objects.get(service="staff_notices", operation="post to chat")
    assert call.outcome == IntegrationLog.Outcome.OK
    assert "chat-token-never-shown" not in call.target
    assert call.target.startswith("https://discord.example")
    assert len(mail.outbox) == 1  # e-mail too


@responses.activate
def test_a_failing_chat_is_recorded_shown_on_the_page_and_the_mail_still_goes(
    clock, subscribe, facebook_call, settings, staff_client
):
    settings.STAFF_CHAT_WEBHOOK_URL = CHAT
    responses.post(CHAT, status=404, json={"message": "Unknown Webhook", "code": 10015})
    subscribe("anna")
    _failing(facebook_call)

    sent = staff_notices_check()

    assert sent[0].chat is False and sent[0].emails == ["anna@example.org"]
    failed = IntegrationLog.objects.get(service="staff_notices", operation="post to chat")
    assert failed.outcome == IntegrationLog.Outcome.FAILED
    assert "chat-token-never-shown" not in failed.target + failed.error
    notices = next(r for r in integration_reports() if r.provider.service == "staff_notices")
    assert notices.verdict == Verdict.FAILING
    page = staff_client.get(reverse("admin:integrations_health")).content.decode()
    assert "Staff notices" in page
    assert "chat-token-never-shown" not in page


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_failing_mail_server_is_recorded_in_plain_words(
    clock, subscribe, facebook_call, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = (
        "127.0.0.1",
        _closed_port(),
        2,
    )
    subscribe("anna")
    _failing(facebook_call)

    sent = staff_notices_check()

    assert sent[0].emails == []
    failed = IntegrationLog.objects.get(service="staff_notices", operation="send e-mail")
    assert failed.outcome == IntegrationLog.Outcome.FAILED
    assert failed.error == (
        "Could not send the e-mail: could not reach 127.0.0.1 (Connection refused)"
    )
    # The notices' own failure is a state change too (told by chat, if there is one); then
    # nothing more: no notice is repeated because the mail failed.
    assert [notice.subject for notice in staff_notices_check()] == [
        "[TDC] Staff notices is failing"
    ]
    assert staff_notices_check() == []


# --- The daily digest ---------------------------------------------------------------------------


def test_the_digest_goes_once_at_its_hour_to_those_who_asked_when_something_needs_attention(
    clock, subscribe, facebook_call
):
    subscribe("dora", problems=False, digest=True)
    _failing(facebook_call)
    staff_notices_check()
    assert mail.outbox == []  # nobody asked for each change, and no superuser has an address

    clock.shift(timedelta(hours=3))  # 09:03 in the venue's zone
    staff_notices_check()
    clock.shift(timedelta(minutes=5))
    staff_notices_check()

    assert [message.subject for message in mail.outbox] == ["[TDC] 2 integrations need attention"]
    digest = mail.outbox[0]
    assert digest.to == ["dora@example.org"]
    assert "What needs attention on Wed 2 Dec 2026:" in digest.body
    assert "Facebook is failing: its last attempt failed." in digest.body
    # Nobody gets each change: the digest says so, with what to do.
    assert "Staff notices needs attention.\n- No one receives the notices by e-mail" in digest.body
    assert NoticeDigest.objects.get().sent


def test_no_digest_when_nothing_needs_attention(clock, subscribe, facebook_call):
    subscribe("anna")
    subscribe("dora", problems=False, digest=True, language="it")
    facebook_call(ok=True)
    clock.shift(timedelta(hours=3, minutes=30))

    staff_notices_check()

    assert mail.outbox == []
    assert not NoticeDigest.objects.get().sent  # considered today: not sent again later


def test_the_digest_speaks_the_recipients_language(clock, subscribe, facebook_call):
    subscribe("anna")
    subscribe("dora", problems=False, digest=True, language="it")
    _failing(facebook_call)
    clock.shift(timedelta(hours=3))

    staff_notices_check()

    assert [(message.to, message.subject) for message in mail.outbox] == [
        (["anna@example.org"], "[TDC] Facebook is failing"),
        (["dora@example.org"], "[TDC] 1 integrazione richiede attenzione"),
    ]
    assert "Facebook non funziona: l'ultimo tentativo è fallito." in mail.outbox[1].body


# --- When the check runs ------------------------------------------------------------------------


@pytest.fixture
def fresh_queue(db):
    cache.delete(queue._DEBOUNCE_KEY)
    yield
    cache.delete(queue._DEBOUNCE_KEY)


def test_a_failed_call_queues_one_check_once_committed(
    fresh_queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):  # a burst of failures: one check
            record_call(service="facebook", operation="publish", outcome="failed", error="x")
        assert OrmQ.objects.count() == 0  # not before the commit

    assert OrmQ.objects.count() == 1


def test_a_successful_call_or_a_notice_of_our_own_queues_nothing(
    fresh_queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record_call(service="facebook", operation="publish", outcome="ok")
        record_call(service="staff_notices", operation="send e-mail", outcome="failed")

    assert OrmQ.objects.count() == 0


def test_a_failed_webhook_delivery_queues_a_check(fresh_queue, django_capture_on_commit_callbacks):
    from django.utils import timezone

    from patreon_sync.models import WebhookDelivery

    with django_capture_on_commit_callbacks(execute=True):
        WebhookDelivery.objects.create(
            received_at=timezone.now(),
            event="members:update",
            body=b"{}",
            fingerprint="a" * 64,
            status=WebhookDelivery.Status.FAILED,
            error="Not JSON.",
        )

    assert OrmQ.objects.count() == 1


def test_migrate_schedules_the_check_every_five_minutes(db):
    schedule = Schedule.objects.get(name="Tell staff about integration problems")
    assert schedule.func == "integrations.notices.tasks.notify_staff"
    assert (schedule.schedule_type, schedule.minutes, schedule.repeats) == (
        Schedule.MINUTES,
        5,
        -1,
    )


# --- The page's button ----------------------------------------------------------------------------


@responses.activate
def test_the_test_button_reaches_every_recipient_and_the_chat(
    clock, subscribe, settings, staff_client
):
    settings.STAFF_CHAT_WEBHOOK_URL = CHAT
    responses.post(CHAT, status=204)
    subscribe("anna")
    subscribe("marco", language="it")

    response = staff_client.post(
        reverse("admin:integrations_health_action", args=["staff_notices", "test_connection"]),
        follow=True,
    )

    assert sorted(message.subject for message in mail.outbox) == [
        "[TDC] Avviso di prova",
        "[TDC] Test notice",
    ]
    assert len(responses.calls) == 1
    page = response.content.decode()
    assert "E-mail sent to anna@example.org, marco@example.org. Posted in the chat." in page
    # Both channels worked: the notices' row says so.
    notices = next(r for r in integration_reports() if r.provider.service == "staff_notices")
    assert notices.verdict == Verdict.WORKING


def test_the_test_button_with_no_one_to_tell_says_so(db, staff_user, client):
    staff_user.email = ""
    staff_user.save()
    client.force_login(staff_user)

    response = client.post(
        reverse("admin:integrations_health_action", args=["staff_notices", "test_connection"]),
        follow=True,
    )

    assert "No one to send it to: no recipient and no chat webhook." in response.content.decode()
    assert mail.outbox == []
