\timing on
SELECT set_config('work_mem', '64MB', false);
-- mixed
SELECT coalesce(array_agg(advocate), '{}')::text, count(*) FROM (SELECT advocate FROM share_groups WHERE campaign = 'campaign-3' GROUP BY advocate HAVING bool_or(tier = 'nano') AND NOT bool_and(tier = 'nano') LIMIT 1001) AS m;
SELECT count(*) FROM (SELECT DISTINCT advocate FROM share_groups g WHERE campaign = 'campaign-3' AND tier = 'nano' AND EXISTS (SELECT 1 FROM share_groups o WHERE o.advocate = g.advocate AND o.campaign = 'campaign-3' AND o.tier <> 'nano')) m;
EXPLAIN ANALYZE WITH logged_groups AS MATERIALIZED (SELECT advocate, SUM(shares) AS shares, SUM(reach) AS reach, SUM(clicks) AS clicks, SUM(unique_clicks) AS unique_clicks, SUM(bot_clicks) AS bot_clicks, SUM(conversions) AS conversions, SUM(value) AS value FROM (SELECT l.hour, s.advocate, s.venue, coalesce(s.campaign, '') AS campaign, s.network, s.tier, l.shares, l.reach, l.clicks, l.unique_clicks, l.bot_clicks, l.conversions, l.value FROM rollup_log l JOIN shares s USING (token)) AS logged WHERE campaign = 'campaign-3' AND tier = 'nano' GROUP BY advocate),
summed_apart AS MATERIALIZED (SELECT advocate FROM logged_groups UNION SELECT unnest('{}'::text[]))
SELECT advocate, NULL, SUM(shares), SUM(reach), SUM(clicks), SUM(unique_clicks), SUM(bot_clicks), SUM(conversions), (SUM(value) * 1000)::bigint
FROM (SELECT * FROM (SELECT advocate, shares, reach, clicks, unique_clicks, bot_clicks, conversions, value FROM rollup_campaign_advocates
    WHERE campaign = 'campaign-3' AND advocate IN (SELECT advocate FROM share_groups WHERE campaign = 'campaign-3' AND tier = 'nano')
    ORDER BY CASE WHEN reach > 0 THEN CAST(unique_clicks AS double precision) / CAST(reach AS double precision) ELSE 0.0 END DESC, advocate COLLATE "C" LIMIT 20 + 0 + (SELECT count(*) FROM logged_groups)) AS ranked WHERE NOT EXISTS (SELECT 1 FROM summed_apart l WHERE l.advocate = ranked.advocate)
UNION ALL SELECT advocate, shares, reach, clicks, unique_clicks, bot_clicks, conversions, value FROM rollup_groups JOIN share_groups USING (id)
    WHERE campaign = 'campaign-3' AND tier = 'nano' AND advocate IN (SELECT advocate FROM summed_apart)
UNION ALL SELECT advocate, shares, reach, clicks, unique_clicks, bot_clicks, conversions, value FROM logged_groups) AS rolled_up
GROUP BY advocate ORDER BY CASE WHEN SUM(reach) > 0 THEN CAST(SUM(unique_clicks) AS double precision) / CAST(SUM(reach) AS double precision) ELSE 0.0 END DESC, advocate COLLATE "C" LIMIT 20;
