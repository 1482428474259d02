#!/usr/bin/env bash
# amisim under MPI (src/cli/mpi.h): `mpirun --oversubscribe -n 3` gives the
# same bytes as one process (stdout and every file of --out, wall times
# aside) for `run --replications` and `sweep`, whatever the ranks and
# threads; bad input is said once, exit 2; a rank that fails a job
# (AMISIM_MPI_FAIL_RANK=R, a test hook: rank R fails its first job) or
# dies (R:exit) stops the run with a non-zero exit and nothing written.
#
#   tests/mpi/test_mpi.sh AMISIM [MPIRUN]
#
# Skipped (exit 77, with a message) when amisim was built without MPI or
# mpirun is missing.
set -uo pipefail

amisim=${1:?usage: test_mpi.sh AMISIM [MPIRUN]}
mpirun=${2-$(command -v mpirun || command -v mpiexec || true)}
root=${AMISIM_SOURCE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$root" || exit 1

if [[ -z $mpirun ]] || ! command -v "$mpirun" >/dev/null; then
  echo "SKIP: no mpirun (install openmpi-bin; tools/bootstrap does)"
  exit 77
fi
if [[ ${AMISIM_MPI_BUILT:-1} != 1 ]]; then
  echo "SKIP: amisim was built without MPI (meson option mpi; libopenmpi-dev)"
  exit 77
fi

# root in a container: Open MPI refuses root unless told; the shared-memory
# transport without the single-copy mechanism (CMA/XPMEM) containers forbid.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_btl_vader_single_copy_mechanism=none
export OMPI_MCA_rmaps_base_oversubscribe=1
# when a rank dies, mpirun sends the others SIGTERM, then SIGKILL after
# this many seconds (1 by default): on a loaded machine one second was not
# always enough for rank 0 to remove its staging folder (case 5)
export OMPI_MCA_odls_base_sigkill_timeout=10
mpi=("$mpirun" --oversubscribe)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
fail() { echo "FAIL: $*"; failed=1; }
pass() { echo "ok: $*"; }

# wall-clock figures are the one thing allowed to differ
norm() { sed -E 's/"wall_s": [-0-9.e+]+/"wall_s": W/; s/wall [0-9.hms]+/wall W/' "$@"; }

same_dirs() { # A B: the same files, the same bytes but wall times
  local a=$1 b=$2 f
  if [[ $(cd "$a" && ls -A) != $(cd "$b" && ls -A) ]]; then
    echo "  files differ: $(cd "$a" && ls -A | tr '\n' ' ') / $(cd "$b" && ls -A | tr '\n' ' ')"
    return 1
  fi
  for f in "$a"/*; do
    if ! cmp -s <(norm "$f") <(norm "$b/${f##*/}"); then
      echo "  ${f##*/} differs"; diff <(norm "$f") <(norm "$b/${f##*/}") | head -5
      return 1
    fi
  done
}

# 1. run --replications: one process against 3 ranks (1 and 2 threads)
args=(run --replications 7 --seed 11)
"$amisim" "${args[@]}" --out "$tmp/one" > "$tmp/one.txt" 2> "$tmp/one.err" || fail "one process: exit $?"
"$amisim" "${args[@]}" --json > "$tmp/one.json" || fail "one process --json"
for threads in 1 2; do
  out=$tmp/three-t$threads
  if "${mpi[@]}" -n 3 "$amisim" "${args[@]}" --threads $threads --out "$out" > "$out.txt" 2> "$out.err"; then
    if same_dirs "$tmp/one" "$out" && cmp -s <(norm "$tmp/one.txt" | sed "s|$tmp/one|OUT|") \
                                             <(norm "$out.txt" | sed "s|$out|OUT|"); then
      pass "run --replications 7, 3 ranks × $threads threads: same bytes as one process"
    else
      fail "run --replications 7, 3 ranks × $threads threads: outputs differ"
    fi
  else
    fail "run, 3 ranks × $threads threads: exit $?"; cat "$out.err"
  fi
done
"${mpi[@]}" -n 3 "$amisim" "${args[@]}" --json > "$tmp/three.json" 2> "$tmp/three.err" \
  && cmp -s <(norm "$tmp/one.json") <(norm "$tmp/three.json") \
  && pass "run --json, 3 ranks: same bytes" || fail "run --json, 3 ranks"
"${mpi[@]}" -n 1 "$amisim" "${args[@]}" --json > "$tmp/single.json" 2> "$tmp/single.err" \
  && cmp -s <(norm "$tmp/one.json") <(norm "$tmp/single.json") \
  && pass "run --json, 1 rank: same bytes" || fail "run --json, 1 rank"

# 2. sweep: 2 points × 3 replications, lifecycle compared too
sweep=(sweep scenarios/default.yaml --set simulation.limits.copies_per_account_region=5,50
       --set simulation.lifecycle.compare=true --replications 3 --horizon 2d)
