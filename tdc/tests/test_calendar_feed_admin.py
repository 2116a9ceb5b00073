"""Each staff account's private calendar feed on its admin page: shown, renewed, revoked."""

from django.urls import reverse

from events.models import CalendarFeedToken


def change_page(staff_client, user) -> str:
    response = staff_client.get(reverse("admin:auth_user_change", args=[user.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_staff_account_creates_renews_and_revokes_its_feed(staff_client, staff_user, settings):
    settings.SITE_URL = "https://tdc.example.org"
    renew = reverse("admin:auth_user_calendar_feed_renew", args=[staff_user.pk])
    revoke = reverse("admin:auth_user_calendar_feed_revoke", args=[staff_user.pk])
    assert "Create the feed address" in change_page(staff_client, staff_user)

    assert staff_client.post(renew).status_code == 302
    first = CalendarFeedToken.objects.get(user=staff_user).token
    html = change_page(staff_client, staff_user)
    assert f"https://tdc.example.org/events/staff/{first}.ics" in html
    assert f"webcal://tdc.example.org/events/staff/{first}.ics" in html
    assert staff_client.get(f"/events/staff/{first}.ics").status_code == 200

    staff_client.post(renew)
    second = CalendarFeedToken.objects.get(user=staff_user).token
    assert second != first
    assert staff_client.get(f"/events/staff/{first}.ics").status_code == 404

    staff_client.post(revoke)
    assert not CalendarFeedToken.objects.exists()
    assert staff_client.get(f"/events/staff/{second}.ics").status_code == 404


def test_the_feed_buttons_only_accept_post(staff_client, staff_user):
    renew = reverse("admin:auth_user_calendar_feed_renew", args=[staff_user.pk])
    assert staff_client.get(renew).status_code == 405
    assert not CalendarFeedToken.objects.exists()


def test_accounts_that_are_not_staff_have_no_feed(staff_client, django_user_model):
    member = django_user_model.objects.create_user(username="fan", password="pw")
    assert "Private calendar feed" not in change_page(staff_client, member)
    renew = reverse("admin:auth_user_calendar_feed_renew", args=[member.pk])
    assert staff_client.post(renew).status_code == 404
    assert not CalendarFeedToken.objects.exists()


def test_staff_without_the_right_to_change_users_cannot_renew(
    client, staff_user, django_user_model
):
    helper = django_user_model.objects.create_user(username="helper", password="pw", is_staff=True)
    client.force_login(helper)
    renew = reverse("admin:auth_user_calendar_feed_renew", args=[staff_user.pk])
    assert client.post(renew).status_code == 403
    assert not CalendarFeedToken.objects.exists()
