import sys
log = "SELECT l.hour, s.advocate, s.venue, coalesce(s.campaign, '') AS campaign, s.network, s.tier, l.shares, l.reach, l.clicks, l.unique_clicks, l.bot_clicks, l.conversions, l.value FROM rollup_log l JOIN shares s USING (token)"
cols = "advocate, shares, reach, clicks, unique_clicks, bot_clicks, conversions, value"
sums = "SUM(shares), SUM(reach), SUM(clicks), SUM(unique_clicks), SUM(bot_clicks), SUM(conversions), (SUM(value) * 1000)::bigint"
key = "CASE WHEN SUM(reach) > 0 THEN CAST(SUM(unique_clicks) AS double precision) / CAST(SUM(reach) AS double precision) ELSE 0.0 END"
out = ["SET work_mem='64MB'; SET jit=off;", "\\timing on", "\\o /dev/null", "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;"]
for name, hour in [("d1", 499032), ("d3", 499032-48), ("d7", 499032-144)]:
    frm = f"(SELECT {cols} FROM rollup_hour_groups WHERE hour >= $1 UNION ALL SELECT {cols} FROM ({log}) AS logged WHERE hour >= $1)"
    orig = f"SELECT advocate, NULL, {sums} FROM {frm} AS rolled_up GROUP BY advocate ORDER BY {key} DESC, advocate COLLATE \"C\" LIMIT 20"
    two = f"SELECT advocate, NULL, {sums} FROM {frm} AS rolled_up WHERE advocate IN (SELECT advocate FROM {frm} AS ranked GROUP BY advocate ORDER BY {key} DESC, advocate COLLATE \"C\" LIMIT 20) GROUP BY advocate ORDER BY {key} DESC, advocate COLLATE \"C\" LIMIT 20"
    for v, sql in [("orig", orig), ("two", two)]:
        out.append(f"\\echo {name} {v}")
        out.append(f"PREPARE {name}_{v}(bigint) AS {sql};")
        out += [f"EXECUTE {name}_{v}({hour});"] * 3
    out.append(f"\\echo {name} serial")
    out.append("SET LOCAL max_parallel_workers_per_gather = 0;")
    out += [f"EXECUTE {name}_orig({hour});"] * 3
    out.append(f"\\echo {name} serialtwo")
    out += [f"EXECUTE {name}_two({hour});"] * 3
    out.append("SET LOCAL max_parallel_workers_per_gather = 2;")
out.append("ROLLBACK;")
print("\n".join(out))
