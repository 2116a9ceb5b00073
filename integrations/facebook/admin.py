"""Facebook in the admin: the event actions (with their confirmation pages), the post log, the
templates and the Page token check. `FacebookEventAdminMixin` is composed into the event admin
by tdc/admin.py.
"""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, ngettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from events.models import Event
from events.selectors import events_upcoming
from integrations.facebook import actions, compose, publish, queue, selectors, services
from integrations.facebook.client import advice_for
from integrations.facebook.forms import PostTemplateForm, placeholder_help
from integrations.facebook.models import AnnouncementMoment, FacebookPost, PostTemplate, TokenCheck
from integrations.facebook.preview import (
    announcement_previews,
    group_url,
    page_url,
    target_problems,
)
from integrations.in_words import in_words

ANNOUNCE_PERMISSION = "facebook.announce_on_facebook"
Target = FacebookPost.Target
Status = FacebookPost.Status


def can_announce(request) -> bool:
    return request.user.is_active and request.user.has_perm(ANNOUNCE_PERMISSION)


def _link(url: str, label: str = "") -> str:
    return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, label or url)


def _copy_box(text: str, box_id: str) -> str:
    # Shown as text (it cannot be edited here), with a button that copies it.
    return format_html(
        '<div id="{}" class="facebook-post-text">{}</div>'
        '<p><button type="button" class="button" data-copy-from="{}" data-copied="{}" '
        'data-selected="{}">{}</button></p>',
        box_id,
        text,
        box_id,
        gettext("Copied"),
        gettext("Selected: press Ctrl+C"),
        gettext("Copy text"),
    )


# --- the event admin's part ---------------------------------------------------------------------


class FacebookPostInline(admin.TabularInline):
    model = FacebookPost
    fk_name = "event"
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ["created_at", "target", "status", "created_by", "posted_at", "post_link", "error"]
    readonly_fields = fields
    ordering = ["-created_at", "-pk"]
    verbose_name_plural = _("Facebook posts")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("created_by")  # shown on each row

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("On Facebook"))
    def post_link(self, post: FacebookPost) -> str:
        return _link(post.permalink, gettext("open")) if post.permalink else (post.remote_id or "—")

    @admin.display(description=_("Error"))
    def error(self, post: FacebookPost) -> str:
        return post.error_summary or "—"


class FacebookEventAdminMixin:
    integration_actions = ["announce_on_facebook_page", "prepare_facebook_group_post"]
    integration_list_display = ["facebook_page_post"]
    integration_inlines = [FacebookPostInline]
    integration_readonly_fields = ["facebook_schedule"]

    @admin.display(description=_("Scheduled Facebook Page posts"))
    def facebook_schedule(self, event: Event) -> str:
        posts = selectors.scheduled_posts_of_event(event_id=event.pk) if event.pk else []
        if not posts:
            return gettext(
                "None. Select the event in the events list and use “Announce on Facebook Page” "
                "to approve its plan."
            )
        rows = format_html_join("", "<tr>{}</tr>", ((_schedule_row(post),) for post in posts))
        return format_html(
            '<table class="facebook-schedule" id="facebook-schedule"><thead><tr><th scope="col">'
            '{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr>'
            "</thead><tbody>{}</tbody></table>",
            gettext("When"),
            gettext("Text"),
            gettext("State"),
            gettext("Change"),
            rows,
        )

    def has_announce_on_facebook_permission(self, request) -> bool:
        return can_announce(request)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None:
            return fieldsets
        # A new event has no scheduled posts: no empty schedule on its form either.
        return [
            (
                name,
                {**options, "fields": [f for f in options["fields"] if f != "facebook_schedule"]},
            )
            for name, options in fieldsets
        ]

    def get_inlines(self, request, obj):
        inlines = super().get_inlines(request, obj)
        # A new event has no posts: no empty table on its form.
        return inlines if obj is not None else [i for i in inlines if i is not FacebookPostInline]

    def get_queryset(self, request):
        latest = FacebookPost.objects.filter(event=OuterRef("pk"), target=Target.PAGE).order_by(
            "-created_at", "-pk"
        )
        return (
            super()
            .get_queryset(request)
            .annotate(facebook_page_status=Subquery(latest.values("status")[:1]))
        )

    @admin.display(description=_("Facebook Page"))
    def facebook_page_post(self, event: Event) -> str:
        status = getattr(event, "facebook_page_status", None)
        return Status(status).label if status else "—"

    @admin.action(description=_("Announce on Facebook Page"), permissions=["announce_on_facebook"])
    def announce_on_facebook_page(self, request, queryset):
        return _confirm_or_perform(self, request, queryset, target=Target.PAGE)

    @admin.action(
        description=_("Prepare Facebook Group post"), permissions=["announce_on_facebook"]
    )
    def prepare_facebook_group_post(self, request, queryset):
        return _confirm_or_perform(self, request, queryset, target=Target.GROUP)


