#!/usr/bin/env python3
"""Medians of A (a-N.json) and B (b-N.json) runs of sharetrack-bench --json in a directory."""
import json, statistics, sys, glob
directory = sys.argv[1] if len(sys.argv) > 1 else "."
rows = [("events/s", lambda d: d["events_per_second"]),
        ("daemon CPU per event, µs", lambda d: d["daemon_cpu_microseconds_per_event"]),
        ("tables caught up after the last answer, s", lambda d: d["apply_lag_seconds"]),
        ("memory per known share, B", lambda d: d["memory"]["bytes_per_share"]),
        ("daemon RSS after, MiB", lambda d: d["memory"]["rss_after_bytes"] / 2**20),
        ("peak RSS, MiB", lambda d: d["memory"]["peak_rss_bytes"] / 2**20)]
runs = {side: [json.load(open(f)) for f in sorted(glob.glob(f"{directory}/{side}-*.json"))] for side in "ab"}
print(f"{'median of ' + str(len(runs['a'])) + ' (each run)':45} {'A':>28} {'B':>28}")
for name, value in rows:
    cells = []
    for side in "ab":
        values = [value(d) for d in runs[side]]
        cells.append(f"{statistics.median(values):,.2f} ({', '.join(f'{v:,.1f}' for v in values)})")
    print(f"{name:45} {cells[0]:>28} {cells[1]:>28}")
