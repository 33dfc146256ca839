# usage: run-queries.sh DB LABEL OUTFILE: median and max of 5 runs of each sharectl query
# PORT and SHARECTL: session 6 ran it with the defaults, session 5 (2026-11-30/shared-store/rollups)
# with PORT=55432 SHARECTL=/tmp/pgr-after/sharectl.
db=$1; label=$2; out=$3
C="host=127.0.0.1 port=${PORT:-55433} user=postgres dbname=$db"
since=$(date -u -d '-24 hours' +%Y-%m-%dT%H:00:00Z)
run() {
  local times=()
  for k in 1 2 3 4 5; do
    local t0=$(date +%s.%N)
    ${SHARECTL:-/tmp/pgf-after/sharectl} "$@" --db "$C" > /dev/null || echo "FAILED $*" >&2
    local t1=$(date +%s.%N)
    times+=($(echo "($t1 - $t0) * 1000" | bc))
  done
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  echo "$label|$*|median ms|$(echo "$sorted" | sed -n 3p | cut -d. -f1)|max ms|$(echo "$sorted" | tail -1 | cut -d. -f1)"
}
{
run top --json
run top --by engagement --json
run top --since $since --json
run tiers --json
run tiers --since $since --json
run venues --json
run venues --since $since --json
run advocate adv-023865 --json
run report --output /tmp/pgf-report-$label.html
} | tee -a $out
