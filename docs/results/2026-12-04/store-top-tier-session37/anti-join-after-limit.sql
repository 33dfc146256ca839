\timing on
SET work_mem = "64MB";
WITH logged_groups AS MATERIALIZED (SELECT advocate, SUM(shares) AS shares, SUM(reach) AS reach, SUM(clicks) AS clicks, SUM(unique_clicks) AS unique_clicks, SUM(bot_clicks) AS bot_clicks, SUM(conversions) AS conversions, SUM(value) AS value FROM (SELECT l.hour, s.advocate, s.venue, coalesce(s.campaign, '') AS campaign, s.network, s.tier, l.shares, l.reach, l.clicks, l.unique_clicks, l.bot_clicks, l.conversions, l.value FROM rollup_log l JOIN shares s USING (token)) AS logged WHERE tier = 'nano' GROUP BY advocate),
several AS MATERIALIZED (SELECT advocate FROM logged_groups UNION SELECT advocate FROM advocate_groups WHERE tier = 'nano' GROUP BY advocate HAVING count(*) > 1)
	SELECT advocate, NULL, SUM(shares), SUM(reach), SUM(clicks), SUM(unique_clicks), SUM(bot_clicks), SUM(conversions), (SUM(value) * 1000)::bigint
	FROM (SELECT * FROM (SELECT advocate, shares, reach, clicks, unique_clicks, bot_clicks, conversions, value FROM advocate_groups JOIN rollup_advocates USING (id)
	    WHERE tier = 'nano'
	    ORDER BY unique_clicks DESC, advocate COLLATE "C" LIMIT 20 + (SELECT count(*) FROM several)) AS ranked WHERE NOT EXISTS (SELECT 1 FROM several l WHERE l.advocate = ranked.advocate)
	UNION ALL SELECT advocate, shares, reach, clicks, unique_clicks, bot_clicks, conversions, value FROM advocate_groups JOIN rollup_advocates USING (id)
	    WHERE tier = 'nano' AND advocate IN (SELECT advocate FROM several)
	UNION ALL SELECT advocate, shares, reach, clicks, unique_clicks, bot_clicks, conversions, value FROM logged_groups) AS rolled_up
	GROUP BY advocate ORDER BY SUM(unique_clicks) DESC, advocate COLLATE "C" LIMIT 20;
