import sys
stacks=open(sys.argv[1]).read().split('\n\n')
tot=len(stacks)
ap='FlusherC14applyJournaled'
A=[s for s in stacks if ap in s]
print("samples",tot,"apply",len(A), round(len(A)/tot,3))
def c(k): return round(sum(1 for s in A if k in s)/len(A),3)
for k in sys.argv[2:]:
    print(f"{k:40s} {c(k)}")
