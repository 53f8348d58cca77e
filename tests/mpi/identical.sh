#!/usr/bin/env bash
# tests/mpi/identical.sh NETSIM - the MPI build's promises (docs/design.md,
# "Distributed runs"), run by ctest only when -DNETSIM_MPI=ON:
#  1. `mpirun -np 2` and `-np 4 ... --partition auto` give byte-identical
#     text, JSON and pcap output to the one-process run, on shipped
#     topologies, a generated campus, several seeds and a lossy link, under
#     both synchronisations: --sync window (every format at 2 and 4 ranks)
#     and --sync null (JSON at 2 ranks, text at 4, to keep the test near a
#     minute on 2 cores), the same event count and end time;
#  2. a partition that cuts a zero-delay link is refused (exit 2, the link
#     named), by `check` and by `run`;
#  3. a rank killed mid-run makes the run fail with mpirun's report of the
#     lost rank, within seconds, instead of hanging (under both).
set -euo pipefail
NETSIM=$(realpath "$1")
cd "$(dirname "$0")/../.."
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
MPIRUN=(mpirun --allow-run-as-root --oversubscribe --bind-to none)
fail() { echo "FAIL: $*" >&2; exit 1; }
checks=0

# A campus of 3 LANs of 6 hosts, and the same with 2% loss on the 1 ms
# links, the ones a partition cuts.
"$NETSIM" gen campus 3 --hosts 6 -o "$T/campus.topo"
sed 's/ delay 1ms$/ delay 1ms loss 2%/' "$T/campus.topo" > "$T/campus-lossy.topo"
grep -q 'loss 2%' "$T/campus-lossy.topo" || fail "could not make the lossy campus"

same() { # same NAME FILE -- ARGS: one process vs -np 2 and -np 4
  local name=$1 file=$2; shift 3
  for fmt in text json; do
    "$NETSIM" run "$file" --trace "$fmt" --pcap "$T/p1" "$@" >"$T/one" 2>"$T/one.err" \
      || [ $? -eq 1 ] || fail "$name: one process failed: $(cat "$T/one.err")"
    local summary
    summary=$(grep -o 'after [0-9]* events at t=[0-9.]*' "$T/one.err")
    for run in "window 2" "window 4" "null $([ $fmt = json ] && echo 2 || echo 4)"; do
      set -- $run "$@"
      local sync=$1 np=$2
      shift 2
      rm -rf "$T/pk"
      "${MPIRUN[@]}" -np $np "$NETSIM" run "$file" --partition auto --sync $sync --trace "$fmt" \
        --pcap "$T/pk" "$@" >"$T/many" 2>"$T/many.err" \
        || [ $? -eq 1 ] || fail "$name: $sync -np $np failed: $(cat "$T/many.err")"
      cmp -s "$T/one" "$T/many" || { diff "$T/one" "$T/many" | head -20 >&2;
        fail "$name $fmt $*: $sync -np $np output differs from one process"; }
      diff -r "$T/p1" "$T/pk" >/dev/null || fail "$name $*: $sync -np $np pcap files differ"
      grep -q "netsim: mpi ranks=$np .* sync=$sync " "$T/many.err" || fail "$name: no mpi stats line"
      grep -qF "$summary (" "$T/many.err" \
        || fail "$name: $sync -np $np did not end as one process: $summary"
      checks=$((checks + 1))
    done
    rm -rf "$T/p1"
  done
  echo "ok: $name $* ($(wc -l <"$T/one") lines, identical: window at -np 2 and 4, null at 2 and 4)"
}

same dorms-router topologies/dorms-router.topo --
same internet topologies/internet.topo --
same enterprise topologies/enterprise.topo --
same campus "$T/campus.topo" -- --seed 1
for seed in 1 2 3; do # the seed decides which frames the lossy links lose
  same campus-lossy "$T/campus-lossy.topo" -- --seed $seed
done
# the lossy link really lost frames (else the test above proves nothing)
"$NETSIM" run "$T/campus-lossy.topo" --seed 2 >"$T/lossy.out" 2>/dev/null
grep -q ' drop .*link loss$' "$T/lossy.out" || fail "no frame lost on the lossy links"

