"""Exclusive content: the access matrix, the supporters' page, downloads, and the tier gate."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone
from django.views import View

from patreon_sync.checks import check_exclusive_files_root
from patreon_sync.conftest import CAMPAIGN, LUNA, fixture_bytes
from patreon_sync.exclusive.access import TierRequiredMixin, require_tier
from patreon_sync.models import ExclusiveContent, Supporter, Tier
from patreon_sync.supporters.services import supporters_lapse
from patreon_sync.supporters.webhooks import process_delivery, store_delivery

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def tiers(db):
    return {
        "free": Tier.objects.create(patreon_id="10000001", title="Free", amount_cents=0),
        "dreamer": Tier.objects.create(patreon_id="9512023", title="Dreamer", amount_cents=300),
        "backstage": Tier.objects.create(
            patreon_id="9512103", title="Backstage", amount_cents=1000
        ),
    }


@pytest.fixture
def private_files(tmp_path, monkeypatch):
    field = ExclusiveContent._meta.get_field("file")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=tmp_path))
    return tmp_path


@pytest.fixture
def contents(tiers, private_files):
    return {
        "backstage": ExclusiveContent.objects.create(
            title="Backstage notes",
            slug="backstage-notes",
            summary="What happened before the encore.",
            body="SECRET-BACKSTAGE-BODY",
            link="https://video.example/unlisted-encore",
            required_tier=tiers["backstage"],
            published=True,
        ),
        "lineup": ExclusiveContent.objects.create(
            title="December line-up",
            slug="december-lineup",
            summary="Who plays in December, before anyone else knows.",
            body="SECRET-LINEUP-BODY",
            required_tier=tiers["dreamer"],
            published=True,
        ),
    }


def supporter_user(
    *, status="active_patron", tier=None, cents=0, charged_days_ago=3, username="luna"
) -> User:
    user = User.objects.create_user(username)
    supporter = Supporter.objects.create(
        patreon_member_id=f"member-{username}",
        patreon_user_id=f"user-{username}",
        patron_status=status,
        currently_entitled_amount_cents=cents,
        last_charge_date=timezone.now() - timedelta(days=charged_days_ago),
        user=user,
    )
    if tier is not None:
        supporter.tiers.set([tier])
    return user


def viewer(kind: str, tiers) -> User | None:
    """One visitor of the access matrix."""
    backstage, dreamer = tiers["backstage"], tiers["dreamer"]
    if kind == "anonymous":
        return None
    if kind == "signed in without Patreon":
        return User.objects.create_user("visitor")
    if kind == "active at a lower tier":
        return supporter_user(tier=dreamer, cents=300)
    if kind == "active at the right tier":
        return supporter_user(tier=backstage, cents=1000)
    if kind == "active, entitled by amount above the price":
        return supporter_user(cents=1500)
    if kind == "annual at a lower tier":  # Patreon reports the year's payment: 36.00
        user = supporter_user(tier=dreamer, cents=3600)
        Supporter.objects.filter(user=user).update(pledge_cadence=12)
        return user
    if kind == "declined inside the grace period":
        return supporter_user(status="declined_patron", tier=backstage, cents=1000)
    if kind == "declined after the grace period":
        return supporter_user(
            status="declined_patron", tier=backstage, cents=1000, charged_days_ago=8
        )
    if kind == "former":
        return supporter_user(status="former_patron", tier=backstage, cents=1000)
    if kind == "free member":
        return supporter_user(status="", tier=tiers["free"])
    if kind == "staff":
        return User.objects.create_user("staffer", is_staff=True)
    raise AssertionError(kind)


MATRIX = [
    ("anonymous", 403),
    ("signed in without Patreon", 403),
    ("active at a lower tier", 403),
    ("active at the right tier", 200),
    ("active, entitled by amount above the price", 200),
    ("annual at a lower tier", 403),
    ("declined inside the grace period", 200),
    ("declined after the grace period", 403),
    ("former", 403),
    ("free member", 403),
    ("staff", 200),
]


@pytest.mark.parametrize(("kind", "status"), MATRIX)
def test_access_matrix_for_a_backstage_page(client, patreon, contents, tiers, kind, status):
    user = viewer(kind, tiers)
    if user:
        client.force_login(user)

    response = client.get("/supporters/backstage-notes/")

    assert response.status_code == status
    body = response.content.decode()
    if status == 200:
        assert "SECRET-BACKSTAGE-BODY" in body
        assert "https://video.example/unlisted-encore" in body
    else:
        assert "SECRET-BACKSTAGE-BODY" not in body
        assert "unlisted-encore" not in body
        assert "Backstage</strong> tier" in body  # what would unlock it
        assert "10.00 a month" in body
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("kind", "hint"),
    [
        ("anonymous", "Sign in with Patreon"),
        ("signed in without Patreon", "Link your Patreon account"),
        ("active at a lower tier", "Your current support (3.00 a month)"),
        ("declined after the grace period", "payment method"),
        ("former", "support has ended"),
    ],
)
def test_the_locked_page_says_what_to_do(client, patreon, contents, tiers, kind, hint):
    user = viewer(kind, tiers)
    if user:
        client.force_login(user)
    response = client.get("/supporters/backstage-notes/")
    assert hint in response.content.decode()
    pledge = f"{patreon.PATREON_API_URL}/bePatron?c={CAMPAIGN}&amp;rid=9512103"
    assert pledge in response.content.decode()


def test_a_lower_tier_opens_what_it_pays_for(client, patreon, contents, tiers):
    client.force_login(supporter_user(tier=tiers["dreamer"], cents=300))
    assert client.get("/supporters/december-lineup/").status_code == 200
    assert client.get("/supporters/backstage-notes/").status_code == 403


def test_supporters_page_lists_what_opens_and_what_is_locked(client, patreon, contents, tiers):
    client.force_login(supporter_user(tier=tiers["dreamer"], cents=300))
    response = client.get("/supporters/")
    body = response.content.decode()
    open_part, locked_part = body.split('id="locked-heading"')
    assert 'href="/supporters/december-lineup/"' in open_part
    assert "Backstage notes" in locked_part
    assert 'href="/supporters/backstage-notes/"' not in body
    assert "Unlocked by <strong>Backstage</strong>" in locked_part
    assert f"bePatron?c={CAMPAIGN}&amp;rid=9512103" in locked_part
    assert "SECRET" not in body


def test_visitors_see_everything_locked_and_a_sign_in_link(client, patreon, contents):
    body = client.get("/supporters/").content.decode()
    assert "/accounts/patreon/login/?next=%2Fsupporters%2F" in body
    assert body.count("locked</span>") == 2


def test_drafts_are_hidden_except_from_staff(client, patreon, contents, tiers):
    ExclusiveContent.objects.filter(slug="backstage-notes").update(published=False)
    client.force_login(supporter_user(tier=tiers["backstage"], cents=1000))
    assert client.get("/supporters/backstage-notes/").status_code == 404
    assert "Backstage notes" not in client.get("/supporters/").content.decode()
    client.force_login(User.objects.create_user("staffer", is_staff=True))
    assert client.get("/supporters/backstage-notes/").status_code == 200


def test_an_unknown_page_is_404(client, patreon, contents):
    assert client.get("/supporters/no-such-thing/").status_code == 404


def test_without_a_campaign_id_the_locked_page_names_the_tier_without_a_link(
    client, patreon, contents
):
    patreon.PATREON_CAMPAIGN_ID = ""
    body = client.get("/supporters/backstage-notes/").content.decode()
    assert "Backstage</strong> tier" in body
    assert "bePatron" not in body


def test_the_tiers_own_checkout_url_makes_the_pledge_link_without_a_campaign_id(
    client, patreon, contents, tiers
):
    patreon.PATREON_CAMPAIGN_ID = ""
    Tier.objects.filter(pk=tiers["backstage"].pk).update(
        url="/checkout/TheDreamersCave?rid=9512103"
    )
    client.force_login(supporter_user(tier=tiers["dreamer"], cents=300))
    body = client.get("/supporters/backstage-notes/").content.decode()
    assert f'href="{patreon.PATREON_API_URL}/checkout/TheDreamersCave?rid=9512103"' in body
    listing = client.get("/supporters/").content.decode()
    assert f"{patreon.PATREON_API_URL}/checkout/TheDreamersCave?rid=9512103" in listing


# --- access follows support ---------------------------------------------------------------------


def test_a_supporter_who_lapses_by_webhook_loses_access_on_the_next_request(
    client, webhook_only, tiers, contents
):
    user = User.objects.create_user("luna")
    Supporter.objects.create(
        patreon_member_id=LUNA,
        patron_status="active_patron",
        currently_entitled_amount_cents=300,
        last_charge_date=timezone.now() - timedelta(days=2),
        user=user,
    ).tiers.set([tiers["dreamer"]])
    client.force_login(user)
    assert client.get("/supporters/december-lineup/").status_code == 200

    body = fixture_bytes("webhook_members_pledge_delete_former.json")
    delivery, _ = store_delivery(
        event="members:pledge:delete", body=body, received_at=timezone.now()
    )
    process_delivery(delivery_id=delivery.pk)

    assert client.get("/supporters/december-lineup/").status_code == 403


def test_a_supporter_the_full_sync_lapses_loses_access_on_the_next_request(
    client, patreon, tiers, contents
):
    user = supporter_user(tier=tiers["backstage"], cents=1000)
    client.force_login(user)
    assert client.get("/supporters/backstage-notes/").status_code == 200

    supporters_lapse(member_ids=["member-luna"], now=timezone.now())

    assert client.get("/supporters/backstage-notes/").status_code == 403


def test_the_grace_period_follows_the_setting(client, patreon, tiers, contents):
    client.force_login(
        supporter_user(status="declined_patron", tier=tiers["backstage"], charged_days_ago=3)
    )
    assert client.get("/supporters/backstage-notes/").status_code == 200
    patreon.PATREON_DECLINE_GRACE_DAYS = 2
    assert client.get("/supporters/backstage-notes/").status_code == 403


# --- downloads ----------------------------------------------------------------------------------


def test_the_file_downloads_only_for_those_who_may_open_it(
    client, patreon, private_files, contents, tiers
):
    item = contents["backstage"]
    item.file.save("encore.mp3", ContentFile(b"ID3-encore-bytes"))
    url = "/supporters/backstage-notes/download/"

    locked = client.get(url)
    assert locked.status_code == 403
    assert b"ID3-encore-bytes" not in locked.content

    client.force_login(supporter_user(tier=tiers["backstage"], cents=1000))
    page = client.get("/supporters/backstage-notes/")
    assert url in page.content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"ID3-encore-bytes"
    assert 'attachment; filename="encore.mp3"' in response["Content-Disposition"]
    assert "private" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_files_live_in_exclusive_files_root_outside_the_public_media_root(settings):
    storage = ExclusiveContent._meta.get_field("file").storage
    assert storage.location == str(Path(settings.EXCLUSIVE_FILES_ROOT).resolve())
    assert check_exclusive_files_root(None) == []


@pytest.mark.parametrize("inside", ["MEDIA_ROOT", "STATIC_ROOT"])
def test_a_files_root_the_web_server_serves_is_an_error(settings, tmp_path, inside):
    setattr(settings, inside, str(tmp_path))
    settings.EXCLUSIVE_FILES_ROOT = str(tmp_path / "exclusive")
    errors = check_exclusive_files_root(None)
    assert [error.id for error in errors] == ["patreon_sync.E001"]
    assert inside in errors[0].msg


def test_a_missing_file_is_a_404_not_a_crash(client, patreon, private_files, contents, tiers):
    item = contents["backstage"]
    item.file.save("gone.mp3", ContentFile(b"x"))
    (private_files / item.file.name).unlink()
    client.force_login(User.objects.create_user("staffer", is_staff=True))
    assert client.get("/supporters/backstage-notes/download/").status_code == 404


def test_content_without_a_file_has_no_download(client, patreon, contents):
    client.force_login(User.objects.create_user("staffer", is_staff=True))
    assert client.get("/supporters/backstage-notes/download/").status_code == 404


# --- the reusable gate -------------------------------------------------------------------------


def gated_view(request):
    return HttpResponse("members' corner")


class GatedPage(TierRequiredMixin, View):
    required_amount_cents = 1000

    def get(self, request):
        return HttpResponse("backstage corner")


def call(view, user):
    request = RequestFactory().get("/corner/")
    request.user = user or AnonymousUser()
    return view(request)


def test_require_tier_by_patreon_id_lets_entitled_supporters_in(patreon, tiers):
    view = require_tier(patreon_tier_id="9512103")(gated_view)
    assert call(view, supporter_user(tier=tiers["backstage"], cents=1000)).status_code == 200
    denied = call(view, supporter_user(tier=tiers["dreamer"], cents=300, username="low"))
    assert denied.status_code == 403
    assert b"Backstage" in denied.content


def test_require_tier_for_a_tier_not_synced_yet_stays_closed(patreon, tiers):
    view = require_tier(patreon_tier_id="424242")(gated_view)
    assert call(view, supporter_user(cents=100_000)).status_code == 403
    assert call(view, User.objects.create_user("staffer", is_staff=True)).status_code == 200


def test_tier_required_mixin_gates_a_class_based_view(patreon, tiers):
    view = GatedPage.as_view()
    assert call(view, None).status_code == 403
    assert call(view, supporter_user(tier=tiers["backstage"], cents=1000)).status_code == 200


def test_require_tier_refuses_an_ambiguous_or_free_gate():
    with pytest.raises(ImproperlyConfigured):
        require_tier()
    with pytest.raises(ImproperlyConfigured):
        require_tier(patreon_tier_id="1", amount_cents=100)
    with pytest.raises(ImproperlyConfigured):
        require_tier(amount_cents=0)


# --- the model and its admin -------------------------------------------------------------------


def test_the_free_tier_cannot_gate_content(tiers):
    item = ExclusiveContent(title="x", slug="x", required_tier=tiers["free"])
    with pytest.raises(ValidationError) as error:
        item.full_clean()
    assert "required_tier" in error.value.message_dict


def test_staff_create_content_in_the_admin(staff_client, tiers):
    page = staff_client.get("/admin/patreon_sync/exclusivecontent/add/")
    assert page.status_code == 200
    options = page.content.decode()
    assert "Backstage (10.00)" in options
    assert "Free (0.00)" not in options  # only paid tiers can be chosen

    response = staff_client.post(
        "/admin/patreon_sync/exclusivecontent/add/",
        {
            "title": "Encore recording",
            "slug": "encore-recording",
            "required_tier": tiers["backstage"].pk,
            "published": "on",
            "summary": "The whole encore.",
            "body": "Enjoy!",
            "link": "",
        },
    )
    assert response.status_code == 302, response.content
    item = ExclusiveContent.objects.get(slug="encore-recording")
    assert item.required_tier == tiers["backstage"]
    listing = staff_client.get("/admin/patreon_sync/exclusivecontent/")
    assert b"Encore recording" in listing.content


@pytest.fixture
def signin_not_set_up(patreon):
    patreon.PATREON_CLIENT_ID = ""
    patreon.PATREON_CLIENT_SECRET = ""
    return patreon


def test_without_sign_in_the_supporters_page_says_so_instead_of_a_dead_button(
    client, signin_not_set_up, contents
):
    body = client.get("/supporters/").content.decode()
    assert "Signing in with Patreon is not available on this site yet" in body
    assert "Sign in with Patreon" not in body  # neither the button nor the header link
    assert "/accounts/patreon/login/" not in body
    assert body.count("locked</span>") == 2  # what each tier unlocks is still shown


@pytest.mark.parametrize("kind", ["anonymous", "signed in without Patreon"])
def test_without_sign_in_the_locked_page_offers_no_sign_in(
    client, signin_not_set_up, contents, tiers, kind
):
    user = viewer(kind, tiers)
    if user:
        client.force_login(user)
    response = client.get("/supporters/backstage-notes/")
    body = response.content.decode()
    assert response.status_code == 403
    assert "not available on this site yet" in body
    assert "/accounts/patreon/login/" not in body
    assert "Link your Patreon account" not in body
    assert "10.00 a month" in body


def test_without_sign_in_the_account_page_says_linking_is_not_available(
    client, signin_not_set_up, db
):
    client.force_login(User.objects.create_user("visitor"))
    body = client.get("/accounts/").content.decode()
    assert "Linking one is not available on this site yet." in body
    assert "Link your Patreon account" not in body
