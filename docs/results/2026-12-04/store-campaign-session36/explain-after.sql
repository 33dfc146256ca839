-- top --limit 20 --campaign campaign-3 as main sends it after round 29 (parameters inlined), on session 32's store at schema version 11
SET work_mem = '64MB';
EXPLAIN (ANALYZE, BUFFERS)
WITH logged_groups AS MATERIALIZED (SELECT advocate, SUM(shares) AS shares, SUM(reach) AS reach, SUM(clicks) AS clicks, SUM(unique_clicks) AS unique_clicks, SUM(bot_clicks) AS bot_clicks, SUM(conversions) AS conversions, SUM(value) AS value FROM (SELECT l.hour, s.advocate, s.venue, coalesce(s.campaign, '') AS campaign, s.network, s.tier, l.shares, l.reach, l.clicks, l.unique_clicks, l.bot_clicks, l.conversions, l.value FROM rollup_log l JOIN shares s USING (token)) AS logged WHERE campaign = 'campaign-3' GROUP BY advocate)
	SELECT advocate, NULL, SUM(shares), SUM(reach), SUM(clicks), SUM(unique_clicks), SUM(bot_clicks), SUM(conversions), (SUM(value) * 1000)::bigint
	FROM (SELECT * FROM (SELECT advocate, shares, reach, clicks, unique_clicks, bot_clicks, conversions, value FROM rollup_campaign_advocates
	    WHERE campaign = 'campaign-3'
	    ORDER BY unique_clicks DESC, advocate COLLATE "C" LIMIT 20 + (SELECT count(*) FROM logged_groups)) AS ranked WHERE NOT EXISTS (SELECT 1 FROM logged_groups l WHERE l.advocate = ranked.advocate)
	UNION ALL SELECT advocate, shares, reach, clicks, unique_clicks, bot_clicks, conversions, value FROM rollup_campaign_advocates
	    WHERE campaign = 'campaign-3' AND advocate IN (SELECT advocate FROM logged_groups)
	UNION ALL SELECT advocate, shares, reach, clicks, unique_clicks, bot_clicks, conversions, value FROM logged_groups) AS rolled_up
	GROUP BY advocate ORDER BY SUM(unique_clicks) DESC, advocate COLLATE "C" LIMIT 20
;
