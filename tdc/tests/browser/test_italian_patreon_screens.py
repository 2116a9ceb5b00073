"""The Patreon screens in Italian: staff read the supporters and the webhook deliveries in the
admin, supporters read their pages, and none of our English is left on them. Names, tier titles
and Patreon's own codes are shown as they are."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from patreon_sync.models import ExclusiveContent, Supporter, SyncRun, Tier, WebhookDelivery
from tdc.tests.browser.untranslated import english_left_on, page_text
from tdc.tests.catalogue import english_in

ITALIAN_BROWSER = pytest.mark.parametrize("page", ["it-IT"], indirect=True)

# Patreon's trigger names ("members:pledge:create") and its header's name are codes, the same
# in every language.
_TRIGGER = re.compile(r"\b(?:members|posts|pledges?)(?::[a-z_]+)+|X-Patreon-Event", re.I)

# (path, heading) in the admin; {supporter} and {delivery} stand for the ids of `shown`'s.
ADMIN_SCREENS = [
    ("/admin/patreon_sync/supporter/", "Scegli sostenitore da modificare"),
    ("/admin/patreon_sync/supporter/{supporter}/change/", "Modifica sostenitore"),
    ("/admin/patreon_sync/webhookdelivery/", "Seleziona consegna del webhook per visualizzarlo"),
    ("/admin/patreon_sync/webhookdelivery/{delivery}/change/", "Vista consegna del webhook"),
    ("/admin/patreon_sync/syncrun/", "Seleziona sincronizzazione per visualizzarlo"),
    ("/admin/patreon_sync/tier/", "Scegli livello da modificare"),
]
# (path, heading) for a supporter signed in; {locked} is content above their tier.
SUPPORTER_SCREENS = [
    ("/supporters/", "Per i nostri sostenitori"),
    ("/accounts/", "Il tuo account"),
    ("/supporters/{locked}/", "Dietro le quinte è per i sostenitori"),
    ("/supporters/{open}/", "Luna Sparrow, il set completo"),
]


@pytest.fixture
def shown(transactional_db, settings, django_user_model):
    """A campaign as the screens show it: two paid tiers, a supporter of the lower one linked
    to a site account, content for each tier (written by staff, in Italian), and webhook
    deliveries (one failed)."""
    settings.PATREON_CLIENT_ID = "client-id-1234"  # sign-in available
    settings.PATREON_CLIENT_SECRET = "client-secret-5678"
    friend = Tier.objects.create(
        patreon_id="9512023", title="Friend of the Cave", amount_cents=300, published=True
    )
    backstage = Tier.objects.create(
        patreon_id="9512024", title="Backstage", amount_cents=800, published=True
    )
    user = django_user_model.objects.create_user(username="anna", email="anna@example.org")
    now = timezone.now()
    supporter = Supporter.objects.create(
        patreon_member_id="member-anna",
        patreon_user_id="1001",
        full_name="Anna Rossi",
        email="anna@example.org",
        patron_status=Supporter.PatronStatus.ACTIVE,
        last_charge_status="Paid",
        last_charge_date=now - timedelta(days=3),
        next_charge_date=now + timedelta(days=27),
        currently_entitled_amount_cents=300,
        pledge_cadence=1,
        user=user,
        last_synced_at=now,
        state_at=now,
    )
    supporter.tiers.add(friend)
    Supporter.objects.create(
        patreon_member_id="member-bruno",
        full_name="Bruno Bianchi",
        patron_status=Supporter.PatronStatus.DECLINED,
        last_charge_status="Declined",
    )
    open_content = ExclusiveContent.objects.create(
        title="Luna Sparrow, il set completo",
        slug="luna-sparrow-set",
        summary="Tutto il concerto, dalla prima nota.",
        body="Grazie per l'ascolto.",
        link="https://example.org/unlisted",
        required_tier=friend,
        published=True,
    )
    locked = ExclusiveContent.objects.create(
        title="Dietro le quinte",
        slug="dietro-le-quinte",
        summary="Cosa succede prima dello spettacolo.",
        required_tier=backstage,
        published=True,
    )
    delivery = WebhookDelivery.objects.create(
        received_at=now - timedelta(hours=1),
        event="members:pledge:create",
        body=b'{"data": {"id": "member-anna", "type": "member"}}',
        fingerprint="a" * 64,
        member_id="member-anna",
        status=WebhookDelivery.Status.PROCESSED,
        attempts=1,
        processed_at=now - timedelta(hours=1),
    )
    WebhookDelivery.objects.create(
        received_at=now - timedelta(minutes=30),
        event="members:update",
        body=b"not json",
        fingerprint="b" * 64,
        status=WebhookDelivery.Status.FAILED,
        error="The body is not JSON.",
        attempts=1,
        processed_at=now - timedelta(minutes=30),
    )
    SyncRun.objects.create(
        started_at=now - timedelta(days=1),
        finished_at=now - timedelta(days=1),
        complete=True,
        pages=1,
        members=2,
        created=2,
    )
    return {
        "supporter": supporter.pk,
        "delivery": delivery.pk,
        "user": user,
        "open": open_content.slug,
        "locked": locked.slug,
    }


def signed_in_as(page, user, live_server) -> None:
    """The browser carries a session of `user`: supporters sign in through Patreon, which the
    tests do not reach, so the session is made here."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def english_left(page) -> list[str]:
    """Our English left on an admin screen, recorded errors aside: they are shown as they were
    recorded, in English (written by the task worker, which has no reader, often quoting
    Patreon)."""
    page.evaluate(
        """() => document.querySelectorAll("td.field-short_error, .field-error .readonly")
          .forEach(element => element.remove())"""
    )
    return english_in(_TRIGGER.sub(" ", page_text(page)))


