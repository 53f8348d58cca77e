#!/usr/bin/env bash
# mpi-campus.sh - the campus benchmark split across MPI ranks
# (docs/performance.md, "MPI scale-out").
#
# Usage: tests/bench/mpi-campus.sh [LANS [HOSTS]]   (default 8 LANs of 250)
#
# Builds the MPI netsim in $NETSIM_MPI_BUILD (default build-mpi/,
# -DNETSIM_MPI=ON), writes `netsim gen campus LANS --hosts HOSTS`, and runs
# it with --trace none: once as one plain process (the reference), then
# under mpirun with 1, 2 and 4 ranks and --partition auto (each output
# checked identical to the plain run's). It prints one table: wall time of
# the run loop (the slowest rank's), the busiest rank's CPU time in it
# outside MPI calls (its work; Open MPI polls while it waits),
# events and events per wall second, synchronisation rounds, frames sent
# over cut links, the slowest rank's wall time inside MPI calls (waiting),
# the speed-up over one rank by wall time and by CPU time, and the
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
printf '%-9s %7s %7s %9s %9s %6s %10s %7s %8s %8s %8s\n' ranks wall_s work_s events events/s \
    rounds cut_frames wait_s spd_wall spd_cpu sync_ovh
printf '%-9s %7.3f %7s %9d %9.0f %6s %10s %7s %8s %8s %8s\n' "plain" "$base" - "$events" \
    "$(awk -v e="$events" -v t="$base" 'BEGIN { print e / t }')" - - - - - -
for np in 1 2 4; do
    mpirun --allow-run-as-root --oversubscribe --bind-to none -np $np "$netsim" run \
        "$work/campus.topo" --trace none --partition auto >"$work/$np.out" 2>"$work/$np.err"
    cmp -s "$work/one.out" "$work/$np.out" || { echo "mpi-campus.sh: -np $np output differs" >&2; exit 1; }
    run=$(field run_s "$work/$np.err")
    cpu=$(field work_cpu_s "$work/$np.err")
    [ $np -eq 1 ] && { run1=$run; cpu1=$cpu; }
    wait=$(field wait_s "$work/$np.err")
    ev=$(field events "$work/$np.err")
    printf '%-9s %7.3f %7.3f %9d %9.0f %6d %10d %7.3f %7.2fx %7.2fx %7.1f%%\n' "$np" "$run" "$cpu" \
        "$ev" "$(awk -v e="$ev" -v t="$run" 'BEGIN { print e / t }')" \
        "$(field rounds "$work/$np.err")" "$(field cut_frames "$work/$np.err")" "$wait" \
        "$(awk -v a="$run1" -v b="$run" 'BEGIN { print a / b }')" \
        "$(awk -v a="$cpu1" -v b="$cpu" 'BEGIN { print a / b }')" \
        "$(awk -v w="$wait" -v t="$run" 'BEGIN { print 100 * w / t }')"
done
for np in 2 4; do grep -h "lookahead=" "$work/$np.err"; done
