"""What staff see: the integration status, the admin lists and the reprocess action."""

from datetime import timedelta

import pytest
import responses
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from patreon_sync import actions
from patreon_sync.conftest import API, fixture_bytes
from patreon_sync.models import CreatorToken, Supporter, SyncRun, Tier, WebhookDelivery
from patreon_sync.status import integration_status
from patreon_sync.supporters.webhooks import process_delivery, store_delivery
from patreon_sync.tokens import token_row

pytestmark = pytest.mark.django_db


def failed_delivery() -> WebhookDelivery:
    delivery, _ = store_delivery(
        event="members:update", body=b"not json", received_at=timezone.now()
    )
    return process_delivery(delivery_id=delivery.pk)


def test_status_without_settings_names_what_is_missing(settings):
    settings.PATREON_CREATOR_ACCESS_TOKEN = ""
    settings.PATREON_WEBHOOK_SECRET = ""
    status = integration_status()
    assert not status.configured
    assert status.missing_settings == ["PATREON_CREATOR_ACCESS_TOKEN", "PATREON_WEBHOOK_SECRET"]
    assert any("PATREON_WEBHOOK_SECRET" in p for p in status.problems)
    assert status.token_ok is False


def test_status_is_healthy_after_a_recent_complete_sync(patreon):
    token_row()
    SyncRun.objects.create(
        started_at=timezone.now(), finished_at=timezone.now(), complete=True, members=3
    )
    status = integration_status()
    assert status.configured
    assert status.problems == []
    assert status.healthy
    assert status.last_success_at is not None
    assert "renews itself" in status.token


def test_status_counts_failed_deliveries_and_links_to_them(patreon):
    SyncRun.objects.create(started_at=timezone.now(), complete=True)
    failed_delivery()
    status = integration_status()
    assert status.failed == 1
    assert status.last_error.startswith("Webhook: The body is not JSON")
    assert any("Reprocess" in p for p in status.problems)
    labels = dict(status.links)
    assert labels["Failed webhook deliveries"].endswith("?status__exact=failed")


def test_status_reports_broken_credentials_with_the_fix(patreon):
    token_row()
    CreatorToken.objects.update(
        broken=True, last_refresh_ok=False, last_refresh_error="invalid_grant"
    )
    status = integration_status()
    assert status.token_ok is False
    assert any(
        "PATREON_CREATOR_REFRESH_TOKEN" in p and "invalid_grant" in p for p in status.problems
    )


def test_status_flags_deliveries_waiting_for_a_worker(patreon):
    SyncRun.objects.create(started_at=timezone.now(), complete=True)
    store_delivery(
        event="members:update", body=b"{}", received_at=timezone.now() - timedelta(hours=1)
    )
    status = integration_status()
    assert status.waiting == 1
    assert any("qcluster" in p for p in status.problems)


def test_the_webhook_alone_is_configured_but_asks_for_the_token(webhook_only):
    status = integration_status()
    assert status.configured
    assert status.missing_settings == ["PATREON_CREATOR_ACCESS_TOKEN"]
    assert any("No creator token" in p for p in status.problems)


def test_status_is_cheap(patreon):
    with CaptureQueriesContext(connection) as queries:
        integration_status()
    assert len(queries) <= 11  # with the last "is our webhook paused?" answer


@responses.activate
def test_connection_check_names_the_creator(patreon):
    responses.get(
        f"{API}/api/oauth2/v2/identity",
        json={"data": {"attributes": {"full_name": "The Dreamer's Cave"}, "id": "5550001"}},
    )
    assert actions.connection_check() == "Connected to Patreon as The Dreamer's Cave."


@responses.activate
def test_a_paused_webhook_is_reported_and_resumed(patreon):
    webhooks = {
        "data": [
            {
                "attributes": {
                    "last_attempted_at": "2026-11-24T20:09:18+00:00",
                    "num_consecutive_times_failed": 4,
                    "paused": True,
                    "triggers": ["members:create", "members:update", "members:delete"],
                    "uri": "https://tdc.example/api/v1/patreon/webhook",
                },
                "id": "2793",
                "type": "webhook",
            }
        ]
    }
    responses.get(f"{API}/api/oauth2/v2/webhooks", json=webhooks)
    responses.patch(f"{API}/api/oauth2/v2/webhooks/2793", json={"data": {"id": "2793"}})
    assert "PAUSED, 4 consecutive failures" in actions.webhook_state()
    assert actions.webhook_resume().startswith("Resumed 1 webhook")
    assert responses.calls[0].request.params["fields[webhook]"].count("paused") == 1
    assert [c.request.method for c in responses.calls] == ["GET", "GET", "PATCH"]


