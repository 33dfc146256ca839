#!/usr/bin/env python3
"""Medians of the runs in a directory: python3 summary.py DIR [SIDE ...] (files SIDE-ACK-N.json;
the sides default to before and after; ratios are to the first side)."""
import glob, json, os, statistics, sys

directory = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(__file__)
sides = tuple(sys.argv[2:]) or ("before", "after")
def figures(report):
    events = report["events_answered"]
    memory = report.get("memory") or {}
    return {
        "events/s": report["events_per_second"],
        "CPU µs/event": report["daemon_cpu_seconds"] * 1e6 / events,
        "p99 ms": report["ack_latency"]["p99_ms"],
        "caught up s": report.get("apply_lag_seconds") or 0,
        "peak RSS MiB": memory.get("peak_rss_bytes", 0) / 2**20,
        "B/share": memory.get("bytes_per_share", 0),
        "ratio to ceiling": report.get("ratio_to_ceiling") or 0,
    }
for ack in ("receive", "commit"):
    rows = {}
    for side in sides:
        runs = [figures(json.load(open(f))) for f in sorted(glob.glob(f"{directory}/{side}-{ack}-*.json"))]
        if runs:
            rows[side] = {k: statistics.median(r[k] for r in runs) for k in runs[0]} | {"runs": len(runs)}
    if not rows: continue
    counts = ", ".join(f"{side} {row['runs']}" for side, row in rows.items())
    print(f"ack {ack} (median of runs: {counts})")
    for key in next(iter(rows.values())):
        if key == "runs": continue
        values = [rows[s][key] for s in sides if s in rows]
        ratio = "".join(f"  ×{v / values[0]:.2f}" for v in values[1:]) if values[0] else ""
        places = 4 if key == "ratio to ceiling" else 2
        print(f"  {key:18}" + "".join(f"{v:14,.{places}f}" for v in values) + ratio)
