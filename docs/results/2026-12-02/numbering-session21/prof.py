import sys,collections
blocks=open(sys.argv[1]).read().split('\n\n')
incl=collections.Counter(); n=0; pf=collections.Counter()
for b in blocks:
    lines=[l.strip() for l in b.strip().split('\n') if l.strip()]
    frames=[' '.join(l.split()[1:]) for l in lines[1:]]
    if not any('Queries' in f and 'answer' in f for f in frames): continue
    n+=1
    seen=set()
    for f in frames:
        k=f[:100]
        if k in seen: continue
        seen.add(k); incl[k]+=1
    if any('page_fault' in f for f in frames):
        user=[f for f in frames if f.startswith('$s')]
        pf[' < '.join(x[:60] for x in user[:2])]+=1
print('answer samples',n)
for k,c in incl.most_common(int(sys.argv[2]) if len(sys.argv)>2 else 40):
    if k.startswith('$s') or 'fault' in k or 'clear' in k: print(c,k)
print('--- page faults by caller')
for k,v in pf.most_common(8): print(v,k)