def test_retry_failed_reprocesses_what_failed(webhook_only):
    delivery, _ = store_delivery(
        event="members:pledge:create",
        body=fixture_bytes("webhook_members_pledge_create.json"),
        received_at=timezone.now(),
    )
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status="failed", error="earlier")
    assert actions.deliveries_retry_failed() == "Reprocessed 1 delivery; 0 still failed."
    assert Supporter.objects.count() == 1


# --- admin ---------------------------------------------------------------------------------------


def test_the_supporter_list_filters_and_searches(staff_client, webhook_only):
    for name in ("webhook_members_pledge_create.json", "webhook_members_create_free.json"):
        delivery, _ = store_delivery(
            event="members:create", body=fixture_bytes(name), received_at=timezone.now()
        )
        process_delivery(delivery_id=delivery.pk)
    url = reverse("admin:patreon_sync_supporter_changelist")
    page = staff_client.get(url).content.decode()
    assert "Luna Sparrow" in page and "Marco Rossi" in page
    active = staff_client.get(url, {"active": "yes"}).content.decode()
    assert "Luna Sparrow" in active and "Marco Rossi" not in active
    tier = Tier.objects.get(patreon_id="10000001")
    by_tier = staff_client.get(url, {"tiers__id__exact": tier.pk}).content.decode()
    assert "Marco Rossi" in by_tier and "Luna Sparrow" not in by_tier
    found = staff_client.get(url, {"q": "luna.sparrow@"}).content.decode()
    assert "Luna Sparrow" in found and "Marco Rossi" not in found
    by_name = staff_client.get(url, {"q": "ROSSI"}).content.decode()  # as staff type it
    assert "Marco Rossi" in by_name and "Luna Sparrow" not in by_name
    supporter = Supporter.objects.get(full_name="Luna Sparrow")
    detail = staff_client.get(reverse("admin:patreon_sync_supporter_change", args=[supporter.pk]))
    assert detail.status_code == 200


def test_the_tier_list_shows_supporter_counts(staff_client, webhook_only):
    delivery, _ = store_delivery(
        event="members:create",
        body=fixture_bytes("webhook_members_pledge_create.json"),
        received_at=timezone.now(),
    )
    process_delivery(delivery_id=delivery.pk)
    response = staff_client.get(reverse("admin:patreon_sync_tier_changelist"))
    assert response.status_code == 200
    assert "Dreamer" in response.content.decode()
    assert response.context["cl"].result_list[0].active_count == 1


def test_the_reprocess_action_applies_a_failed_delivery(staff_client, webhook_only):
    delivery, _ = store_delivery(
        event="members:pledge:create",
        body=fixture_bytes("webhook_members_pledge_create.json"),
        received_at=timezone.now(),
    )
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status="failed", error="earlier")
    url = reverse("admin:patreon_sync_webhookdelivery_changelist")
    response = staff_client.post(
        url, {"action": "reprocess_deliveries", "_selected_action": [delivery.pk]}, follow=True
    )
    assert "Reprocessed 1 delivery; 0 still failed." in response.content.decode()
    assert WebhookDelivery.objects.get().status == "processed"
    detail = staff_client.get(
        reverse("admin:patreon_sync_webhookdelivery_change", args=[delivery.pk])
    )
    assert "Luna Sparrow" in detail.content.decode()


DEEP_ARRAYS = b"[" * 100_000 + b"]" * 100_000


