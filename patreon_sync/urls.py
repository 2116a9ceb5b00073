"""Public pages of the Patreon app, included at the site root by tdc/urls.py."""

from django.urls import path

from patreon_sync.exclusive import views as exclusive
from patreon_sync.signin import views as signin

app_name = "patreon_sync"

urlpatterns = [
    path("supporters/", exclusive.supporters, name="supporters"),
    path("supporters/<slug:slug>/", exclusive.content, name="content"),
    path("supporters/<slug:slug>/download/", exclusive.content_file, name="content_file"),
    path("accounts/", signin.account, name="account"),
    path("accounts/patreon/login/", signin.signin, name="signin"),
    # The redirect URI registered with our Patreon client: SITE_URL + this path.
    path("accounts/patreon/callback/", signin.callback, name="callback"),
    path("accounts/patreon/unlink/", signin.unlink, name="unlink"),
    path("accounts/logout/", signin.signout, name="signout"),
]