# a storm (the shipped loop with 5 ms links) stops 2 s after its report, as
# one process does, with the same pcap files
sed 's/^\(link sw.*\)$/\1 delay 5ms/' topologies/broadcast-storm.topo > "$T/storm.topo"
set +e
"$NETSIM" run "$T/storm.topo" --pcap "$T/s1" >/dev/null 2>"$T/s1.err"; rc1=$?
set -e
stop=$(grep '^netsim: stopped at' "$T/s1.err")
for sync in window null; do
  rm -rf "$T/s3"
  set +e
  "${MPIRUN[@]}" -np 3 "$NETSIM" run "$T/storm.topo" --partition auto --sync $sync \
    --pcap "$T/s3" >/dev/null 2>"$T/s3.err"; rc3=$?
  set -e
  [ $rc1 -eq 3 ] && [ $rc3 -eq 3 ] || fail "storm: exit $rc1 and $rc3 ($sync), not 3"
  grep -qF "$stop" "$T/s3.err" || fail "storm: $sync -np 3 did not stop as one process: $stop"
  diff -r "$T/s1" "$T/s3" >/dev/null || fail "storm: $sync: pcap files differ"
  checks=$((checks + 1))
done
echo "ok: a storm stops the run across 3 ranks as in one process (window, null): ${stop#netsim: }"

# 2. zero-delay cut refused
sed 's/^link core.c1 r1.up delay 1ms$/link core.c1 r1.up delay 0/' "$T/campus.topo" > "$T/zero.topo"
"$NETSIM" check "$T/campus.topo" --partition auto -np 2 | sed -n '/^partition:/,$p' \
  | grep -v '^partition:\|^#' > "$T/part"
# move r1 to the other side of its zero-delay uplink
core_rank=$(awk '$1=="core"{print $2}' "$T/part")
awk -v r=$((1 - core_rank)) '$1=="r1"{$2=r} {print}' "$T/part" > "$T/bad.part"
set +e
"$NETSIM" check "$T/zero.topo" --partition "$T/bad.part" -np 2 >/dev/null 2>"$T/err"; rc=$?
set -e
[ $rc -eq 2 ] || fail "check accepted a zero-delay cut (exit $rc)"
grep -q "cuts link core.c1 - r1.up, which has zero delay" "$T/err" || fail "unclear refusal: $(cat "$T/err")"
set +e
"${MPIRUN[@]}" -np 2 "$NETSIM" run "$T/zero.topo" --partition "$T/bad.part" >/dev/null 2>"$T/err"
rc=$?
set -e
[ $rc -ne 0 ] || fail "run accepted a zero-delay cut"
grep -q "zero delay" "$T/err" || fail "run: unclear refusal: $(cat "$T/err")"
"$NETSIM" check "$T/zero.topo" --partition auto -np 2 >"$T/auto.out"
grep -q '^# cut: core.c1 - r1.up' "$T/auto.out" && fail "auto partition cut the zero-delay link"
echo "ok: a zero-delay cut is refused: $(head -1 "$T/err")"
checks=$((checks + 3))

# 3. a killed rank: a long run (campus of 3 x 40 hosts to 100 s) loses rank 1
"$NETSIM" gen campus 3 --hosts 40 -o "$T/long.topo"
sed -i 's/count 10 interval 10ms/count 60000 interval 1ms/' "$T/long.topo"
for sync in window null; do
  "${MPIRUN[@]}" -np 2 "$NETSIM" run "$T/long.topo" --partition auto --sync $sync --trace none \
    --until 100s >/dev/null 2>"$T/kill.err" &
  mp=$!
  victim=""
  for _ in $(seq 1 100); do
    victim=$(pgrep -P $mp netsim | sed -n 2p || true)
    [ -n "$victim" ] && break
    sleep 0.1
  done
  [ -n "$victim" ] || fail "no rank process found under mpirun"
  sleep 1
  kill -9 "$victim"
  start=$(date +%s)
  set +e
  wait $mp; rc=$?
  set -e
  [ $rc -ne 0 ] || fail "the $sync run with a killed rank exited 0"
  [ $(( $(date +%s) - start )) -lt 30 ] || fail "the $sync run hung after a rank was killed"
  grep -qi "exited on signal 9\|killed" "$T/kill.err" || fail "$sync: no clear message: $(cat "$T/kill.err")"
  echo "ok: a killed rank ends the $sync run (exit $rc): $(grep -i 'signal 9\|killed' "$T/kill.err" | head -1)"
  checks=$((checks + 1))
done
echo "all $checks MPI checks passed"
