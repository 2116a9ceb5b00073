#!/usr/bin/env bash
# Set everything up and run the app locally: SQLite, demo data, an admin login (its password is
# kept in .env and printed at every start; `manage.py demo_admin --reset` makes a new one), the
# web server on 127.0.0.1:8000 and the django-q2 task worker. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh

if [ ! -f .env ]; then
  # A local development .env: DEBUG on, a fresh secret key, everything else default. It will
  # hold secrets (the key, the admin password): readable by its owner only.
  (umask 077; touch .env)
  { echo "DEBUG=true"; echo "SECRET_KEY=$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))')"; } > .env
  echo "run: wrote a development .env (DEBUG=true). Edit it to configure integrations."
fi

PY=.venv/bin/python
$PY manage.py migrate --noinput -v0
$PY manage.py load_demo_data
$PY manage.py demo_admin  # the login kept in .env (a new one on the first run)

# Each process runs in its own session, so a terminal's Ctrl-C reaches only this script, which
# then stops each of them exactly once (a worker signalled twice can hang while stopping).
worker= web=
stop() {
  trap - INT TERM EXIT
  echo; echo "run: stopping…"
  [ -n "$web" ] && kill -TERM -- "-$web" 2>/dev/null    # runserver and its autoreload child
  [ -n "$worker" ] && kill -TERM "$worker" 2>/dev/null  # qcluster stops its own workers
  for _ in $(seq 40); do
    kill -0 "$worker" 2>/dev/null || kill -0 "$web" 2>/dev/null || break
    sleep 0.5
  done
  for pid in $worker $web; do kill -KILL -- "-$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

setsid $PY manage.py qcluster &
worker=$!
setsid $PY manage.py runserver 127.0.0.1:8000 &
web=$!
echo "run: web server on http://127.0.0.1:8000/admin/ and task worker started. Ctrl-C stops both."
wait -n "$worker" "$web"
