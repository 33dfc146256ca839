#!/bin/bash
# daemon-advocate.sh DIR KEY OUT DAEMON_A CTL_A DAEMON_B CTL_B: `../range-bounds-session59/daemon-ab.sh`
# with one start per side, `advocate adv-000001` over 24 hours, 7 and 30 days asked three times each.
"$(dirname "$0")/../range-bounds-session59/daemon-ab.sh" "$@" 1 3 \
  "advocate adv-000001 --since 24h" "advocate adv-000001 --since 7d" "advocate adv-000001 --since 30d"
