#!/bin/bash
# usage: hot.sh BINDIR apart|rows: a token with 2,000,000 stored visitors (one hour), kept apart (in `visitors`) or in its counter row (one blob, as an all-in-rows design would keep them); the daemon
# (ack receive) started fresh on it; times of the first click and of 20 clicks by new visitors.
BIN=$1; V=$2; D=/tmp/s11/hot/$V; rm -rf $D; mkdir -p $D
printf 'ack: receive\n' > $D/conf.yaml
$BIN/sharetrackd --database $D/db --ingest-socket $D/in.sock --control-socket $D/ctl.sock --config $D/conf.yaml > $D/log 2>&1 &
sleep 1; kill %1; wait
python3 - $D/db $V <<'PY'
import sqlite3, sys, os, struct
db = sqlite3.connect(sys.argv[1]); v = sys.argv[2]
db.execute("INSERT INTO shares VALUES ('hot', 'a', 'v', NULL, 'n', 10, 'nano', 3600*490000)")
blob = os.urandom(8 * 2_000_000)
if v == "rows":
    db.execute("INSERT INTO counters (token, hour, shares, clicks, unique_clicks, visitors) VALUES ('hot', 490000, 1, 2000000, 2000000, ?)", (blob,))
else:
    # With a visitors column (version 10), the row holds its first 4,096 (TokenState.visitorsInRows).
    columns = [row[1] for row in db.execute("PRAGMA table_info(counters)")]
    if 'visitors' in columns:
        db.execute("INSERT INTO counters (token, hour, shares, clicks, unique_clicks, visitors) VALUES ('hot', 490000, 1, 2004096, 2004096, ?)", (os.urandom(8 * 4096),))
    else:
        db.execute("INSERT INTO counters (token, hour, shares, clicks, unique_clicks) VALUES ('hot', 490000, 1, 2000000, 2000000)")
    db.executemany("INSERT INTO visitors VALUES ('hot', ?, 490000)", ((struct.unpack('>q', blob[i:i+8])[0],) for i in range(0, len(blob), 8)))
db.commit()
PY
$BIN/sharetrackd --database $D/db --ingest-socket $D/in.sock --control-socket $D/ctl.sock --config $D/conf.yaml > $D/log 2>&1 &
sleep 1
python3 - $D/in.sock <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); f = s.makefile('rb')
times = []
for i in range(21):
    t = time.perf_counter()
    s.sendall(b'{"type":"click","share":"hot","visitor":"new-%d"}\n' % i)
    answer = f.readline()
    times.append((time.perf_counter() - t) * 1000)
print("first click %.1f ms; the next 20: %s ms; answer %r" % (times[0], " ".join("%.1f" % t for t in times[1:]), answer))
PY
kill %1; wait
