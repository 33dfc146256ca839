#!/bin/sh
# Session 33: every `top`, `tiers` and `venues` with one or two attribute filters, all time and
# over the last 24 h, 3 answers each through an idle daemon on a copy of the 2M-share database
# (schema 12), for BEFORE (5d37492) and AFTER (this session's last commit); each side waits for its
# rollups and then 10 s, so that the daemon's preparation after them is done.
# Usage: BEFORE=DIR AFTER=DIR DB=2m.db sh run-survey.sh OUT_DIR
set -e
OUT=${1:?give the output directory}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/daemon-on-copy.sh"
mkdir -p "$OUT"
for side in before after; do
    eval bin=\$$(echo $side | tr a-z A-Z)
    dir=$OUT/$side
    start_on_copy "$dir" "$bin"
    while [ "$side" = after ] && ! grep -q "rollups built:" "$dir/daemon.log"; do sleep 0.2; done
    sleep 10
    set --
    for command in "top --limit 20" tiers venues; do
        for filter in "--venue venue-07" "--campaign campaign-4" "--network tiktok" "--tier mid" \
                      "--venue venue-07 --campaign campaign-4" "--network x --tier micro"; do
            for range in "" "--since 24h"; do set -- "$@" "$command $filter $range"; done
        done
    done
    python3 "$HERE/livetime.py" "$bin/sharectl" "$dir/control.sock" 3 "$@" > "$OUT/$side.txt"
    kill $pid && wait $pid || true
    rm -f "$dir"/sharetrack.db*
done
paste -d'|' "$OUT/before.txt" "$OUT/after.txt"
