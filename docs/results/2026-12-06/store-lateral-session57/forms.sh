#!/bin/bash
# forms.sh URI: `top --since 24h --by unique_clicks` over the store: the range's rows joined with
# their groups as sent (the planner's choice: a hash join), the same with hash and merge joins off
# (each of the range's rows looks its group up by id), and the range summed per group first with
# them off; psql, jit off, median of 5 runs each in ms.
U=$1
form() { # $1: joined or summed; $2: the filter
    local from="rollup_hour_groups JOIN share_groups USING (id) WHERE $2 AND hour >= $HOUR"
    [ "$1" = summed ] && from="(SELECT id + 0 AS id, SUM(shares) AS shares, SUM(reach) AS reach, SUM(clicks) AS clicks, SUM(unique_clicks) AS unique_clicks, SUM(bot_clicks) AS bot_clicks, SUM(conversions) AS conversions, SUM(value) AS value FROM rollup_hour_groups WHERE hour >= $HOUR GROUP BY 1) AS rollup_hour_groups JOIN share_groups USING (id) WHERE $2"
    [ "$1" = lateral ] && from="(SELECT id, SUM(shares) AS shares, SUM(reach) AS reach, SUM(clicks) AS clicks, SUM(unique_clicks) AS unique_clicks, SUM(bot_clicks) AS bot_clicks, SUM(conversions) AS conversions, SUM(value) AS value FROM rollup_hour_groups WHERE hour >= $HOUR GROUP BY id) AS r CROSS JOIN LATERAL (SELECT advocate, venue, campaign, network, tier FROM share_groups g WHERE g.id = r.id LIMIT 1) AS share_groups WHERE $2"
    echo "SELECT advocate, NULL, SUM(shares), SUM(reach), SUM(clicks), SUM(unique_clicks), SUM(bot_clicks), SUM(conversions), (SUM(value) * 1000)::bigint
        FROM (SELECT advocate, shares, reach, clicks, unique_clicks, bot_clicks, conversions, value FROM $from
        UNION ALL SELECT advocate, shares, reach, clicks, unique_clicks, bot_clicks, conversions, value FROM (SELECT l.hour, s.advocate, s.venue, coalesce(s.campaign, '') AS campaign, s.network, s.tier, l.shares, l.reach, l.clicks, l.unique_clicks, l.bot_clicks, l.conversions, l.value FROM rollup_log l JOIN shares s USING (token)) AS logged WHERE $2 AND hour >= $HOUR) AS rolled_up
        GROUP BY advocate ORDER BY SUM(unique_clicks) DESC, advocate COLLATE \"C\" LIMIT 20;"
}
HOUR=$(( $(date +%s) / 3600 - 24 ))
median() { # $1 form, $2 filter, $3 settings
    (echo "SET jit = off; $3"; echo '\timing on'; for i in 1 2 3 4 5; do form "$1" "$2"; done) | psql -q "$U" | grep '^Time' | awk '{print $2}' | sort -n | sed -n 3p; }
NOHASH="SET enable_hashjoin = off; SET enable_mergejoin = off;"
for f in "true" "venue = 'venue-03'" "campaign = 'campaign-3'" "network = 'youtube'" "tier = 'micro'" \
         "campaign = 'campaign-3' AND network = 'youtube'" "venue = 'venue-03' AND tier = 'nano'" "network = 'youtube' AND tier = 'micro'"; do
    echo "$f: joined $(median joined "$f" "") joined-nohash $(median joined "$f" "$NOHASH") summed-nohash $(median summed "$f" "$NOHASH") lateral $(median lateral "$f" "")"
done
