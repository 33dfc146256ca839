\timing on
EXPLAIN ANALYZE SELECT coalesce(array_agg(advocate), '{}')::text, count(*), count(*) FROM (
	    SELECT DISTINCT advocate FROM share_groups g WHERE campaign = 'campaign-3' AND tier = 'nano' AND EXISTS (
	        SELECT 1 FROM share_groups o WHERE o.advocate = g.advocate AND campaign = 'campaign-3' AND NOT (tier = 'nano'))
	    LIMIT 1001) AS mixed;
SELECT set_config('work_mem', '64MB', false);
EXPLAIN ANALYZE SELECT coalesce(array_agg(advocate), '{}')::text, count(*), count(*) FROM (
	    SELECT DISTINCT advocate FROM share_groups g WHERE campaign = 'campaign-3' AND tier = 'nano' AND EXISTS (
	        SELECT 1 FROM share_groups o WHERE o.advocate = g.advocate AND campaign = 'campaign-3' AND NOT (tier = 'nano'))
	    LIMIT 1001) AS mixed;
