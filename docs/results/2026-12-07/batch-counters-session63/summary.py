#!/usr/bin/env python3
"""The runs of run.sh side by side, from the current directory: events/s, daemon CPU per event,
peak RSS, memory per known share, catch-up. Usage: summary.py [A_NAME B_NAME] (default a b)."""
import json, statistics, sys
sides = sys.argv[1:3] or ["a", "b"]
for mode in ("receive", "commit"):
    for side in sides:
        runs = [json.load(open(f"{mode}-{side}{i}.json")) for i in (1, 2, 3)]
        cols = {
            "events/s": [r["events_per_second"] for r in runs],
            "CPU µs/event": [r["daemon_cpu_microseconds_per_event"] for r in runs],
            "peak RSS MiB": [r["memory"]["peak_rss_bytes"] / 2**20 for r in runs],
            "B/share": [r["memory"]["bytes_per_share"] for r in runs],
            "caught up s": [r["apply_lag_seconds"] for r in runs],
        }
        print(f"{mode:8} {side}: " + "; ".join(
            f"{k} {statistics.median(v):,.2f} ({', '.join(f'{x:,.2f}' for x in v)})" for k, v in cols.items()))
