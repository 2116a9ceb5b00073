"""`manage.py sync_patrons`: upsert everything, lapse only after a complete run."""

import json
from io import StringIO

import pytest
import responses
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from patreon_sync.conftest import API, CAMPAIGN, fixture_json, member_resource, members_page
from patreon_sync.documents import parse_member
from patreon_sync.models import Supporter, SyncRun, Tier
from patreon_sync.supporters.services import supporters_upsert

pytestmark = pytest.mark.django_db

CAMPAIGN_URL = f"{API}/api/oauth2/v2/campaigns/{CAMPAIGN}"
MEMBERS_URL = f"{CAMPAIGN_URL}/members"


def serve_campaign(pages: list[list[dict]]):
    responses.reset()  # answers for one run, in order
    responses.get(CAMPAIGN_URL, json=fixture_json("api_campaign_with_tiers.json"))
    for number, members in enumerate(pages, start=1):
        cursor = f"cursor-{number}" if number < len(pages) else None
        responses.get(MEMBERS_URL, json=members_page(members, next_cursor=cursor))


def sync(*args) -> str:
    out = StringIO()
    call_command("sync_patrons", *args, stdout=out)
    return out.getvalue()


ALICE = member_resource("a1", name="Alice", tiers=("9512023",), cents=300)
BRUNO = member_resource("b2", name="Bruno", tiers=("9512103",), cents=1000)
CARLA = member_resource("c3", name="Carla", tiers=("10000001",), cents=0, status=None)


@responses.activate
def test_a_first_sync_creates_tiers_and_supporters_and_reports(patreon):
    serve_campaign([[ALICE, BRUNO], [CARLA]])
    out = sync()
    assert set(Tier.objects.values_list("title", "amount_cents")) == {
        ("Free", 0),
        ("Dreamer", 300),
        ("Backstage", 1000),
    }
    assert Supporter.objects.count() == 3
    bruno = Supporter.objects.get(full_name="Bruno")
    assert [t.title for t in bruno.tiers.all()] == ["Backstage"]
    assert "Page 1: 2 members (2 new, 0 changed, 0 unchanged)" in out
    assert "Page 2: 1 members (1 new, 0 changed, 0 unchanged)" in out
    assert "3 members — 3 new, 0 changed, 0 lapsed, 0 unchanged" in out
    assert "Backstage: 1 members entitled" in out
    run = SyncRun.objects.get()
    assert run.complete and run.pages == 2 and run.created == 3


@responses.activate
def test_tiers_keep_their_checkout_url_and_refuse_other_schemes(patreon):
    campaign = fixture_json("api_campaign_with_tiers.json")
    campaign["included"][2]["attributes"]["url"] = "javascript:alert(1)"
    responses.get(CAMPAIGN_URL, json=campaign)
    responses.get(MEMBERS_URL, json=members_page([ALICE]))
    sync()
    urls = dict(Tier.objects.values_list("title", "url"))
    assert urls["Dreamer"] == "/checkout/TheDreamersCave?rid=9512023"
    assert urls["Backstage"] == ""
    assert "url" in responses.calls[0].request.params["fields[tier]"].split(",")


@responses.activate
def test_an_unchanged_second_run_writes_no_supporter(patreon):
    serve_campaign([[ALICE, BRUNO], [CARLA]])
    sync()
    serve_campaign([[ALICE, BRUNO], [CARLA]])
    with CaptureQueriesContext(connection) as queries:
        out = sync()
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        and "patreon_sync_" in q["sql"]
        and "patreon_sync_syncrun" not in q["sql"]
    ]
    assert writes == []
    assert "0 new, 0 changed, 0 lapsed, 3 unchanged" in out


@responses.activate
def test_a_change_at_patreon_updates_only_that_supporter(patreon):
    serve_campaign([[ALICE, BRUNO], [CARLA]])
    sync()
    upgraded = member_resource("a1", name="Alice", tiers=("9512103",), cents=1000)
    serve_campaign([[upgraded, BRUNO], [CARLA]])
    out = sync()
    alice = Supporter.objects.get(full_name="Alice")
    assert [t.title for t in alice.tiers.all()] == ["Backstage"]
    assert alice.currently_entitled_amount_cents == 1000
    assert "0 new, 1 changed, 0 lapsed, 2 unchanged" in out


@responses.activate
def test_members_absent_from_a_complete_run_become_former_patrons(patreon):
    serve_campaign([[ALICE, BRUNO], [CARLA]])
    sync()
    serve_campaign([[ALICE], [CARLA]])
    out = sync()
    bruno = Supporter.objects.get(full_name="Bruno")
    assert bruno.patron_status == "former_patron"
    assert bruno.currently_entitled_amount_cents == 0
    assert list(bruno.tiers.all()) == []
    assert "1 lapsed" in out
    assert Supporter.objects.count() == 3  # nobody is deleted


@responses.activate
def test_a_supporter_who_pledges_during_the_run_is_not_lapsed_by_it(patreon):
    serve_campaign([[ALICE, BRUNO], [CARLA]])
    sync()
    newcomer = member_resource("d4", name="Dora", tiers=("9512103",), cents=1000)

    def last_page(request):
        # Page 1 was read without Dora; her pledge webhook is processed before this page.
        supporters_upsert(
            members=[parse_member(newcomer, {})], source_at=timezone.now(), from_api=True
        )
        return 200, {}, json.dumps(members_page([CARLA]))

    responses.reset()
    responses.get(CAMPAIGN_URL, json=fixture_json("api_campaign_with_tiers.json"))
    responses.get(MEMBERS_URL, json=members_page([ALICE, BRUNO], next_cursor="cursor-1"))
    responses.add_callback(responses.GET, MEMBERS_URL, callback=last_page)
    out = sync()
    assert Supporter.objects.get(full_name="Dora").patron_status == "active_patron"
    assert "0 lapsed" in out


