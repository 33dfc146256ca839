#!/bin/sh
LD_PRELOAD=/tmp/s67/ms/libstats.so exec "$REAL_DAEMON" "$@"