def _schedule_row(post: FacebookPost) -> str:
    changes = []
    if post.status in (Status.SCHEDULED, Status.HELD):
        url = reverse("admin:facebook_facebookpost_cancel_scheduled", args=[post.pk])
        changes.append(format_html('<a class="button" href="{}">{}</a>', url, gettext("Cancel…")))
    if post.status == Status.HELD:
        url = reverse("admin:facebook_facebookpost_approve_again", args=[post.pk])
        changes.append(
            format_html('<a class="button" href="{}">{}</a>', url, gettext("Approve again…"))
        )
    return format_html(
        '<td>{}<br><span class="quiet">{}</span></td>'
        '<td><div class="facebook-post-text">{}</div></td>'
        "<td><strong>{}</strong>{}</td><td>{}</td>",
        selectors.venue_and_slt(post.scheduled_for),
        post.moment_in_words,
        post.message,
        post.get_status_display(),
        format_html("<br>{}", post.error_summary) if post.error_summary else "",
        format_html_join(" ", "{}", ((c,) for c in changes)) if changes else "—",
    )


# Which posts the "Checked: ... on the Page" actions apply to, in the staff's words.
CHECKABLE = _("needing checking (or stuck sending)")

ACTION_NAMES = {
    Target.PAGE: "announce_on_facebook_page",
    Target.GROUP: "prepare_facebook_group_post",
}


def _confirm_or_perform(modeladmin, request, queryset, *, target: str):
    """Like Django's delete confirmation: show what goes out; a POST with confirm=yes does it."""
    if request.POST.get("confirm") == "yes":
        return _perform(modeladmin, request, queryset, target=target)
    return _confirmation_page(modeladmin, request, queryset, target=target)


def _confirmation_page(modeladmin, request, queryset, *, target: str, errors=(), at_value=""):
    now = timezone.now()
    previews = announcement_previews(events=queryset, target=target, now=now)
    problems = target_problems(target)
    plans = {}
    if target == Target.PAGE:
        plans = {p.event.pk: p for p in selectors.schedule_previews(events=queryset, now=now)}
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Announce on the Facebook Page?")
        if target == Target.PAGE
        else _("Prepare Facebook Group posts?"),
        "opts": modeladmin.model._meta,
        "previews": previews,
        "rows": [(preview, plans.get(preview.event.pk)) for preview in previews],
        "target": target,
        "is_page": target == Target.PAGE,
        "action_name": ACTION_NAMES[target],
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "problems": problems,
        "can_confirm": not problems.blocking and any(not p.refusal for p in previews),
        "can_plan": not problems.blocking and any(p.to_create for p in plans.values()),
        "errors": errors,
        "at_value": at_value,
        "venue_zone": settings.TIME_ZONE,
        "group_url": group_url(),
        "page_url": page_url(),
    }
    return TemplateResponse(request, "facebook/confirm_announcement.html", context)


