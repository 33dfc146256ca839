#!/usr/bin/env bash
# Session 34: what schema 15's index costs the apply: `make bench`'s default workload (commit
# mode) with BEFORE's and AFTER's release builds, 3 runs each alternated (RUNS names them), raw JSON in bench/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
for run in ${RUNS:-1 2 3}; do
    for side in before after; do
        bin=$([ "$side" = before ] && echo "$BEFORE" || echo "$AFTER")
        "$bin/sharetrack-bench" --json > "$here/bench/$side-commit-$run.json"
    done
done
python3 - "$here/bench" <<'PY'
import json, sys, glob, statistics
for side in ("before", "after"):
    runs = [json.load(open(f)) for f in sorted(glob.glob(f"{sys.argv[1]}/{side}-commit-*.json"))]
    cpu = [r["daemon_cpu_microseconds_per_event"] for r in runs]
    lag = [r["apply_lag_seconds"] for r in runs]
    print(f"{side}: daemon CPU per event {[round(c, 2) for c in cpu]} µs, median {statistics.median(cpu):.2f}; "
          f"tables caught up {[round(l, 2) for l in lag]} s, median {statistics.median(lag):.2f}")
PY
