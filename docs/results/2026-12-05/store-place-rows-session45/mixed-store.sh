#!/bin/sh
# mixed-store.sh N: a copy of the store `sharetrack`, `mixed_N`, where N advocates with nano share
# groups in campaign-3 get one more share group there, of tier mega, without counters: the answers
# stay the same, and `top --campaign campaign-3 --tier nano` sums those N apart.
set -e
N=$1
P="psql -h /tmp/s45/pgsock -U postgres -v ON_ERROR_STOP=1"
$P -d postgres -qc "DROP DATABASE IF EXISTS mixed_$N" -c "CREATE DATABASE mixed_$N TEMPLATE sharetrack"
$P -d mixed_$N -qc "INSERT INTO share_groups (advocate, venue, campaign, network, tier)
    SELECT DISTINCT ON (advocate) advocate, venue, campaign, network, 'mega' FROM share_groups
    WHERE campaign = 'campaign-3' AND tier = 'nano' ORDER BY advocate LIMIT $N ON CONFLICT DO NOTHING" -c "VACUUM ANALYZE share_groups"
