from unittest import mock

from django.db import OperationalError


def test_health_is_200_with_the_database_reachable(client, db):
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_health_is_503_when_the_database_is_unreachable(client, db):
    with mock.patch("tdc.api.connection.cursor", side_effect=OperationalError("gone")):
        response = client.get("/api/v1/health")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable"}


def test_api_docs_and_schema_are_served(client, db):
    assert client.get("/api/docs").status_code == 200
    schema = client.get("/api/openapi.json").json()
    assert "/api/v1/health" in schema["paths"]


def test_api_docs_use_bundled_swagger_not_a_cdn(client, db):
    page = client.get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn.jsdelivr" not in page
