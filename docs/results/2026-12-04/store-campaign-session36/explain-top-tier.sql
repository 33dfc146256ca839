-- top --limit 20 --tier nano as main sends it (parameters inlined), session 32's store at schema version 11, default work_mem
EXPLAIN (ANALYZE)
SELECT advocate, NULL, SUM(shares), SUM(reach), SUM(clicks), SUM(unique_clicks), SUM(bot_clicks), SUM(conversions), (SUM(value) * 1000)::bigint
	FROM (SELECT advocate, shares, reach, clicks, unique_clicks, bot_clicks, conversions, value FROM rollup_advocates JOIN advocate_groups USING (id) WHERE tier = 'nano' UNION ALL SELECT advocate, shares, reach, clicks, unique_clicks, bot_clicks, conversions, value FROM (SELECT l.hour, s.advocate, s.venue, coalesce(s.campaign, '') AS campaign, s.network, s.tier, l.shares, l.reach, l.clicks, l.unique_clicks, l.bot_clicks, l.conversions, l.value FROM rollup_log l JOIN shares s USING (token)) AS logged WHERE tier = 'nano') AS rolled_up
	GROUP BY advocate ORDER BY SUM(unique_clicks) DESC, advocate COLLATE "C" LIMIT 20
;