@pytest.mark.parametrize(
    "body, shown",
    [
        (DEEP_ARRAYS, "[[[[[[[["),
        (b'{"data": ' * 5_000 + b"{}" + b"}" * 5_000, '{"data": {"data": '),
        (b"\xff\xfe not utf-8 <script>", "\ufffd\ufffd not utf-8 <script>"),
        (b'{"name": "\\ud800 lone surrogate"}', "? lone surrogate"),
        (b'{"name": "Lu\\u00e0 \\"[[[\\""}', '"name": "Luà \\"[[[\\""'),
    ],
    ids=["deep-arrays", "deep-objects", "not-utf8", "lone-surrogate", "brackets-in-strings"],
)
def test_a_delivery_page_shows_any_body_safely(staff_client, webhook_only, body, shown):
    delivery, _ = store_delivery(event="members:update", body=body, received_at=timezone.now())
    process_delivery(delivery_id=delivery.pk)
    response = staff_client.get(
        reverse("admin:patreon_sync_webhookdelivery_change", args=[delivery.pk])
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert escape(shown) in page  # as text, never as markup
    # Wrapped by the admin's stylesheet: the Content-Security-Policy refuses style attributes.
    assert '<pre class="raw-document">' in page and "<pre style" not in page


def test_the_reprocess_action_goes_past_a_deeply_nested_delivery(staff_client, webhook_only):
    deep, _ = store_delivery(
        event="members:update", body=DEEP_ARRAYS, received_at=timezone.now() - timedelta(hours=1)
    )
    good, _ = store_delivery(
        event="members:pledge:create",
        body=fixture_bytes("webhook_members_pledge_create.json"),
        received_at=timezone.now(),
    )
    WebhookDelivery.objects.filter(pk=good.pk).update(status="failed", error="earlier")
    response = staff_client.post(
        reverse("admin:patreon_sync_webhookdelivery_changelist"),
        {"action": "reprocess_deliveries", "_selected_action": [deep.pk, good.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "Reprocessed 2 deliveries; 1 still failed." in response.content.decode()
    assert WebhookDelivery.objects.get(pk=deep.pk).error == (
        "The body is not a Patreon member document: nested too deeply."
    )
    assert WebhookDelivery.objects.get(pk=good.pk).status == "processed"


def test_reprocessing_needs_the_change_permission(client, django_user_model, webhook_only):
    from django.contrib.auth.models import Permission

    viewer = django_user_model.objects.create_user(username="viewer", password="x", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_webhookdelivery"))
    client.force_login(viewer)
    response = client.get(reverse("admin:patreon_sync_webhookdelivery_changelist"))
    assert response.status_code == 200
    assert "reprocess_deliveries" not in response.content.decode()


def test_the_token_admin_never_shows_the_token(staff_client, patreon):
    token_row()
    row = CreatorToken.objects.get()
    page = staff_client.get(reverse("admin:patreon_sync_creatortoken_change", args=[row.pk]))
    assert page.status_code == 200
    assert patreon.PATREON_CREATOR_ACCESS_TOKEN not in page.content.decode()
    assert patreon.PATREON_CREATOR_REFRESH_TOKEN not in page.content.decode()


def test_sync_runs_list_loads(staff_client):
    SyncRun.objects.create(started_at=timezone.now(), error="Patreon HTTP 500")
    response = staff_client.get(reverse("admin:patreon_sync_syncrun_changelist"))
    assert response.status_code == 200
    assert "Patreon HTTP 500" in response.content.decode()


def _supporter_editor(django_user_model):
    from django.contrib.auth.models import Permission

    editor = django_user_model.objects.create_user(username="editor", password="x", is_staff=True)
    editor.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_supporter", "change_supporter"])
    )
    return editor


def test_staff_cannot_link_a_supporter_to_an_admin_account(client, django_user_model, staff_user):
    # Signing in with that Patreon account would open the superuser's account.
    supporter = Supporter.objects.create(patreon_member_id="member-1", full_name="Luna Sparrow")
    client.force_login(_supporter_editor(django_user_model))
    url = reverse("admin:patreon_sync_supporter_change", args=[supporter.pk])
    response = client.post(url, {"user": staff_user.pk})
    assert response.status_code == 200  # the form again, with the error
    assert response.context["adminform"].form.errors["user"]
    supporter.refresh_from_db()
    assert supporter.user_id is None


def test_staff_can_link_a_supporter_to_a_member_account(client, django_user_model):
    supporter = Supporter.objects.create(patreon_member_id="member-1", full_name="Luna Sparrow")
    member = django_user_model.objects.create_user(username="luna", password="x")
    client.force_login(_supporter_editor(django_user_model))
    url = reverse("admin:patreon_sync_supporter_change", args=[supporter.pk])
    response = client.post(url, {"user": member.pk})
    assert response.status_code == 302
    supporter.refresh_from_db()
    assert supporter.user_id == member.pk


def test_staff_see_but_cannot_change_a_link_to_an_admin_account(
    client, django_user_model, staff_user
):
    supporter = Supporter.objects.create(
        patreon_member_id="member-1", full_name="Luna Sparrow", user=staff_user
    )
    client.force_login(_supporter_editor(django_user_model))
    url = reverse("admin:patreon_sync_supporter_change", args=[supporter.pk])
    assert staff_user.username in client.get(url).content.decode()
    client.post(url, {"user": ""})
    supporter.refresh_from_db()
    assert supporter.user_id == staff_user.pk
