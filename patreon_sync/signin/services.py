"""Writes behind "Sign in with Patreon": the supporter's state, the account link, unlinking.

Who is who, in this order:
1. The Patreon user id: the Supporter with that membership (or user id) already linked to a
   site account signs in as that account.
2. Someone already signed in here links their own account (the account page's "Link Patreon").
3. An existing account with the same e-mail, only when Patreon says the e-mail is verified and
   the account is not staff (a Patreon account must not open the admin by e-mail alone).
4. Otherwise a new account, with no usable password: it signs in through Patreon.

Anything that would link the wrong account is refused with a `SigninRefused` and changes
nothing: the whole sign-in runs in one transaction.
"""

import logging
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from patreon_sync.documents import PatreonIdentity
from patreon_sync.models import Supporter
from patreon_sync.supporters.services import supporters_upsert

logger = logging.getLogger(__name__)


class SigninRefused(Exception):
    """Sign-in cannot go on; `title` and the message are shown to the visitor as they are."""

    def __init__(self, title: str, message: str, *, status: int = 400):
        super().__init__(message)
        self.title = title
        self.message = message
        self.status = status


class NotAMember(SigninRefused):
    """The Patreon account has no membership to our campaign: nothing to link yet."""


@dataclass(frozen=True)
class SigninOutcome:
    user: object
    supporter: Supporter
    created_user: bool
    linked_now: bool  # False: the link already existed


def _supporter_for(identity: PatreonIdentity) -> Supporter | None:
    """Store what Patreon just told us (an API read: the truth) and return that supporter."""
    membership = identity.membership
    if membership is not None:
        now = timezone.now()
        supporters_upsert(members=[membership], source_at=now, from_api=True, now=now)
        return Supporter.objects.select_for_update().get(
            patreon_member_id=membership.patreon_member_id
        )
    # No membership now, but one we stored earlier (a deleted membership): same person.
    return (
        Supporter.objects.select_for_update()
        .filter(patreon_user_id=identity.user_id)
        .order_by("-state_at", "-pk")
        .first()
    )


def _account_by_verified_email(identity: PatreonIdentity):
    email = identity.verified_email
    if not email:
        return None
    User = get_user_model()
    matches = list(
        User.objects.filter(email__iexact=email, is_active=True)
        .filter(Q(is_staff=False) & Q(is_superuser=False))
        .filter(patreon_supporter__isnull=True)[:2]
    )
    # Two accounts with one address: guessing could hand one person's account to another.
    return matches[0] if len(matches) == 1 else None


def _new_account(identity: PatreonIdentity):
    User = get_user_model()
    base = f"patreon-{identity.user_id}"
    username, n = base, 1
    while User.objects.filter(username=username).exists():
        n += 1
        username = f"{base}-{n}"
    first, _, last = identity.full_name.partition(" ")
    user = User(
        username=username,
        email=identity.verified_email,  # an unverified address proves nothing: not kept
        first_name=first[:150],
        last_name=last[:150],
    )
    user.set_unusable_password()
    user.save()
    return user


def patreon_signin(*, identity: PatreonIdentity, current_user=None) -> SigninOutcome:
    """Record the supporter's state and find, link or create the site account to sign in."""
    current = current_user if getattr(current_user, "is_authenticated", False) else None
    with transaction.atomic():
        supporter = _supporter_for(identity)
        if supporter is None:
            raise NotAMember(
                "Not a supporter yet",
                "Your Patreon account is not a member of The Dreamer's Cave yet. "
                "Join on Patreon, then sign in again.",
                status=200,
            )
        if supporter.user_id is not None:
            if current is not None and supporter.user_id != current.pk:
                raise SigninRefused(
                    "Linked to another account",
                    "This Patreon account is already linked to another account on this site. "
                    "Sign out and sign in with Patreon to use that account.",
                    status=409,
                )
            user = supporter.user
            if not user.is_active:
                raise SigninRefused(
                    "Account disabled",
                    "This account is disabled. Please contact the staff.",
                    status=403,
                )
            return SigninOutcome(user, supporter, created_user=False, linked_now=False)

        created = False
        if current is not None:
            if Supporter.objects.filter(user=current).exists():
                raise SigninRefused(
                    "Another Patreon account is linked",
                    "Your account is already linked to a different Patreon account. "
                    "Unlink it on your account page first.",
                    status=409,
                )
            user = current
        else:
            user = _account_by_verified_email(identity)
            if user is None:
                user, created = _new_account(identity), True
        supporter.user = user
        supporter.save(update_fields=["user"])
    logger.info(
        "Patreon sign-in linked supporter %s to user %s%s",
        supporter.pk,
        user.pk,
        " (new account)" if created else "",
    )
    return SigninOutcome(user, supporter, created_user=created, linked_now=True)


def patreon_unlink(*, user) -> bool:
    """Remove the link between this account and its supporter; True if there was one."""
    return Supporter.objects.filter(user=user).update(user=None) > 0
