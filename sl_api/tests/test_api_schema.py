"""/api/openapi.json as Swagger UI reads it: strict JSON, each panel endpoint documented once."""

import json

import pytest

pytestmark = pytest.mark.django_db

PANELS = ("/api/v1/sl/events", "/api/v1/sl/events/next", "/api/v1/sl/events/today")


class DuplicateKey(ValueError):
    pass


def _refuse_duplicates(pairs: list[tuple[str, object]]) -> dict:
    keys = [key for key, _ in pairs]
    doubled = sorted({key for key in keys if keys.count(key) > 1})
    if doubled:
        raise DuplicateKey(f"duplicated keys: {doubled}")
    return dict(pairs)


def strict_schema(client) -> dict:
    """The schema parsed as a YAML parser (Swagger UI's) would: a repeated key is an error."""
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return json.loads(response.content, object_pairs_hook=_refuse_duplicates)


def test_the_schema_has_no_duplicated_key(client):
    strict_schema(client)  # raises DuplicateKey otherwise


@pytest.mark.parametrize("path", PANELS)
def test_each_panel_documents_its_answers_once_with_our_descriptions(client, path):
    responses = strict_schema(client)["paths"][path]["get"]["responses"]
    assert set(responses) == {"200", "304", "400", "503"}
    assert responses["200"]["description"].startswith("The panel (JSON, or text/plain")
    assert responses["304"]["description"].startswith("Unchanged since the ETag")
