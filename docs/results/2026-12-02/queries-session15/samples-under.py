#!/usr/bin/env python3
# usage: samples-under.py SCRIPT PATTERN (SCRIPT: `perf script -F ip,sym` output)
# Samples whose stack has a frame matching PATTERN: how many, split by the frame right below
# it (its callee) and by the leaf.
import sys, collections
pat=sys.argv[2]; callee=collections.Counter(); leaf=collections.Counter(); n=0; total=0
stack=[]
def flush():
    global n,total
    if not stack: return
    total+=1
    for i,f in enumerate(stack):
        if pat in f:
            n+=1
            callee[stack[i-1] if i>0 else '(self)']+=1
            leaf[stack[0]]+=1
            break
for line in open(sys.argv[1]):
    line=line.strip()
    if not line:
        flush(); stack=[]; continue
    parts=line.split(None,1)
    stack.append(parts[1][:110] if len(parts)>1 else parts[0])
flush()
print(f"{n} of {total} samples")
for k,v in callee.most_common(14): print(f"{v:6d} {k}")
print('-- leaves')
for k,v in leaf.most_common(12): print(f"{v:6d} {k}")
