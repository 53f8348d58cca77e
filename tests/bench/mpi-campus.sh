#!/usr/bin/env bash
# mpi-campus.sh - the campus benchmark split across MPI ranks
# (docs/performance.md, "MPI scale-out").
#
# Usage: tests/bench/mpi-campus.sh [LANS [HOSTS]]   (default 8 LANs of 250)
#
# Builds the MPI netsim in $NETSIM_MPI_BUILD (default build-mpi/,
# -DNETSIM_MPI=ON), writes `netsim gen campus LANS --hosts HOSTS`, and runs
# it with --trace none: once as one plain process (the reference), then
# under mpirun with 1, 2 and 4 ranks and --partition auto. It prints one
# table: wall time of the run loop (the slowest rank's), events and events
# per second, synchronisation rounds, frames sent over cut links, the
# slowest rank's wall time inside MPI calls (waiting), the speed-up over
# the plain process, and the synchronisation overhead (waiting / run).
# On a 2-core machine 4 ranks oversubscribe the cores: that row measures
# the synchronisation's cost, not a speed-up.
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
echo "campus: $lans LANs of $hosts hosts ($((lans * hosts)) hosts), $(nproc) cores"
printf '%-10s %9s %11s %10s %8s %10s %9s %8s %9s\n' ranks wall_s events events/s rounds \
    cut_frames wait_s speedup sync_ovh
printf '%-10s %9.3f %11d %10.0f %8s %10s %9s %8s %9s\n' "1 (plain)" "$base" "$events" \
    "$(awk -v e="$events" -v t="$base" 'BEGIN { print e / t }')" - - - 1.00x -
for np in 1 2 4; do
    mpirun --allow-run-as-root --oversubscribe --bind-to none -np $np "$netsim" run \
        "$work/campus.topo" --trace none --partition auto >"$work/$np.out" 2>"$work/$np.err"
    cmp -s "$work/one.out" "$work/$np.out" || { echo "mpi-campus.sh: -np $np output differs" >&2; exit 1; }
    run=$(field run_s "$work/$np.err")
    wait=$(field wait_s "$work/$np.err")
    ev=$(field events "$work/$np.err")
    printf '%-10s %9.3f %11d %10.0f %8d %10d %9.3f %7.2fx %8.1f%%\n' "$np" "$run" "$ev" \
        "$(awk -v e="$ev" -v t="$run" 'BEGIN { print e / t }')" "$(field rounds "$work/$np.err")" \
        "$(field cut_frames "$work/$np.err")" "$wait" \
        "$(awk -v a="$base" -v b="$run" 'BEGIN { print a / b }')" \
        "$(awk -v w="$wait" -v t="$run" 'BEGIN { print 100 * w / t }')"
done
grep -h "lookahead=" "$work/2.err" | sed 's/^/2 ranks: /'