@ITALIAN_BROWSER
@pytest.mark.parametrize(("path", "heading"), ADMIN_SCREENS)
def test_staff_read_the_patreon_admin_in_italian(page, live_server, staff, shown, path, heading):
    signed_in_as(page, staff, live_server)
    page.goto(path.format(**shown))

    expect(page.locator("h1")).to_have_text(heading)
    expect(page.locator("html")).to_have_attribute("lang", "it")
    assert english_left(page) == []


@ITALIAN_BROWSER
def test_the_supporters_list_speaks_italian_in_its_columns_filters_and_actions(
    page, live_server, staff, shown
):
    signed_in_as(page, staff, live_server)
    page.goto("/admin/patreon_sync/supporter/?active=yes")

    expect(page.get_by_role("columnheader", name="Stato del sostenitore")).to_be_visible()
    expect(
        page.get_by_role("link", name="Attivo (pagato, o rifiutato entro il periodo di tolleranza)")
    ).to_be_visible()
    expect(page.locator("#result_list")).to_contain_text("Sostenitore attivo")
    expect(page.locator("#result_list")).to_contain_text("Friend of the Cave")  # Patreon's
    expect(page.locator("#result_list")).not_to_contain_text("Bruno Bianchi")

    page.goto("/admin/patreon_sync/webhookdelivery/")
    page.locator("#action-toggle").check()  # the failed delivery and the processed one
    page.locator("select[name=action]").select_option("reprocess_deliveries")
    page.get_by_role("button", name="Vai").click()
    expect(page.locator(".messagelist")).to_have_text(
        "Rielaborata 1 consegna; ancora non riuscite: 1. "
        "1 consegna era già stata elaborata ed è stata lasciata com'era."
    )
    assert english_left(page) == []


@ITALIAN_BROWSER
@pytest.mark.parametrize(("path", "heading"), SUPPORTER_SCREENS)
def test_a_supporter_reads_their_pages_in_italian(page, live_server, shown, path, heading):
    signed_in_as(page, shown["user"], live_server)
    page.goto(path.format(**shown))

    expect(page.locator("h1")).to_have_text(heading)
    expect(page.locator("html")).to_have_attribute("lang", "it")
    assert english_left_on(page) == []


@ITALIAN_BROWSER
def test_a_visitor_reads_the_supporters_page_in_italian(page, shown):
    page.goto("/supporters/")

    expect(page.locator("h1")).to_have_text("Per i nostri sostenitori")
    expect(page.get_by_role("link", name="Accedi con Patreon").first).to_be_visible()
    expect(page.get_by_text("Si sblocca con Friend of the Cave (3.00 al mese)")).to_be_visible()
    assert english_left_on(page) == []


def test_in_english_the_supporters_page_reads_as_before(page, shown):
    page.goto("/supporters/")

    expect(page.locator("h1")).to_have_text("For our supporters")
    expect(page.get_by_text("Unlocked by Friend of the Cave (3.00 a month)")).to_be_visible()
    assert "Per i nostri sostenitori" not in page_text(page)
