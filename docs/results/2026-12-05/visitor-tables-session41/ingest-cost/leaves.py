#!/usr/bin/env python3
"""leaves.py TAG: from `perf script -F tid,ip,sym` on stdin, counts the leaf symbol of every
sample whose stack passes through IngestConnection (the ingest path), into TAG.leaf (pickled)."""
import collections, pickle, sys
leaves, stack = collections.Counter(), []

def close():
    if stack and any("IngestConnection" in line for line in stack):
        leaf = stack[1].split(None, 1)[1] if len(stack) > 1 else "?"
        leaves[leaf.strip()[:100]] += 1

for line in sys.stdin:
    if not line.strip():
        close()
        stack = []
    else:
        stack.append(line.strip())
close()
pickle.dump(leaves, open(sys.argv[1] + ".leaf", "wb"))
