# summary.py: daemon CPU per event, tables caught up after the last answer, peak RSS, per side.
import json, glob, statistics
for side in ("before", "after"):
    runs = [json.load(open(f)) for f in sorted(glob.glob(f"{side}-commit-*.json"))]
    cpu = [round(d["daemon_cpu_microseconds_per_event"], 2) for d in runs]
    lag = [round(d["apply_lag_seconds"], 2) for d in runs]
    rss = [round(d["memory"]["peak_rss_bytes"] / 2**20) for d in runs]
    print(f"{side:6} CPU/event µs {cpu} median {statistics.median(cpu)}; caught up s {lag} median {statistics.median(lag)}; peak RSS MiB {rss}")
