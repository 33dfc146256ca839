import sys,collections
# usage: children.py script.txt PARENT_SUBSTR [FILTER_SUBSTR]
samples=[];cur=None
for line in open(sys.argv[1]):
    if not line.strip():
        if cur is not None: samples.append(cur)
        cur=None; continue
    if cur is None: cur=[]
    else:
        p=line.strip().split(None,1)
        cur.append(p[1] if len(p)>1 else p[0])
parent=sys.argv[2]; filt=sys.argv[3] if len(sys.argv)>3 else None
c=collections.Counter(); tot=0
for s in samples:
    if filt and not any(filt in f for f in s): continue
    # s is leaf->root; find outermost (last) index of parent
    idx=[i for i,f in enumerate(s) if parent in f]
    if not idx: continue
    i=idx[-1]; tot+=1
    child=s[i-1] if i>0 else '(self)'
    c[child[:140]]+=1
print(tot,'samples under',parent, 'of', len(samples))
for k,n in c.most_common(25): print(f"{n:6d} {100*n/tot:5.1f}% {k}")
