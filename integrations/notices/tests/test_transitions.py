"""One notice per change of an integration's verdict, one when it recovers, none repeated, at
most one per integration per interval (a flapping service summed up), driven by a clock."""

from datetime import timedelta

from django.core import mail
from django.core.management import call_command

from integrations.models import ActionOutcome, NoticeState
from integrations.notices.services import staff_notices_check
from integrations.notices.tests.conftest import START


def subjects() -> list[str]:
    return [message.subject for message in mail.outbox]


def test_a_working_integration_that_starts_failing_sends_one_notice(
    clock, subscribe, facebook_call
):
    subscribe("anna")
    facebook_call(ok=True)
    assert staff_notices_check() == []  # working, first seen: nothing to tell

    clock.shift(timedelta(minutes=3))
    facebook_call(ok=False)
    sent = staff_notices_check()

    assert subjects() == ["[TDC] Facebook is failing"]
    assert [s.emails for s in sent] == [["anna@example.org"]]
    body = mail.outbox[0].body
    assert "Facebook is failing: its last attempt failed." in body
    assert "Since: Wed 2 Dec 2026, 06:05 CET" in body  # the venue's zone
    assert "Last worked: Wed 2 Dec 2026, 06:01 CET" in body
    assert "Last error: Network error: could not reach graph.facebook.com (Connection" in body
    assert "https://tdc.example/admin/integrations/health/" in body
    assert "EAAG-page-token-never-shown" not in body
    assert mail.outbox[0].to == ["anna@example.org"]


def test_the_same_state_is_never_told_twice(clock, subscribe, facebook_call):
    subscribe("anna")
    facebook_call(ok=True)
    staff_notices_check()
    facebook_call(ok=False)
    staff_notices_check()
    for _ in range(5):  # more failures, hours apart: still the same "failing"
        clock.shift(timedelta(hours=2))
        facebook_call(ok=False, error="HTTP 500: try later")
        assert staff_notices_check() == []

    assert len(mail.outbox) == 1


def test_a_recovery_sends_one_notice_and_only_one(clock, subscribe, facebook_call):
    subscribe("anna")
    facebook_call(ok=True)
    staff_notices_check()
    facebook_call(ok=False)
    staff_notices_check()

    clock.shift(timedelta(hours=2))
    facebook_call(ok=True)
    staff_notices_check()
    clock.shift(timedelta(hours=2))
    staff_notices_check()

    assert subjects() == ["[TDC] Facebook is failing", "[TDC] Facebook works again"]
    assert "Facebook works again: nothing to do." in mail.outbox[1].body
    assert "Since: Wed 2 Dec 2026, 08:03 CET" in mail.outbox[1].body


def test_a_flapping_integration_gets_one_notice_an_hour_summing_up_the_changes(
    clock, subscribe, facebook_call
):
    subscribe("anna")
    facebook_call(ok=True)
    staff_notices_check()
    facebook_call(ok=False)
    staff_notices_check()  # told: failing
    for ok in (True, False, True):  # every ten minutes it turns
        clock.shift(timedelta(minutes=10))
        facebook_call(ok=ok)
        assert staff_notices_check() == []

    clock.shift(timedelta(minutes=35))  # an hour after the first notice
    staff_notices_check()

    assert subjects() == ["[TDC] Facebook is failing", "[TDC] Facebook works again"]
    assert (
        "Its state changed 3 times since the last notice (Wed 2 Dec 2026, 06:02 CET)."
        in mail.outbox[1].body
    )


def test_a_flap_back_to_what_staff_were_told_sends_nothing(clock, subscribe, facebook_call):
    subscribe("anna")
    facebook_call(ok=True)
    staff_notices_check()
    facebook_call(ok=False)
    staff_notices_check()
    clock.shift(timedelta(minutes=5))
    facebook_call(ok=True)
    staff_notices_check()
    clock.shift(timedelta(minutes=5))
    facebook_call(ok=False)

    clock.shift(timedelta(hours=2))
    assert staff_notices_check() == []  # failing, as staff were told
    assert len(mail.outbox) == 1


def test_the_interval_is_a_setting(clock, subscribe, facebook_call, settings):
    settings.STAFF_NOTICE_INTERVAL_MINUTES = 0
    subscribe("anna")
    facebook_call(ok=True)
    staff_notices_check()
    for ok in (False, True, False):
        clock.shift(timedelta(minutes=1))
        facebook_call(ok=ok)
        staff_notices_check()

    assert subjects() == [
        "[TDC] Facebook is failing",
        "[TDC] Facebook works again",
        "[TDC] Facebook is failing",
    ]


def test_a_problem_already_there_when_first_seen_is_told(clock, subscribe, facebook_call):
    subscribe("anna")
    facebook_call(ok=False)

    staff_notices_check()

    assert subjects() == ["[TDC] Facebook is failing"]
    assert NoticeState.objects.get(service="facebook").notified_bad


