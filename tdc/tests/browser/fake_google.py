"""A local HTTP endpoint speaking the subset of Google's OAuth token endpoint and Calendar API v3
that the calendar sync uses, for tests driving the real app (googleapiclient talks httplib2,
which `responses` cannot see). Point `token_uri` in the service-account file and
GOOGLE_CALENDAR_API_ENDPOINT at it.
"""

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

API_PREFIX = "/calendar/v3/"


@dataclass
class FakeGoogle:
    url: str = ""
    requests: list[tuple[str, str]] = field(default_factory=list)
    events: dict[tuple[str, str], dict] = field(default_factory=dict)  # (calendar, id) -> event
    calendars: dict[str, str] = field(default_factory=dict)  # id -> summary

    def answer(self, method: str, path: str, body: dict | None) -> tuple[int, dict | None]:
        self.requests.append((method, path))
        if path == "/token" and method == "POST":
            return 200, {"access_token": "ya29.fake", "expires_in": 3600, "token_type": "Bearer"}
        if not path.startswith(API_PREFIX + "calendars/"):
            return 404, _error(404, "Not Found")
        parts = [unquote(part) for part in path[len(API_PREFIX) :].split("/")]
        calendar = parts[1]
        if calendar not in self.calendars:
            return 404, _error(404, "Not Found")
        if len(parts) == 2 and method == "GET":
            return 200, {"id": calendar, "summary": self.calendars[calendar]}
        if len(parts) == 3 and parts[2] == "events" and method == "POST":
            key = (calendar, body["id"])
            if key in self.events:
                return 409, _error(409, "The requested identifier already exists.")
            return 200, self._store(key, body)
        if len(parts) == 4 and parts[2] == "events":
            key = (calendar, parts[3])
            if method == "PUT":
                return 200, self._store(key, body)
            if method == "DELETE":
                return (204, None) if self.events.pop(key, None) else (410, _error(410, "Gone"))
            if method == "GET" and key in self.events:
                return 200, self.events[key]
        return 404, _error(404, "Not Found")

    def _store(self, key: tuple[str, str], body: dict) -> dict:
        version = int(self.events.get(key, {}).get("sequence", -1)) + 1
        event = {**body, "id": key[1], "sequence": version, "etag": f'"{key[1]}-{version}"'}
        self.events[key] = event
        return event


def _error(code: int, message: str) -> dict:
    return {"error": {"code": code, "message": message, "errors": [{"message": message}]}}


def _handler(google: FakeGoogle):
    class Handler(BaseHTTPRequestHandler):
        def _serve(self):
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            body = None
            if raw and "json" in (self.headers.get("Content-Type") or ""):
                body = json.loads(raw)
            status, payload = google.answer(self.command, urlsplit(self.path).path, body)
            data = json.dumps(payload).encode() if payload is not None else b""
            self.send_response(status)
            if data:
                self.send_header("Content-Type", "application/json; charset=UTF-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve

        def log_message(self, format, *args):  # quiet: the test asserts on google.requests
            pass

    return Handler


class running_fake_google:
    """Context manager: a FakeGoogle served on 127.0.0.1 on a free port."""

    def __enter__(self) -> FakeGoogle:
        self.google = FakeGoogle()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.google))
        self.google.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self.google

    def __exit__(self, *exc_info) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
