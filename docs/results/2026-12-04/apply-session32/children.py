import sys, collections
# usage: children.py stacks PARENT_SUBSTR : for samples containing the parent frame, count the frame directly below it (callee)
parent = sys.argv[2]; c = collections.Counter(); n = 0; stack = []
def flush():
    global n
    for i, s in enumerate(stack):
        if parent in s:
            n += 1
            c[stack[i-1] if i > 0 else '(self)'] += 1
            return
for line in open(sys.argv[1]):
    if not line.strip(): flush(); stack = []; continue
    p = line.split(None, 1)
    if len(p) < 2: continue
    stack.append(p[1].strip()[:130])
flush()
print('samples', n)
for s, k in c.most_common(int(sys.argv[3]) if len(sys.argv) > 3 else 20): print('%5.1f%% %s' % (100*k/n, s))
