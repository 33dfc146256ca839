# usage: numbering-split.py STACKS (perf script -F tid,ip,sym): the apply's numbering samples (GroupNumbers) by statement
import collections, sys
stacks = open(sys.argv[1]).read().split('\n\n')
numbering = [s for s in stacks if 'FlusherC14applyJournaled' in s and 'GroupNumbers' in s]
parts = collections.Counter()
for s in numbering:
    frames = [l.strip().split(None, 1)[-1] for l in s.strip().split('\n')[1:]]
    inner = '\n'.join(frames[:next(i for i, f in enumerate(frames) if 'GroupNumbers' in f)])
    if 'sqlite3' not in inner: part = 'Swift (the remembered ids, staging rows)'
    elif 'RowBinder' in inner: part = 'staging the groups (sqlite)'
    elif 'C3run' in inner: part = 'INSERT OR IGNORE per table (sqlite)'
    elif 'C4step' in inner: part = 'reading the ids: the join per table (sqlite)'
    else: part = 'other sqlite (the DELETE of the staged groups)'
    parts[part] += 1
print('numbering samples', len(numbering))
for part, n in parts.most_common(): print(f'{n:6d} {part}')
