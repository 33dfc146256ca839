import subprocess, time, statistics, sys, hashlib
# ttime.py DB N SHARECTL...: `top --limit 20` at one place (a venue or a campaign) with a network,
# a tier or both, and in a campaign alone, each case run N times per binary as a whole
# `sharectl --db DB` process (a path or a postgresql:// URI), the
# binaries alternated run by run: the median, lowest and highest time (ms) and the digest of the
# JSON answer, which every run of every binary must give alike (else "DIFFER").
db, runs, ctls = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
cases = ["--venue venue-03 --tier nano", "--venue venue-03 --network youtube",
         "--venue venue-11 --tier mega", "--campaign campaign-2 --tier micro",
         "--campaign campaign-2 --network x --tier mid"] + [
         f"--campaign campaign-3 --network youtube --by {by}"
         for by in ["clicks", "unique_clicks", "conversions", "value", "shares", "reach", "engagement"]] + [
         f"--campaign campaign-3 --by {by}" for by in ["clicks", "unique_clicks", "value", "shares", "engagement"]]

def answer(ctl, arguments):
    command = [ctl, "top", "--limit", "20", *arguments.split(), "--db", db, "--json"]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return (time.perf_counter() - start) * 1000, hashlib.sha256(done.stdout.encode()).hexdigest()[:12]

for arguments in cases:
    results = {ctl: [] for ctl in ctls}
    for _ in range(runs):
        for ctl in ctls:
            results[ctl].append(answer(ctl, arguments))
    digests = {d for ctl in ctls for _, d in results[ctl]}
    for ctl in ctls:
        times = [t for t, _ in results[ctl]]
        print(f"{arguments:52} {ctl.split('/')[-2]:8} median {statistics.median(times):6.1f} ms  "
              f"min {min(times):6.1f}  max {max(times):6.1f}  {'same' if len(digests) == 1 else 'DIFFER'}")
