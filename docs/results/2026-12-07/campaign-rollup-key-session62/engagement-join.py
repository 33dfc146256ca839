# engagement-join.py DB RUNS: medians (ms) of the engagement-in-a-campaign-tier statement, as now (IN list)
# and as a join of the distinct advocates in index order, alternated; checks the rows are equal.
import sqlite3, sys, time, statistics
db = sqlite3.connect(sys.argv[1]); runs = int(sys.argv[2])
key = "CASE WHEN reach > 0 THEN CAST(unique_clicks AS REAL) / CAST(reach AS REAL) ELSE 0.0 END"
cols = "shares, reach, clicks, unique_clicks, bot_clicks, conversions, value"
def q(campaign, tier, limit, ranking=key):
    a = f"""SELECT advocate, {cols} FROM rollup_campaign_advocates
      WHERE campaign = ?1 AND advocate IN (SELECT advocate FROM share_groups WHERE campaign = ?1 AND tier = ?2)
      ORDER BY {ranking} DESC, advocate LIMIT {limit}"""
    b = f"""SELECT r.advocate, {cols} FROM (SELECT DISTINCT advocate FROM share_groups WHERE campaign = ?1 AND tier = ?2) s
      CROSS JOIN rollup_campaign_advocates r ON r.campaign = ?1 AND r.advocate = s.advocate
      ORDER BY {ranking} DESC, r.advocate LIMIT {limit}"""
    return a, b
for campaign, tier, limit in [("campaign-2", "nano", 20), ("campaign-2", "nano", 300), ("campaign-3", "micro", 20), ("campaign-1", "macro", 20)]:
    a, b = q(campaign, tier, limit)
    ta, tb = [], []
    for i in range(runs):
        for sql, t in ((a, ta), (b, tb)) if i % 2 == 0 else ((b, tb), (a, ta)):
            s = time.perf_counter(); rows = db.execute(sql, (campaign, tier)).fetchall(); t.append((time.perf_counter() - s) * 1000)
            if sql is a: ra = rows
            else: rb = rows
    assert ra == rb, "different rows"
    print(f"{campaign} {tier} limit {limit}: IN list {statistics.median(ta):.1f} ms, join {statistics.median(tb):.1f} ms ({len(ra)} rows)")