def _schedule(modeladmin, request, queryset, *, mode: str):
    """Post on the plan, or once at a chosen time: refused with the reason, or scheduled."""
    event_ids = list(queryset.values_list("pk", flat=True))
    at = None
    at_value = request.POST.get("at_time", "")
    if mode == "at":
        at = selectors.parse_venue_time(at_value)
        if at is None:
            error = gettext("Choose the day and time of the post (in %(zone)s).") % {
                "zone": settings.TIME_ZONE
            }
            return _confirmation_page(
                modeladmin, request, queryset, target=Target.PAGE, errors=[error], at_value=at_value
            )
        refused = [
            f"{p.event}: {p.refusal}"
            for p in selectors.schedule_previews(events=queryset, now=timezone.now(), at=at)
            if p.refusal
        ]
        if refused:
            return _confirmation_page(
                modeladmin, request, queryset, target=Target.PAGE, errors=refused, at_value=at_value
            )
    prefix = "digest_" if mode == "at" else "plan_digest_"
    outcome = services.scheduled_posts_create(
        event_ids=event_ids,
        user=request.user,
        request_keys={pk: request.POST.get(f"request_key_{pk}", "") for pk in event_ids},
        digests={pk: request.POST.get(f"{prefix}{pk}", "") for pk in event_ids},
        now=timezone.now(),
        at=at,
    )
    for event, reason in outcome.skipped:
        modeladmin.message_user(
            request,
            gettext("Not scheduled for “%(event)s”: %(reason)s")
            % {"event": event, "reason": reason},
            messages.WARNING,
        )
    if not outcome.created:
        return None
    count = len(outcome.created)
    text = ngettext(
        "%(count)d post scheduled for the Facebook Page. Each event's page lists its schedule.",
        "%(count)d posts scheduled for the Facebook Page. Each event's page lists its schedule.",
        count,
    )
    modeladmin.message_user(request, text % {"count": count}, messages.SUCCESS)
    if not request.user.has_perm("facebook.view_facebookpost"):
        return None
    ids = ",".join(str(post.pk) for post in outcome.created)
    return HttpResponseRedirect(f"{reverse('admin:facebook_facebookpost_changelist')}?pk__in={ids}")


def _perform(modeladmin, request, queryset, *, target: str):
    mode = request.POST.get("mode", "now")
    if target == Target.PAGE and mode in ("plan", "at"):
        return _schedule(modeladmin, request, queryset, mode=mode)
    event_ids = list(queryset.values_list("pk", flat=True))
    reposts = {int(v) for v in request.POST.getlist("repost") if v.isdigit()}
    keys = {pk: request.POST.get(f"request_key_{pk}", "") for pk in event_ids}
    digests = {pk: request.POST.get(f"digest_{pk}", "") for pk in event_ids}
    service = publish.page_posts_queue if target == Target.PAGE else publish.group_posts_prepare
    outcome = service(
        event_ids=event_ids, user=request.user, reposts=reposts, request_keys=keys, digests=digests
    )
    for event, reason in outcome.skipped:
        modeladmin.message_user(
            request,
            gettext("Not done for “%(event)s”: %(reason)s") % {"event": event, "reason": reason},
            messages.WARNING,
        )
    if not outcome.created:
        return None
    if target == Target.PAGE:
        count = len(outcome.created)
        queued = ngettext(
            "%(count)d post queued for the Facebook Page. Its outcome shows here as it goes out.",
            "%(count)d posts queued for the Facebook Page. Their outcome shows here as they go "
            "out.",
            count,
        )
        modeladmin.message_user(request, queued % {"count": count}, messages.SUCCESS)
        if not request.user.has_perm("facebook.view_facebookpost"):
            return None  # back to the events list; its Facebook Page column shows the outcome
        ids = ",".join(str(post.pk) for post in outcome.created)
        return HttpResponseRedirect(
            f"{reverse('admin:facebook_facebookpost_changelist')}?pk__in={ids}"
        )
    count = len(outcome.created)
    prepared = ngettext(
        "%(count)d Group post prepared.", "%(count)d Group posts prepared.", count
    ) % {"count": count}
    modeladmin.message_user(request, prepared, messages.SUCCESS)
    # Redirect to a page that can be reloaded and returned to while pasting them one by one.
    ids = ",".join(str(post.pk) for post in outcome.created)
    return HttpResponseRedirect(f"{reverse('admin:facebook_facebookpost_group_posts')}?ids={ids}")


# --- the post log --------------------------------------------------------------------------------


