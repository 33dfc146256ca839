#!/bin/bash
# A copy of DB where the 500 advocates with the largest reach in campaign-2 and no nano share there
# share once more in campaign-2 from a nano account (followers 100: a second tier), with three
# clicks each, through a daemon (BIN: its sharetrackd and sharectl). Their campaign rows then rank
# first by reach among the nano tier's advocates while their nano totals are small: the bounds
# of `top --campaign campaign-2 --tier nano --by reach` do not decide.
DB=${DB:?} BIN=${BIN:?} OUT=${OUT:?directory}
mkdir -p "$OUT" && cp "$DB" "$OUT/db.sqlite" && cd "$OUT"
sqlite3 db.sqlite "SELECT c.advocate, (SELECT venue || ' ' || network FROM share_groups g WHERE g.advocate = c.advocate
  AND g.campaign = 'campaign-2' LIMIT 1) FROM rollup_campaign_advocates c WHERE c.campaign = 'campaign-2'
  AND c.advocate NOT IN (SELECT advocate FROM share_groups WHERE campaign = 'campaign-2' AND tier = 'nano')
  ORDER BY c.reach DESC LIMIT 500" > top500.txt
python3 - <<'PY'
import json
with open('events.ndjson', 'w') as out:
    for i, line in enumerate(open('top500.txt')):
        advocate, rest = line.strip().split('|')
        venue, network = rest.split(' ')
        token = 'mixnano%04d' % i
        out.write(json.dumps({"type": "share", "share": token, "advocate": advocate, "venue": venue,
                              "campaign": "campaign-2", "network": network, "followers": 100}) + "\n")
        for v in range(3):
            out.write(json.dumps({"type": "click", "share": token, "visitor": "v%d-%d" % (i, v)}) + "\n")
PY
echo "# flags only" > c.yaml
"$BIN/sharetrackd" --config c.yaml --database db.sqlite --ingest-socket in.sock --control-socket ctl.sock > log 2>&1 &
until grep -q ready log 2>/dev/null; do sleep 0.5; done
"$BIN/sharectl" send --ingest-socket in.sock --quiet < events.ndjson
kill %1; wait
sqlite3 db.sqlite "SELECT count(*) FROM (SELECT advocate FROM advocate_groups GROUP BY advocate HAVING min(tier) <> max(tier))"
