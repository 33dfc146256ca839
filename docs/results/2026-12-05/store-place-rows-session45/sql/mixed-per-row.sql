\timing on
SELECT set_config('work_mem', '64MB', false);
SELECT count(*) FROM (SELECT DISTINCT advocate FROM share_groups g WHERE campaign = 'campaign-3' AND tier = 'nano' AND EXISTS (SELECT 1 FROM share_groups o WHERE o.advocate = g.advocate AND campaign = 'campaign-3' AND NOT (tier = 'nano') OFFSET 0) LIMIT 1001) m;
SELECT count(*) FROM (SELECT DISTINCT advocate FROM share_groups g WHERE campaign = 'campaign-3' AND tier = 'mega' AND EXISTS (SELECT 1 FROM share_groups o WHERE o.advocate = g.advocate AND campaign = 'campaign-3' AND NOT (tier = 'mega') OFFSET 0) LIMIT 1001) m;
SELECT count(*) FROM (SELECT advocate FROM share_groups WHERE campaign = 'campaign-3' AND tier = 'mega' INTERSECT SELECT advocate FROM share_groups WHERE campaign = 'campaign-3' AND NOT (tier = 'mega') LIMIT 1001) m;
SELECT count(*) FROM (SELECT advocate, shares, reach, clicks, unique_clicks, bot_clicks, conversions, value FROM rollup_campaign_advocates
    WHERE campaign = 'campaign-3' AND advocate IN (SELECT advocate FROM share_groups WHERE campaign = 'campaign-3' AND tier = 'mega')
    ORDER BY CASE WHEN reach > 0 THEN CAST(unique_clicks AS double precision) / CAST(reach AS double precision) ELSE 0.0 END DESC, advocate COLLATE "C" LIMIT 20) x;
