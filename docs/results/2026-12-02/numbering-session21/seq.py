# usage: seq.py CONTROL_SOCKET PID: asks the query bench's first questions in its order, once each,
# printing each answer's time, the daemon's RSS before it and its peak during it (sampled every 2 ms)
import socket, sys, time, json, threading
path, pid = sys.argv[1], sys.argv[2]
now = int(time.time()); since = (now // 3600 - 24) * 3600
def rss():
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS"): return int(line.split()[1])
reqs = []
import os
kinds = [("tiers", "tiers", {}), ("venues", "venues", {})] + [("top " + r, "top", {"by": r, "limit": 20}) for r in ["clicks", "unique_clicks", "shares", "reach", "engagement", "conversions", "value"]]
for name, cmd, extra in kinds:
    for rng in [{}, {"since": since}]:
        for filt in [{}, {"venue": "venue-03"} if cmd != "venues" else {"campaign": "campaign-2"}]:
            f = dict(rng); f.update(filt)
            reqs.append((f"{name} {'24h ' if rng else ''}{list(filt.values())[0] if filt else ''}", dict(command=cmd, query=dict(extra, filter=f))))
rounds = int(os.environ.get("ROUNDS", "1"))
for rnd, (name, req) in [(r, q) for r in range(rounds) for q in reqs]:
    peak = [0]; stop = [False]
    def sample():
        while not stop[0]:
            peak[0] = max(peak[0], rss()); time.sleep(0.002)
    before = rss(); th = threading.Thread(target=sample); th.start()
    s = socket.socket(socket.AF_UNIX); s.connect(path)
    t = time.perf_counter(); s.sendall(json.dumps(req).encode() + b"\n")
    buf = b""
    while not buf.endswith(b"\n"):
        chunk = s.recv(1 << 20)
        if not chunk: break
        buf += chunk
    ms = (time.perf_counter() - t) * 1000; stop[0] = True; th.join(); s.close()
    assert buf.startswith(b'{"ok":true'), buf[:200]
    if (peak[0]-before) / 1024 > float(os.environ.get("SHOW_OVER", "-1")): print(f"{rnd} {name:28s} {ms:7.1f} ms  rss {before/1024:6.1f} MiB  peak +{(peak[0]-before)/1024:5.1f} MiB  after {rss()/1024:6.1f}")
    time.sleep(float(os.environ.get('PAUSE', '0.3')))
