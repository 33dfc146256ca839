#!/usr/bin/env bash
# Session 34: `top` and `tiers` at one venue in one campaign, offline, before and after schema 15's
# index. For each build (LABEL=BIN_DIR arguments): a copy of $DB (session 32's 2M-share query
# database, schema 12) migrated by that build's daemon, which then builds its rollups and indexes
# in the background with no ingest; once `status` lists none building, the daemon stops and
# qtime.py times each answer through `sharectl --db` (the whole process, 9 runs each).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
DB=${DB:-/tmp/s33/2m.db}
work=${WORK:-/tmp/s34/vc}
source "$here/../campaign-session33/daemon-on-copy.sh"
for pair in "$@"; do
    label=${pair%%=*}; bin=${pair#*=}
    start_on_copy "$work/$label" "$bin"
    until "$bin/sharectl" status --socket "$work/$label/control.sock" --json \
        | python3 -c 'import json,sys; s=json.load(sys.stdin); sys.exit(0 if not s.get("rollups_building") else 1)'; do
        sleep 1
    done
    echo "== $label ($bin): built $(python3 -c "import time; print(round(time.time() - $start, 1))") s after the start"
    kill -TERM "$pid"; wait "$pid" || true
    python3 "$here/qtime.py" "$bin/sharectl" "$work/$label/sharetrack.db" 9
done
