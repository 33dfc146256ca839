import subprocess,time,sys
ctl=sys.argv[1]; sock=sys.argv[2]; n=int(sys.argv[3])
for args in sys.argv[4:]:
    ts=[]
    for i in range(n):
        t=time.perf_counter(); r=subprocess.run([ctl]+args.split()+["--socket",sock,"--json"],capture_output=True,text=True); ts.append((time.perf_counter()-t)*1000)
        if r.returncode: print(args,"FAILED",r.stderr[:200]); break
    print("%-40s"%args, " ".join("%6.1f"%t for t in ts))