@responses.activate
def test_an_interrupted_run_demotes_no_one_and_fails(patreon):
    serve_campaign([[ALICE, BRUNO], [CARLA]])
    sync()
    responses.reset()
    responses.get(CAMPAIGN_URL, json=fixture_json("api_campaign_with_tiers.json"))
    responses.get(MEMBERS_URL, json=members_page([ALICE], next_cursor="cursor-1"))
    responses.get(MEMBERS_URL, status=500, body="Internal Server Error")
    with pytest.raises(CommandError, match="nobody was marked lapsed"):
        sync()
    assert not Supporter.objects.filter(patron_status="former_patron").exists()
    run = SyncRun.objects.first()
    assert not run.complete
    assert run.pages == 1
    assert "500" in run.error


@responses.activate
def test_a_repeated_cursor_makes_the_run_incomplete(patreon):
    serve_campaign([[ALICE, BRUNO], [CARLA]])
    sync()
    responses.reset()
    responses.get(CAMPAIGN_URL, json=fixture_json("api_campaign_with_tiers.json"))
    responses.get(MEMBERS_URL, json=members_page([ALICE], next_cursor="loop"))
    responses.get(MEMBERS_URL, json=members_page([CARLA], next_cursor="loop"))
    with pytest.raises(CommandError, match="repeated the page cursor"):
        sync()
    assert Supporter.objects.get(full_name="Bruno").patron_status == "active_patron"


@responses.activate
def test_a_dry_run_reports_and_writes_nothing(patreon):
    serve_campaign([[ALICE, BRUNO], [CARLA]])
    out = sync("--dry-run")
    assert "would have 3 members — 3 new" in out
    assert not Supporter.objects.exists()
    assert not Tier.objects.exists()
    assert not SyncRun.objects.exists()


@responses.activate
def test_a_dry_run_on_known_supporters_reports_lapses_without_writing(patreon):
    serve_campaign([[ALICE, BRUNO], [CARLA]])
    sync()
    serve_campaign([[ALICE], [CARLA]])
    out = sync("--dry-run")
    assert "0 new, 0 changed, 1 lapsed, 2 unchanged" in out
    assert Supporter.objects.get(full_name="Bruno").patron_status == "active_patron"
    assert SyncRun.objects.count() == 1


@responses.activate
def test_the_only_campaign_is_found_when_none_is_set(patreon):
    patreon.PATREON_CAMPAIGN_ID = ""
    serve_campaign([[ALICE]])
    responses.get(f"{API}/api/oauth2/v2/campaigns", json={"data": [{"id": CAMPAIGN}]})
    sync()
    assert Supporter.objects.count() == 1


@responses.activate
def test_several_campaigns_need_the_setting(patreon):
    patreon.PATREON_CAMPAIGN_ID = ""
    responses.get(f"{API}/api/oauth2/v2/campaigns", json={"data": [{"id": "1"}, {"id": "2"}]})
    with pytest.raises(CommandError, match="set PATREON_CAMPAIGN_ID"):
        sync()


def test_without_a_creator_token_it_says_so(webhook_only):
    with pytest.raises(CommandError, match="PATREON_CREATOR_ACCESS_TOKEN is not set"):
        sync()


@responses.activate
def test_queries_per_page_do_not_grow_with_the_page_size(patreon):
    def queries_for(size: int) -> int:
        Supporter.objects.all().delete()
        serve_campaign([[member_resource(f"{size}-{i}") for i in range(size)]])
        with CaptureQueriesContext(connection) as queries:
            sync()
        return len(queries)

    queries_for(1)  # the first run also creates the tiers and the token row
    # Below 62 rows: SQLite's 999-parameter limit makes Django split larger bulk inserts.
    assert queries_for(5) == queries_for(50)


def test_migrate_schedules_the_daily_sync():
    from django_q.models import Schedule

    from patreon_sync.tasks import SYNC_SCHEDULE_NAME

    schedule = Schedule.objects.get(name=SYNC_SCHEDULE_NAME)
    assert (schedule.func, schedule.schedule_type) == ("patreon_sync.tasks.sync_patrons", "D")


def test_the_scheduled_task_skips_without_a_token(webhook_only):
    from patreon_sync.tasks import sync_patrons

    assert sync_patrons().startswith("Skipped")
    assert not SyncRun.objects.exists()


@responses.activate
def test_the_scheduled_task_runs_the_sync(patreon):
    from integrations.models import ActionOutcome
    from patreon_sync.tasks import sync_patrons

    serve_campaign([[ALICE, BRUNO]])
    webhook = {"id": "2793", "type": "webhook", "attributes": {"paused": True, "uri": "u"}}
    responses.get(f"{API}/api/oauth2/v2/webhooks", json={"data": [webhook]})
    assert sync_patrons() == "2 members: 2 new, 0 changed, 0 lapsed, 0 unchanged."
    # It also asked whether Patreon paused our webhook, as the page's button would.
    assert "PAUSED" in ActionOutcome.objects.get(service="patreon", action="webhook_state").message
