"""The pages keep working under the Content-Security-Policy: nothing the browser refuses, and the
scripts that matter (the copy button, Swagger UI, the admin's widgets) do their job."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from events.models import Artist, Event, Location
from integrations.facebook.models import FacebookPost
from tdc.tests.browser.helpers import sign_in

# The browser reports each refusal both as a console error and as a DOM event; both are caught,
# on every page the test opens.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.reportCspViolation(`${e.violatedDirective} refused ${e.blockedURI || "inline"}`);
});
"""


@pytest.fixture
def violations(page):
    """Every CSP refusal on any page the test opens, and any page opened without the policy;
    the test fails if there is one."""
    seen = []
    page.expose_function("reportCspViolation", lambda text: seen.append(text))
    page.add_init_script(REPORT_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            seen.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.on(
        "response",
        lambda response: (
            seen.append(f"no policy on {response.url}")
            if response.request.resource_type == "document"
            and "content-security-policy" not in response.headers
            else None
        ),
    )
    yield seen
    assert seen == [], seen


@pytest.fixture
def stage(transactional_db):
    return Location.objects.create(name="Main Stage", region="Dreamers Cave", x=128, y=64, z=22)


def public_event(stage) -> Event:
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=3)
    return Event.objects.create(
        title="Luna Sparrow Live",
        event_type=Event.EventType.LIVE_SINGER,
        start_time=start,
        end_time=start + timedelta(minutes=90),
        location=stage,
        audience=Event.Audience.PUBLIC,
        status=Event.Status.SCHEDULED,
    )


def same_document_without_repeated_keys(route):
    # Swagger UI's parser refuses a JSON object with a repeated key, and the schema's validity
    # is not this test's subject: the document is passed on as Python reads it (last one wins).
    answer = route.fetch()
    route.fulfill(response=answer, body=json.dumps(json.loads(answer.body())))


def test_swagger_ui_lists_the_operations_and_runs_one_under_the_policy(page, violations):
    page.route("**/api/openapi.json", same_document_without_repeated_keys)
    response = page.goto("/api/docs")
    assert "'nonce-" not in response.headers["content-security-policy"]  # no inline script
    health = page.locator(".opblock", has_text="/api/v1/health")
    expect(health).to_be_visible()
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/sl/")).not_to_have_count(0)
    health.locator(".opblock-summary").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    expect(health.locator(".responses-table.live-responses-table")).to_contain_text('"ok"')


def test_the_copy_button_copies_a_group_post_under_the_policy(page, staff, stage, violations):
    event = public_event(stage)
    text = "Tribute Concert!\n\nTribute to Queen, Saturday 21:00 SLT"
    post = FacebookPost.objects.create(
        event=event, event_title=event.title, target="group", message=text, status="prepared"
    )
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    sign_in(page, staff)
    page.goto(f"/admin/facebook/facebookpost/group-posts/?ids={post.pk}")
    button = page.locator("button[data-copy-from]")
    expect(button).to_have_text("Copy text")
    button.click()
    expect(button).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == text


def test_the_event_form_and_its_widgets_work_under_the_policy(page, staff, stage, violations):
    luna = Artist.objects.create(name="Luna Sparrow")
    marco = Artist.objects.create(name="Marco Aurelio")
    sign_in(page, staff)
    page.goto("/admin/events/event/add/")
    page.get_by_label("Title (English):").fill("Sunset Set")
    page.get_by_label("Location:").select_option(label="Main Stage")
    # The calendar and clock shortcuts next to the date and time fields.
    page.locator("#id_start_time_0 ~ .datetimeshortcuts a", has_text="Today").click()
    expect(page.locator("#id_start_time_0")).not_to_have_value("")
    page.locator("#id_end_time_0 ~ .datetimeshortcuts .date-icon").click()
    page.locator(".calendarbox:visible .calendar-shortcuts a", has_text="Tomorrow").click()
    page.locator("#id_start_time_1").fill("21:00")
    page.locator("#id_end_time_1").fill("22:30")
    # The artist autocomplete (select2), then another line-up row.
    page.locator("#artist_links-group .select2-selection").first.click()
    page.locator(".select2-search__field").fill("Luna")
    page.locator(".select2-results__option", has_text="Luna Sparrow").click()
    expect(page.locator("#id_artist_links-0-artist")).to_have_value(str(luna.pk))
    page.locator("#artist_links-group .add-row a").click()
    page.locator("#artist_links-group .select2-selection").nth(1).click()
    page.locator(".select2-search__field").fill("Marco")
    page.locator(".select2-results__option", has_text="Marco Aurelio").click()
    expect(page.locator("#id_artist_links-1-artist")).to_have_value(str(marco.pk))
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator(".messagelist .success")).to_contain_text("Sunset Set")
    assert Event.objects.get(title="Sunset Set").artist_names == "Luna Sparrow, Marco Aurelio"


def test_admin_public_and_supporters_pages_have_nothing_refused(page, staff, stage, violations):
    event = public_event(stage)
    for url in (f"/events/{event.pk}/", "/supporters/", "/admin/login/"):
        response = page.goto(url)
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"], url
        expect(page.locator("body")).not_to_be_empty()
    sign_in(page, staff)
    for url in (
        "/admin/",
        "/admin/integrations/health/",
        f"/admin/events/event/{event.pk}/change/",
    ):
        page.goto(url)
        expect(page.locator("#content")).to_be_visible()
