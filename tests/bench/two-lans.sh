#!/usr/bin/env bash
# two-lans.sh - the "two switched LANs behind a router" benchmark, netsim
# beside ns-3 in one run (docs/performance.md).
#
# Usage: tests/bench/two-lans.sh [--slow] [--no-trace-cost] [N...]
#   N              hosts per LAN (default: 100 1000 10000)
#   --slow         also run ns-3 at N >= 10000 (quadratic: tens of minutes)
#   --no-trace-cost  skip the text-trace and pcap runs (done at N <= 1000)
#
# Builds netsim (in $NETSIM_BUILD, default build/, RelWithDebInfo) and the
# ns-3 peer (in its peers/; skipped with a note when libns3-dev is absent).
# For each N it writes the topology with `netsim gen two-lans N`, runs
# `netsim run --trace none` and `ns3_two_lans N` under /usr/bin/time -v,
# and prints one table:
# wall time (loading + running), peak RSS, events processed, echo replies
# received, the netsim/ns-3 ratios, and netsim's frames delivered (frames
# received by an interface) with the run loop's nanoseconds per frame.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${NETSIM_BUILD:-$top/build}
slow=0
trace_cost=1
sizes=()
for a in "$@"; do
    case $a in
    --slow) slow=1 ;;
    --no-trace-cost) trace_cost=0 ;;
    -h | --help) sed -n '2,/^set /p' "$0" | sed '$d'; exit 0 ;;
    -*) echo "two-lans.sh: unknown option $a" >&2; exit 2 ;;
    *) sizes+=("$a") ;;
    esac
done
[ ${#sizes[@]} -gt 0 ] || sizes=(100 1000 10000)

[ -f "$build/build.ninja" ] || [ -f "$build/Makefile" ] ||
    cmake -S "$top" -B "$build" -G Ninja >/dev/null
cmake --build "$build" --target netsim >/dev/null
netsim="$build/netsim"
sh "$top/tests/bench/peers/build.sh" "$build/peers" >/dev/null || true
ns3="$build/peers/ns3_two_lans"
[ -x "$ns3" ] || echo "note: ns-3 column skipped (apt-get install libns3-dev)"
[ -x /usr/bin/time ] || { echo "two-lans.sh: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# measure OUT STDOUT CMD...: runs CMD with stdout to STDOUT, stderr to
# OUT.err; sets wall (s) and rss (MB) from /usr/bin/time -v.
measure() {
    local out=$1 stdout=$2
    shift 2
    local t0=$EPOCHREALTIME # microseconds; time -v's wall clock has only 10 ms
    /usr/bin/time -v -o "$out.time" "$@" >"$stdout" 2>"$out.err"
    wall=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }')
    rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$out.time")
}
field() { sed -n "s/.*[ :]$1=\([^ ]*\).*/\1/p" "$2" | tail -1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3gx", a / b; else print "-" }'; }
commas() { awk -v v="$1" 'BEGIN { s = sprintf("%d", v); while (s ~ /[0-9][0-9][0-9][0-9]/) sub(/[0-9][0-9][0-9]($|,)/, ",&", s); print s }'; }

for n in "${sizes[@]}"; do
    topo="$work/two-lans-$n.topo"
    "$netsim" gen two-lans "$n" -o "$topo"
    expected=$((10 * n))

    measure "$work/ns" "$work/ns.out" "$netsim" run "$topo" --trace none --max-events 0
    n_wall=$wall n_rss=$rss
    n_events=$(field events "$work/ns.err")
    n_frames=$(field frames_delivered "$work/ns.err")
    n_nspf=$(field ns_per_frame "$work/ns.err")
    n_replies=$(grep -c ' bytes from ' "$work/ns.out" || true)

    have_ns3=0
    if [ -x "$ns3" ] && { [ "$n" -lt 10000 ] || [ $slow = 1 ]; }; then
        measure "$work/n3" "$work/n3.out" "$ns3" "$n"
        s_wall=$wall s_rss=$rss
        s_events=$(field events "$work/n3.out")
        s_replies=$(field replies "$work/n3.out")
        have_ns3=1
    fi

    echo
    echo "two LANs of $n hosts ($expected echo requests)"
    printf '%-12s %10s %12s %14s %15s\n' "" "wall s" "peak RSS MB" "events" "replies"
    printf '%-12s %10.3f %12.1f %14s %15s\n' netsim "$n_wall" "$n_rss" "$(commas "$n_events")" \
        "$n_replies/$expected"
    if [ $have_ns3 = 1 ]; then
        printf '%-12s %10.3f %12.1f %14s %15s\n' ns-3 "$s_wall" "$s_rss" "$(commas "$s_events")" \
            "$s_replies/$expected"
        printf '%-12s %10s %12s %14s\n' netsim/ns-3 "$(ratio "$n_wall" "$s_wall")" \
            "$(ratio "$n_rss" "$s_rss")" "$(ratio "$n_events" "$s_events")"
        printf '%-12s %10s\n' "speed-up" "$(ratio "$s_wall" "$n_wall")"
    elif [ -x "$ns3" ]; then
        echo "ns-3         (skipped at N >= 10000; pass --slow)"
    fi
    echo "netsim: $(commas "$n_frames") frames delivered, $n_nspf ns per frame (run loop)"

    if [ $trace_cost = 1 ] && [ "$n" -le 1000 ]; then
        measure "$work/tx" /dev/null "$netsim" run "$topo" --trace text --max-events 0
        t_run=$(field run_s "$work/tx.err")
        mkdir -p "$work/pcap"
        measure "$work/pc" /dev/null "$netsim" run "$topo" --trace none --max-events 0 --pcap "$work/pcap"
        p_run=$(field run_s "$work/pc.err")
        p_size=$(du -sm "$work/pcap" | cut -f1)
        rm -rf "$work/pcap"
        n_run=$(field run_s "$work/ns.err")
        printf 'trace cost (run loop): none %.3f s; text to /dev/null %.3f s (%s); pcap %.3f s (%s, %s MB)\n' \
            "$n_run" "$t_run" "$(ratio "$t_run" "$n_run")" "$p_run" "$(ratio "$p_run" "$n_run")" "$p_size"
    fi
done
