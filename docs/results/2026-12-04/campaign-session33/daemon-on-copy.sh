# Sourced by run-local.sh and run-survey.sh. start_on_copy DIR BIN [CONF_LINE]: makes DIR afresh,
# copies $DB into it (synced: else the first commit, the migration's, waits for the copy to reach
# the disk), starts BIN's sharetrackd on it with CONF_LINE added to its configuration (its pid in
# $pid, the time it was started in $start) and returns once it listens.
start_on_copy() {
    rm -rf "$1" && mkdir -p "$1"
    cp "$DB" "$1/sharetrack.db" && sync
    printf 'database: %s\ningest_socket: %s\ncontrol_socket: %s\n%s\n' \
        "$1/sharetrack.db" "$1/ingest.sock" "$1/control.sock" "${3:-}" > "$1/conf.yaml"
    start=$(date +%s.%N)
    "$2/sharetrackd" --config "$1/conf.yaml" > "$1/daemon.log" 2>&1 &
    pid=$!
    until [ -S "$1/control.sock" ]; do sleep 0.05; done
}
