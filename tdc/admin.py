"""The composed event admin: the events app's EventAdmin plus each integration's admin mixin.

Each mixin contributes `integration_actions`, `integration_list_display`, `integration_inlines`
and `integration_readonly_fields`; they are gathered here so no app has to know the others.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from events.admin import EventAdmin as BaseEventAdmin
from events.models import Event
from integrations.facebook.admin import FacebookEventAdminMixin
from integrations.google_calendar.admin import CalendarEventAdminMixin

EVENT_ADMIN_MIXINS = (CalendarEventAdminMixin, FacebookEventAdminMixin)


def _gathered(name: str) -> list:
    return [item for mixin in EVENT_ADMIN_MIXINS for item in getattr(mixin, name, [])]


@admin.register(Event)
class EventAdmin(*EVENT_ADMIN_MIXINS, BaseEventAdmin):
    actions = _gathered("integration_actions")
    list_display = [*BaseEventAdmin.list_display, *_gathered("integration_list_display")]
    inlines = [*BaseEventAdmin.inlines, *_gathered("integration_inlines")]
    readonly_fields = [*BaseEventAdmin.readonly_fields, *_gathered("integration_readonly_fields")]
    fieldsets = [
        *BaseEventAdmin.fieldsets,
        *(
            [(_("Integrations"), {"fields": _gathered("integration_readonly_fields")})]
            if _gathered("integration_readonly_fields")
            else []
        ),
    ]


# The user admin with each staff account's private calendar feed.
from tdc import user_admin  # noqa: E402, F401
