"""Sign in with Patreon, and the account page.

Views stay thin: the OAuth mechanics come from `oauth`, Patreon calls from `client`, the
identity document from `documents`, writes from `services`.
"""

import logging
import re

from django.contrib import messages
from django.contrib.auth import login, logout
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from integrations.http import IntegrationError, PermanentError
from patreon_sync import client
from patreon_sync.documents import PayloadError, parse_identity
from patreon_sync.exclusive.access import viewer_for
from patreon_sync.signin import oauth
from patreon_sync.signin.services import NotAMember, SigninRefused, patreon_signin, patreon_unlink

logger = logging.getLogger(__name__)

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
# OAuth error codes are short snake_case words; anything else is not echoed back.
OAUTH_ERROR_CODE = re.compile(r"^[a-z_]{1,40}$")


def _supporters_url() -> str:
    return reverse("patreon_sync:supporters")


# --- Sign in with Patreon ------------------------------------------------------------------------


def _not_available(request):
    return _problem(
        request,
        "Sign-in is not available",
        "Signing in with Patreon is not set up on this site yet. Please try later.",
        status=503,
    )


def _problem(request, title: str, message: str, *, status: int, **extra):
    context = {"title": title, "message": message, **extra}
    return render(request, "patreon_sync/signin_problem.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def signin(request):
    """GET: the page with the button. POST (the button): off to Patreon's consent page.

    Starting is a POST so that link prefetchers and crawlers never create states.
    """
    source = request.POST if request.method == "POST" else request.GET
    next_url = oauth.safe_next(request, source.get("next"), default=_supporters_url())
    if request.method == "POST":
        if not oauth.is_configured():
            return _not_available(request)
        return redirect(oauth.begin(request.session, next_url=next_url))
    viewer = viewer_for(request.user)
    context = {"viewer": viewer, "next": next_url, "configured": oauth.is_configured()}
    return render(request, "patreon_sync/signin.html", context)


@require_safe
@never_cache
def callback(request):
    """Patreon sends the visitor back here with `code` and `state` (or `error`)."""
    pending = oauth.consume(request.session, request.GET.get("state"))
    if pending is None:
        return _problem(
            request,
            "This sign-in cannot be completed",
            "The sign-in was not started in this browser, was already used, or took too long. "
            "Nothing was changed. Please start again.",
            status=400,
        )
    next_url = oauth.safe_next(request, pending.next_url, default=_supporters_url())
    error = request.GET.get("error", "")
    if error:
        if error == "access_denied":
            return _problem(
                request,
                "Sign-in cancelled",
                "You did not allow The Dreamer's Cave to see your Patreon account, so you are "
                "not signed in. Nothing was changed.",
                status=200,
                retry_next=next_url,
            )
        shown = error if OAUTH_ERROR_CODE.match(error) else "unknown"
        return _problem(
            request,
            "Patreon did not sign you in",
            f"Patreon answered with an error ({shown}). Nothing was changed. Please try again.",
            status=400,
            retry_next=next_url,
        )
    code = request.GET.get("code", "")
    if not code:
        return _problem(
            request,
            "This sign-in cannot be completed",
            "Patreon's answer had no authorization code. Nothing was changed. Please try again.",
            status=400,
            retry_next=next_url,
        )
    if not oauth.is_configured():
        return _not_available(request)
    try:
        # The user's token is used once, here, and never stored: /identity is all we need.
        tokens = client.exchange_authorization_code(code=code, redirect_uri=oauth.redirect_uri())
        identity = parse_identity(client.user_identity(access_token=tokens.access_token))
    except PermanentError as exc:
        if isinstance(exc, client.PatreonError) and exc.code_name == "invalid_grant":
            return _problem(
                request,
                "This sign-in link was already used",
                "Patreon did not accept this sign-in: its code was already used or has "
                "expired. Nothing was changed. Please start again.",
                status=400,
                retry_next=next_url,
            )
        logger.warning("Patreon sign-in failed: %s", exc.message)
        return _problem(
            request,
            "Patreon refused the sign-in",
            "Patreon refused our sign-in request. Nothing was changed. The staff can see the "
            "reason in the admin's external calls.",
            status=502,
            retry_next=next_url,
        )
    except IntegrationError as exc:
        logger.warning("Patreon sign-in could not reach Patreon: %s", exc.message)
        return _problem(
            request,
            "Patreon is not answering",
            "We could not reach Patreon just now. Nothing was changed. Please try again in a "
            "few minutes.",
            status=503,
            retry_next=next_url,
        )
    except PayloadError as exc:
        logger.warning("Patreon sign-in: unexpected identity answer: %s", exc)
        return _problem(
            request,
            "Patreon's answer was not understood",
            "Patreon answered in a way we did not expect. Nothing was changed. Please try "
            "again later.",
            status=502,
            retry_next=next_url,
        )
    try:
        outcome = patreon_signin(identity=identity, current_user=request.user)
    except NotAMember as exc:
        return _problem(
            request, exc.title, exc.message, status=exc.status, not_member=True, retry_next=next_url
        )
    except SigninRefused as exc:
        return _problem(request, exc.title, exc.message, status=exc.status)
    except IntegrityError:
        # The same supporter signing in twice at once: the other request won; nothing half-done.
        return _problem(
            request,
            "Please try again",
            "Your sign-in crossed another one for the same Patreon account. Nothing was "
            "changed. Please sign in again.",
            status=409,
            retry_next=next_url,
        )
    if request.user != outcome.user:
        login(request, outcome.user, backend=MODEL_BACKEND)
    if outcome.linked_now:
        messages.success(request, "Your Patreon account is now linked.")
    else:
        messages.success(request, "Signed in with Patreon.")
    return redirect(next_url)


# --- Account ------------------------------------------------------------------------------------


@require_safe
@never_cache
def account(request):
    if not request.user.is_authenticated:
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse('patreon_sync:signin')}?{query}")
    viewer = viewer_for(request.user)
    supporter = viewer.supporter
    tiers = list(supporter.tiers.all()) if supporter else []
    context = {
        "viewer": viewer,
        "supporter": supporter,
        "tiers": tiers,
        "configured": oauth.is_configured(),
    }
    return render(request, "patreon_sync/account.html", context)


@require_POST
def unlink(request):
    if not request.user.is_authenticated:
        return redirect(reverse("patreon_sync:signin"))
    if patreon_unlink(user=request.user):
        messages.success(
            request,
            "Your Patreon account is unlinked; your Patreon membership has not changed. To link "
            "it again, use “Link your Patreon account” on this page while signed in.",
        )
    else:
        messages.info(request, "No Patreon account was linked.")
    return redirect(reverse("patreon_sync:account"))


@require_POST
def signout(request):
    logout(request)
    messages.info(request, "You are signed out.")
    return redirect(_supporters_url())
