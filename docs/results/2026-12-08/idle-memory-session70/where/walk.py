import gdb, collections
inf = gdb.selected_inferior()
def u64(a): return int.from_bytes(inf.read_memory(a, 8).tobytes(), 'little')
base = int(gdb.parse_and_eval('(unsigned long)mp_.sbrk_base'))
top = int(gdb.parse_and_eval('(unsigned long)main_arena.top'))
print('base %x top %x span %d' % (base, top, top - base))
p = base; sizes = collections.Counter(); inuse = 0; free = 0; big = []
chunks = []
while p < top:
    size = u64(p + 8) & ~7
    if size == 0: break
    nxt = p + size
    used = u64(nxt + 8) & 1 if nxt < top else 1
    chunks.append((p, size, used))
    p = nxt
for p, size, used in chunks:
    if used:
        inuse += size; sizes[size] += 1
        if size >= 16384: big.append((p, size))
    else: free += size
print('inuse', inuse, 'free', free, 'chunks', len(chunks))
for s, c in sorted(sizes.items(), key=lambda x: -x[0]*x[1])[:25]: print(' size', s, 'count', c, 'total', s*c)
for p, size in big[:40]:
    data = inf.read_memory(p + 16, 64).tobytes()
    print('big %x %d %s' % (p, size, data[:64]))
