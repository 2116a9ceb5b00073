"""The user admin, plus each staff account's private calendar feed (shown, renewed, revoked).

The buttons sit inside the user's change form and post to their own URLs (`formaction`), so
they need no nested form and carry the form's CSRF token.
"""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from events.selectors import calendar_feed_token_of
from events.services import calendar_feed_token_renew, calendar_feed_token_revoke
from integrations.models import StaffNoticePreference
from integrations.notices.selectors import notice_language

User = get_user_model()


def staff_feed_url(token: str) -> str:
    return settings.SITE_URL + reverse("events:staff_feed", args=[token])


class StaffNoticePreferenceInline(admin.StackedInline):
    """"Tell me about integration problems" and the daily digest, on a staff account's page."""

    model = StaffNoticePreference
    can_delete = False
    fields = ["integration_problems", "daily_digest", "language"]

    # Whoever may change the account may change its notices (no separate permission to grant).
    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("auth.view_user") or self.has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None) -> bool:
        return self.has_change_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("auth.change_user")


class UserAdmin(BaseUserAdmin):
    readonly_fields = [*BaseUserAdmin.readonly_fields, "calendar_feed"]

    def get_inlines(self, request, obj):
        inlines = list(super().get_inlines(request, obj))
        if obj is not None and obj.is_staff:
            inlines.append(StaffNoticePreferenceInline)
        return inlines

    def save_formset(self, request, form, formset, change):
        if formset.model is not StaffNoticePreference:
            return super().save_formset(request, form, formset, change)
        for preference in formset.save(commit=False):
            if not preference.language and preference.user_id == request.user.pk:
                # The language this person uses the admin in (the switch's cookie, or else
                # their browser's): the notices speak it.
                preference.language = notice_language(translation.get_language())
            preference.save()
        return None

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None and obj.is_staff:
            fieldsets.append((gettext_lazy("Staff calendar feed"), {"fields": ["calendar_feed"]}))
        return fieldsets

    @admin.display(description=gettext_lazy("Private calendar feed"))
    def calendar_feed(self, obj) -> str:
        renew = reverse("admin:auth_user_calendar_feed_renew", args=[obj.pk])
        revoke = reverse("admin:auth_user_calendar_feed_revoke", args=[obj.pk])
        feed = calendar_feed_token_of(user=obj)
        if feed is None:
            return format_html(
                '<p>{}</p><button type="submit" formaction="{}" class="button">{}</button>',
                _("No private feed yet. It lists every scheduled event, staff-only ones too."),
                renew,
                _("Create the feed address"),
            )
        url = staff_feed_url(feed.token)
        webcal = "webcal://" + url.split("://", 1)[-1]
        return format_html(
            '<p><a href="{}">{}</a></p><p><input type="text" readonly value="{}" size="80" '
            'aria-label="{}"></p><p class="help">{}</p>'
            '<button type="submit" formaction="{}" class="button">{}</button> '
            '<button type="submit" formaction="{}" class="button">{}</button>',
            webcal,
            _("Subscribe in a calendar app"),
            url,
            _("Feed address"),
            _("Keep it secret: anyone with this address sees the staff programme."),
            renew,
            _("Renew (the old address stops working)"),
            revoke,
            _("Revoke"),
        )

    def get_urls(self):
        own = [
            path(
                "<int:user_id>/calendar-feed/renew/",
                self.admin_site.admin_view(self.calendar_feed_renew_view),
                name="auth_user_calendar_feed_renew",
            ),
            path(
                "<int:user_id>/calendar-feed/revoke/",
                self.admin_site.admin_view(self.calendar_feed_revoke_view),
                name="auth_user_calendar_feed_revoke",
            ),
        ]
        return own + super().get_urls()

    def _target(self, request, user_id: int):
        user = get_object_or_404(User, pk=user_id)
        if not self.has_change_permission(request, user):
            raise PermissionDenied
        if not user.is_staff:
            raise Http404(_("Only staff accounts have a private calendar feed."))
        return user

    def _back(self, user):
        return HttpResponseRedirect(reverse("admin:auth_user_change", args=[user.pk]))

    def calendar_feed_renew_view(self, request, user_id: int):
        user = self._target(request, user_id)
        calendar_feed_token_renew(user=user)
        messages.success(
            request, _("A new private calendar feed address is ready; the old one is off.")
        )
        return self._back(user)

    def calendar_feed_revoke_view(self, request, user_id: int):
        user = self._target(request, user_id)
        if calendar_feed_token_revoke(user=user):
            messages.success(request, _("The private calendar feed address is switched off."))
        else:
            messages.info(request, _("There was no private calendar feed to switch off."))
        return self._back(user)

    calendar_feed_renew_view = method_decorator(require_POST)(calendar_feed_renew_view)
    calendar_feed_revoke_view = method_decorator(require_POST)(calendar_feed_revoke_view)


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, UserAdmin)
