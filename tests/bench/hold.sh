#!/usr/bin/env bash
# hold.sh - the event-queue hold model, netsim beside ns-3, in one run.
# Usage: tests/bench/hold.sh [EVENTS]   (default 5000000 events per size)
# Builds netsim in build/ if needed and the ns-3 peer in build/peers/ (skipped
# with a note when libns3-dev is absent). Prints events per second per size.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
events=${1:-5000000}
build="$top/build"
[ -x "$build/bench_evq" ] || { cmake -S "$top" -B "$build" -G Ninja >/dev/null && cmake --build "$build" --target bench_evq >/dev/null; }
sh "$top/tests/bench/peers/build.sh" "$build/peers" >/dev/null || true

field() { sed -n "s/.*$1=\([^ ]*\).*/\1/p"; }
printf '%-10s %14s %14s %14s %14s %10s\n' pending netsim ns3-Map ns3-Heap ns3-Calendar netsim/best
for p in 1000 100000 1000000; do
  n=$("$build/bench_evq" "$events" "$p" | field events_per_sec)
  best=0; cols=()
  for s in Map Heap Calendar; do
    if [ -x "$build/peers/ns3_hold" ]; then
      e=$events
      # ns-3's calendar queue degrades badly at 1M pending (prefill ~26 s,
      # ~17k ev/s here); give it fewer events so the run stays short.
      [ "$s" = Calendar ] && [ "$p" -ge 1000000 ] && e=100000
      r=$("$build/peers/ns3_hold" "$p" "$e" "$s" | field events_per_sec)
      cols+=("$r")
      best=$(awk -v a="$best" -v b="$r" 'BEGIN{print (b>a)?b:a}')
    else
      cols+=("n/a")
    fi
  done
  ratio=$(awk -v a="$n" -v b="$best" 'BEGIN{ if (b>0) printf "%.1fx", a/b; else print "n/a" }')
  fmt() { awk -v v="$1" 'BEGIN{ if (v ~ /^[0-9.]+$/) printf "%.2fM", v/1e6; else print v }'; }
  printf '%-10s %14s %14s %14s %14s %10s\n' "$p" "$(fmt "$n")" "$(fmt "${cols[0]}")" \
    "$(fmt "${cols[1]}")" "$(fmt "${cols[2]}")" "$ratio"
done
[ -x "$build/peers/ns3_hold" ] || echo "note: ns-3 column skipped (apt-get install libns3-dev)"
