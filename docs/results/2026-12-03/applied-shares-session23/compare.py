import re,sys
def parse(f):
    d={}
    for l in open(f):
        m=re.match(r'^(\S.*?)\s{2,}(.*)$',l.rstrip())
        if not m or m.group(1).startswith(('query','---','database','live:','offline:','rollups')): continue
        d[m.group(1)]=re.split(r'\s{2,}',m.group(2).strip())
    return d
sides=sys.argv[1:]
runs={f'{s}-{r}':parse(f'q-{s}-{r}') for s in sides for r in '12'}
print('%-34s'%'query'+''.join('%40s'%(s+' live median/p99/RSS growth, runs 1 and 2') for s in sides))
over={s:0 for s in sides}
for q in runs[sides[0]+'-1']:
    line='%-34s'%q
    for s in sides:
        cells=[]
        for r in '12':
            c=runs[f'{s}-{r}'].get(q,[])
            if len(c)>=4:
                cells.append('%s/%s/%s'%(c[-4].replace(' ms',''),c[-3].replace(' ms',''),c[-2].replace(' MiB','M').replace(' KiB','K')))
                v=float(c[-3].split()[0].replace(',',''))*(1000 if c[-3].endswith(' s') else 1)
                if v>100 and not q.startswith(('share','advocate','status','metrics')): over[s]+=1
        line+='%40s'%('  '.join(cells))
    print(line)
print('top/tiers/venues answers with p99 over 100 ms, in 2 runs:',over)
