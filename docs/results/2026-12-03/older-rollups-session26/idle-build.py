# usage: idle-build.py BINDIR DATABASE WORKDIR
# Starts BINDIR/sharetrackd (log level debug) on a fresh copy of DATABASE in WORKDIR, with no
# ingest, and prints the seconds until its ingest socket accepts and until its log says "rollups
# built:", and the build steps' count and milliseconds (from the debug log).
import os, re, shutil, socket, statistics, subprocess, sys, time

bindir, source, work = sys.argv[1:4]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
shutil.copy(source, work + "/db")
log = work + "/log"
started = time.time()
daemon = subprocess.Popen([bindir + "/sharetrackd", "--database", work + "/db", "--ingest-socket", work + "/in.sock",
                           "--control-socket", work + "/ctl.sock", "--config", "/dev/null", "--log-level", "debug"],
                          stdout=open(log, "w"), stderr=subprocess.STDOUT)
listening = None
while "rollups built:" not in open(log).read():
    if listening is None:
        try:
            probe = socket.socket(socket.AF_UNIX)
            probe.connect(work + "/in.sock")
            probe.close()
            listening = time.time() - started
        except OSError:
            pass
    time.sleep(0.01)
built = time.time() - started
daemon.terminate()
daemon.wait()
steps = [int(m) for m in re.findall(r"rollups built a step further.*?ms[=:\"\s]+(\d+)", open(log).read())]
print("listening after %.2f s; rollups built %.1f s after the start; %d steps, ms median %d, max %d, sum %.1f s"
      % (listening, built, len(steps), statistics.median(steps), max(steps), sum(steps) / 1000))
