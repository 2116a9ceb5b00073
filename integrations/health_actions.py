"""Adapters for integrations-page buttons whose service does not already answer in plain words.

Imports are inside the functions: `integrations` names the integrations only by dotted path.
"""

from integrations.http import PermanentError


def facebook_page_token_check(*, user) -> str:
    """Ask Facebook about the Page token now; the verdict is stored and shown on the page."""
    from integrations.facebook.token_check import page_token_check

    check = page_token_check(user=user)
    if not check.ok:
        raise PermanentError(check.summary)
    return check.summary
