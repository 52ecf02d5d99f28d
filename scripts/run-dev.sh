#!/usr/bin/env bash
# Development: run the web server, a Celery worker and Celery beat together.
# Ctrl-C stops all three; if any one of them exits, the others are stopped too.
# Called by `make run` (which migrates, collects static and seeds first).
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${VENV:-.venv}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
VAR_DIR=${JWP_VAR_DIR:-var}
export DEBUG=${DEBUG:-true}
mkdir -p "$VAR_DIR"

pids=()
# shellcheck disable=SC2317  # run from the traps below
stop() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  wait || true
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "jwp: http://$HOST:$PORT/  (web + Celery worker + Celery beat; Ctrl-C stops all three)"

"$VENV/bin/python" manage.py runserver "$HOST:$PORT" &
pids+=($!)
"$VENV/bin/celery" -A jwp worker --concurrency 2 -l info &
pids+=($!)
"$VENV/bin/celery" -A jwp beat -l info --schedule "$VAR_DIR/celerybeat-schedule" &
pids+=($!)

status=0
wait -n || status=$?
echo "run-dev: a process exited (status $status); stopping the others" >&2
exit "$status"
