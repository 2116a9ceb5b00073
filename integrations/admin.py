"""The external-call log (read-only) and the integrations page, in the admin."""

from functools import partial

from django.contrib import admin
from django.urls import path
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from integrations import views
from integrations.admin_search import SearchReadsTheTableOnce
from integrations.in_words import in_words
from integrations.models import IntegrationLog
from integrations.registry import providers


class ServiceFilter(admin.SimpleListFilter):
    title = _("service")
    parameter_name = "service"

    def lookups(self, request, model_admin):
        # The integrations that log calls, as they name themselves: reading the distinct
        # services from the log itself would scan all of it on every page.
        return [(provider.service, provider.name) for provider in providers()]

    def queryset(self, request, queryset):
        return queryset.filter(service=self.value()) if self.value() else queryset


@admin.register(IntegrationLog)
class IntegrationLogAdmin(SearchReadsTheTableOnce, admin.ModelAdmin):
    """Every external call, as the transport recorded it: nothing here is edited by hand."""

    list_display = [
        "created_at",
        "service",
        "operation",
        "method",
        "status_code",
        "duration_ms",
        "outcome",
        "short_error",
    ]
    # Days, weeks and months through the date filter's ranges (indexed): a date drill-down
    # would compute its months over every row of the log.
    list_filter = [ServiceFilter, "outcome", "created_at"]
    # What staff look for in a call: an error's words, or an id in its address. The operation
    # has few values (and a column): leaving it out reads one column less of every call.
    search_fields = ["target__caseless", "error__caseless"]
    list_per_page = 100
    show_full_result_count = False  # a large log: skip the second COUNT(*) per page
    fields = [
        "created_at",
        "service",
        "operation",
        "method",
        "target",
        "status_code",
        "duration_ms",
        "outcome",
        "error_in_words",  # recorded in English, read in the reader's language
    ]
    readonly_fields = fields

    @admin.display(description=_("error"))
    def short_error(self, entry: IntegrationLog) -> str:
        return Truncator(in_words(entry.error)).chars(120)

    @admin.display(description=_("error"))
    def error_in_words(self, entry: IntegrationLog) -> str:
        return in_words(entry.error)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # rows leave by the retention schedule, so the log stays a true record


def _with_integrations_page(site: admin.AdminSite):
    """Add the integrations page to `site`'s URLs (/admin/integrations/health/)."""
    site_urls = site.get_urls

    def get_urls():
        return [
            path(
                "integrations/health/",
                site.admin_view(partial(views.integrations_page, admin_site=site)),
                name="integrations_health",
            ),
            path(
                "integrations/health/<slug:service>/<slug:key>/",
                site.admin_view(partial(views.integration_action, admin_site=site)),
                name="integrations_health_action",
            ),
            *site_urls(),
        ]

    site.get_urls = get_urls


_with_integrations_page(admin.site)
