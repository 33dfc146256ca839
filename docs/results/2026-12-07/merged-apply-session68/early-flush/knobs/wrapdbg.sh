#!/bin/bash
# a daemon wrapper: $REAL_DAEMON with --log-level debug, its log to $LOGTO
args=()
for a in "$@"; do [ "$a" = warning ] && a=debug; args+=("$a"); done
exec "$REAL_DAEMON" "${args[@]}" 2>> "$LOGTO"
