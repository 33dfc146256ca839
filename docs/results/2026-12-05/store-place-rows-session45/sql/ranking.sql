\timing on
SELECT set_config('work_mem', '64MB', false);
SELECT count(*) FROM (SELECT advocate, shares, reach, clicks, unique_clicks, bot_clicks, conversions, value FROM rollup_campaign_advocates
    WHERE campaign = 'campaign-3' AND advocate IN (SELECT advocate FROM share_groups WHERE campaign = 'campaign-3' AND tier = 'nano')
    ORDER BY CASE WHEN reach > 0 THEN CAST(unique_clicks AS double precision) / CAST(reach AS double precision) ELSE 0.0 END DESC, advocate COLLATE "C" LIMIT 20) x;
SET enable_seqscan = off;
EXPLAIN ANALYZE SELECT advocate, shares, reach, clicks, unique_clicks, bot_clicks, conversions, value FROM rollup_campaign_advocates
    WHERE campaign = 'campaign-3' AND advocate IN (SELECT advocate FROM share_groups WHERE campaign = 'campaign-3' AND tier = 'nano')
    ORDER BY CASE WHEN reach > 0 THEN CAST(unique_clicks AS double precision) / CAST(reach AS double precision) ELSE 0.0 END DESC, advocate COLLATE "C" LIMIT 20;
SET enable_seqscan = on;
SET max_parallel_workers_per_gather = 0;
EXPLAIN ANALYZE SELECT advocate, shares, reach, clicks, unique_clicks, bot_clicks, conversions, value FROM rollup_campaign_advocates
    WHERE campaign = 'campaign-3' AND advocate IN (SELECT advocate FROM share_groups WHERE campaign = 'campaign-3' AND tier = 'nano')
    ORDER BY CASE WHEN reach > 0 THEN CAST(unique_clicks AS double precision) / CAST(reach AS double precision) ELSE 0.0 END DESC, advocate COLLATE "C" LIMIT 20;
