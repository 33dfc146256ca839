# usage: apply-io.py STACKS (perf script -F tid,ip,sym): the share of the apply samples with each I/O frame on the stack
import sys
stacks=open(sys.argv[1]).read().split('\n\n')
A=[s for s in stacks if 'FlusherC14applyJournaled' in s]
for k,label in [('PcacheFetchStress','page cache full mid-transaction: pages spilled to the log'),('sqlite3WalFrames','writing frames to the log'),('vfs_read','reading pages (pread)'),('sqlite3WalFindFrame','searching the log for a page'),('zero_user_segments','ext4 clearing new blocks of a growing file'),('DatabaseC10checkpoint','checkpoint')]:
    n=sum(1 for s in A if k in s); print(f"  {k:24s} {n:6d} {n/len(A):.3f}  {label}")
