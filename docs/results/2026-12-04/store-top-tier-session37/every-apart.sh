#!/bin/sh
# every-apart.sh: inside one transaction (rolled back), every `nano` advocate given a second group
# with no counters, then the statement that sums them apart (anti-join-after-limit.sql) and the one
# that sums every advocate (sum-every-advocate.sql), each three times: psql's times.
{
    echo "BEGIN;"
    echo "INSERT INTO advocate_groups (advocate, network, tier) SELECT advocate, 'zz', tier FROM advocate_groups WHERE tier = 'nano';"
    echo "ANALYZE advocate_groups;"
    for statement in anti-join-after-limit sum-every-advocate; do
        for run in 1 2 3; do sed '/^\\timing/d' $statement.sql; echo ";"; done
    done
    echo "ROLLBACK;"
} | { printf '%s\n' '\timing on'; cat; } | psql -h /tmp/s32/pg -U postgres sharetrack | grep -E "^Time: [0-9]{3}"
