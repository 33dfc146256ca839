# top-run.sh BINDIR RUNS: times each `sharectl --db` question RUNS times over the store
# $DB (default `sharetrack`; a Unix-socket cluster at /tmp/s29/pg) with BINDIR's sharectl; prints the median
# and the highest run of each, in ms, and keeps the first answer in answers-BINDIR's name (in the
# working directory; not kept here: the README says which were the same).
BIN=$1; RUNS=${2:-9}
URI="postgresql:///${DB:-sharetrack}?host=/tmp/s29/pg&user=postgres"
OUT=answers-$(basename $BIN).txt; : > $OUT
while read -r name args; do
    times=()
    for run in $(seq 1 $RUNS); do
        start=$(date +%s%N)
        answer=$($BIN/sharectl $args --db "$URI" --json)
        times+=($(( ($(date +%s%N) - start) / 1000000 )))
        [ $run = 1 ] && echo "$name: $answer" >> $OUT
    done
    sorted=($(printf '%s\n' "${times[@]}" | sort -n))
    printf '%-34s median %6d ms  max %6d ms\n' "$name" ${sorted[$((RUNS / 2))]} ${sorted[$((RUNS - 1))]}
done <<'QUESTIONS'
top                                top --limit 20
top-by-clicks                      top --limit 20 --by clicks
top-by-engagement                  top --limit 20 --by engagement
top-by-value                       top --limit 20 --by value
top-venue                          top --limit 20 --venue venue-07
top-network-tier                   top --limit 20 --network instagram --tier micro
top-network                        top --limit 20 --network instagram
top-24h                            top --limit 20 --since 24h
tiers                              tiers
venues                             venues
QUESTIONS
