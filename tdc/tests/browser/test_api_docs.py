"""/api/docs in a real browser: Swagger UI parses our schema and lists every operation."""

from playwright.sync_api import expect


def test_the_api_docs_list_every_operation_with_no_error_box(page, transactional_db):
    schema = page.request.get("/api/openapi.json").json()
    operations = [
        (method.upper(), path) for path, methods in schema["paths"].items() for method in methods
    ]
    assert len(operations) >= 5  # health, three panels, the Patreon webhook

    page.goto("/api/docs")
    listed = page.locator(".opblock")
    expect(listed).to_have_count(len(operations))
    for method, path in operations:
        block = page.locator(f".opblock-{method.lower()}").filter(
            has=page.locator(f'.opblock-summary-path[data-path="{path}"]')
        )
        expect(block).to_have_count(1)
    # Swagger UI's box for a schema it could not read ("Parser error: duplicated mapping key").
    expect(page.locator(".errors-wrapper")).to_have_count(0)
    expect(page.get_by_text("Parser error")).to_have_count(0)
