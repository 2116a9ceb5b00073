"""The last answer of each integrations-page button: recorded when pressed, shown on the page."""

from django.utils import timezone

from integrations.models import ActionOutcome


def action_outcome_record(
    *, service: str, action: str, succeeded: bool, message: str, user=None
) -> ActionOutcome:
    outcome, _ = ActionOutcome.objects.update_or_create(
        service=service,
        action=action,
        defaults={
            "succeeded": succeeded,
            "message": message,
            "done_at": timezone.now(),
            "done_by": user if user is not None and user.is_authenticated else None,
        },
    )
    return outcome


def action_outcomes() -> dict[tuple[str, str], ActionOutcome]:
    """Every button's last answer, by (service, action): one query for the whole page."""
    return {
        (outcome.service, outcome.action): outcome
        for outcome in ActionOutcome.objects.select_related("done_by")
    }
