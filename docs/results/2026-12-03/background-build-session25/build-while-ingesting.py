# usage: build-while-ingesting.py BINDIR DATABASE WORKDIR
# Copies DATABASE (schema 10, or older) to WORKDIR, starts BINDIR/sharetrackd on it (log level
# debug), and prints: the seconds until its ingest socket accepts a connection (the migration runs
# before); then, with the bench ingesting at 20,000 events/s (ack: commit) from that moment
# (1,200,000 events, or $EVENTS, added in session 26), the
# seconds until the log says "rollups built", every build step's and apply's milliseconds (from
# the debug log), the time of `top --by clicks --venue venue-03`, then of `top --by clicks` (added
# in session 26), asked three times each during the build and three times after it, and the
# bench's answer latencies over the whole run. A daemon that builds nothing in the background
# ("rollups built" when the bench is done) still gets its start and latencies measured.
import json, os, re, shutil, socket, statistics, subprocess, sys, time

bindir, source, work = sys.argv[1], sys.argv[2], sys.argv[3]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
db = work + "/db"
shutil.copy(source, db)
ingest, control, log = work + "/in.sock", work + "/ctl.sock", work + "/log"

def ask(request):
    s = socket.socket(socket.AF_UNIX)
    s.connect(control)
    started = time.perf_counter()
    s.sendall(json.dumps(request).encode() + b"\n")
    answer = b""
    while not answer.endswith(b"\n"):
        chunk = s.recv(1 << 20)
        if not chunk:
            break
        answer += chunk
    s.close()
    return (time.perf_counter() - started) * 1000

started = time.time()
daemon = subprocess.Popen([bindir + "/sharetrackd", "--database", db, "--ingest-socket", ingest,
                           "--control-socket", control, "--config", "/dev/null", "--log-level", "debug"],
                          stdout=open(log, "w"), stderr=subprocess.STDOUT)
while True:
    try:
        s = socket.socket(socket.AF_UNIX)
        s.connect(ingest)
        s.close()
        break
    except OSError:
        time.sleep(0.01)
print("listening after %.2f s" % (time.time() - started))
bench = subprocess.Popen([bindir + "/sharetrack-bench", "--socket", ingest, "--control", control, "--rate", "20000",
                          "--events", os.environ.get("EVENTS", "1200000"), "--seed", "11", "--days", "1", "--json"],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
venue = {"command": "top", "query": {"by": "clicks", "limit": 20, "filter": {"venue": "venue-03"}}}
everyone = {"command": "top", "query": {"by": "clicks", "limit": 20}}
time.sleep(3)
during = [ask(venue) for _ in range(3)]
during_everyone = [ask(everyone) for _ in range(3)]
# (A daemon that builds nothing in the background: until the bench is done.)
while "rollups built:" not in open(log).read() and bench.poll() is None:
    time.sleep(0.05)
print("rollups built %.1f s after the start" % (time.time() - started))
after = [ask(venue) for _ in range(3)]
after_everyone = [ask(everyone) for _ in range(3)]
for name, before, then in [("top --venue venue-03", during, after), ("top", during_everyone, after_everyone)]:
    print("%s during the build: %s ms; after: %s ms" % (
        name, " ".join("%.0f" % t for t in before), " ".join("%.0f" % t for t in then)))
report = json.loads(bench.communicate()[0])
daemon.terminate()
daemon.wait()
text = open(log).read()
steps = [int(m) for m in re.findall(r"rollups built a step further.*?ms[=:\"\s]+(\d+)", text)]
applies = [int(m) for m in re.findall(r"applied.*?ms[=:\"\s]+(\d+)", text)]
if steps:
    print("build steps: %d, ms median %d, max %d: %s" % (len(steps), statistics.median(steps), max(steps),
                                                         " ".join(map(str, steps))))
print("applies: %d, ms median %d, max %d" % (len(applies), statistics.median(applies), max(applies)))
print("bench: " + json.dumps({k: v for k, v in report.items() if "latency" in k or "rate" in k or "events" in k}))