def test_a_token_expiring_within_a_week_is_told_once(clock, subscribe, facebook_call):
    from integrations.facebook.models import TokenCheck

    subscribe("anna")
    facebook_call(ok=True)
    staff_notices_check()
    TokenCheck.objects.create(
        ok=True,
        method="debug_token",
        expires_at=START + timedelta(days=20),
        summary="Page token valid until 22 Dec 2026.",
    )
    assert staff_notices_check() == []  # three weeks away: nothing yet

    clock.shift(timedelta(days=14))
    staff_notices_check()
    clock.shift(timedelta(days=1))  # a day closer: the same state
    staff_notices_check()

    assert subjects() == ["[TDC] Facebook needs attention"]
    assert (
        "- The token stops working on Tue 22 Dec 2026, in 6 days: renew it before then."
        in mail.outbox[0].body
    )


def test_an_expired_token_is_told(clock, subscribe, facebook_call):
    from integrations.facebook.models import TokenCheck

    subscribe("anna")
    facebook_call(ok=True)
    staff_notices_check()
    TokenCheck.objects.create(
        ok=False,
        method="debug_token",
        summary="The Page token expired on 1 Dec 2026. Renew the Page token.",
    )
    staff_notices_check()

    assert subjects() == ["[TDC] Facebook needs attention"]
    assert "- The Page token expired on 1 Dec 2026. Renew the Page token." in mail.outbox[0].body


def test_posts_needing_checking_are_told(clock, subscribe, facebook_call, make_event):
    from integrations.facebook.models import FacebookPost

    subscribe("anna")
    facebook_call(ok=True)
    staff_notices_check()
    FacebookPost.objects.create(
        event=make_event(),
        event_title="Luna Sparrow Live",
        target=FacebookPost.Target.PAGE,
        message="Tonight!",
        status=FacebookPost.Status.NEEDS_CHECKING,
    )
    staff_notices_check()

    assert subjects() == ["[TDC] Facebook needs attention"]
    assert "Page post needs checking" in mail.outbox[0].body


def _patreon_configured(settings) -> None:
    settings.FACEBOOK_PAGE_ACCESS_TOKEN = ""  # one integration at a time
    settings.PATREON_CREATOR_ACCESS_TOKEN = "creator-token-never-shown"
    settings.PATREON_CREATOR_REFRESH_TOKEN = "refresh-token-never-shown"
    settings.PATREON_CLIENT_ID = "client"
    settings.PATREON_CLIENT_SECRET = "client-secret-never-shown"
    settings.PATREON_WEBHOOK_SECRET = "webhook-secret-never-shown"


def _refresh_refused() -> None:
    from patreon_sync.models import CreatorToken
    from patreon_sync.tokens import TOKEN_ROW

    CreatorToken.objects.update_or_create(
        pk=TOKEN_ROW,
        defaults={"broken": True, "last_refresh_ok": False, "last_refresh_error": "invalid_grant"},
    )


def _delivery_failed() -> None:
    from django.utils import timezone

    from patreon_sync.models import WebhookDelivery

    WebhookDelivery.objects.create(
        received_at=timezone.now(),
        event="members:update",
        body=b"{}",
        fingerprint="f" * 64,
        status=WebhookDelivery.Status.FAILED,
        error="The body is not a Patreon member document.",
    )


def _webhook_found_paused() -> None:
    from django.utils import timezone

    ActionOutcome.objects.create(
        service="patreon",
        action="webhook_state",
        succeeded=True,
        message="Webhook 7 → https://tdc.example/api/v1/patreon/webhook: PAUSED, 9 consecutive "
        "failures, triggers members:update.",
        done_at=timezone.now(),
    )


def test_patreon_changes_are_each_told_in_plain_words(clock, subscribe, settings):
    _patreon_configured(settings)
    settings.STAFF_NOTICE_INTERVAL_MINUTES = 0
    subscribe("anna")
    staff_notices_check()  # whatever Patreon's state is now (told if it needs attention)
    told = len(mail.outbox)

    for event, words in [
        (_delivery_failed, "1 webhook delivery failed"),
        (_webhook_found_paused, "Patreon paused our webhook (found on Wed 2 Dec 2026, 0"),
        (_refresh_refused, "Patreon refused the creator token (invalid_grant)"),
    ]:
        clock.shift(timedelta(minutes=1))
        event()
        staff_notices_check()
        assert len(mail.outbox) == told + 1, words
        told += 1
        assert mail.outbox[-1].subject.startswith("[TDC] Patreon")
        assert words in mail.outbox[-1].body
    for message in mail.outbox:
        assert "never-shown" not in message.body


def test_notify_staff_prints_what_it_sent_and_nothing_when_nothing_changed(
    clock, subscribe, facebook_call, capsys
):
    subscribe("anna")
    facebook_call(ok=False)

    call_command("notify_staff")
    first = capsys.readouterr().out
    call_command("notify_staff")
    second = capsys.readouterr().out

    assert first.strip().splitlines()[-1] == "[TDC] Facebook is failing -> anna@example.org"
    assert second == ""
