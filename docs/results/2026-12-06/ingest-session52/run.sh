#!/bin/sh
# Session 52's run: bin-base (b662a71, the session's start) and bin-final (38a8f31) under /tmp/s52,
# with session 51's script.
exec "$(dirname "$0")/../ingest-session51/run.sh" /tmp/s52 base final