class ScheduleFilter(admin.SimpleListFilter):
    title = _("schedule")
    parameter_name = "schedule"

    def lookups(self, request, model_admin):
        return [
            ("scheduled", _("Scheduled (waiting for their time)")),
            ("held", _("Needs approving again")),
            ("any", _("Any post on a schedule")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "scheduled":
            return queryset.filter(status=Status.SCHEDULED).order_by("scheduled_for", "pk")
        if self.value() == "held":
            return queryset.filter(status=Status.HELD)
        if self.value() == "any":
            return queryset.filter(scheduled_for__isnull=False)
        return queryset


@admin.register(FacebookPost)
class FacebookPostAdmin(admin.ModelAdmin):
    # Few columns, so the outcome (an error, above all) has room on a 1366 px laptop screen.
    list_display = ["created_at", "event_title", "target_and_status", "created_by", "outcome"]
    list_filter = [ScheduleFilter, "status", "target", "with_photo", "created_at"]
    search_fields = ["event_title", "message", "remote_id", "fbtrace_id"]
    list_select_related = ["created_by"]
    date_hierarchy = "created_at"
    actions = ["send_queued_now", "mark_posted_by_hand", "mark_found_on_page", "mark_not_on_page"]
    change_list_template = "facebook/post_change_list.html"

    class Media:
        js = ["facebook/copy.js"]

    fieldsets = [
        (
            None,
            {
                "fields": [
                    "event_link",
                    "target",
                    "status",
                    "scheduled_for",
                    "moment",
                    "with_photo",
                    "link",
                ]
            },
        ),
        (_("Text"), {"fields": ["message_box"]}),
        (
            _("Outcome"),
            {
                "fields": [
                    "created_by",
                    "created_at",
                    "posted_at",
                    "remote_id",
                    "post_link",
                    "attempts",
                    "next_attempt_at",
                ]
            },
        ),
        (
            _("Error (as Facebook reported it)"),
            {"fields": ["error_code", "error_subcode", "error_in_words", "fbtrace_id", "advice"]},
        ),
        (_("By hand"), {"fields": ["by_hand"]}),
    ]
    readonly_fields = [
        "event_link",
        "message_box",
        "post_link",
        "error_in_words",
        "advice",
        "by_hand",
        "created_at",
        "posted_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # a log: read-only; its state changes through the actions below

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_announce_on_facebook_permission(self, request) -> bool:
        return can_announce(request)

    @admin.display(description=_("On Facebook"))
    def post_link(self, post: FacebookPost) -> str:
        return _link(post.permalink, gettext("open")) if post.permalink else (post.remote_id or "—")

    @admin.display(description=_("Target, status"), ordering="status")
    def target_and_status(self, post: FacebookPost) -> str:
        target = post.get_target_display()
        if post.with_photo:
            target = gettext("%(target)s, with photo") % {"target": target}
        return format_html('{}<br><span class="quiet">{}</span>', target, post.get_status_display())

    @admin.display(description=_("Outcome"), ordering="posted_at")
    def outcome(self, post: FacebookPost) -> str:
        if post.status == Status.SCHEDULED:
            return gettext("Scheduled for %(when)s") % {
                "when": selectors.venue_and_slt(post.scheduled_for)
            }
        if post.error_summary:
            return post.error_summary
        if post.posted_at is None:
            return "—"
        posted = formats.date_format(timezone.localtime(post.posted_at), "DATETIME_FORMAT")
        if post.permalink:
            return format_html("{} · {}", posted, _link(post.permalink, gettext("open")))
        return format_html("{}<br>{}", posted, post.remote_id) if post.remote_id else posted

    @admin.display(description=_("Event"))
    def event_link(self, post: FacebookPost) -> str:
        if post.event_id is None:
            return gettext("%(title)s (deleted)") % {"title": post.event_title}
        url = reverse("admin:events_event_change", args=[post.event_id])
        return format_html('<a href="{}">{}</a>', url, post.event_title)

    @admin.display(description=_("Text"))
    def message_box(self, post: FacebookPost) -> str:
        return _copy_box(post.message, f"facebook-post-{post.pk}")

    @admin.display(description=_("error message"))
    def error_in_words(self, post: FacebookPost) -> str:
        return in_words(post.error_message) or "—"  # recorded in English

    @admin.display(description=_("What to do"))
    def advice(self, post: FacebookPost) -> str:
        advice = advice_for(post.error_code, post.error_subcode)
        return gettext(advice) if advice else "—"

    @admin.display(description=_("Group post"))
    def by_hand(self, post: FacebookPost) -> str:
        if post.target != Target.GROUP:
            return "—"
        if post.status != Status.PREPARED:
            return post.get_status_display()
        url = reverse("admin:facebook_facebookpost_posted_by_hand", args=[post.pk])
        return format_html(
            '<a class="button" href="{}">{}</a>', url, gettext("Mark as posted by hand…")
        )

    @admin.action(description=_("Send queued posts now"), permissions=["announce_on_facebook"])
    def send_queued_now(self, request, queryset):
        # Safe to repeat: the task publishes a post only while it is still queued.
        pks = list(
            queryset.filter(target=Target.PAGE, status=Status.QUEUED).values_list("pk", flat=True)
        )
        for pk in pks:
            queue.enqueue_page_post(pk)
        handed = ngettext_lazy(
            "%(count)d post handed to the task worker.",
            "%(count)d posts handed to the task worker.",
            "count",
        )
        self._report(request, len(pks), queryset.count(), handed, _("queued Page"))

    @admin.action(
        description=_("Mark prepared Group posts as posted by hand"),
        permissions=["announce_on_facebook"],
    )
    def mark_posted_by_hand(self, request, queryset):
        done = sum(
            publish.post_mark_posted_by_hand(post_id=pk)
            for pk in queryset.values_list("pk", flat=True)
        )
        marked = ngettext_lazy(
            "%(count)d post marked as posted by hand.",
            "%(count)d posts marked as posted by hand.",
            "count",
        )
        self._report(request, done, queryset.count(), marked, _("prepared Group"))

    @admin.action(
        description=_("Checked: these posts ARE on the Page"), permissions=["announce_on_facebook"]
    )
    def mark_found_on_page(self, request, queryset):
        pks = list(queryset.values_list("pk", flat=True))
        done = sum(publish.post_resolve_checking(post_id=pk, found_on_page=True) for pk in pks)
        posted = ngettext_lazy(
            "%(count)d post marked as posted.", "%(count)d posts marked as posted.", "count"
        )
        self._report(request, done, len(pks), posted, CHECKABLE)

    @admin.action(
        description=_("Checked: these posts are NOT on the Page"),
        permissions=["announce_on_facebook"],
    )
    def mark_not_on_page(self, request, queryset):
        pks = list(queryset.values_list("pk", flat=True))
        done = sum(publish.post_resolve_checking(post_id=pk, found_on_page=False) for pk in pks)
        not_posted = ngettext_lazy(
            "%(count)d post marked as not posted.",
            "%(count)d posts marked as not posted.",
            "count",
        )
        self._report(request, done, len(pks), not_posted, CHECKABLE)

    def _report(self, request, done: int, selected: int, done_text, kind: str) -> None:
        if done:
            self.message_user(request, done_text % {"count": done}, messages.SUCCESS)
        if done < selected:
            left = selected - done
            text = ngettext(
                "%(count)d post left unchanged: only %(kind)s posts can be.",
                "%(count)d posts left unchanged: only %(kind)s posts can be.",
                left,
            )
            self.message_user(request, text % {"count": left, "kind": kind}, messages.WARNING)

    def get_urls(self):
        by_hand = self.admin_site.admin_view(self.posted_by_hand_view)
        group_posts = self.admin_site.admin_view(self.group_posts_view)
        cancel = self.admin_site.admin_view(self.cancel_scheduled_view)
        approve = self.admin_site.admin_view(self.approve_again_view)
        return [
            path("<int:pk>/posted-by-hand/", by_hand, name="facebook_facebookpost_posted_by_hand"),
            path("<int:pk>/cancel/", cancel, name="facebook_facebookpost_cancel_scheduled"),
            path("<int:pk>/approve-again/", approve, name="facebook_facebookpost_approve_again"),
            path("group-posts/", group_posts, name="facebook_facebookpost_group_posts"),
            *super().get_urls(),
        ]

    def _scheduled_post_page(self, request, post, *, title, text, when, problem, button):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "post": post,
            "text": text,
            "digest": services.text_digest(text),
            "when": selectors.venue_and_slt(when) if when else "",
            "problem": problem,
            "button": button,
            "back_url": _event_url(post),
        }
        return TemplateResponse(request, "facebook/scheduled_post.html", context)

    def cancel_scheduled_view(self, request, pk: int):
        """GET: the post and a button; POST: cancel it, back to its event."""
        if not can_announce(request):
            raise PermissionDenied
        post = get_object_or_404(FacebookPost, pk=pk, target=Target.PAGE)
        if request.method == "POST":
            if services.scheduled_post_cancel(post_id=post.pk, user=request.user):
                self.message_user(
                    request, gettext("The scheduled post was cancelled."), messages.SUCCESS
                )
            else:
                self.message_user(
                    request,
                    gettext("That post is no longer waiting; nothing was changed."),
                    messages.WARNING,
                )
            return HttpResponseRedirect(_event_url(post))
        problem = (
            ""
            if post.status in (Status.SCHEDULED, Status.HELD)
            else gettext("It is no longer waiting: it is %(status)s.")
            % {"status": post.get_status_display().lower()}
        )
        return self._scheduled_post_page(
            request,
            post,
            title=gettext("Cancel this scheduled post?"),
            text=post.message,
            when=post.scheduled_for,
            problem=problem,
            button=gettext("Yes, cancel it"),
        )

    def approve_again_view(self, request, pk: int):
        """GET: the post as it would now go out; POST: schedule it again with that text."""
        if not can_announce(request):
            raise PermissionDenied
        post = get_object_or_404(
            FacebookPost.objects.select_related("event", "plan_moment"), pk=pk, target=Target.PAGE
        )
        now = timezone.now()
        if request.method == "POST":
            problem = services.scheduled_post_reapprove(
                post_id=post.pk, digest=request.POST.get("digest", ""), now=now
            )
            if problem:
                self.message_user(request, problem, messages.ERROR)
                return HttpResponseRedirect(request.get_full_path())
            self.message_user(
                request, gettext("The post is scheduled again with its new text."), messages.SUCCESS
            )
            return HttpResponseRedirect(_event_url(post))
        when, text, problem = services.reapproval_preview(post, now=now)
        if post.status != Status.HELD:
            problem = gettext("Only a post that needs approving again can be approved again.")
        return self._scheduled_post_page(
            request,
            post,
            title=gettext("Approve this post again?"),
            text=text,
            when=when,
            problem=problem,
            button=gettext("Yes, post it at this time with this text"),
        )

    def _group_posts_page(self, request, *, posts, title: str, back_url: str):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "posts": posts,
            "group_url": group_url(),
            "back_url": back_url,
        }
        return TemplateResponse(request, "facebook/group_prepared.html", context)

    def group_posts_view(self, request):
        """The Group posts just prepared (?ids=1,2): text, copy button, "posted by hand" form."""
        if not can_announce(request):
            raise PermissionDenied
        ids = [int(v) for v in request.GET.get("ids", "").split(",") if v.strip().isdigit()]
        posts = list(FacebookPost.objects.filter(pk__in=ids[:100], target=Target.GROUP))
        if not posts:
            raise Http404(gettext("No such Group posts."))
        posts.sort(key=lambda post: post.pk)
        return self._group_posts_page(
            request,
            posts=posts,
            title=gettext("Group posts to paste"),
            back_url=request.get_full_path(),
        )

    def posted_by_hand_view(self, request, pk: int):
        if not can_announce(request):
            raise PermissionDenied
        post = get_object_or_404(FacebookPost, pk=pk, target=Target.GROUP)
        change_url = reverse("admin:facebook_facebookpost_change", args=[post.pk])
        if request.method == "POST":
            back = request.POST.get("next", "")
            if not url_has_allowed_host_and_scheme(
                back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            ):
                back = change_url
            permalink = request.POST.get("permalink", "").strip()
            if permalink:
                try:
                    URLValidator(schemes=["https"])(permalink)
                except ValidationError:
                    self.message_user(
                        request,
                        gettext("That link is not a https:// address; nothing was changed."),
                        messages.ERROR,
                    )
                    return HttpResponseRedirect(back)
            if publish.post_mark_posted_by_hand(post_id=post.pk, permalink=permalink):
                self.message_user(
                    request,
                    gettext("“%(title)s” marked as posted by hand.") % {"title": post.event_title},
                )
            else:
                self.message_user(
                    request,
                    gettext("“%(title)s” is not a prepared Group post; nothing was changed.")
                    % {"title": post.event_title},
                    messages.WARNING,
                )
            return HttpResponseRedirect(back)
        return self._group_posts_page(
            request,
            posts=[post],
            title=gettext("Mark the Group post as posted by hand?"),
            back_url=change_url,
        )

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "last_token_check": TokenCheck.objects.first(),
            "can_check_token": can_announce(request),
        }
        return super().changelist_view(request, extra_context)


