import os, sys, time, signal
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from st import *
res=[]
for i in range(16):
    d=Daemon("term2", *sys.argv[1:]); d.start()
    c=Conn(d.i); c.send(J(type="click",share="a",source="s",seq=1)); c.wait(1,3)
    c.send("".join(J(type="click",share="a",source="s",seq=k) for k in range(2,2+int(os.environ.get("NL","2")))))
    d.p.send_signal(signal.SIGTERM); rc=d.p.wait(30)
    time.sleep(0.1)
    res.append((rc,len(c.answers),d.ctl("sources",offline=True)[0]["last_seq"]))
print(res)
