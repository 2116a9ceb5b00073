"""The creator token: seeded from settings, kept in the database, renewed under a lock.

Patreon refresh tokens are single use, so two workers must never spend the same one: the
refresh runs inside a transaction holding the token row's lock (SELECT ... FOR UPDATE on
MariaDB; SQLite has no row locks, so the transaction first writes the row, which takes SQLite's
database write lock). A worker that waited finds the token already renewed and uses it.

A refresh whose answer is lost (OutcomeUnknown) may have spent the refresh token: the stored
pair is kept, and if Patreon then refuses it the credentials are marked broken for staff.

Never call into this module from inside an outer `transaction.atomic()`: the new pair must be
committed even if the caller's work is rolled back, or the spent refresh token is lost.
"""

import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integrations.http import IntegrationError, NotConfigured, PermanentError
from patreon_sync import client
from patreon_sync.models import CreatorToken

logger = logging.getLogger(__name__)

# Renew this long before expiry, so a daily sync never meets an expired token.
RENEW_BEFORE_EXPIRY = timedelta(days=2)
TOKEN_ROW = 1


class CredentialsBroken(PermanentError):
    """Patreon refused the refresh (or there is nothing to refresh with): staff must act."""


def can_refresh() -> bool:
    return bool(
        settings.PATREON_CREATOR_REFRESH_TOKEN
        and settings.PATREON_CLIENT_ID
        and settings.PATREON_CLIENT_SECRET
    )


def _settings_fingerprint() -> str:
    pair = f"{settings.PATREON_CREATOR_ACCESS_TOKEN}\n{settings.PATREON_CREATOR_REFRESH_TOKEN}"
    return hashlib.sha256(pair.encode()).hexdigest()


def token_row() -> CreatorToken:
    """The stored pair; new values in the settings (staff pasted a new token) replace it."""
    if not settings.PATREON_CREATOR_ACCESS_TOKEN:
        raise NotConfigured("PATREON_CREATOR_ACCESS_TOKEN is not set")
    fingerprint = _settings_fingerprint()
    seed = {
        "access_token": settings.PATREON_CREATOR_ACCESS_TOKEN,
        "refresh_token": settings.PATREON_CREATOR_REFRESH_TOKEN,
        "expires_at": None,
        "seeded_from": fingerprint,
        "broken": False,
        "last_refresh_error": "",
        "last_refresh_ok": None,
    }
    row = CreatorToken.objects.filter(pk=TOKEN_ROW).first()
    if row is None:
        try:
            with transaction.atomic():
                return CreatorToken.objects.create(pk=TOKEN_ROW, **seed)
        except IntegrityError:  # another worker seeded it first
            row = CreatorToken.objects.get(pk=TOKEN_ROW)
    if row.seeded_from != fingerprint:
        CreatorToken.objects.filter(pk=TOKEN_ROW).update(**seed, updated_at=timezone.now())
        row.refresh_from_db()
    return row


def token_status() -> CreatorToken | None:
    """The stored row for status pages (no seeding, no external call)."""
    return CreatorToken.objects.filter(pk=TOKEN_ROW).first()


class CreatorTokens:
    """The token source `PatreonClient` uses for the creator's calls."""

    def current(self) -> str:
        row = token_row()
        if row.broken:
            raise CredentialsBroken(_broken_message(row.last_refresh_error))
        due = row.expires_at is not None and row.expires_at - timezone.now() < RENEW_BEFORE_EXPIRY
        if due and can_refresh():
            return self.renew(rejected=row.access_token)
        return row.access_token

    def renew(self, *, rejected: str) -> str:
        """A fresh access token, unless another worker already replaced `rejected`."""
        if not can_refresh():
            _mark_broken(
                "the access token was refused and cannot renew itself without "
                "PATREON_CREATOR_REFRESH_TOKEN, PATREON_CLIENT_ID and PATREON_CLIENT_SECRET"
            )
            raise CredentialsBroken(_broken_message("the access token was refused"))
        failure: IntegrationError | None = None
        with transaction.atomic():
            # The write takes SQLite's lock; FOR UPDATE takes MariaDB's row lock.
            CreatorToken.objects.filter(pk=TOKEN_ROW).update(updated_at=timezone.now())
            row = CreatorToken.objects.select_for_update().get(pk=TOKEN_ROW)
            if row.broken:
                raise CredentialsBroken(_broken_message(row.last_refresh_error))
            if row.access_token != rejected:
                return row.access_token  # renewed by another worker while we waited
            now = timezone.now()
            try:
                pair = client.exchange_refresh_token(refresh_token=row.refresh_token)
            except IntegrationError as exc:
                failure = exc
                row.last_refresh_ok = False
                row.last_refresh_error = exc.message[:1000]
                # Refused (400/401): this refresh token will never work again.
                row.broken = not exc.transient and exc.status in (400, 401, 403)
            else:
                row.access_token = pair.access_token
                row.refresh_token = pair.refresh_token
                row.expires_at = (
                    now + timedelta(seconds=pair.expires_in) if pair.expires_in else None
                )
                row.refreshed_at = now
                row.last_refresh_ok = True
                row.last_refresh_error = ""
                row.broken = False
            row.save()
        if failure is not None:
            logger.warning("Patreon creator token refresh failed: %s", failure.message)
            if row.broken:
                raise CredentialsBroken(_broken_message(failure.message)) from failure
            raise failure
        logger.info("Patreon creator token renewed; valid until %s", row.expires_at)
        return row.access_token


def _mark_broken(reason: str) -> None:
    CreatorToken.objects.filter(pk=TOKEN_ROW).update(
        broken=True, last_refresh_ok=False, last_refresh_error=reason, updated_at=timezone.now()
    )


def _broken_message(reason: str) -> str:
    # In the reader's language when a button asks; the reason stays as recorded.
    return _(
        "Patreon refused the creator credentials (%(reason)s). Issue a new creator access and "
        "refresh token in the Patreon developer portal and set PATREON_CREATOR_ACCESS_TOKEN "
        "and PATREON_CREATOR_REFRESH_TOKEN."
    ) % {"reason": reason}


def creator_client() -> client.PatreonClient:
    return client.PatreonClient(CreatorTokens())
