# The live median / p99 (ms) of each query in sharetrack-bench --queries outputs, as a markdown table.
import re,sys
def parse(p):
    d={}
    for line in open(p):
        m=re.match(r'^(\S.*?)\s{2,}(.*)$',line.rstrip())
        if not m or not (line.startswith('top') or line.startswith('tiers') or line.startswith('venues') or line.split()[0] in ('share','advocate','status','metrics')): continue
        name=m.group(1).strip()
        vals=re.findall(r'([\d.,]+) (ms|s|MiB|KiB|B)\b',line[len(m.group(1)):])
        def ms(v,u): v=float(v.replace(',','')); return v*1000 if u=='s' else v
        times=[ms(v,u) for v,u in vals if u in('ms','s')]
        d[name]=times
    return d
files=sys.argv[1:]
ds=[parse(f) for f in files]
names=[n for n in ds[0]]
for n in (n for d in ds[1:] for n in d):
    if n not in names: names.append(n)
print('| query | '+' | '.join(f.split('/')[-1].replace('.txt','') for f in files)+' |')
print('|---|'+'---:|'*len(files))
for n in names:
    cells=[]
    for d in ds:
        if n in d:
            t=d[n]; cells.append(f'{t[-2]:.1f} / {t[-1]:.1f}')
        else: cells.append('')
    print(f'| `{n}` | '+' | '.join(cells)+' |')
