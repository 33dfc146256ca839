import gdb
inf = gdb.selected_inferior()
def u64(a): return int.from_bytes(inf.read_memory(a, 8).tobytes(), 'little')
for line in open('/proc/%d/maps' % inf.pid):
    parts = line.split()
    lo, hi = (int(x, 16) for x in parts[0].split('-'))
    if len(parts) > 5: continue
    kb = (hi - lo) // 1024
    if not (800 <= kb <= 12000): continue
    print('mapping %x-%x %d kB' % (lo, hi, kb))
    p = lo
    while p < hi:
        try:
            size = u64(p + 8)
        except Exception as e:
            print('  unreadable at %x' % p); break
        flags = size & 7; size &= ~7
        if size == 0 or size > hi - p:
            print('  not a chunk at %x (size field %x)' % (p, size)); break
        data = inf.read_memory(p + 16, 48).tobytes()
        print('  chunk %x size %d kB flags %d  %s' % (p, size // 1024, flags, data))
        p += size
