import json, sys, statistics, glob
d = sys.argv[1]
def get(j, path):
    for p in path.split('.'):
        j = j[p]
    return j
j0 = json.load(open(f"{d}/a-1.json"))
print(json.dumps(j0['flushes'])[:600])
keys = ['events_per_second', 'daemon_cpu_microseconds_per_event', 'apply_lag_seconds', 'daemon_cpu_seconds']
for side in 'ab':
    runs = [json.load(open(f)) for f in sorted(glob.glob(f"{d}/{side}-*.json"))]
    out = []
    for k in keys:
        out.append(f"{k}={statistics.median(r[k] for r in runs):.3g} {[round(r[k],3) for r in runs]}")
    for k in ['apply_per_100k_rows_p50_ms']:
        try: out.append(f"{k}={statistics.median(get(r,'flushes.'+k) for r in runs)}")
        except Exception as e: pass
    print(side, "\n  ".join(out))
