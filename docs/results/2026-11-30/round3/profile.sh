#!/bin/sh
# profile.sh SIDE DAEMON: perf record -e cpu-clock -g of DAEMON during a 1,000,000-event receive-mode run.
side=$1; daemon=$2; dir=${PROFILE_DIR:-/tmp/ingest-profile}; mkdir -p $dir; here=$(cd "$(dirname "$0")" && pwd)
cat > $dir/$side-wrap.sh <<W
#!/bin/sh
exec perf record -q -e cpu-clock -F 4000 -g -o $dir/$side.perf.data $daemon "\$@"
W
chmod +x $dir/$side-wrap.sh
${BENCH:-.build/release/sharetrack-bench} --daemon $dir/$side-wrap.sh --ack receive --no-ceiling --events 1000000 > $dir/$side-perf.txt 2>&1
perf script -i $dir/$side.perf.data -F tid,ip,sym 2>/dev/null > $dir/$side.script
python3 $here/folded.py $dir/$side.script $dir/$side-ingest.txt
