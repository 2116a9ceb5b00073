"""Template filters for the supporters' pages."""

from django import template

from patreon_sync.models import cents_text
from patreon_sync.signin import oauth

register = template.Library()


@register.simple_tag
def patreon_signin_available() -> bool:
    """Whether "Sign in with Patreon" can work here (PATREON_CLIENT_ID and _SECRET are set).

    Asked by each page, including the header every page shares: a visitor should not find
    out only after pressing a button that leads nowhere.
    """
    return oauth.is_configured()


@register.filter
def cents(value) -> str:
    """3000 -> "30.00" (see `cents_text`); anything that is not a number shows as nothing."""
    try:
        return cents_text(int(value))
    except (TypeError, ValueError):
        return ""
