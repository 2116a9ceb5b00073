"""The creator token: rotation persisted, refusal marks it broken, one refresh per token."""

from datetime import timedelta
from urllib.parse import parse_qs

import pytest
import responses
from django.utils import timezone

from integrations.http import NotConfigured, TransientError
from integrations.models import IntegrationLog
from patreon_sync.conftest import ACCESS, API, REFRESH
from patreon_sync.models import CreatorToken
from patreon_sync.tokens import CreatorTokens, CredentialsBroken, token_row

pytestmark = pytest.mark.django_db

TOKEN_URL = f"{API}/api/oauth2/token"
NEW_PAIR = {
    "access_token": "renewed-access-BBBB2222",
    "refresh_token": "renewed-refresh-SSSS2222",
    "expires_in": 2678400,
    "scope": "identity campaigns campaigns.members w:campaigns.webhook",
    "token_type": "Bearer",
}


def test_the_first_use_seeds_the_row_from_settings(patreon):
    assert CreatorTokens().current() == ACCESS
    row = CreatorToken.objects.get()
    assert (row.access_token, row.refresh_token, row.expires_at) == (ACCESS, REFRESH, None)


def test_without_a_token_it_is_not_configured(webhook_only):
    with pytest.raises(NotConfigured):
        CreatorTokens().current()


@responses.activate
def test_a_refresh_sends_the_refresh_grant_and_persists_the_rotated_pair(patreon):
    responses.post(TOKEN_URL, json=NEW_PAIR)
    token_row()
    before = timezone.now()
    assert CreatorTokens().renew(rejected=ACCESS) == "renewed-access-BBBB2222"

    sent = parse_qs(responses.calls[0].request.body)
    assert sent == {
        "grant_type": ["refresh_token"],
        "refresh_token": [REFRESH],
        "client_id": ["client-id-1234"],
        "client_secret": ["client-secret-5678"],
    }
    row = CreatorToken.objects.get()
    assert row.access_token == "renewed-access-BBBB2222"
    assert row.refresh_token == "renewed-refresh-SSSS2222"  # the old one is spent
    assert row.expires_at >= before + timedelta(seconds=2678400)
    assert row.last_refresh_ok is True
    assert not row.broken
    # The settings did not change, so the stored (newer) pair is kept on the next use.
    assert CreatorTokens().current() == "renewed-access-BBBB2222"
    log = IntegrationLog.objects.get(operation="oauth.refresh")
    for secret in (REFRESH, "client-secret-5678", "renewed-access-BBBB2222"):
        assert secret not in log.target + log.error


@responses.activate
def test_a_refused_refresh_marks_the_credentials_broken_and_says_what_to_do(patreon):
    responses.post(
        TOKEN_URL,
        status=400,
        json={"error": "invalid_grant", "error_description": "Refresh token expired"},
    )
    token_row()
    with pytest.raises(CredentialsBroken, match="Issue a new creator access and refresh token"):
        CreatorTokens().renew(rejected=ACCESS)
    row = CreatorToken.objects.get()
    assert row.broken
    assert row.last_refresh_ok is False
    assert "invalid_grant" in row.last_refresh_error
    assert REFRESH not in row.last_refresh_error
    # Broken credentials are not tried again: no second call to Patreon.
    with pytest.raises(CredentialsBroken):
        CreatorTokens().current()
    assert len(responses.calls) == 1


@responses.activate
def test_a_transient_refresh_failure_is_not_broken(patreon):
    responses.post(TOKEN_URL, status=503, body="maintenance")
    token_row()
    with pytest.raises(TransientError):
        CreatorTokens().renew(rejected=ACCESS)
    row = CreatorToken.objects.get()
    assert not row.broken
    assert row.last_refresh_ok is False
    assert row.refresh_token == REFRESH


@responses.activate
def test_new_settings_replace_broken_credentials(patreon):
    token_row()
    CreatorToken.objects.update(broken=True, last_refresh_error="invalid_grant")
    patreon.PATREON_CREATOR_ACCESS_TOKEN = "pasted-new-access-CCCC"
    patreon.PATREON_CREATOR_REFRESH_TOKEN = "pasted-new-refresh-DDDD"
    assert CreatorTokens().current() == "pasted-new-access-CCCC"
    assert not CreatorToken.objects.get().broken


@responses.activate
def test_a_token_another_worker_already_renewed_is_not_renewed_again(patreon):
    token_row()
    # Another worker spent the refresh token while this one waited for the lock.
    CreatorToken.objects.update(access_token="their-new-access", refresh_token="their-refresh")
    assert CreatorTokens().renew(rejected=ACCESS) == "their-new-access"
    assert len(responses.calls) == 0


@responses.activate
def test_a_token_close_to_expiry_is_renewed_before_use(patreon):
    responses.post(TOKEN_URL, json=NEW_PAIR)
    token_row()
    CreatorToken.objects.update(expires_at=timezone.now() + timedelta(hours=5))
    assert CreatorTokens().current() == "renewed-access-BBBB2222"
    assert len(responses.calls) == 1


@responses.activate
def test_a_token_far_from_expiry_is_used_as_is(patreon):
    token_row()
    CreatorToken.objects.update(expires_at=timezone.now() + timedelta(days=20))
    assert CreatorTokens().current() == ACCESS
    assert len(responses.calls) == 0


def test_a_refused_token_without_refresh_settings_is_broken(patreon):
    patreon.PATREON_CREATOR_REFRESH_TOKEN = ""
    token_row()
    with pytest.raises(CredentialsBroken):
        CreatorTokens().renew(rejected=ACCESS)
    assert CreatorToken.objects.get().broken


@pytest.mark.django_db(transaction=True)
@responses.activate
def test_two_workers_renewing_at_once_spend_the_refresh_token_once(patreon):
    """Needs real row locks: runs on MariaDB/MySQL (SQLite serialises writers differently)."""
    import json
    import threading
    import time

    from django.db import connection

    if connection.vendor != "mysql":
        pytest.skip("row locks are exercised on MariaDB/MySQL")
    token_row()
    spent = []

    def token_endpoint(request):
        spent.append(parse_qs(request.body)["refresh_token"][0])
        # Hold the lock until the other worker is queued behind it (polled, bounded).
        deadline = time.monotonic() + 10
        with connection.cursor() as cursor:
            while time.monotonic() < deadline:
                cursor.execute(
                    "SELECT COUNT(*) FROM information_schema.innodb_trx "
                    "WHERE trx_state = 'LOCK WAIT'"
                )
                if cursor.fetchone()[0]:
                    break
                time.sleep(0.01)
        return 200, {}, json.dumps(NEW_PAIR)

    responses.add_callback(responses.POST, TOKEN_URL, callback=token_endpoint)
    results, errors = [], []

    def worker():
        try:
            results.append(CreatorTokens().renew(rejected=ACCESS))
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert results == ["renewed-access-BBBB2222"] * 2
    assert spent == [REFRESH]  # one refresh for two workers
    assert CreatorToken.objects.get().refresh_token == "renewed-refresh-SSSS2222"
