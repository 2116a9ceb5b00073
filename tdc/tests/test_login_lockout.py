"""Password guessing at /admin/login/ is stopped per username and address (django-axes)."""

from datetime import timedelta
from io import StringIO

import pytest
import responses
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY, get_user_model
from django.core.management import call_command
from django.urls import reverse

from patreon_sync.conftest import patreon  # noqa: F401 (a fixture)
from patreon_sync.signin.tests.support import come_back, patreon_answers, start_signin

PASSWORD = "pw-for-tests"
ATTACKER = "203.0.113.7"
OFFICE = "198.51.100.20"


@pytest.fixture(autouse=True)
def limits(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)


def sign_in(client, username, password, address=ATTACKER, **headers):
    return client.post(
        reverse("admin:login") + "?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **headers,
    )


def signed_in(client) -> bool:
    return client.get(reverse("admin:index")).status_code == 200


def lock_out(client, username="staff", address=ATTACKER):
    responses = [sign_in(client, username, "guess", address) for _ in range(3)]
    assert [r.status_code for r in responses] == [200, 200, 429]
    return responses[-1]


def test_wrong_passwords_below_the_limit_get_the_usual_error(client, staff_user):
    response = sign_in(client, "staff", "guess")
    assert response.status_code == 200
    assert "Please enter the correct username and password" in response.content.decode()


def test_the_limit_of_wrong_passwords_locks_the_sign_in_with_a_clear_message(client, staff_user):
    page = lock_out(client).content.decode()
    assert "Sign-in locked: 3 wrong passwords in a row for this username from your address." in page
    assert "The lock ends 15 minutes after the last attempt; until then even the right" in page
    assert "Ask an administrator" in page


def test_the_right_password_is_refused_while_locked(client, staff_user):
    lock_out(client)
    response = sign_in(client, "staff", PASSWORD)
    assert response.status_code == 429
    assert not signed_in(client)


def test_the_lock_is_per_username_and_address(client, staff_user, django_user_model):
    django_user_model.objects.create_superuser("marco", "marco@example.org", PASSWORD)
    lock_out(client, "staff", ATTACKER)
    # The same staff member from another address, and another one from the attacker's address.
    assert sign_in(client, "staff", PASSWORD, OFFICE).status_code == 302
    client.logout()
    assert sign_in(client, "marco", PASSWORD, ATTACKER).status_code == 302


def test_behind_the_proxy_the_address_is_the_one_nginx_appended(client, staff_user, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    for spoofed in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):  # the visitor's own X-Forwarded-For
        sign_in(
            client, "staff", "guess", "127.0.0.1", HTTP_X_FORWARDED_FOR=f"{spoofed}, {ATTACKER}"
        )
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address, attempt.failures_since_start) == (
        "staff",
        ATTACKER,
        3,
    )
    assert (
        sign_in(client, "staff", PASSWORD, "127.0.0.1", HTTP_X_FORWARDED_FOR=OFFICE).status_code
        == 302
    )


def test_the_lock_ends_after_the_cool_off(client, staff_user):
    lock_out(client)
    attempt = AccessAttempt.objects.get()
    attempt.attempt_time -= timedelta(minutes=16)
    attempt.save()
    assert sign_in(client, "staff", PASSWORD).status_code == 302
    assert signed_in(client)


def test_an_attempt_while_locked_starts_the_wait_again(client, staff_user):
    lock_out(client)
    attempt = AccessAttempt.objects.get()
    attempt.attempt_time -= timedelta(minutes=10)
    attempt.save()
    assert sign_in(client, "staff", PASSWORD).status_code == 429
    attempt.refresh_from_db()
    attempt.attempt_time -= timedelta(minutes=10)  # 20 minutes after the lock, 10 after the try
    attempt.save()
    assert sign_in(client, "staff", PASSWORD).status_code == 429


def test_an_administrator_lifts_the_lock_with_the_command(client, staff_user):
    lock_out(client)
    out = StringIO()
    call_command("axes_reset_username", "staff", stdout=out)
    assert "1 attempts removed." in out.getvalue()
    assert sign_in(client, "staff", PASSWORD).status_code == 302
    assert signed_in(client)


def test_a_lock_for_one_address_is_lifted_with_the_command(client, staff_user):
    lock_out(client)
    call_command("axes_reset_ip_username", ATTACKER, "staff", stdout=StringIO())
    assert sign_in(client, "staff", PASSWORD).status_code == 302


def test_lockouts_are_listed_in_the_admin_and_deleting_one_lifts_it(
    client, staff_user, django_user_model
):
    lock_out(client)
    admin_user = django_user_model.objects.create_superuser("boss", "boss@example.org", "x")
    boss = type(client)()
    boss.force_login(admin_user)
    page = boss.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    assert ATTACKER in page and ">staff<" in page
    attempt = AccessAttempt.objects.get()
    boss.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    assert sign_in(client, "staff", PASSWORD).status_code == 302


def test_a_successful_sign_in_clears_earlier_failures(client, staff_user):
    sign_in(client, "staff", "guess")
    sign_in(client, "staff", "guess")
    assert sign_in(client, "staff", PASSWORD).status_code == 302
    client.logout()
    assert sign_in(client, "staff", "guess").status_code == 200  # counting starts again


def test_patreon_sign_in_is_not_a_password_sign_in_and_is_never_locked(client, patreon, db):  # noqa: F811
    def sign_in_with_patreon():
        state, _ = start_signin(client)
        with responses.RequestsMock() as rsps:
            patreon_answers(rsps)
            assert come_back(client, state=state).status_code == 302
        return client.session[SESSION_KEY]

    supporter_id = sign_in_with_patreon()
    username = get_user_model().objects.get(pk=supporter_id).get_username()
    client.logout()
    lock_out(client, username, "127.0.0.1")  # someone guesses that account's (unset) password
    assert sign_in_with_patreon() == supporter_id


def test_the_guessed_passwords_are_stored_and_shown_nowhere(client, staff_user, caplog):
    caplog.set_level("DEBUG")
    lock_out(client)
    sign_in(client, "staff", PASSWORD)
    stored = str(list(AccessAttempt.objects.values()))
    assert "guess" not in stored and PASSWORD not in stored
    assert "guess" not in caplog.text and PASSWORD not in caplog.text
