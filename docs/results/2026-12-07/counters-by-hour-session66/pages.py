import re, sys, sqlite3, collections
# pages.py DIR: pages the checkpoints wrote into DIR/q.db (pwrite64 on its read-write fd), by table
d = sys.argv[1]
fd = None
for line in open(f"{d}/fds.txt"):
    if line.startswith("lrwx") and line.rstrip().endswith("/q.db"):
        fd = line.split()[8]
owner = {}
db = sqlite3.connect(f"file:{d}/q.db?mode=ro", uri=True)
for name, page in db.execute("SELECT name, pageno FROM dbstat"):
    owner[page] = name
counts = collections.Counter()
total = 0
pat = re.compile(r"pwrite64\(" + fd + r", .*, (\d+), (\d+)\) = ")
for line in open(f"{d}/strace.txt"):
    m = pat.search(line)
    if m:
        size, offset = int(m.group(1)), int(m.group(2))
        page = offset // 4096 + 1
        counts[owner.get(page, "?")] += size // 4096
        total += size // 4096
events = 400000
print(f"{d}: {total} pages written by checkpoints, {total/events:.3f} per event")
for name, n in counts.most_common(25):
    print(f"  {name:45s} {n:8d}")
