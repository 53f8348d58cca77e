#!/bin/bash
# bulk.sh [BYTES [BUF...]] - TCP bulk transfer across two routers, netsim beside ns-3.
#
# a -- r1 -- r2 -- b, every link 1 Gbps with 1 ms delay and a 1000-packet
# queue; a sends BYTES (default 1 GB) of payload to a discard service on b
# (netsim: `tcp-send`, NewReno; ns-3: BulkSendApplication to PacketSink,
# TcpNewReno, SACK off; both with send and receive buffers of BUF bytes,
# by default 1 MiB then 2 MiB, one table each; the path's bandwidth-delay
# product is 759 KB, so both fill it; tests/bench/peers/
# ns3_bulk.cc). Prints wall time, simulated payload bytes per wall second,
# events and peak RSS (from /usr/bin/time -v) for both, and the ratios.
# Printed, not asserted: the issue's target is >= 30x ns-3's speed at
# <= 1/4 of its memory.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${NETSIM_BUILD:-$top/build}
bytes=${1:-1000000000}
shift $(($# > 0 ? 1 : 0))
bufs=("$@")
[ ${#bufs[@]} -gt 0 ] || bufs=(1048576 2097152)
cmake --build "$build" --target netsim >/dev/null
sh "$top/tests/bench/peers/build.sh" "$build/peers" >/dev/null || true
ns3="$build/peers/ns3_bulk"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

measure() { # OUT CMD...: sets wall (s) and rss (MB)
    local out=$1
    shift
    local t0=$EPOCHREALTIME
    /usr/bin/time -v -o "$out.time" "$@" >"$out.out" 2>"$out.err" || true
    wall=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }')
    rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$out.time")
}
field() { sed -n "s/.*[ :]$1=\([^ ]*\).*/\1/p" "$2" | tail -1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3gx", a / b; else print "-" }'; }

for buf in "${bufs[@]}"; do
    echo "== buffers $buf bytes"
    cat >"$work/bulk.topo" <<TOPO
host a ip 10.0.1.1/24 gateway 10.0.1.254
host b ip 10.0.3.1/24 gateway 10.0.3.254
router r1
  interface eth0 ip 10.0.1.254/24
  interface eth1 ip 10.0.2.1/24
  route 10.0.3.0/24 via 10.0.2.2
router r2
  interface eth0 ip 10.0.2.2/24
  interface eth1 ip 10.0.3.254/24
  route 10.0.1.0/24 via 10.0.2.1
defaults link rate 1Gbps delay 1ms
link a r1.eth0
link r1.eth1 r2.eth0
link r2.eth1 b
at 0s b service discard tcp 9 rcvbuf ${buf}B
at 1s a tcp-send 10.0.3.1:9 bytes ${bytes}B sndbuf ${buf}B rcvbuf ${buf}B
TOPO
    measure "$work/n" "$build/netsim" run "$work/bulk.topo" --trace none
    n_wall=$wall n_rss=$rss n_events=$(field events "$work/n.err")
    grep -h 'tcp-send\|discard' "$work/n.out" || true
    printf '%-12s %10s %16s %14s %12s\n' "" "wall s" "sim bytes/wall s" "events" "peak RSS MB"
    printf '%-12s %10.3f %16.3g %14s %12.1f\n' netsim "$n_wall" \
        "$(awk -v b="$bytes" -v w="$n_wall" 'BEGIN { print b / w }')" "$n_events" "$n_rss"
    if [ -x "$ns3" ]; then
        measure "$work/s" "$ns3" "$bytes" "$buf"
        s_events=$(field events "$work/s.out")
        cat "$work/s.out"
        printf '%-12s %10.3f %16.3g %14s %12.1f\n' ns-3 "$wall" \
            "$(awk -v b="$bytes" -v w="$wall" 'BEGIN { print b / w }')" "$s_events" "$rss"
        printf 'ns-3/netsim: wall %s, peak RSS %s\n' "$(ratio "$wall" "$n_wall")" "$(ratio "$rss" "$n_rss")"
    else
        echo "note: ns-3 column skipped (apt-get install libns3-dev)"
    fi
done
