#!/usr/bin/env python3
# usage: summary.py "BEFORE_GLOB" "AFTER_GLOB": per query, the median over the runs of the live
# median and of the live p99 (ms), before and after (parse as compare.py in queries-session12).
import sys, glob, statistics, importlib.util, os
here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("compare", os.path.join(here, "../../2026-12-01/queries-session12/compare.py"))
src = open(spec.origin).read().split("a=[parse")[0]
ns = {}; exec(src, ns); parse = ns["parse"]
a = [parse(p) for p in sorted(glob.glob(sys.argv[1]))]
b = [parse(p) for p in sorted(glob.glob(sys.argv[2]))]
print(f"{len(a)} runs before, {len(b)} after; medians over the runs (ms)")
print(f"{'query':40s} {'live median':>18s} {'live p99':>18s}")
for name in a[0]:
    m = lambda runs, i: statistics.median(r[name][i] for r in runs if name in r)
    print(f"{name:40s} {m(a,1):>7.0f} -> {m(b,1):<7.0f} {m(a,2):>7.0f} -> {m(b,2):<7.0f}")
