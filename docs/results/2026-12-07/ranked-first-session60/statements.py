"""The statements timed in psql for this session's results, printed as a psql script.

statements.py top-filters      -> psql-24h-filters.txt: top by clicks without a filter, with a
                                  network, with a tier, over the last day (64 MB)
statements.py top-days [4MB]   -> psql-days-64mb.txt (psql-days-4mb.txt with 4MB): top by
                                  engagement over 1, 3 and 7 days
statements.py tiers-days       -> psql-tiers-days.txt: tiers over 7 and 30 days, in 4 and 64 MB
statements.py tiers-day        -> psql-tiers-day.txt: tiers over 1 and 3 days, in 4 and 64 MB

Each as it was (`orig`), in two steps (`two`), without parallel workers (`serial`, `serialtwo`),
or for tiers the sums alone (`sums`) and the distinct pairs counted (`pairs`).
"""
import sys

LOG = ("SELECT l.hour, s.advocate, s.venue, coalesce(s.campaign, '') AS campaign, s.network, s.tier, l.shares, "
       "l.reach, l.clicks, l.unique_clicks, l.bot_clicks, l.conversions, l.value FROM rollup_log l JOIN shares s USING (token)")
COUNTERS = "shares, reach, clicks, unique_clicks, bot_clicks, conversions, value"
SUMS = "SUM(shares), SUM(reach), SUM(clicks), SUM(unique_clicks), SUM(bot_clicks), SUM(conversions), (SUM(value) * 1000)::bigint"
ENGAGEMENT = ("CASE WHEN SUM(reach) > 0 THEN CAST(SUM(unique_clicks) AS double precision) / "
              "CAST(SUM(reach) AS double precision) ELSE 0.0 END")


def rows(columns, condition=""):
    """The range's rows of the hourly rollup and of the rollup log, as the store reads them."""
    cols = f"{columns}, {COUNTERS}"
    return (f"(SELECT {cols} FROM rollup_hour_groups WHERE {condition}hour >= $1 "
            f"UNION ALL SELECT {cols} FROM ({LOG}) AS logged WHERE {condition}hour >= $1)")


def top(settings, cases, key, runs, serial_two):
    out = [settings, "\\timing on", "\\o /dev/null", "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;"]
    order = f"ORDER BY {key} DESC, advocate COLLATE \"C\" LIMIT 20"
    for name, condition, hour in cases:
        frm = rows("advocate", condition)
        statements = {
            "orig": f"SELECT advocate, NULL, {SUMS} FROM {frm} AS rolled_up GROUP BY advocate {order}",
            "two": f"SELECT advocate, NULL, {SUMS} FROM {frm} AS rolled_up WHERE advocate IN (SELECT advocate FROM "
                   f"{frm} AS ranked GROUP BY advocate {order}) GROUP BY advocate {order}",
        }
        for version, sql in statements.items():
            out += [f"\\echo {name} {version}", f"PREPARE {name}_{version}(bigint) AS {sql};"]
            out += [f"EXECUTE {name}_{version}({hour});"] * runs
        out += [f"\\echo {name} serial", "SET LOCAL max_parallel_workers_per_gather = 0;"]
        out += [f"EXECUTE {name}_orig({hour});"] * runs
        if serial_two:
            out.append(f"\\echo {name} serialtwo")
            out += [f"EXECUTE {name}_two({hour});"] * runs
        out.append("SET LOCAL max_parallel_workers_per_gather = 2;")
    return out + ["ROLLBACK;"]


def tiers(cases, runs):
    out = ["SET jit=off;", "\\timing on", "\\o /dev/null", "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;"]
    for name, hour in cases:
        frm = rows("tier, advocate") + " AS rolled_up"
        statements = {
            "orig": f"SELECT tier, COUNT(DISTINCT advocate), {SUMS} FROM {frm} GROUP BY tier ORDER BY tier",
            "sums": f"SELECT tier, NULL, {SUMS} FROM {frm} GROUP BY tier ORDER BY tier",
            "pairs": f"SELECT tier, count(*) FROM (SELECT DISTINCT tier, advocate FROM {frm}) AS pairs GROUP BY tier",
        }
        out += [f"PREPARE {name}_{version}(bigint) AS {sql};" for version, sql in statements.items()]
        for work_mem in ["4MB", "64MB"]:
            out.append(f"SET LOCAL work_mem = '{work_mem}';")
            for version in statements:
                out.append(f"\\echo {name} {work_mem} {version}")
                out += [f"EXECUTE {name}_{version}({hour});"] * runs
    return out + ["ROLLBACK;"]


last = 499032  # the last day's first hour when the top statements were timed
mode = sys.argv[1]
if mode == "top-filters":
    filters = [("none", ""), ("net", "network = 'youtube' AND "), ("tier", "tier = 'micro' AND ")]
    script = top("SET work_mem='64MB'; SET jit=off;", [(n, c, last) for n, c in filters], "SUM(clicks)", 4, False)
elif mode == "top-days":
    settings = "SET jit=off;" if sys.argv[2:] == ["4MB"] else "SET work_mem='64MB'; SET jit=off;"
    days = [("d1", last), ("d3", last - 48), ("d7", last - 144)]
    script = top(settings, [(n, "", h) for n, h in days], ENGAGEMENT, 3, True)
elif mode in ("tiers-days", "tiers-day"):
    end = 499053  # one hour past the last stored hour when the tiers statements were timed
    days = [("d7", 168), ("d30", 720)] if mode == "tiers-days" else [("d1", 24), ("d3", 72)]
    script = tiers([(n, end - h) for n, h in days], 2 if mode == "tiers-days" else 3)
else:
    sys.exit(__doc__)
print("\n".join(script))
