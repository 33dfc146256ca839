#!/bin/sh
# many.sh N: `top --tier nano` with N of its advocates given a second group under the tier (a
# network 'zz' with no counters, as a share that lost to another node's leaves), both binaries
# alternated (ttime.py's tier case), then the groups removed again.
set -e
psql="psql -q -h /tmp/s32/pg -U postgres sharetrack"
$psql -c "INSERT INTO advocate_groups (advocate, network, tier) SELECT advocate, 'zz', tier FROM advocate_groups WHERE tier = 'nano' ORDER BY advocate LIMIT $1; ANALYZE advocate_groups"
python3 ttime.py 'postgresql:///sharetrack?host=/tmp/s32/pg&user=postgres' 5 /tmp/s37/sharectl-before /tmp/s37/sharectl-after2 | grep tier-nano
$psql -c "DELETE FROM advocate_groups WHERE network = 'zz'; ANALYZE advocate_groups"
