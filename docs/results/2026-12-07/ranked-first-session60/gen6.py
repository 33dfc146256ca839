log = "SELECT l.hour, s.advocate, s.venue, coalesce(s.campaign, '') AS campaign, s.network, s.tier, l.shares, l.reach, l.clicks, l.unique_clicks, l.bot_clicks, l.conversions, l.value FROM rollup_log l JOIN shares s USING (token)"
cols = "tier, advocate, shares, reach, clicks, unique_clicks, bot_clicks, conversions, value"
sums = "SUM(shares), SUM(reach), SUM(clicks), SUM(unique_clicks), SUM(bot_clicks), SUM(conversions), (SUM(value) * 1000)::bigint"
out = ["SET jit=off;", "\\timing on", "\\o /dev/null", "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;"]
for name, hour in [("d1", 499053-24), ("d3", 499053-72)]:
    frm = f"(SELECT {cols} FROM rollup_hour_groups WHERE hour >= $1 UNION ALL SELECT {cols} FROM ({log}) AS logged WHERE hour >= $1) AS rolled_up"
    orig = f"SELECT tier, COUNT(DISTINCT advocate), {sums} FROM {frm} GROUP BY tier ORDER BY tier"
    sumsonly = f"SELECT tier, NULL, {sums} FROM {frm} GROUP BY tier ORDER BY tier"
    pairs = f"SELECT tier, count(*) FROM (SELECT DISTINCT tier, advocate FROM {frm}) AS pairs GROUP BY tier"
    for v, sql in [("orig", orig), ("sums", sumsonly), ("pairs", pairs)]:
        out.append(f"PREPARE {name}_{v}(bigint) AS {sql};")
    for wm in ["4MB", "64MB"]:
        out.append(f"SET LOCAL work_mem = '{wm}';")
        for v in ["orig", "sums", "pairs"]:
            out.append(f"\\echo {name} {wm} {v}")
            out += [f"EXECUTE {name}_{v}({hour});"] * 3
out.append("ROLLBACK;")
print("\n".join(out))
