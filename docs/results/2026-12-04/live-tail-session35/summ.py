import sys, re, statistics
L=sys.argv[1]
applies=[]; frames=[]; commits=[]; answers=[]; keep=[]
prev=None
for line in open(L):
    if not line.startswith('TRACE'): continue
    p=line.split(); t=float(p[1]); took=float(p[-1]); w=' '.join(p[2:-1])
    if w.startswith('apply'): applies.append((int(w.split()[-1]), took))
    elif w.startswith('passive frames'): frames.append(int(w.split()[-1]))
    elif w.startswith('answer'): answers.append(took)
    elif w.startswith('keepUp'): keep.append(took)
rows=sum(a[0] for a in applies); secs=sum(a[1] for a in applies)/1000
print(f"applies {len(applies)}: rows/apply median {statistics.median([a[0] for a in applies]):.0f}, s/apply median {statistics.median([a[1] for a in applies])/1000:.2f}, rows/s while applying {rows/secs:.0f}")
if frames: print(f"frames/apply median {statistics.median(frames):.0f}, frames per 1k rows {sum(frames)/rows*1000:.0f}")
a=sorted(answers); print(f"answers {len(a)}: median {a[len(a)//2]:.1f} ms, p99 {a[int(len(a)*0.99)]:.1f}, max {a[-1]:.1f}, >100ms {sum(1 for x in a if x>100)}")
