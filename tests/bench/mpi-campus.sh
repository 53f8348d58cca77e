#!/usr/bin/env bash
# mpi-campus.sh - the campus benchmark split across MPI ranks
# (docs/performance.md, "MPI scale-out").
#
# Usage: tests/bench/mpi-campus.sh [LANS [HOSTS]]   (default 8 LANs of 250)
#
# Builds the MPI netsim in $NETSIM_MPI_BUILD (default build-mpi/,
# -DNETSIM_MPI=ON), writes `netsim gen campus LANS --hosts HOSTS`, and runs
# it with --trace none: once as one plain process (the reference), then
# under mpirun with 1 rank, and with 2 and 4 ranks under each
# synchronisation (--sync window and --sync null), --partition auto, each
# output checked identical to the plain run's. It prints one table: wall
# time of the run loop (the slowest rank's), the busiest rank's CPU time in
# it outside MPI calls (window) or outside blocked loop passes (null): its
# work, events and events per wall second, rounds (window: synchronisation
# rounds; null: termination waves), null messages sent (null), frames sent
# over cut links, the slowest rank's wall time waiting (window: inside MPI
# calls; null: in loop passes that ran no event), the speed-up over the
# plain run by wall time and over one rank by CPU time, and the
# synchronisation overhead (waiting / run). On a shared machine the wall
# figures follow the load; CPU time of the busiest rank is the critical
# path's work and does not. On 2 cores 4 ranks oversubscribe: that row
# measures the synchronisation's cost, not a speed-up.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${NETSIM_MPI_BUILD:-$top/build-mpi}
lans=${1:-8}
hosts=${2:-250}
[ -f "$build/build.ninja" ] ||
    cmake -S "$top" -B "$build" -G Ninja -DNETSIM_MPI=ON -DNETSIM_TESTS=OFF \
        -DNETSIM_BENCH=OFF >/dev/null
cmake --build "$build" --target netsim >/dev/null
netsim="$build/netsim"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$netsim" gen campus "$lans" --hosts "$hosts" -o "$work/campus.topo"

field() { sed -n "s/.*[ :]$1=\([^ ]*\).*/\1/p" "$2" | tail -1; }

"$netsim" run "$work/campus.topo" --trace none >"$work/one.out" 2>"$work/one.err"
base=$(field run_s "$work/one.err")
events=$(field events "$work/one.err")
echo "campus: $lans LANs of $hosts hosts ($((lans * hosts)) hosts), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
printf '%-6s %-6s %7s %7s %9s %9s %6s %8s %10s %7s %9s %8s %8s\n' ranks sync wall_s work_s \
    events events/s rounds nulls cut_frames wait_s spd_plain spd_cpu sync_ovh
printf '%-6s %-6s %7.3f %7s %9d %9.0f %6s %8s %10s %7s %9s %8s %8s\n' plain - "$base" - "$events" \
    "$(awk -v e="$events" -v t="$base" 'BEGIN { print e / t }')" - - - - - - -
for run in "1 window" "2 window" "2 null" "4 window" "4 null"; do
    set -- $run
    np=$1 sync=$2 out="$work/$1-$2"
    mpirun --allow-run-as-root --oversubscribe --bind-to none -np $np "$netsim" run \
        "$work/campus.topo" --trace none --partition auto --sync $sync >"$out.out" 2>"$out.err"
    cmp -s "$work/one.out" "$out.out" ||
        { echo "mpi-campus.sh: -np $np --sync $sync output differs" >&2; exit 1; }
    grep -qF "$(grep -o 'after [0-9]* events at t=[0-9.]*' "$work/one.err") (" "$out.err" ||
        { echo "mpi-campus.sh: -np $np --sync $sync did not end as the plain run" >&2; exit 1; }
    run_s=$(field run_s "$out.err")
    cpu=$(field work_cpu_s "$out.err")
    [ $np -eq 1 ] && cpu1=$cpu
    wait=$(field wait_s "$out.err")
    ev=$(field events "$out.err")
    if [ $sync = null ]; then
        rounds=$(field waves "$out.err") nulls=$(field null_msgs "$out.err")
    else
        rounds=$(field rounds "$out.err") nulls=-
    fi
    printf '%-6s %-6s %7.3f %7.3f %9d %9.0f %6d %8s %10d %7.3f %8.2fx %7.2fx %7.1f%%\n' "$np" "$sync" \
        "$run_s" "$cpu" "$ev" "$(awk -v e="$ev" -v t="$run_s" 'BEGIN { print e / t }')" \
        "$rounds" "$nulls" "$(field cut_frames "$out.err")" "$wait" \
        "$(awk -v a="$base" -v b="$run_s" 'BEGIN { print a / b }')" \
        "$(awk -v a="$cpu1" -v b="$cpu" 'BEGIN { print a / b }')" \
        "$(awk -v w="$wait" -v t="$run_s" 'BEGIN { print 100 * w / t }')"
done
for f in "$work"/[24]-*.err; do grep -h "lookahead=" "$f"; done
