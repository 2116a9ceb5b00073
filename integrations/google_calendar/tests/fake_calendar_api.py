"""A local HTTP endpoint speaking the subset of Google Calendar API v3 (and the OAuth token
exchange) that the sync uses, with Google's documented answers: 409 on a repeated insert id,
deleted events kept as `cancelled` (410 on a second delete, listed with showDeleted), 404 for
a calendar we cannot see. Used by the tests (the browser tests too) and by
bench/calendar_sync.py; counts every call and records each request.
"""

import json
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

API_PREFIX = "/calendar/v3/"


class FakeCalendarApi:
    def __init__(self, calendars: list[str] | dict[str, str]):
        """`calendars`: their ids, or a mapping of id to the summary (name) Google shows."""
        self.summaries = dict(calendars) if isinstance(calendars, dict) else {}
        self.calendars: dict[str, dict[str, dict]] = {c: {} for c in calendars}
        self.requests: list[tuple[str, str]] = []  # (method, path), in order
        self.calls: Counter = Counter()  # (method, operation) -> count, token exchange apart
        self.token_calls = 0
        self._etag = 0
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # --- lifecycle ---------------------------------------------------------------------------
    def __enter__(self) -> "FakeCalendarApi":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def root(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    url = root

    @property
    def events(self) -> dict[tuple[str, str], dict]:
        """Every live event, by (calendar, event id)."""
        return {
            (calendar, event_id): event
            for calendar in self.calendars
            for event_id, event in self.live_events(calendar).items()
        }

    @property
    def api_endpoint(self) -> str:
        return self.root + API_PREFIX

    @property
    def token_uri(self) -> str:
        return self.root + "/token"

    @property
    def api_calls(self) -> int:
        return sum(self.calls.values())

    def reset_counts(self) -> None:
        self.calls.clear()
        self.token_calls = 0

    def live_events(self, calendar: str) -> dict[str, dict]:
        return {i: e for i, e in self.calendars[calendar].items() if e.get("status") != "cancelled"}

    # --- the API -----------------------------------------------------------------------------
    def _next_etag(self) -> str:
        self._etag += 1
        return f'"{self._etag}"'

    def handle(self, method: str, path: str, query: dict, body: dict | None):
        self.requests.append((method, path))
        if path == "/token" and method == "POST":
            self.token_calls += 1
            return 200, {"access_token": "fake-token", "expires_in": 3600, "token_type": "Bearer"}
        if not path.startswith(API_PREFIX + "calendars/"):
            return 404, _error(404, "notFound", "Not Found")
        parts = [unquote(p) for p in path[len(API_PREFIX) :].split("/")]
        calendar_id = parts[1]
        events = self.calendars.get(calendar_id)
        if events is None:
            return 404, _error(404, "notFound", "Not Found")
        if len(parts) == 2 and method == "GET":
            self.calls["calendars.get"] += 1
            summary = self.summaries.get(calendar_id, calendar_id)
            return 200, {"kind": "calendar#calendar", "id": calendar_id, "summary": summary}
        if len(parts) == 3 and method == "GET":
            self.calls["events.list"] += 1
            return 200, self._list(events, query)
        if len(parts) == 3 and method == "POST":
            self.calls["events.insert"] += 1
            if body["id"] in events:
                return 409, _error(409, "duplicate", "The requested identifier already exists.")
            events[body["id"]] = {**body, "etag": self._next_etag(), "kind": "calendar#event"}
            return 200, events[body["id"]]
        event_id = parts[3]
        existing = events.get(event_id)
        if method == "PUT":
            self.calls["events.update"] += 1
            if existing is None:
                return 404, _error(404, "notFound", "Not Found")
            events[event_id] = {**body, "id": event_id, "etag": self._next_etag()}
            events[event_id].setdefault("status", "confirmed")
            return 200, events[event_id]
        if method == "DELETE":
            self.calls["events.delete"] += 1
            if existing is None:
                return 404, _error(404, "notFound", "Not Found")
            if existing.get("status") == "cancelled":
                return 410, _error(410, "deleted", "Resource has been deleted")
            # Google keeps a deleted event as cancelled, with little more than its id.
            events[event_id] = {"id": event_id, "status": "cancelled", "etag": self._next_etag()}
            return 204, None
        return 405, _error(405, "methodNotAllowed", "Method Not Allowed")

    def _list(self, events: dict[str, dict], query: dict) -> dict:
        wanted = [p.split("=", 1) for p in query.get("privateExtendedProperty", [])]
        show_deleted = query.get("showDeleted", ["false"])[0] == "true"
        matching = []
        for event in events.values():
            if event.get("status") == "cancelled":
                if show_deleted:
                    matching.append(event)
                continue
            private = event.get("extendedProperties", {}).get("private", {})
            if all(private.get(k) == v for k, v in wanted):
                matching.append(event)
        size = int(query.get("maxResults", ["250"])[0])
        start = int(query.get("pageToken", ["0"])[0])
        page = {"kind": "calendar#events", "items": matching[start : start + size]}
        if start + size < len(matching):
            page["nextPageToken"] = str(start + size)
        return page

    def _handler(self):
        api = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self, method: str) -> None:
                url = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                body = None
                if raw and self.headers.get("Content-Type", "").startswith("application/json"):
                    body = json.loads(raw)
                with api._lock:
                    status, payload = api.handle(method, url.path, parse_qs(url.query), body)
                data = b"" if payload is None else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=UTF-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                self._serve("GET")

            def do_POST(self):
                self._serve("POST")

            def do_PUT(self):
                self._serve("PUT")

            def do_DELETE(self):
                self._serve("DELETE")

            def log_message(self, *args):  # quiet
                pass

        return Handler


def _error(status: int, reason: str, message: str) -> dict:
    return {
        "error": {
            "errors": [{"domain": "global", "reason": reason, "message": message}],
            "code": status,
            "message": message,
        }
    }
