#!/usr/bin/env bash
# trace-cost.sh - what each trace sink costs on the two-LAN scenario
# (`netsim gen two-lans N`, default N = 1000): the run loop's time
# (netsim's own run_s figure, loading excluded) with --trace none, text and
# json written to /dev/null, each the best of R runs (default 3), and the
# ratio to none beside its target (issue #18: JSON <= 15x, text <= 10x).
#
# Usage: tests/bench/trace-cost.sh [N] [R]
# Builds netsim in $NETSIM_BUILD (default build/). The figures are a
# benchmark, not a test: nothing fails when a target is missed, the table
# says "over". On a shared machine take the best of more runs.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${NETSIM_BUILD:-$top/build}
n=${1:-1000}
reps=${2:-3}
[ -f "$build/build.ninja" ] || [ -f "$build/Makefile" ] ||
    cmake -S "$top" -B "$build" -G Ninja >/dev/null
cmake --build "$build" --target netsim >/dev/null
netsim="$build/netsim"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
topo="$work/two-lans-$n.topo"
"$netsim" gen two-lans "$n" -o "$topo"

# best SINK: the smallest run_s of $reps runs with --trace SINK.
best() {
    local b=""
    for _ in $(seq "$reps"); do
        "$netsim" run "$topo" --trace "$1" --max-events 0 >/dev/null 2>"$work/err"
        local s
        s=$(sed -n 's/.* run_s=\([^ ]*\).*/\1/p' "$work/err")
        b=$(awk -v a="$s" -v b="$b" 'BEGIN { print (b == "" || a < b) ? a : b }')
    done
    echo "$b"
}

none=$(best none)
text=$(best text)
json=$(best json)
bytes=$("$netsim" run "$topo" --trace json --max-events 0 2>/dev/null | wc -c)
echo "trace cost, two LANs of $n hosts (run loop, best of $reps, output to /dev/null)"
printf '%-8s %10s %10s %8s %8s\n' sink "run s" "x none" target ""
printf '%-8s %10.3f %10s %8s\n' none "$none" 1x -
for row in "text $text 10" "json $json 15"; do
    set -- $row
    awk -v s="$1" -v t="$2" -v n="$none" -v g="$3" 'BEGIN {
        r = t / n; printf "%-8s %10.3f %9.1fx %7dx %8s\n", s, t, r, g, (r <= g ? "met" : "over") }'
done
echo "json output: $(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }') MB"
