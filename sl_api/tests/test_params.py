"""Bad parameters answer 400 with a short JSON error a script can read; nothing answers 5xx."""

import json

import pytest

pytestmark = pytest.mark.django_db

PATHS = ("events", "events/next", "events/today")


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize(
    ("query", "mentions"),
    [
        ("tz=Mars/Olympus", "tz"),
        ("tz=../../etc/passwd", "tz"),
        ("tz=%00", "tz"),
        ("tz=localtime", "tz"),  # the server's own zone, not a place
        ("lang=fr", "lang"),
        ("lang=", None),  # empty means the default
        ("limit=0", "limit"),  # (events/next has no list: it ignores limit)
        ("limit=51", "limit"),
        ("limit=ten", "limit"),
        ("limit=-1", "limit"),
        ("limit=1e3", "limit"),
        ("limit=%D9%A3", "limit"),  # an Arabic-Indic digit three
        ("limit=99999999999999999999", "limit"),
        ("max_bytes=255", "max_bytes"),
        ("max_bytes=16385", "max_bytes"),
        ("max_bytes=2k", "max_bytes"),
        ("format=xml", "format"),
    ],
)
def test_bad_parameters_answer_400_json(client, panel_clock, path, query, mentions):
    if path == "events/next" and mentions == "limit":
        mentions = None
    response = client.get(f"/api/v1/sl/{path}?{query}")
    if mentions is None:
        assert response.status_code == 200
        return
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = json.loads(response.content)
    assert list(body) == ["error"]
    assert body["error"].startswith(f"{mentions}:")
    assert len(response.content) < 200


def test_limit_only_applies_where_there_is_a_list_and_bounds_are_inclusive(client, panel_clock):
    for query in ("limit=1", "limit=50", "max_bytes=256", "max_bytes=16384"):
        assert client.get(f"/api/v1/sl/events?{query}").status_code == 200
    assert client.get("/api/v1/sl/events/next?limit=whatever").status_code == 200


def test_an_error_never_echoes_a_long_or_unprintable_value(client, panel_clock):
    response = client.get("/api/v1/sl/events?tz=" + "A" * 500 + "%0A")
    error = response.json()["error"]
    assert response.status_code == 400 and len(error) < 120 and "\n" not in error


def test_unknown_parameters_such_as_cache_busters_are_ignored(client, panel_clock):
    assert client.get("/api/v1/sl/events?nocache=1732550000").status_code == 200


def test_accepted_spellings(client, panel_clock, make_event):
    make_event(title="Jazz", title_it="Jazz italiano")
    for query in ("tz=slt", "tz=UTC", "lang=IT", "lang=it_IT", "format=TEXT", "limit=%2010"):
        assert client.get(f"/api/v1/sl/events?{query}").status_code == 200, query


NASTY = ["%FF", "%00", "%0A%0D", "'%20OR%201=1", "%F0%9F%8E%B8", "9" * 300, "-0", "+5", " "]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("name", ("tz", "lang", "limit", "max_bytes", "format"))
def test_no_input_yields_a_server_error(client, panel_clock, make_event, path, name):
    make_event()
    for value in NASTY:
        response = client.get(f"/api/v1/sl/{path}?{name}={value}&{name}={value}")
        assert response.status_code in (200, 400), (name, value)
        assert response["Content-Type"] in (
            "application/json; charset=utf-8",
            "text/plain; charset=utf-8",
        )


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("method", ("post", "put", "patch", "delete", "options"))
def test_writes_are_refused_in_json(client, panel_clock, path, method):
    response = getattr(client, method)(f"/api/v1/sl/{path}")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {"error": "read-only: use GET"}


@pytest.mark.parametrize("path", PATHS)
def test_head_answers_like_get_without_a_body(client, panel_clock, make_event, path):
    make_event()
    got = client.get(f"/api/v1/sl/{path}?format=text")
    head = client.head(f"/api/v1/sl/{path}?format=text")
    assert head.status_code == 200 and head.content == b""
    assert (head["Content-Type"], head["ETag"]) == (got["Content-Type"], got["ETag"])


@pytest.mark.parametrize(
    "path", ("events/", "events/next/", "event", "events/tomorrow", "", "events/next/extra")
)
def test_a_wrong_path_answers_404_in_json_naming_the_endpoints(client, panel_clock, path):
    # An HTML 404 would reach a script as a 415 with the body lost.
    response = client.get(f"/api/v1/sl/{path}")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "events, events/next or events/today" in response.json()["error"]


def test_the_parameters_are_documented_in_the_api_schema(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    documented = {p["name"] for p in paths["/api/v1/sl/events"]["get"]["parameters"]}
    assert documented == {"tz", "lang", "limit", "max_bytes", "format"}
    next_params = {p["name"] for p in paths["/api/v1/sl/events/next"]["get"]["parameters"]}
    assert "limit" not in next_params
    assert set(paths["/api/v1/sl/events/next"]) == {"get"}  # the write refusals are not listed
