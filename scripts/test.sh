#!/usr/bin/env bash
# Set everything up and run the whole test suite, then ruff. SQLite by default; MariaDB/MySQL
# when DATABASE_URL says so (e.g. DATABASE_URL=mysql://root@127.0.0.1:3306/tdc).
# Extra arguments go to pytest (e.g. scripts/test.sh -k calendar).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh

echo "test: database ${DATABASE_URL:-sqlite (default)}"
.venv/bin/python -m pytest "$@"
.venv/bin/python -m ruff check .
