import pytest
from django.urls import reverse

from integrations.facebook.models import PostTemplate


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Tonight: {titel}", "Unknown placeholder {titel}"),
        ("Tonight: {title", "The braces do not match"),
        ("Tonight: {title:>30}", "without a format or conversion"),
    ],
)
def test_a_bad_template_is_refused_by_the_form_and_nothing_changes(staff_client, text, message):
    template = PostTemplate.objects.get(event_type="dj_set")
    before = template.text
    response = staff_client.post(
        reverse("admin:facebook_posttemplate_change", args=[template.pk]),
        {"event_type": "dj_set", "text": text},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    template.refresh_from_db()
    assert template.text == before


def test_a_good_template_is_saved_with_who_changed_it(staff_client, staff_user):
    template = PostTemplate.objects.get(event_type="dj_set")
    response = staff_client.post(
        reverse("admin:facebook_posttemplate_change", args=[template.pk]),
        {"event_type": "dj_set", "text": "🎧 {title} — {date_it} {time} SLT {{literal}}"},
    )
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.text == "🎧 {title} — {date_it} {time} SLT {{literal}}"
    assert template.updated_by == staff_user


def test_a_template_for_a_new_type_can_be_added(staff_client):
    response = staff_client.post(
        reverse("admin:facebook_posttemplate_add"),
        {"event_type": "special", "text": "Special night: {title} at {time} SLT"},
    )
    assert response.status_code == 302
    assert PostTemplate.objects.filter(event_type="special").exists()


def test_the_template_page_lists_the_placeholders_and_an_example(
    staff_client, make_event, facebook
):
    make_event(title="Luna Sparrow Live")
    template = PostTemplate.objects.get(event_type="live_singer")
    page = staff_client.get(reverse("admin:facebook_posttemplate_change", args=[template.pk]))
    content = page.content.decode()
    assert "<code>{venue_time}</code>" in content
    assert "Luna Sparrow Live" in content  # the example, filled in with the next event
