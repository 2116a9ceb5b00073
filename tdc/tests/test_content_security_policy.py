"""Every page carries the Content-Security-Policy; inline styles run only with the page's nonce.
(tdc/tests/browser/test_content_security_policy.py proves the pages still work under it.)"""

import re

import pytest
from django.urls import reverse


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


def assert_strict(directives: dict[str, list[str]]) -> None:
    assert directives["default-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    for kind in ("script-src", "style-src"):
        assert directives[kind][0] == "'self'"
        assert all(v.startswith("'nonce-") for v in directives[kind][1:]), directives[kind]
    assert directives["img-src"] == ["'self'"]
    assert "'unsafe-inline'" not in str(directives) and "'unsafe-eval'" not in str(directives)


@pytest.mark.parametrize(
    "url",
    ["/admin/login/", "/supporters/", "/api/v1/health"],
)
def test_public_pages_carry_the_policy(client, db, url):
    assert_strict(policy(client.get(url)))


def test_admin_pages_carry_the_policy(staff_client):
    for name in ("admin:index", "admin:events_event_add", "admin:axes_accessattempt_changelist"):
        response = staff_client.get(reverse(name))
        assert response.status_code == 200
        assert_strict(policy(response))


def test_an_inline_style_carries_the_nonce_the_header_allows(staff_client):
    url = reverse("admin:integrations_health")
    response = staff_client.get(url)
    directives = policy(response)
    assert_strict(directives)
    nonces = re.findall(r'<style nonce="([^"]+)">', response.content.decode())
    assert nonces and directives["style-src"] == ["'self'", f"'nonce-{nonces[0]}'"]
    again = staff_client.get(url)
    assert policy(again)["style-src"] != directives["style-src"]  # a new nonce per response


def test_no_template_of_ours_has_an_inline_script_style_or_handler_without_a_nonce(settings):
    for template in (settings.BASE_DIR / "templates").rglob("*.html"):
        text = template.read_text()
        for tag in re.findall(r"<(?:script|style)\b[^>]*>", text):
            allowed = "src=" in tag or 'type="application/ld+json"' in tag or "nonce=" in tag
            assert allowed, f"{template}: {tag}"
        assert not re.search(r"\s(?:style|on[a-z]+)=", text), template


def test_only_the_api_docs_allow_data_images_for_swagger_ui(client, db):
    directives = policy(client.get("/api/docs"))
    assert directives["img-src"] == ["'self'", "data:"]
    assert directives["script-src"] == ["'self'"]  # Swagger UI runs from static files only
    assert directives["frame-ancestors"] == ["'none'"]
