import sys,struct,sqlite3,collections
wal,db=sys.argv[1],sys.argv[2]
data=open(wal,'rb').read()
magic,ver,psz,ckseq,salt1,salt2,c1,c2=struct.unpack('>8I',data[:32])
fs=24+psz; off=32; frames=[]; commits=0
while off+fs<=len(data):
    pg,dbsz,s1,s2=struct.unpack('>4I',data[off:off+16])
    if (s1,s2)!=(salt1,salt2): break
    frames.append(pg)
    if dbsz: commits+=1
    off+=fs
con=sqlite3.connect(db)
owner={}
for name,pageno in con.execute("select name,pageno from dbstat"): owner[pageno]=name
c=collections.Counter(owner.get(p,'?') for p in frames)
print(f"{len(frames)} frames in {commits} commits, {len(frames)/max(commits,1):.0f} pages per commit, distinct pages {len(set(frames))}")
for k,n in c.most_common(20): print(f"{n:8d} {n/max(commits,1):8.0f}/commit {k}")
