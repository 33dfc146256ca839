#!/usr/bin/env bash
# make demo: a simulated chain (20 venues, 400 advocates across every tier, six days of shares,
# clicks, bot clicks and conversions) sent through a real sharetrackd on ./var at a kiosk-like pace,
# then the report (var/report.html) and the fact table (var/export.csv).
#
#   BIN     the built binaries (default .build/debug)
#   VAR     the daemon's directory: database and sockets (default var)
#   EVENTS  events to send (default 40000)
#   RATE    events per second (default 4000)
#
# A daemon already running on $VAR (make run) is used as it is and left running; otherwise one is
# started for the demo and stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.build/debug}
VAR=${VAR:-var}
EVENTS=${EVENTS:-40000}
RATE=${RATE:-4000}
control="$VAR/control.sock"
sharectl() { "$BIN/sharectl" "$@"; }

mkdir -p "$VAR"
daemon=""
stop_daemon() {
    if [ -n "$daemon" ]; then
        kill -TERM "$daemon" 2>/dev/null && wait "$daemon" || true
        daemon=""
    fi
}
trap stop_daemon EXIT

if sharectl status --socket "$control" >/dev/null 2>&1; then
    echo "demo: using the sharetrackd already running on $VAR"
else
    echo "demo: starting sharetrackd on $VAR (log: $VAR/demo-daemon.log)"
    "$BIN/sharetrackd" --config config/local.yaml --database "$VAR/sharetrack.db" \
        --ingest-socket "$VAR/ingest.sock" --control-socket "$control" --log-level warning \
        >"$VAR/demo-daemon.log" 2>&1 &
    daemon=$!
    for _ in $(seq 100); do
        sharectl status --socket "$control" >/dev/null 2>&1 && break
        kill -0 "$daemon" 2>/dev/null || { cat "$VAR/demo-daemon.log"; exit 1; }
        sleep 0.1
    done
fi

echo "demo: sending $EVENTS events at $RATE/s: 20 venues, 400 advocates, six days of shares, clicks and conversions"
"$BIN/sharetrack-bench" --socket "$VAR/ingest.sock" --control "$control" --events "$EVENTS" --rate "$RATE" \
    --days 6 --advocates 400 --no-ceiling >"$VAR/demo-bench.txt"

sharectl report --socket "$control" --since 3d --output "$VAR/report.html"
sharectl export --socket "$control" --output "$VAR/export.csv"
stop_daemon

cat <<TEXT

demo: done.
  report: $VAR/report.html   (open it in a browser; it works offline and prints well)
  export: $VAR/export.csv    (one row per share and hour, for a spreadsheet)

Try next (the database stays in $VAR; another demo run adds as many events over the same six days):
  $BIN/sharectl tiers --db $VAR/sharetrack.db
  $BIN/sharectl top --db $VAR/sharetrack.db --since 3d --by engagement --limit 5
  $BIN/sharectl report --db $VAR/sharetrack.db --tier nano --output $VAR/nano.html
TEXT
