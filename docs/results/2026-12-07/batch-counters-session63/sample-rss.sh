#!/bin/bash
# samples the sharetrackd's RSS every 20 ms: t_ms rss_kib
out=$1
while ! pid=$(pgrep -n sharetrackd); do sleep 0.01; done
start=$(date +%s%N)
while [ -e /proc/$pid ]; do
  r=$(awk '/VmRSS/{print $2}' /proc/$pid/status 2>/dev/null) || break
  echo "$(( ($(date +%s%N)-start)/1000000 )) $r" >> $out
  sleep 0.02
done
