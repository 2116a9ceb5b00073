"""Subscribing on one's own admin page: the box, the digest, and the language kept from the
language the admin is used in."""

from django.conf import settings
from django.urls import reverse

from integrations.models import StaffNoticePreference


def _form_data(response) -> dict:
    """What the change form would post back as it is shown (every field at its value)."""
    data = {}
    forms = [response.context["adminform"].form]
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        forms.append(management)
        forms.extend(formset.formset.forms)
    for form in forms:
        for name, field in form.fields.items():
            bound = form[name]
            value = bound.value()
            if value is None or field.disabled:
                continue
            key = bound.html_name
            if isinstance(value, (list, tuple)):
                data[key] = [str(v.pk if hasattr(v, "pk") else v) for v in value]
            elif isinstance(value, bool):
                if value:
                    data[key] = "on"
            else:
                data[key] = value
    # The dates are split in two inputs on the page.
    for name in ("last_login", "date_joined"):
        value = response.context["adminform"].form[name].value()
        data.pop(name, None)
        if value:
            data[f"{name}_0"], data[f"{name}_1"] = f"{value:%Y-%m-%d}", f"{value:%H:%M:%S}"
    return data


def test_a_staff_member_subscribes_on_their_page_in_the_language_they_use(
    client, django_user_model
):
    me = django_user_model.objects.create_superuser("chiara", email="c@example.org", password="pw")
    client.force_login(me)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "it"
    url = reverse("admin:auth_user_change", args=[me.pk])
    page = client.get(url)
    assert "Avvisami dei problemi delle integrazioni" in page.content.decode()

    data = _form_data(page)
    data["notice_preference-0-integration_problems"] = "on"
    data["notice_preference-0-daily_digest"] = "on"
    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    preference = StaffNoticePreference.objects.get(user=me)
    assert (preference.integration_problems, preference.daily_digest) == (True, True)
    assert preference.language == "it"


def test_someone_else_s_page_leaves_their_language_to_them(client, staff_user, django_user_model):
    other = django_user_model.objects.create_user("luca", email="l@example.org", is_staff=True)
    client.force_login(staff_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "it"
    url = reverse("admin:auth_user_change", args=[other.pk])
    data = _form_data(client.get(url))
    data["notice_preference-0-integration_problems"] = "on"

    assert client.post(url, data).status_code == 302
    preference = StaffNoticePreference.objects.get(user=other)
    assert preference.integration_problems and preference.language == ""


def test_accounts_that_are_not_staff_have_no_notices_to_subscribe_to(
    staff_client, django_user_model
):
    fan = django_user_model.objects.create_user("fan", email="f@example.org")
    page = staff_client.get(reverse("admin:auth_user_change", args=[fan.pk]))
    assert "Tell me about integration problems" not in page.content.decode()
