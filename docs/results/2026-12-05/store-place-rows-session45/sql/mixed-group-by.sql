\timing on
SELECT set_config('work_mem', '64MB', false);
SELECT count(*), length(coalesce(array_agg(advocate), '{}')::text) FROM (SELECT advocate FROM share_groups g WHERE campaign = 'campaign-3' AND tier = 'mega' AND EXISTS (SELECT 1 FROM share_groups o WHERE o.advocate = g.advocate AND campaign = 'campaign-3' AND NOT (tier = 'mega')) GROUP BY advocate) m;
SELECT count(*) FROM (SELECT advocate FROM share_groups g WHERE campaign = 'campaign-3' AND tier = 'mega' AND advocate IN (SELECT advocate FROM share_groups o WHERE campaign = 'campaign-3' AND NOT (tier = 'mega')) GROUP BY advocate LIMIT 1001) m;
