"""The public pages' language switch. The admin's is Django's own `set_language`, CSRF-protected,
at /i18n/setlang/ (tdc/urls.py)."""

from django.conf import settings
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.i18n import set_language


# The public pages are cached by CDNs, so they carry no CSRF token: one visitor's token would be
# served to everybody. Without a token a forged switch can only change a visitor's language,
# which the page's own switch changes back; nothing else is reachable through this view.
@csrf_exempt
@require_POST
def public_set_language(request):
    """Django's set_language (the choice kept in a cookie for a year; `next` only within this
    site, else the page the visitor came from, else /), for the languages this site offers."""
    response = set_language(request)
    if request.POST.get("language") not in dict(settings.LANGUAGES):
        # Django would remember any language it knows (de, fr), which this site does not speak.
        response.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    return response
