# perf script -F tid,ip,sym on stdin: samples of the answer (LiveRows.load), of its projecting (LiveRows.group), and of resizing a GroupKey dictionary there
import sys
stacks = sys.stdin.read().split('\n\n')
load = [s for s in stacks if 'LiveRowsC4load' in s]
group = [s for s in load if 'LiveRowsC5group' in s]
resize = [s for s in group if 'copyOrMoveAndResize' in s and 'GroupKey' in s]
print(f"samples: load {len(load)}, projecting {len(group)}, resizing {len(resize)}")
