import sys
log = "SELECT l.hour, s.advocate, s.venue, coalesce(s.campaign, '') AS campaign, s.network, s.tier, l.shares, l.reach, l.clicks, l.unique_clicks, l.bot_clicks, l.conversions, l.value FROM rollup_log l JOIN shares s USING (token)"
cols = "advocate, shares, reach, clicks, unique_clicks, bot_clicks, conversions, value"
sums = "SUM(shares), SUM(reach), SUM(clicks), SUM(unique_clicks), SUM(bot_clicks), SUM(conversions), (SUM(value) * 1000)::bigint"
out = ["SET work_mem='64MB'; SET jit=off;", "\\timing on", "\\o /dev/null", "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;"]
for name, cond in [("none", ""), ("net", "network = 'youtube' AND "), ("tier", "tier = 'micro' AND ")]:
    frm = f"(SELECT {cols} FROM rollup_hour_groups WHERE {cond}hour >= $1 UNION ALL SELECT {cols} FROM ({log}) AS logged WHERE {cond}hour >= $1)"
    orig = f"SELECT advocate, NULL, {sums} FROM {frm} AS rolled_up GROUP BY advocate ORDER BY SUM(clicks) DESC, advocate COLLATE \"C\" LIMIT 20"
    two = f"SELECT advocate, NULL, {sums} FROM {frm} AS rolled_up WHERE advocate IN (SELECT advocate FROM {frm} AS ranked GROUP BY advocate ORDER BY SUM(clicks) DESC, advocate COLLATE \"C\" LIMIT 20) GROUP BY advocate ORDER BY SUM(clicks) DESC, advocate COLLATE \"C\" LIMIT 20"
    for v, sql in [("orig", orig), ("two", two)]:
        out.append(f"\\echo {name} {v}")
        out.append(f"PREPARE {name}_{v}(bigint) AS {sql};")
        out += [f"EXECUTE {name}_{v}(499032);"] * 4
    out.append(f"\\echo {name} serial")
    out.append("SET LOCAL max_parallel_workers_per_gather = 0;")
    out += [f"EXECUTE {name}_orig(499032);"] * 4
    out.append("SET LOCAL max_parallel_workers_per_gather = 2;")
out.append("ROLLBACK;")
print("\n".join(out))
