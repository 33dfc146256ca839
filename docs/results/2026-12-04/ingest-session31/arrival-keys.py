#!/usr/bin/env python3
"""What keying `counters` in arrival order would save at 2M shares: pages one apply transaction
writes, counted as write-ahead-log frames, for the same upserts into two layouts.

- token: `counters (token TEXT, hour, ...) PRIMARY KEY (token, hour) WITHOUT ROWID`, as now.
- arrival: `counters (id INTEGER, hour, ...) PRIMARY KEY (id, hour) WITHOUT ROWID`, `id` given
  to a token when first seen, plus `tokens (token TEXT PRIMARY KEY, id) WITHOUT ROWID` for the
  lookups by token (one insert per new token).
- arrival, ids given: the arrival layout's transaction without the token index's inserts, to see
  what the counters alone write.

The store is filled with SHARES shares in arrival order (a row per share at its hour, and on
average 1.5 more rows in the hours after it, like clicks following their share); then one
transaction of EVENTS events in the bench's shape: a tenth new shares (a new token and its row),
the rest clicks on shares of the last hours (an exponential delay of 2 hours on average), a third
of them in the current hour. Usage: arrival-keys.py DIR [SHARES] [EVENTS]."""
import os, random, sqlite3, string, sys

directory = sys.argv[1]
shares = int(sys.argv[2]) if len(sys.argv) > 2 else 2_000_000
events = int(sys.argv[3]) if len(sys.argv) > 3 else 100_000
per_hour = 2_000_000 // (90 * 24)  # shares an hour, as in the query bench's 90 days
columns = "shares INTEGER, reach INTEGER, clicks INTEGER, unique_clicks INTEGER, bot_clicks INTEGER, " \
          "conversions INTEGER, value INTEGER"
random.seed(1)
alphabet = string.ascii_letters + string.digits
tokens = [''.join(random.choices(alphabet, k=10)) for _ in range(shares + events)]

def rows_of(index):
    hour = index // per_hour
    yield hour
    for extra in range(random.choice((0, 1, 2, 3))):
        yield hour + 1 + extra

def open_store(name, layout):
    path = os.path.join(directory, name)
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix): os.remove(path + suffix)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA wal_autocheckpoint = 0")
    db.execute("PRAGMA cache_size = -16384")
    key = "token TEXT NOT NULL" if layout == "token" else "id INTEGER NOT NULL"
    db.execute(f"CREATE TABLE counters ({key}, hour INTEGER NOT NULL, {columns}, "
               f"PRIMARY KEY ({key.split()[0]}, hour)) WITHOUT ROWID")
    if layout == "arrival":
        db.execute("CREATE TABLE tokens (token TEXT PRIMARY KEY NOT NULL, id INTEGER NOT NULL) WITHOUT ROWID")
    return db

def fill(db, layout):
    db.execute("BEGIN")
    for index in range(shares):
        key = tokens[index] if layout == "token" else index
        if layout == "arrival":
            db.execute("INSERT INTO tokens VALUES (?, ?)", (tokens[index], index))
        db.executemany("INSERT INTO counters VALUES (?, ?, 1, 0, 1, 0, 0, 0, 0)",
                       [(key, hour) for hour in rows_of(index)])
    db.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

def transaction(db, layout, index_new_tokens=True):
    random.seed(2)
    now = shares // per_hour + 1
    upsert = ("INSERT INTO counters VALUES (?, ?, 0, 0, 1, 0, 0, 0, 0) "
              "ON CONFLICT DO UPDATE SET clicks = clicks + 1")
    db.execute("BEGIN")
    new = shares
    for _ in range(events):
        if random.random() < 0.1:
            index = new; new += 1
            if layout == "arrival" and index_new_tokens:
                db.execute("INSERT INTO tokens VALUES (?, ?)", (tokens[index], index))
        else:
            # A click follows its share by an exponential delay of 2 hours on average.
            index = max(0, shares - 1 - int(random.expovariate(1 / (2 * per_hour))))
        key = tokens[index] if layout == "token" else index
        hour = now if random.random() < 0.33 else index // per_hour + random.choice((0, 1))
        db.execute(upsert, (key, hour))
    db.execute("COMMIT")
    frames = db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()[1]
    pages = {name: db.execute(f"SELECT count(*) FROM dbstat WHERE name = '{name}'").fetchone()[0]
             for name in (["counters"] + (["tokens"] if layout == "arrival" else []))}
    return frames, pages

for name, layout, index_new_tokens in (("token", "token", True), ("arrival", "arrival", True),
                                       ("arrival, ids given", "arrival", False)):
    db = open_store(f"{layout}.db", layout)
    fill(db, layout)
    frames, pages = transaction(db, layout, index_new_tokens)
    print(f"{name:8} one transaction of {events:,} events wrote {frames:,} pages; tables' pages: {pages}")