"$amisim" "${sweep[@]}" --out "$tmp/sweep-one" > "$tmp/sweep-one.txt" || fail "sweep, one process: exit $?"
if "${mpi[@]}" -n 3 "$amisim" "${sweep[@]}" --threads 2 --out "$tmp/sweep-three" \
     > "$tmp/sweep-three.txt" 2> "$tmp/sweep-three.err"; then
  if same_dirs "$tmp/sweep-one" "$tmp/sweep-three" \
     && cmp -s <(norm "$tmp/sweep-one.txt" | sed "s|$tmp/sweep-one|OUT|") \
               <(norm "$tmp/sweep-three.txt" | sed "s|$tmp/sweep-three|OUT|"); then
    pass "sweep 2 points × 3 replications, 3 ranks × 2 threads: same bytes as one process"
  else
    fail "sweep, 3 ranks: outputs differ"
  fi
else
  fail "sweep, 3 ranks: exit $?"; cat "$tmp/sweep-three.err"
fi

# 3. bad input: said once, by rank 0; exit 2; nothing made
"${mpi[@]}" -n 3 "$amisim" run scenarios/no-such.yaml --replications 3 --out "$tmp/bad" \
  > /dev/null 2> "$tmp/bad.err"
status=$?
n=$(grep -c "no-such.yaml" "$tmp/bad.err")
if [[ $status -eq 2 && $n -eq 1 && ! -e $tmp/bad ]]; then
  pass "bad input, 3 ranks: exit 2, one message"
else
  fail "bad input, 3 ranks: exit $status, $n messages"; cat "$tmp/bad.err"
fi
"${mpi[@]}" -n 3 "$amisim" sweep scenarios/default.yaml --set simulation.limits.copies_per_account_region=5,-1 \
  > /dev/null 2> "$tmp/bad-sweep.err"
status=$?
n=$(grep -c "points are not valid" "$tmp/bad-sweep.err")
[[ $status -eq 2 && $n -eq 1 ]] && pass "bad sweep point, 3 ranks: exit 2, one message" \
  || { fail "bad sweep point, 3 ranks: exit $status, $n messages"; cat "$tmp/bad-sweep.err"; }

# standard input reaches rank 0 only: refused, once
"${mpi[@]}" -n 2 "$amisim" run - --replications 2 < scenarios/default.yaml \
  > /dev/null 2> "$tmp/stdin.err"
status=$?
n=$(grep -c "reaches rank 0 only" "$tmp/stdin.err")
[[ $status -eq 2 && $n -eq 1 ]] && pass "scenario from stdin, 2 ranks: exit 2, one message" \
  || { fail "scenario from stdin, 2 ranks: exit $status, $n messages"; cat "$tmp/stdin.err"; }

# 4. a job fails on rank 1: rank 0 says so, exit 1, --out and --trace not published
AMISIM_MPI_FAIL_RANK=1 "${mpi[@]}" -n 3 "$amisim" "${args[@]}" --out "$tmp/failed" \
  --trace "$tmp/failed.jsonl" > "$tmp/failed.txt" 2> "$tmp/failed.err"
status=$?
if [[ $status -eq 1 && ! -e $tmp/failed && ! -e $tmp/failed.jsonl && ! -s $tmp/failed.txt ]] \
   && grep -q "rank 1 of 3 .*failed: injected" "$tmp/failed.err" \
   && [[ -z $(ls -A "$tmp" | grep -E '^\.failed') ]]; then
  pass "a job fails on rank 1: exit 1, one clear message, nothing written"
else
  fail "a job fails on rank 1: exit $status"; cat "$tmp/failed.err"; ls -A "$tmp"
fi
AMISIM_MPI_FAIL_RANK=1 "${mpi[@]}" -n 3 "$amisim" "${sweep[@]}" --out "$tmp/failed-sweep" \
  > /dev/null 2> "$tmp/failed-sweep.err"
status=$?
[[ $status -eq 1 && ! -e $tmp/failed-sweep ]] && grep -q "injected" "$tmp/failed-sweep.err" \
  && pass "a job fails on rank 1 of a sweep: exit 1, nothing written" \
  || { fail "a job fails on rank 1 of a sweep: exit $status"; cat "$tmp/failed-sweep.err"; }
# one job only, rank 0's: rank 1 is given none and fails all the same (so
# the two cases above hold however the jobs fall on a loaded machine)
AMISIM_MPI_FAIL_RANK=1 "${mpi[@]}" -n 3 "$amisim" run scenarios/default.yaml --replications 1 \
  --out "$tmp/failed-none" > /dev/null 2> "$tmp/failed-none.err"
status=$?
[[ $status -eq 1 && ! -e $tmp/failed-none ]] \
  && grep -q "rank 1 of 3 .*given no job: failed: injected" "$tmp/failed-none.err" \
  && pass "rank 1 given no job fails all the same: exit 1, nothing written" \
  || { fail "rank 1 given no job: exit $status"; cat "$tmp/failed-none.err"; }

# 5. rank 2 dies: the run ends, non-zero, nothing written
AMISIM_MPI_FAIL_RANK=2:exit timeout 120 "${mpi[@]}" -n 3 "$amisim" "${args[@]}" --replications 40 \
  --out "$tmp/died" > /dev/null 2> "$tmp/died.err"
status=$?
if [[ $status -ne 0 && $status -ne 124 && ! -e $tmp/died ]] && [[ -z $(ls -A "$tmp" | grep -E '^\.?died($|\.tmp)') ]]; then
  pass "rank 2 dies: exit $status, nothing written"
else
  fail "rank 2 dies: exit $status"; cat "$tmp/died.err"; ls -A "$tmp"
fi

exit $failed
