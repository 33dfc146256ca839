-- The plan of `top --by shares` (and, with `$by` = clicks, by clicks) over every advocate; the file holds the last of the loop that ran it.
SELECT set_config('work_mem', '64MB', false);
EXPLAIN ANALYZE WITH logged_groups AS MATERIALIZED (SELECT advocate, SUM(shares) AS shares FROM (SELECT s.advocate, l.shares FROM rollup_log l JOIN shares s USING (token)) AS logged WHERE true GROUP BY advocate)
SELECT * FROM (SELECT advocate, shares, clicks FROM rollup_advocate_totals JOIN advocate_alone_groups USING (id) WHERE true AND NOT EXISTS (SELECT 1 FROM logged_groups l WHERE l.advocate = advocate_alone_groups.advocate)
	    ORDER BY shares DESC, advocate COLLATE "C" LIMIT 20) AS ranked;
