#!/bin/sh
GROUPMEMO=40000 EARLY=1000000000 APPLYROWS=400000 exec /tmp/s69/rel/release/sharetrackd "$@" 2>/dev/null
