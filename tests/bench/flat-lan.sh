#!/usr/bin/env bash
# flat-lan.sh - the layer-2 benchmark: N hosts on one learning switch, host
# i pinging host i+1 (ten pings, 10 ms apart), for N = 100, 1,000, 10,000
# by default (docs/performance.md).
#
# Usage: tests/bench/flat-lan.sh [N...]
#
# Builds netsim (in $NETSIM_BUILD, default build/), writes the topology
# with `netsim gen flat-lan N`, runs `netsim run --trace none` under
# /usr/bin/time -v and prints, per N: wall time (loading + running), peak
# RSS, events, frames delivered (frames received by an interface: a flood
# to N ports is N deliveries) and nanoseconds per frame delivered (run loop
# time / frames), and the echo replies received.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${NETSIM_BUILD:-$top/build}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100 1000 10000)
[ -f "$build/build.ninja" ] || [ -f "$build/Makefile" ] ||
    cmake -S "$top" -B "$build" -G Ninja >/dev/null
cmake --build "$build" --target netsim >/dev/null
netsim="$build/netsim"
[ -x /usr/bin/time ] || { echo "flat-lan.sh: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
field() { sed -n "s/.*[ :]$1=\([^ ]*\).*/\1/p" "$2" | tail -1; }
commas() { awk -v v="$1" 'BEGIN { s = sprintf("%d", v); while (s ~ /[0-9][0-9][0-9][0-9]/) sub(/[0-9][0-9][0-9]($|,)/, ",&", s); print s }'; }

printf '%8s %8s %12s %14s %14s %10s %15s\n' N "wall s" "peak RSS MB" events \
    "frames" "ns/frame" replies
for n in "${sizes[@]}"; do
    topo="$work/flat-lan-$n.topo"
    "$netsim" gen flat-lan "$n" -o "$topo"
    t0=$EPOCHREALTIME # microseconds; time -v's wall clock has only 10 ms
    /usr/bin/time -v -o "$work/time" "$netsim" run "$topo" --trace none --max-events 0 \
        >"$work/out" 2>"$work/err"
    wall=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }')
    rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$work/time")
    replies=$(grep -c ' bytes from ' "$work/out" || true)
    printf '%8s %8.3f %12s %14s %14s %10s %15s\n' "$n" "$wall" "$rss" \
        "$(commas "$(field events "$work/err")")" "$(commas "$(field frames_delivered "$work/err")")" \
        "$(field ns_per_frame "$work/err")" "$replies/$((10 * n))"
done
