"""The supporters admin answers a malformed account id with a form error, never a 500."""

import pytest
from django.urls import reverse

from patreon_sync.models import Supporter


@pytest.mark.parametrize("user_id", ["abc", "99999999999999999999999999", "1.5"])
def test_a_malformed_account_id_is_a_form_error_and_links_nothing(staff_client, user_id):
    supporter = Supporter.objects.create(patreon_member_id="m-1", full_name="Luna Sparrow")
    url = reverse("admin:patreon_sync_supporter_change", args=[supporter.pk])
    response = staff_client.post(url, {"user": user_id})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    supporter.refresh_from_db()
    assert supporter.user is None
