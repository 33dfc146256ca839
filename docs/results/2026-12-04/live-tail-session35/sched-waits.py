import re, sys, collections
# sched-waits.py TIMEHIST [FROM TO]: from `perf sched timehist -p PID --state` (of a
# `perf sched record -g` taken while the query bench ran), the time each thread spent blocked in
# uninterruptible sleep (state D), by the kernel stack it blocked in; with FROM and TO (seconds,
# perf's clock) only the waits that ended in that window.
path = sys.argv[1]
window = (float(sys.argv[2]), float(sys.argv[3])) if len(sys.argv) > 3 else None
last, waits = {}, collections.Counter()
for line in open(path):
    fields = line.split()
    task = next((i for i, f in enumerate(fields) if re.search(r'\[\d+/\d+\]', f)), None)
    if task is None or not re.match(r'^\d+\.\d+$', fields[0]) or len(fields) < task + 6:
        continue
    time, thread = float(fields[0]), re.search(r'\[(\d+)/', fields[task]).group(1)
    wait, state, stack = float(fields[task + 1]), fields[task + 4], ' '.join(fields[task + 5:])
    if thread in last and last[thread][0] == 'D' and (window is None or window[0] <= time <= window[1]):
        waits[(thread, last[thread][1][:100])] += wait
    last[thread] = (state, stack)
for (thread, stack), ms in waits.most_common(12):
    print(f'{ms:9.1f} ms  thread {thread}  {stack}')
