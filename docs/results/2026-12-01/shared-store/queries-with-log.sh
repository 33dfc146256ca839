#!/bin/bash
# BEFORE_FOLD hook of run-shipping.sh: VACUUM ANALYZE, then the chain-wide query timings with the
# rows the node had not folded still in the log.
db=$1
P="psql -X -q -t -A -h /tmp/pgf-pg -p 55433 -U postgres"
$P -c "VACUUM ANALYZE" $db
echo "log rows with a share while queried|$($P -c "SELECT count(*) FROM rollup_log l JOIN shares s USING (token)" $db)" >> queries-big.txt
"$(dirname "$0")/run-queries.sh" $db with-log queries-big.txt
