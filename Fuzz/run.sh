#!/usr/bin/env bash
# Builds the libFuzzer target for the ingest line parser and runs it for a bounded time.
#
#   Fuzz/run.sh                 build, then fuzz for 30 s (FUZZ_SECONDS overrides)
#   Fuzz/run.sh CRASH_FILE      build, then re-run one input (to reproduce a finding)
#
# The target is Fuzz/ParserFuzzer.swift compiled with Sources/ShareTrackCore/*.swift as one module,
# with libFuzzer and AddressSanitizer (swiftc -sanitize=fuzzer,address). Core's package dependencies
# (swift-collections' OrderedCollections) come from SwiftPM: it builds the ShareTrackCore target
# under FUZZ_WORK, and the modules and objects of every target it built but Core itself go into the
# fuzzer, uninstrumented, so a dependency Core gains needs no change here. The one C library Core
# uses (CLibCrypto, libcrypto's SHA-256) is found by its module map.
# The seeds in Fuzz/corpus are read, never written: new inputs go to a scratch corpus under
# FUZZ_WORK (default: a temporary directory, removed after a run that found nothing). A finding is
# saved there as crash-* and the script exits non-zero, keeping it.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-30}"
work="${FUZZ_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/sharetrack-fuzz.XXXXXX")}"
mkdir -p "$work/corpus"
binary="$work/parser-fuzzer"
# A finding is a crash; the Swift runtime's own backtracer would only add noise to the sanitizer's report.
export SWIFT_BACKTRACE=enable=no

echo "building $binary"
swift build -c release --target ShareTrackCore --build-path "$work/packages"
packages="$work/packages/release"
mapfile -d '' dependencies < <(find -H "$packages" -path '*.build/*.o' ! -path '*/ShareTrackCore.build/*' -print0)
swiftc -sanitize=fuzzer,address -parse-as-library -O -g -module-name ShareTrackCore -I Sources/CLibCrypto \
    -I "$packages/Modules" Fuzz/ParserFuzzer.swift Sources/ShareTrackCore/*.swift "${dependencies[@]}" -o "$binary"

if [ $# -gt 0 ]; then
    exec "$binary" "$@"
fi
echo "fuzzing for ${seconds}s (scratch corpus and any crash in $work)"
"$binary" -max_total_time="$seconds" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
    -dict=Fuzz/json.dict -artifact_prefix="$work/" -print_final_stats=1 \
    "$work/corpus" Fuzz/corpus
# Nothing found (a finding exits above, keeping it): a temporary directory of this run's goes.
[ -n "${FUZZ_WORK:-}" ] || rm -rf "$work"
