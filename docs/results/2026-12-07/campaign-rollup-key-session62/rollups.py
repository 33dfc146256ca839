# rollups.py FILE...: per file, the median over its batches of each rollup's upsert time (ms)
# and of their sum, from the instrumented daemon's ROLLUPS lines.
import sys, statistics
for path in sys.argv[1:]:
    per = {}
    for line in open(path):
        if not line.startswith("ROLLUPS"): continue
        fields = dict(f.split("=") for f in line.split()[1:])
        total = 0
        for k, v in fields.items():
            if k == "cells": continue
            per.setdefault(k, []).append(float(v)); total += float(v)
        per.setdefault("total", []).append(total)
    print(path, "  ".join(f"{k.replace('rollup_', '')} {statistics.median(v):.1f}" for k, v in per.items()))
