import subprocess,time,statistics,sys
ctl=sys.argv[1]; uri=sys.argv[2]; n=int(sys.argv[3]) if len(sys.argv)>3 else 9
cases=[("top-network","top --limit 20 --network instagram"),("tiers-venue","tiers --venue venue-07"),
       ("tiers-campaign","tiers --campaign campaign-2"),("tiers-network","tiers --network instagram"),
       ("top-venue","top --limit 20 --venue venue-07"),("top-campaign","top --limit 20 --campaign campaign-2"),
       ("venues","venues"),("top","top --limit 20"),("tiers","tiers")]
if len(sys.argv)>4: cases=[c for c in cases if c[0] in sys.argv[4].split(",")]
for name,args in cases:
    ts=[];out=None
    for i in range(n):
        t=time.perf_counter(); r=subprocess.run([ctl]+args.split()+["--db",uri,"--json"],capture_output=True,text=True); ts.append((time.perf_counter()-t)*1000)
        if r.returncode: print(name,"FAILED",r.stderr[:300]); break
        out=r.stdout
    print("%-15s median %6.1f ms  min %6.1f  max %6.1f  out %d bytes"%(name,statistics.median(ts),min(ts),max(ts),len(out or "")))
