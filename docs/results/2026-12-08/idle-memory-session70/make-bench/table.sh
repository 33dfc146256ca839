#!/bin/sh
# table.sh MODE: one line per run: events/s, daemon CPU µs/event, peak RSS MiB, memory per known share B,
# tables caught up after the last answer s
for f in "$1"-*.txt; do
    printf '%s %s %s %s %s %s\n' "$f" \
        "$(grep -m1 '^throughput' "$f" | awk '{for (i = 1; i <= NF; i++) if ($i == "events/s") { print $(i - 1); exit }}')" \
        "$(grep -m1 'per event, until' "$f" | awk '{print $(NF-1)}')" \
        "$(grep -m1 'peak RSS (VmHWM)' "$f" | awk '{print $(NF-1)}')" \
        "$(grep -m1 'memory per known share (RSS' "$f" | awk '{print $(NF-5)}')" \
        "$(grep -m1 'tables caught up,' "$f" | awk '{print $(NF-1)}')"
done
