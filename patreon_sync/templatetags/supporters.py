"""Template filters for the supporters' pages."""

from django import template

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
    """3000 -> "30.00": Patreon's amounts are in cents of the campaign's currency.

    No currency is named: API v2 gives none for a tier or the campaign (only a pledge event's
    currency_code, which is the patron's), so guessing one could show the wrong price.
    """
    try:
        return f"{int(value) / 100:.2f}"
    except (TypeError, ValueError):
        return ""
