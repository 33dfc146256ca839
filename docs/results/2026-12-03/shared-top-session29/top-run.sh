# top-run.sh BINDIR RUNS: times each `sharectl --db` question RUNS times over the store
# $DB (default `sharetrack`; a Unix-socket cluster at /tmp/s29/pg) with BINDIR's sharectl; prints the median
# and the highest run of each, in ms, and keeps the first answer in answers-DB-BINDIR's name.txt (in the
# working directory; not kept here: the README says which were the same). The timing loop is
# session 30's run.sh (this script had it inline; it names the answers' file after the store too).
bash "$(dirname "$0")/../../2026-12-04/shared-tiers-session30/run.sh" "$1" "${DB:-sharetrack}" "${2:-9}" <<'QUESTIONS'
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
