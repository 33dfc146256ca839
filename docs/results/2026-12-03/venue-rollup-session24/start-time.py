# usage: start-time.py BINDIR DATABASE: starts BINDIR/sharetrackd on DATABASE, prints the seconds until
# its ingest socket accepts a connection (a migration runs before that), then stops it.
import subprocess, socket, time, sys
b, d = sys.argv[1], sys.argv[2]
t=time.time()
p=subprocess.Popen([b+"/sharetrackd","--database",d,"--ingest-socket",d+".in","--control-socket",d+".ctl","--config","/dev/null"],stdout=open(d+".log","w"),stderr=subprocess.STDOUT)
while True:
    try:
        s=socket.socket(socket.AF_UNIX); s.connect(d+".in"); s.close(); break
    except Exception: time.sleep(0.01)
print("listening after %.2f s"%(time.time()-t))
p.terminate(); p.wait()
