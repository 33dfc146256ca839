# usage: apply-split.py STACKS (perf script -F tid,ip,sym): the share of the apply (Flusher.applyJournaled) samples in each part
import sys,collections
stacks=open(sys.argv[1]).read().split('\n\n')
A=[s for s in stacks if 'FlusherC14applyJournaled' in s]
print("apply samples",len(A))
def frames(s): return [l.split(None,2)[-1] if len(l.split())>=2 else '' for l in s.strip().split('\n')[1:]]
cats=collections.Counter()
for s in A:
    fr=frames(s)
    j='\n'.join(fr)
    if 'GroupNumbers' in j: cat='numbering'
    elif 'RollupWriterC3add' in j:
        if 'RowBinderV3run' in j: cat='rollup upserts'
        elif 'StatementC4step' in j or 'sqlite3_step' in j: cat='attribution query step'
        else: cat='rollup aggregation (swift)'
    elif 'stageForRollups' in j: cat='staging'
    elif 'RowBinderV3run' in j:
        cat='binder.run other'
        if 'CounterKey' in j: cat='counter upserts'
        elif 'A6Record' in j: cat='share inserts'
        elif 'VisitorPair' in j: cat='visitor inserts'
    elif 'keyOrder' in j: cat='keyOrder'
    elif 'visitorsPerRow' in j: cat='visitorsPerRow'
    elif 'checkpoint' in j: cat='checkpoint'
    elif 'erase' in j: cat='erase'
    elif 'DELETE' in j or 'execute' in j: cat='execute (deletes?)'
    else: cat='other'
    cats[cat]+=1
for k,v in cats.most_common(): print(f"{k:30s} {v:6d} {v/len(A):.3f}")
