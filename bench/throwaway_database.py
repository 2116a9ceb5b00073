"""A database a benchmark may fill and drop: never the one DATABASE_URL names.

SQLite (default): a file under var/. MySQL/MariaDB (DATABASE_URL is mysql://): a database named
`<the URL's name>_<suffix>` on the same server, created utf8mb4 and dropped afterwards.
Imported by the bench scripts as a sibling module (they run as `python bench/<name>.py`).
"""

import os
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


def throwaway_database(suffix: str) -> tuple[str, Callable[[], None]]:
    """A fresh, empty database for this run: its URL, and the function that drops it."""
    given = os.environ.get("DATABASE_URL", "")
    if given.startswith("mysql://"):
        return _throwaway_mysql(given, suffix)
    path = ROOT / "var" / f"{suffix}.sqlite3"
    path.parent.mkdir(exist_ok=True)

    def drop() -> None:
        # The settings turn WAL on: its two side files go with the database.
        for name in (path.name, f"{path.name}-wal", f"{path.name}-shm"):
            (path.parent / name).unlink(missing_ok=True)

    drop()
    return f"sqlite:///{path}", drop


def _throwaway_mysql(given: str, suffix: str) -> tuple[str, Callable[[], None]]:
    import MySQLdb  # only needed for MySQL

    parts = urlsplit(given)
    name = f"{unquote(parts.path.lstrip('/')) or 'tdc'}_{suffix}"
    if "`" in name:
        raise SystemExit(f"bench: unusable database name {name!r}")
    server = {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 3306,
        "user": unquote(parts.username or "root"),
        "password": unquote(parts.password or ""),  # the URL holds it percent-encoded
    }

    def run(sql: str) -> None:
        connection = MySQLdb.connect(**server)
        try:
            connection.cursor().execute(sql)
        finally:
            connection.close()

    run(f"DROP DATABASE IF EXISTS `{name}`")
    run(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    return urlunsplit(parts._replace(path=f"/{name}")), lambda: run(f"DROP DATABASE `{name}`")


def without_password(url: str) -> str:
    """The URL to print: its password (only that part of it) starred out."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{parts.username}:***@{host}"))
