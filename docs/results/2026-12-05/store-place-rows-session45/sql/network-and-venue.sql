\timing on
SELECT set_config('work_mem', '64MB', false);
SELECT count(*) FROM (SELECT advocate, shares, reach, clicks, unique_clicks, bot_clicks, conversions, value FROM rollup_campaign_advocates
    WHERE campaign = 'campaign-3' AND advocate IN (SELECT advocate FROM share_groups WHERE campaign = 'campaign-3' AND network = 'youtube')
    ORDER BY CASE WHEN reach > 0 THEN CAST(unique_clicks AS double precision) / CAST(reach AS double precision) ELSE 0.0 END DESC, advocate COLLATE "C" LIMIT 20) x;
SELECT count(*) FROM (SELECT advocate, shares, reach, clicks, unique_clicks, bot_clicks, conversions, value FROM rollup_venue_advocates JOIN venue_advocate_groups USING (id)
    WHERE venue = 'venue-07' AND advocate IN (SELECT advocate FROM share_groups WHERE venue = 'venue-07' AND tier = 'nano')
    ORDER BY CASE WHEN reach > 0 THEN CAST(unique_clicks AS double precision) / CAST(reach AS double precision) ELSE 0.0 END DESC, advocate COLLATE "C" LIMIT 20) x;
SELECT count(*) FROM (SELECT advocate, shares, reach, clicks, unique_clicks, bot_clicks, conversions, value FROM rollup_venue_advocates JOIN venue_advocate_groups USING (id)
    WHERE venue = 'venue-07' AND advocate IN (SELECT advocate FROM share_groups WHERE venue = 'venue-07' AND network = 'youtube')
    ORDER BY CASE WHEN reach > 0 THEN CAST(unique_clicks AS double precision) / CAST(reach AS double precision) ELSE 0.0 END DESC, advocate COLLATE "C" LIMIT 20) x;
SELECT count(*) FROM (SELECT DISTINCT advocate FROM share_groups g WHERE venue = 'venue-07' AND network = 'youtube' AND EXISTS (SELECT 1 FROM share_groups o WHERE o.advocate = g.advocate AND o.venue = 'venue-07' AND o.network <> 'youtube')) m;
