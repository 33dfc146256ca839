\timing on
SELECT set_config('work_mem', '64MB', false);
SELECT count(*) FROM (SELECT DISTINCT advocate FROM share_groups g WHERE campaign = 'campaign-3' AND tier = 'nano' AND EXISTS (SELECT 1 FROM share_groups o WHERE o.advocate = g.advocate AND o.campaign = 'campaign-3' AND o.tier <> 'nano')) m;
SELECT count(*) FROM (SELECT DISTINCT advocate FROM share_groups WHERE campaign = 'campaign-3' AND tier = 'nano' AND advocate IN (SELECT advocate FROM share_groups WHERE campaign = 'campaign-3' AND tier <> 'nano')) m;
SELECT count(*) FROM (SELECT DISTINCT advocate FROM share_groups g WHERE campaign = 'campaign-3' AND network = 'youtube' AND EXISTS (SELECT 1 FROM share_groups o WHERE o.advocate = g.advocate AND o.campaign = 'campaign-3' AND o.network <> 'youtube')) m;
SELECT count(*) FROM (SELECT DISTINCT advocate FROM share_groups WHERE campaign = 'campaign-3' AND network = 'youtube' AND advocate IN (SELECT advocate FROM share_groups WHERE campaign = 'campaign-3' AND network <> 'youtube')) m;
SELECT count(*) FROM (SELECT DISTINCT advocate FROM share_groups g WHERE venue = 'venue-07' AND tier = 'nano' AND EXISTS (SELECT 1 FROM share_groups o WHERE o.advocate = g.advocate AND o.venue = 'venue-07' AND o.tier <> 'nano')) m;
SELECT count(*) FROM (SELECT DISTINCT advocate FROM share_groups g WHERE campaign = 'campaign-3' AND tier = 'nano' AND EXISTS (SELECT 1 FROM advocate_groups o WHERE o.advocate = g.advocate AND o.tier <> 'nano')) m;
