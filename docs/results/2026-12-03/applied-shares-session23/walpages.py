import struct,sys,collections,sqlite3,subprocess
wal=open(sys.argv[1],'rb').read()
magic,ver,psize,seq,s1,s2,c1,c2=struct.unpack('>8I',wal[:32])
off=32; pages=[]; commits=0
while off+24+psize<=len(wal):
    pg,commit,f1,f2=struct.unpack('>4I',wal[off:off+16])
    if (f1,f2)!=(s1,s2): break
    pages.append(pg); commits+= commit!=0
    off+=24+psize
print('frames',len(pages),'distinct',len(set(pages)),'commits',commits)
db=sqlite3.connect(sys.argv[2])
owner={pg:name for name,pg in db.execute('select name,pageno from dbstat')}
c=collections.Counter(owner.get(p,'?') for p in set(pages))
for k,v in c.most_common(): print(v,k)
