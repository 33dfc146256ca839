import collections,sys
path=sys.argv[1]; out=sys.argv[2]
stacks=[];cur=None
for line in open(path):
    line=line.rstrip('\n')
    if not line.strip():
        if cur is not None: stacks.append(cur); cur=None
        continue
    if not line.startswith('\t'):
        cur=[]; continue
    parts=line.strip().split(None,1)
    cur.append(parts[1] if len(parts)>1 else '?')
if cur: stacks.append(cur)
total=len(stacks)
ing=[s for s in stacks if any('IngestConnection' in f and 'readable' in f for f in s)]
with open(out,'w') as o:
    o.write(f'samples total {total} ingest-path {len(ing)} ({100*len(ing)/total:.1f}%)\n== self, within ingest path ==\n')
    selfc=collections.Counter(s[0] for s in ing)
    for k,c in selfc.most_common(35): o.write(f'{100*c/len(ing):5.1f}%\t{k}\n')
    inc=collections.Counter()
    for s in ing:
        for f in set(s): inc[f]+=1
    o.write('== inclusive, within ingest path ==\n')
    for k,c in inc.most_common(60): o.write(f'{100*c/len(ing):5.1f}%\t{k}\n')
