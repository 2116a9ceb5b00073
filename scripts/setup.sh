#!/usr/bin/env bash
# Prepare this checkout on a fresh machine: system headers for mysqlclient, a virtualenv in
# .venv, and the pinned requirements. Safe to run again; it skips what is already done.
# Sourced by scripts/run.sh and scripts/test.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON=${PYTHON:-python3}
REQUIREMENTS=${REQUIREMENTS:-requirements-dev.txt}

if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "setup: Python 3.11 or newer is needed as '$PYTHON' (set PYTHON=/path/to/python3.x)." >&2
  exit 1
fi

# A system package this machine lacks: installed with apt-get when we may, else the one line to run.
need_packages() {  # need_packages "what it is for" package…
  local why=$1; shift
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing $* ($why)…"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    echo "setup: $why needs $*. Install them, then run again:" >&2
    echo "    sudo apt-get install $*" >&2
    exit 1
  fi
}

# mysqlclient compiles against the MariaDB/MySQL client headers, found through pkg-config.
if ! pkg-config --exists mariadb 2>/dev/null && ! pkg-config --exists mysqlclient 2>/dev/null; then
  need_packages "mysqlclient" libmariadb-dev pkg-config gcc
fi

# GNU gettext compiles the translations below (and `makemessages` needs it to regenerate them).
command -v msgfmt >/dev/null || need_packages "the translations" gettext

# The browser tests drive Debian's Chromium (Playwright cannot download its own browser here):
# only the test command needs it.
if [ "$(basename "$0")" = test.sh ] && [ ! -x /usr/bin/chromium ]; then
  need_packages "the browser tests" chromium
fi

# The browser tests inject axe-core (an npm package, pinned in package.json) into the pages they
# audit; nothing is built from it.
if [ "$(basename "$0")" = test.sh ] && [ ! -f node_modules/axe-core/axe.min.js ]; then
  if command -v npm >/dev/null; then
    echo "setup: installing axe-core for the accessibility tests…"
    npm ci --no-audit --no-fund --silent
  else
    echo "setup: the accessibility tests need npm (for axe-core). Install it, then run again:" >&2
    echo "    sudo apt-get install npm" >&2
    exit 1
  fi
fi

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv…"
  "$PYTHON" -m venv .venv
fi

# Re-install only when the requirement files changed since the last successful install.
stamp=.venv/.requirements.sha256
want=$(cat requirements*.txt | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing $REQUIREMENTS…"
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install -q --disable-pip-version-check -r "$REQUIREMENTS"
  echo "$want" > "$stamp"
fi

# The compiled catalogues (.mo) are not kept in git: built from locale/*.po on every run, which
# takes a moment and can never leave a stale one behind.
for po in locale/*/LC_MESSAGES/*.po; do
  [ -f "$po" ] || continue
  msgfmt --check-format -o "${po%.po}.mo" "$po"
done
