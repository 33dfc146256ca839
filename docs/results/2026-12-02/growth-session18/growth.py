# usage: growth.py A.txt B.txt ...: per query, offline median, live median / p99 and RSS growth from each query bench output
import sys
NAMES = ['before (raw) median', 'offline median', 'live median', 'live p99', 'RSS growth', 'same time, no query']
def read(path):
    lines = open(path).read().split('\n')
    h = next(i for i, l in enumerate(lines) if l.startswith('query '))
    header = lines[h]
    ends = [header.index(n) + len(n) for n in NAMES]
    rows = {}
    for line in lines[h + 2:]:
        if not line.strip(): break
        cells, start = [], ends[0] - len(NAMES[0])
        for end in ends:
            cells.append(line[start:end].strip()); start = end
        rows[line[:ends[0] - len(NAMES[0])].strip()] = dict(zip(NAMES, cells))
    return rows
tables = [read(p) for p in sys.argv[1:]]
labels = [p.split('/')[-1].split('-')[0].upper() for p in sys.argv[1:]]
print('| query | ' + ' | '.join(f'{l}: offline | {l}: live median / p99 | {l}: RSS growth' for l in labels) + ' |')
print('|---|' + '---:|' * (3 * len(labels)))
for q in tables[0]:
    cells = []
    for t in tables:
        c = t.get(q)
        cells += [c['offline median'], f"{c['live median']} / {c['live p99']}", c['RSS growth']] if c else ['?'] * 3
    print(f'| `{q}` | ' + ' | '.join(cells) + ' |')
