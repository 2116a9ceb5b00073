from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from events import views as event_views
from tdc.api import api

admin.site.site_header = "The Dreamer's Cave"
admin.site.site_title = "TDC admin"
admin.site.index_title = "Events and integrations"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", event_views.whats_on, name="whats_on"),
    path("events.ics", event_views.programme_feed, name="events_feed"),
    path("events/", include("events.urls")),
    path("", include("patreon_sync.urls")),  # /supporters/, /accounts/ (Sign in with Patreon)
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
