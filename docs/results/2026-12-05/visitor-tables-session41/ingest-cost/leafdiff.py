#!/usr/bin/env python3
"""leafdiff.py A1,A2 B1,B2: the leaf symbols whose ingest-path samples differ most between two
sets of profiles (their .leaf files, from leaves.py), demangled."""
import pickle, collections, subprocess, sys
A, B = sys.argv[1].split(','), sys.argv[2].split(',')
a=sum((pickle.load(open(f+'.leaf','rb')) for f in A), collections.Counter())
b=sum((pickle.load(open(f+'.leaf','rb')) for f in B), collections.Counter())
keys=set(a)|set(b)
diff=sorted(keys, key=lambda k: -(abs(b[k]-a[k])))[:22]
dem=subprocess.run(['swift','demangle','--simplified','--compact'],input='\n'.join(diff),capture_output=True,text=True).stdout.split('\n')
print(sum(a.values()), sum(b.values()))
for k,d in zip(diff,dem): print(f"{a[k]:6} {b[k]:6} {b[k]-a[k]:+6}  {d[:120]}")
