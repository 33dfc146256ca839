import struct, collections, sys
# wal-pages.py WAL PAGES: the pages each transaction in a write-ahead log wrote, by table.
# WAL: a copy of the log taken before any checkpoint (the daemon of knobs.diff with EXP_NOCKPT,
# killed after a few applies); PAGES: `sqlite3 DB "SELECT pageno, name FROM dbstat"` on a copy of
# the database with that log.
wal, pages = sys.argv[1], sys.argv[2]
owner = {}
for line in open(pages):
    number, name = line.rstrip('\n').split('|', 1)
    owner[int(number)] = name
f = open(wal, 'rb')
magic, version, page_size, checkpoint, salt1, salt2, _, _ = struct.unpack('>IIIIIIII', f.read(32))
transactions, current = [], []
while True:
    header = f.read(24)
    if len(header) < 24:
        break
    page, commit, s1, s2, _, _ = struct.unpack('>IIIIII', header)
    if (s1, s2) != (salt1, salt2):
        break
    f.seek(page_size, 1)
    current.append(page)
    if commit:
        transactions.append(current)
        current = []
for index, frames in enumerate(transactions):
    tables = collections.Counter(owner.get(page, '(free)') for page in set(frames))
    print(f'transaction {index}: {len(frames)} frames, {len(set(frames))} pages')
    for table, count in tables.most_common():
        print(f'  {table:50} {count:7}')
