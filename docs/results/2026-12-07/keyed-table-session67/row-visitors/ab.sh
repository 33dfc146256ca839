for i in 1 2 3 4 5; do ./thr.sh /tmp/s67/rel2/release/sharetrackd A$i; ./thr.sh /tmp/s67/rel3/release/sharetrackd B$i; done
