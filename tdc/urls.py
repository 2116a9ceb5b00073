from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from events import views as event_views
from tdc.api import api
from tdc.views import public_set_language

admin.site.site_header = "The Dreamer's Cave"
admin.site.site_title = _("TDC admin")
admin.site.index_title = _("Events and integrations")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/setlang/", set_language, name="set_language"),  # the admin's language switch
    path("language/", public_set_language, name="public_set_language"),  # the public pages'
    path("api/", api.urls),
    path("", event_views.whats_on, name="whats_on"),
    path("events.ics", event_views.programme_feed, name="events_feed"),
    path("events/", include("events.urls")),
    path("", include("patreon_sync.urls")),  # /supporters/, /accounts/ (Sign in with Patreon)
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
