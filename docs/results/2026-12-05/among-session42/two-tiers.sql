.timer on
SELECT count(*) FROM (SELECT advocate FROM share_groups WHERE campaign='campaign-2' GROUP BY advocate HAVING count(DISTINCT tier) > 1 AND max(tier='nano') = 1);
SELECT count(*) FROM (SELECT advocate FROM share_groups WHERE campaign='campaign-2' AND tier <> 'nano' INTERSECT SELECT advocate FROM share_groups WHERE campaign='campaign-2' AND tier = 'nano');
