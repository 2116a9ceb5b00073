"""The full reconciliation behind `manage.py sync_patrons`: campaign, tiers, every member.

Each page is written in its own transaction as it arrives, so a run that breaks half-way keeps
what it read. Only a run that read the member list to the end may demote anyone: members it
did not see became former patrons. A broken run demotes no one.
"""

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from integrations.http import IntegrationError, PermanentError
from patreon_sync import client as patreon_client
from patreon_sync.documents import PayloadError, parse_campaign_tiers, parse_members_page
from patreon_sync.models import Supporter, SyncRun
from patreon_sync.supporters.services import supporters_lapse, supporters_upsert, tiers_upsert

logger = logging.getLogger(__name__)

Progress = Callable[[str], None]


class SyncFailed(Exception):
    def __init__(self, message: str, run: SyncRun):
        super().__init__(message)
        self.run = run


@dataclass
class Summary:
    per_tier: Counter = field(default_factory=Counter)  # tier title -> members entitled
    tiers_created: int = 0
    tiers_changed: int = 0


def campaign_id_for(api: patreon_client.PatreonClient) -> str:
    if settings.PATREON_CAMPAIGN_ID:
        return settings.PATREON_CAMPAIGN_ID
    ids = api.campaign_ids()
    if len(ids) == 1:
        return ids[0]
    if not ids:
        raise PermanentError("The creator token sees no campaign; is it the creator's token?")
    raise PermanentError(
        f"The creator token sees {len(ids)} campaigns ({', '.join(ids)}): "
        "set PATREON_CAMPAIGN_ID to the venue's."
    )


def sync_campaign(
    *, api: patreon_client.PatreonClient, dry_run: bool = False, progress: Progress = print
) -> tuple[SyncRun, Summary]:
    """Read everything from Patreon and make our rows match. Raises SyncFailed on failure."""
    run = SyncRun(started_at=timezone.now(), dry_run=dry_run)
    summary = Summary()
    if not dry_run:
        run.save()
    seen: set[str] = set()
    try:
        campaign_id = campaign_id_for(api)
        campaign = api.campaign_with_tiers(campaign_id)
        tiers = parse_campaign_tiers(campaign)
        tier_counts = tiers_upsert(tiers=tiers, now=run.started_at, dry_run=dry_run)
        summary.tiers_created, summary.tiers_changed = (
            tier_counts["created"],
            tier_counts["changed"],
        )
        titles = {tier.patreon_id: tier.title or tier.patreon_id for tier in tiers}
        progress(f"Campaign {campaign_id}: {len(tiers)} tiers")
        for page in api.member_pages(campaign_id):
            members = parse_members_page(page.document, number=page.number)
            now = timezone.now()
            result = supporters_upsert(
                members=members, source_at=now, from_api=True, now=now, dry_run=dry_run
            )
            for member in members:
                seen.add(member.patreon_member_id)
                for tier_id in member.tier_ids:
                    summary.per_tier[titles.get(tier_id, tier_id)] += 1
            run.pages += 1
            run.members += len(members)
            run.created += len(result.created)
            run.changed += len(result.changed)
            run.unchanged += len(result.unchanged)
            progress(
                f"Page {page.number}: {len(members)} members "
                f"({len(result.created)} new, {len(result.changed)} changed, "
                f"{len(result.unchanged)} unchanged)"
            )
        # The list was read to the end: whoever Patreon no longer lists has lapsed. Not those
        # a webhook or a sign-in recorded after the listing began: they may have pledged after
        # the page that would have listed them was read.
        learned_before_run = Q(state_at__isnull=True) | Q(state_at__lt=run.started_at)
        absent = [
            member_id
            for member_id in Supporter.objects.filter(learned_before_run)
            .exclude(patron_status=Supporter.PatronStatus.FORMER)
            .values_list("patreon_member_id", flat=True)
            if member_id not in seen
        ]
        run.lapsed = len(supporters_lapse(member_ids=absent, now=timezone.now(), dry_run=dry_run))
        run.complete = True
    except (IntegrationError, PayloadError) as exc:
        message = exc.message if isinstance(exc, IntegrationError) else f"Bad Patreon data: {exc}"
        run.error = message[:4000]
        _finish(run)
        logger.warning("sync_patrons stopped after %s pages: %s", run.pages, message)
        raise SyncFailed(message, run) from exc
    except Exception as exc:  # a bug or the database: the run still records that it stopped
        run.error = f"Unexpected error ({type(exc).__name__}: {exc})"[:4000]
        _finish(run)
        raise
    _finish(run)
    return run, summary


def _finish(run: SyncRun) -> None:
    run.finished_at = timezone.now()
    if not run.dry_run:
        run.save()
