#!/bin/sh
# ingest-cost.sh DAEMON TAG: one 2,000,000-event receive-mode bench run of DAEMON under
# `perf record -e cpu-clock -F 1000 -g`; prints the run's events/s and the ingest path's CPU per
# event (samples whose stack passes through IngestConnection, at 1,000 per CPU second).
# BENCH: the sharetrack-bench to run (default .build/release/sharetrack-bench); DIR: where the
# profiles go (default /tmp/ingest-cost).
daemon=$1; tag=$2; dir=${DIR:-/tmp/ingest-cost}; bench=${BENCH:-.build/release/sharetrack-bench}
mkdir -p "$dir"
cat > "$dir/wrap-$tag.sh" <<W
#!/bin/sh
exec perf record -q -e cpu-clock -F 1000 -g -o $dir/$tag.perf.data $daemon "\$@"
W
chmod +x "$dir/wrap-$tag.sh"
"$bench" --daemon "$dir/wrap-$tag.sh" --ack receive --no-ceiling --json > "$dir/$tag.json" 2>/dev/null
perf script -i "$dir/$tag.perf.data" -F tid,ip,sym 2>/dev/null | python3 -c "
import sys, json
samples = ingest = 0; inside = through = False
for line in sys.stdin:
    if not line.strip():
        if inside: samples += 1; ingest += through
        inside = through = False
        continue
    inside = True
    through = through or 'IngestConnection' in line
events = json.load(open('$dir/$tag.json'))['events_per_second']
print('$tag', 'events/s %.0f' % events, 'ingest us/event %.3f' % (ingest / 1000 * 1e6 / 2000000), 'samples', samples)
"