def _event_url(post: FacebookPost) -> str:
    if post.event_id is None:
        return reverse("admin:facebook_facebookpost_change", args=[post.pk])
    return reverse("admin:events_event_change", args=[post.event_id])


# --- announcement plans --------------------------------------------------------------------------


@admin.register(AnnouncementMoment)
class AnnouncementMomentAdmin(admin.ModelAdmin):
    list_display = ["event_type", "order", "described", "template_key"]
    list_display_links = ["described"]
    list_filter = ["event_type"]
    fields = [
        "event_type",
        "order",
        "kind",
        "days_before",
        "at_time",
        "time_zone",
        "minutes_before",
        "template_key",
    ]

    @admin.display(description=_("moment"))
    def described(self, moment: AnnouncementMoment) -> str:
        return moment.describe()


# --- templates -----------------------------------------------------------------------------------


@admin.register(PostTemplate)
class PostTemplateAdmin(admin.ModelAdmin):
    form = PostTemplateForm
    list_display = ["event_type", "first_line", "updated_at", "updated_by"]
    readonly_fields = ["placeholders", "example"]
    fields = ["event_type", "text", "placeholders", "example"]

    @admin.display(description=_("First line"))
    def first_line(self, template: PostTemplate) -> str:
        return template.text.strip().splitlines()[0] if template.text.strip() else "—"

    @admin.display(description=_("Placeholders"))
    def placeholders(self, template: PostTemplate | None = None) -> str:
        return format_html("<ul>{}</ul>", placeholder_help())

    @admin.display(description=_("As it would read for the next event"))
    def example(self, template: PostTemplate) -> str:
        if template is None or not template.pk:
            return gettext("Save the template to see it filled in.")
        upcoming = events_upcoming(now=timezone.now(), limit=50)
        matching = [e for e in upcoming if e.event_type == template.event_type]
        event = (matching or upcoming or [None])[0]
        if event is None:
            return gettext("No upcoming public event to show it with.")
        try:
            return format_html("<pre>{}</pre>", compose.render(template.text, event))
        except ValueError as exc:
            return str(exc)

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


