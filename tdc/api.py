"""The one NinjaAPI: docs at /api/docs, schema at /api/openapi.json, routers mounted below."""

from csp.decorators import csp_update
from django.db import DatabaseError, connection
from ninja import NinjaAPI, Schema, Status

from patreon_sync.api import router as patreon_router
from sl_api.api import router as sl_router

api = NinjaAPI(
    title="TDC Integrations API",
    version="1",
    description="The Dreamer's Cave: Second Life panels and the Patreon webhook.",
    docs_url="/docs",
    openapi_url="/openapi.json",
    # Swagger UI's stylesheet draws its icons as data: images; no other page needs them.
    docs_decorator=csp_update({"img-src": ["data:"]}),
)

api.add_router("/v1/sl/", sl_router)
api.add_router("/v1/patreon/", patreon_router)


class HealthOut(Schema):
    status: str
    database: str


@api.get(
    "/v1/health",
    tags=["health"],
    response={200: HealthOut, 503: HealthOut},
    summary="200 with the database reachable, 503 when not",
)
def health(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return Status(503, {"status": "error", "database": "unreachable"})
    return Status(200, {"status": "ok", "database": "ok"})
