\timing on
SELECT set_config('work_mem', '64MB', false);
SELECT count(*) FROM (SELECT advocate FROM share_groups WHERE campaign = 'campaign-3' AND tier = 'nano' INTERSECT SELECT advocate FROM share_groups WHERE campaign = 'campaign-3' AND NOT (tier = 'nano') LIMIT 1001) m;
SELECT count(*) FROM (SELECT advocate FROM share_groups WHERE campaign = 'campaign-3' AND network = 'youtube' INTERSECT SELECT advocate FROM share_groups WHERE campaign = 'campaign-3' AND NOT (network = 'youtube') LIMIT 1001) m;
SELECT count(*) FROM (SELECT advocate FROM share_groups WHERE venue = 'venue-07' AND tier = 'nano' INTERSECT SELECT advocate FROM share_groups WHERE venue = 'venue-07' AND NOT (tier = 'nano') LIMIT 1001) m;
SELECT count(*) FROM (SELECT advocate FROM share_groups WHERE venue = 'venue-07' AND network = 'youtube' INTERSECT SELECT advocate FROM share_groups WHERE venue = 'venue-07' AND NOT (network = 'youtube') LIMIT 1001) m;
SELECT count(*) FROM (SELECT advocate FROM share_groups WHERE campaign = 'campaign-3' AND network = 'youtube' AND tier = 'nano' INTERSECT SELECT advocate FROM share_groups WHERE campaign = 'campaign-3' AND NOT (network = 'youtube' AND tier = 'nano') LIMIT 1001) m;