# --- the Page token check ------------------------------------------------------------------------


@admin.register(TokenCheck)
class TokenCheckAdmin(admin.ModelAdmin):
    list_display = ["checked_at", "ok", "method", "expires_at", "summary_in_words", "checked_by"]
    list_filter = ["ok", "method"]
    change_list_template = "facebook/token_check_change_list.html"
    fields = [
        "checked_at",
        "checked_by",
        "ok",
        "method",
        "expires_at",
        "data_access_expires_at",
        "scopes",
        "summary_in_words",
    ]
    readonly_fields = ["checked_at", "summary_in_words"]

    @admin.display(description=_("summary"))
    def summary_in_words(self, check: TokenCheck) -> str:
        return in_words(check.summary)  # recorded in English, read in the reader's language

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_urls(self):
        view = self.admin_site.admin_view(self.run_view)
        return [path("run/", view, name="facebook_tokencheck_run"), *super().get_urls()]

    def run_view(self, request):
        """GET: the last result and a button; POST: ask Facebook now and store the answer."""
        if not can_announce(request):
            raise PermissionDenied
        if request.method == "POST":
            check = actions.page_token_check(user=request.user)
            level = messages.SUCCESS if check.ok else messages.ERROR
            self.message_user(request, in_words(check.summary), level)
            return HttpResponseRedirect(reverse("admin:facebook_tokencheck_run"))
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Check the Facebook Page token"),
            "opts": self.model._meta,
            "last_check": TokenCheck.objects.select_related("checked_by").first(),
        }
        return TemplateResponse(request, "facebook/token_check.html", context)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_check_token": can_announce(request)}
        return super().changelist_view(request, extra_context)
