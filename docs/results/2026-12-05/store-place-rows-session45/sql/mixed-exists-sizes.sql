\timing on
SELECT set_config('work_mem', '64MB', false);
SELECT count(*) FROM (SELECT DISTINCT advocate FROM share_groups g WHERE campaign = 'campaign-3' AND tier = 'mega' AND EXISTS (SELECT 1 FROM share_groups o WHERE o.advocate = g.advocate AND campaign = 'campaign-3' AND NOT (tier = 'mega')) LIMIT 1001) m;
SELECT count(*) FROM (SELECT DISTINCT advocate FROM share_groups g WHERE venue = 'venue-07' AND tier = 'mega' AND EXISTS (SELECT 1 FROM share_groups o WHERE o.advocate = g.advocate AND venue = 'venue-07' AND NOT (tier = 'mega')) LIMIT 1001) m;
SELECT count(*) FROM (SELECT DISTINCT advocate FROM share_groups g WHERE venue = 'venue-07' AND tier = 'nano' AND EXISTS (SELECT 1 FROM share_groups o WHERE o.advocate = g.advocate AND venue = 'venue-07' AND NOT (tier = 'nano')) LIMIT 1001) m;
SELECT count(*) FROM (SELECT advocate FROM share_groups WHERE venue = 'venue-07' AND tier = 'nano' INTERSECT SELECT advocate FROM share_groups WHERE venue = 'venue-07' AND NOT (tier = 'nano') LIMIT 1001) m;
SELECT count(*) FROM (SELECT DISTINCT advocate FROM share_groups g WHERE campaign = 'campaign-3' AND tier = 'micro' AND EXISTS (SELECT 1 FROM share_groups o WHERE o.advocate = g.advocate AND campaign = 'campaign-3' AND NOT (tier = 'micro')) LIMIT 1001) m;
SELECT count(*) FROM (SELECT advocate FROM share_groups WHERE campaign = 'campaign-3' AND tier = 'micro' INTERSECT SELECT advocate FROM share_groups WHERE campaign = 'campaign-3' AND NOT (tier = 'micro') LIMIT 1001) m;
