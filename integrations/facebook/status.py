"""Facebook's health for the admin, from what is stored: a few queries, no call to Facebook."""

from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from integrations.facebook.client import SERVICE, missing_settings
from integrations.facebook.models import FacebookPost, TokenCheck
from integrations.facebook.publish import sending_run_limit
from integrations.facebook.selectors import scheduled_post_counts
from integrations.in_words import in_words
from integrations.models import IntegrationLog
from integrations.status import IntegrationStatus

# A queued post the worker has not touched for this long means the worker is not running.
STUCK_AFTER = timedelta(minutes=10)
Status = FacebookPost.Status


def _announced_since() -> Exists:
    """A later Page post of the same event that went out or may still go out."""
    return Exists(
        FacebookPost.objects.filter(
            event=OuterRef("event"),
            target=FacebookPost.Target.PAGE,
            pk__gt=OuterRef("pk"),  # created later
            status__in=[Status.QUEUED, Status.SENDING, Status.POSTED, Status.NEEDS_CHECKING],
        )
    )


def _open_failure() -> Q:
    # A failure needs staff only while its event is still to come and nobody announced it again.
    return Q(
        status=Status.FAILED,
        event__isnull=False,
        event__end_time__gt=timezone.now(),
        announced_since=False,
    )


def integration_status() -> IntegrationStatus:
    missing = missing_settings()
    status = IntegrationStatus(
        name="Facebook",
        service=SERVICE,
        configured=not missing,
        missing_settings=missing,
    )
    if missing:
        status.problems.append(
            gettext(
                "Posting to the Page is off: set %(settings)s (a Page access token with "
                "pages_manage_posts and pages_read_engagement)."
            )
            % {"settings": ", ".join(missing)}
        )

    cutoff = timezone.now() - STUCK_AFTER
    stuck = Q(status=Status.QUEUED) & (
        Q(next_attempt_at__isnull=True, updated_at__lt=cutoff) | Q(next_attempt_at__lt=cutoff)
    )
    # A post still "sending" after a run's time limit: the worker stopped mid-call.
    stalled = Q(status=Status.SENDING, updated_at__lt=timezone.now() - sending_run_limit())
    page_posts = FacebookPost.objects.filter(target=FacebookPost.Target.PAGE)
    counts = page_posts.annotate(announced_since=_announced_since()).aggregate(
        waiting=Count("pk", filter=Q(status__in=[Status.QUEUED, Status.SENDING]) & ~stalled),
        stuck=Count("pk", filter=stuck),
        failed=Count("pk", filter=_open_failure()),
        checking=Count("pk", filter=Q(status=Status.NEEDS_CHECKING) | stalled),
    )
    status.waiting = counts["waiting"]
    status.failed = counts["failed"] + counts["checking"]
    if counts["stuck"]:
        status.problems.append(
            ngettext(
                "%(count)d Page post has waited more than 10 minutes: check that the task worker "
                "(manage.py qcluster) runs, then use “Send queued posts now” in the Facebook posts "
                "list.",
                "%(count)d Page posts have waited more than 10 minutes: check that the task "
                "worker (manage.py qcluster) runs, then use “Send queued posts now” in the "
                "Facebook posts list.",
                counts["stuck"],
            )
            % {"count": counts["stuck"]}
        )
    if counts["checking"]:
        status.problems.append(
            ngettext(
                "%(count)d Page post needs checking: its answer was lost or the worker stopped "
                "while sending. Look at the Page, then mark it as posted or not posted.",
                "%(count)d Page posts need checking: their answer was lost or the worker stopped "
                "while sending. Look at the Page, then mark each as posted or not posted.",
                counts["checking"],
            )
            % {"count": counts["checking"]}
        )

    last_posted = (
        FacebookPost.objects.filter(status=Status.POSTED, posted_at__isnull=False)
        .order_by("-posted_at")
        .values_list("posted_at", flat=True)
        .first()
    )
    last_ok_call = (
        IntegrationLog.objects.filter(service=SERVICE, outcome=IntegrationLog.Outcome.OK)
        .values_list("created_at", flat=True)
        .first()
    )
    status.last_success_at = max((t for t in (last_posted, last_ok_call) if t), default=None)

    last_failed_post = (
        FacebookPost.objects.filter(status=Status.FAILED).order_by("-updated_at", "-pk").first()
    )
    last_failed_call = (
        IntegrationLog.objects.filter(
            service=SERVICE,
            outcome__in=[IntegrationLog.Outcome.FAILED, IntegrationLog.Outcome.UNKNOWN],
        )
        .only("created_at", "error")
        .first()
    )
    candidates = []
    if last_failed_post:
        candidates.append((last_failed_post.updated_at, last_failed_post.error_summary))
    if last_failed_call:
        candidates.append((last_failed_call.created_at, in_words(last_failed_call.error)))
    if candidates:
        status.last_error_at, status.last_error = max(candidates, key=lambda item: item[0])
    # Read whether or not the count found one: the page then costs the same queries whatever
    # the state of the posts.
    open_failure = (
        page_posts.annotate(announced_since=_announced_since())
        .filter(_open_failure())
        .order_by("-updated_at", "-pk")
        .first()
    )
    if counts["failed"] and open_failure:
        status.problems.append(
            ngettext(
                "%(count)d Page post failed for an event still to come and not announced since. "
                "Last: %(error)s Once fixed, announce the event again from the events list.",
                "%(count)d Page posts failed for events still to come and not announced since. "
                "Last: %(error)s Once fixed, announce the event again from the events list.",
                counts["failed"],
            )
            % {
                "count": counts["failed"],
                "error": open_failure.error_summary or gettext("no reason recorded"),
            }
        )

    scheduled = scheduled_post_counts(now=timezone.now())
    posts_url = reverse("admin:facebook_facebookpost_changelist")
    if scheduled["due"]:
        status.notes.append(
            ngettext(
                "%(count)d scheduled Page post is due in the next 24 hours.",
                "%(count)d scheduled Page posts are due in the next 24 hours.",
                scheduled["due"],
            )
            % {"count": scheduled["due"]}
        )
    if scheduled["held"]:
        status.failed += scheduled["held"]
        status.problems.append(
            ngettext(
                "%(count)d scheduled Page post needs approving again: its event or template was "
                "edited after it was approved. Approve it again or cancel it on the event's page.",
                "%(count)d scheduled Page posts need approving again: their event or template "
                "was edited after they were approved. Approve them again or cancel them on the "
                "events' pages.",
                scheduled["held"],
            )
            % {"count": scheduled["held"]}
        )

    check = TokenCheck.objects.first()
    if missing:
        pass  # no token to speak of: the missing settings are said once, above
    elif check is None:
        status.token = gettext("Not checked yet")
    elif check.method == "not configured":
        # Checked before the settings were there: no verdict on the token set since.
        status.token = gettext("Not checked since the Page was configured")
    elif check.method == "failed":
        status.token = in_words(check.summary)  # the check could not run: no verdict on the token
    else:
        status.token = in_words(check.summary)
        status.token_ok = check.ok
        status.token_expires_at = check.expires_at
        if not check.ok:
            status.problems.append(status.token)

    status.links = [
        (gettext("Facebook posts"), posts_url),
        (gettext("Scheduled posts"), f"{posts_url}?schedule=scheduled"),
        (gettext("Posts to approve again"), f"{posts_url}?schedule=held"),
        (gettext("Failed posts"), f"{posts_url}?status__exact={Status.FAILED}"),
        (gettext("Posts to check"), f"{posts_url}?status__exact={Status.NEEDS_CHECKING}"),
        (gettext("Posts sending"), f"{posts_url}?status__exact={Status.SENDING}"),
        (gettext("Queued posts"), f"{posts_url}?status__exact={Status.QUEUED}"),
        (gettext("Post templates"), reverse("admin:facebook_posttemplate_changelist")),
        # The check itself is the page's "Check the Page token" button.
        (gettext("Token checks"), reverse("admin:facebook_tokencheck_changelist")),
    ]
    return status
