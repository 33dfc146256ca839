import os, socket, subprocess, time, json, signal, threading, sys

B = os.environ.get("SHARETRACK_BIN", ".build/release")
D = os.environ.get("STOP_READS_DIR", "/tmp/stop-reads")


class Daemon:
    def __init__(self, name, *extra, fresh=True):
        self.dir = os.path.join(D, name)
        if fresh:
            subprocess.run(["rm", "-rf", self.dir])
        os.makedirs(self.dir, exist_ok=True)
        self.db = os.path.join(self.dir, "db")
        self.i = os.path.join(self.dir, "i")
        self.c = os.path.join(self.dir, "c")
        self.extra = list(extra)
        self.p = None
        self.logn = 0

    def start(self, *more):
        self.logn += 1
        self.logf = open(os.path.join(self.dir, "log%d" % self.logn), "w")
        args = [B + "/sharetrackd", "--database", self.db, "--ingest-socket", self.i,
                "--control-socket", self.c] + self.extra + list(more)
        self.p = subprocess.Popen(args, stdout=self.logf, stderr=subprocess.STDOUT)
        t0 = time.time()
        while time.time() - t0 < 30:
            try:
                s = socket.socket(socket.AF_UNIX)
                s.connect(self.i)
                s.close()
                s = socket.socket(socket.AF_UNIX)
                s.connect(self.c)
                s.close()
                return self
            except OSError:
                time.sleep(0.05)
            if self.p.poll() is not None:
                raise RuntimeError("daemon exited %s" % self.p.returncode)
        raise RuntimeError("no socket")

    def kill(self, sig=signal.SIGKILL):
        self.p.send_signal(sig)
        rc = self.p.wait(60)
        return rc

    def log(self):
        return open(os.path.join(self.dir, "log%d" % self.logn)).read()

    def ctl(self, *args, offline=False):
        where = ["--db", self.db] if offline else ["--socket", self.c]
        r = subprocess.run([B + "/sharectl"] + list(args) + ["--json"] + where,
                           capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            return {"_err": r.stderr, "_rc": r.returncode}
        return json.loads(r.stdout)

    def export(self, offline=False):
        where = ["--db", self.db] if offline else ["--socket", self.c]
        r = subprocess.run([B + "/sharectl", "export", "--format", "ndjson"] + where,
                           capture_output=True, text=True, timeout=120)
        if r.returncode != 0:
            raise RuntimeError(r.stderr)
        return [json.loads(l) for l in r.stdout.splitlines() if l.strip()]


class Conn:
    """raw line client; reads answers on a thread"""

    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX)
        self.s.connect(path)
        self.answers = []
        self.times = []
        self.closed = False
        self.buf = b""
        self.lock = threading.Lock()
        self.t = threading.Thread(target=self._rd, daemon=True)
        self.t.start()

    def _rd(self):
        while True:
            try:
                d = self.s.recv(65536)
            except OSError:
                d = b""
            if not d:
                self.closed = True
                return
            self.buf += d
            while b"\n" in self.buf:
                l, self.buf = self.buf.split(b"\n", 1)
                with self.lock:
                    self.answers.append(json.loads(l))
                    self.times.append(time.time())

    def send(self, data):
        if isinstance(data, str):
            data = data.encode()
        self.s.sendall(data)

    def wait(self, n, timeout=10):
        t0 = time.time()
        while len(self.answers) < n and time.time() - t0 < timeout and not self.closed:
            time.sleep(0.01)
        return self.answers[:]

    def close(self):
        try:
            self.s.close()
        except OSError:
            pass


def J(**kw):
    return json.dumps(kw, separators=(",", ":")) + "\n"
