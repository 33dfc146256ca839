import sys
runs=int(sys.argv[1])
stacks=open('/tmp/lead/tp.stacks').read().split('\n\n')
n=sum(1 for st in stacks if 'QueriesC6answer' in st)
parts={k:sum(1 for st in stacks if 'QueriesC6answer' in st and k in st) for k in ['LiveRowsC4load','LiveRowsC5group','LiveRowsC6insert','LiveGroupsV_5after','sqlite3_step']}
print(f"CPU per answer (perf, 499 Hz, dwarf): {n*2/runs:.1f} ms; " + ", ".join(f"{k} {v*2/runs:.1f}" for k,v in parts.items()))
