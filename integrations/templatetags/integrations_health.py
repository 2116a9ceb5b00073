"""The integrations box on the admin index: a link to the integrations page and, when something
is wrong, how many integrations need attention (staff should see a broken token the same day)."""

from django import template

from integrations.health import integration_reports
from integrations.in_words import in_words
from integrations.status import Verdict
from integrations.views import VIEW_PERMISSION

register = template.Library()


@register.inclusion_tag("admin/integrations/index_summary.html", takes_context=True)
def integrations_health_summary(context):
    request = context.get("request")
    if request is None or not request.user.has_perm(VIEW_PERMISSION):
        return {"show": False}
    reports = integration_reports()
    # The same verdicts as the integrations page (IntegrationStatus.verdict).
    return {
        "show": True,
        "attention": [report for report in reports if report.needs_attention],
        "not_verified": [report for report in reports if report.verdict == Verdict.NOT_VERIFIED],
        "working": [report for report in reports if report.verdict == Verdict.WORKING],
        "configured": [report for report in reports if report.status.configured],
        "total": len(reports),
    }


@register.filter
def recorded_in_words(text: str) -> str:
    """A recorded (English) error or answer in the reader's language."""
    return in_words(text)
