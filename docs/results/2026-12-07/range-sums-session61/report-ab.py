# report-ab.py RUNS A B DB RANGE...: `sharectl report --since RANGE --db DB` with A and B alternated,
# RUNS times each: the medians and ranges in ms, and whether the pages were the same but for their
# footer (the minute they were made).
import subprocess, time, statistics, sys
runs, a, b, db = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
for since in sys.argv[5:]:
    times, pages = {a: [], b: []}, set()
    for _ in range(runs):
        for ctl in (a, b):
            s = time.perf_counter()
            subprocess.run([ctl, "report", "--since", since, "--db", db, "--output", "/tmp/report-ab.html"], check=True,
                           capture_output=True)
            times[ctl].append((time.perf_counter() - s) * 1000)
            pages.add("".join(l for l in open("/tmp/report-ab.html") if "<footer>" not in l))
    print(f"report --since {since:5} " + "  ".join(f"{statistics.median(t):7.0f} ({min(t):.0f}-{max(t):.0f})" for t in times.values())
          + ("  same" if len(pages) == 1 else "  DIFFER"), flush=True)
