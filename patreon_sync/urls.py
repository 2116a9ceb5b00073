"""Public pages of the Patreon app, included at the site root by tdc/urls.py."""

from django.urls import path

from patreon_sync import views

app_name = "patreon_sync"

urlpatterns = [
    path("supporters/", views.supporters, name="supporters"),
    path("supporters/<slug:slug>/", views.content, name="content"),
    path("supporters/<slug:slug>/download/", views.content_file, name="content_file"),
    path("accounts/", views.account, name="account"),
    path("accounts/patreon/login/", views.signin, name="signin"),
    # The redirect URI registered with our Patreon client: SITE_URL + this path.
    path("accounts/patreon/callback/", views.callback, name="callback"),
    path("accounts/patreon/unlink/", views.unlink, name="unlink"),
    path("accounts/logout/", views.signout, name="signout"),
]
