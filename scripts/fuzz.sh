#!/usr/bin/env bash
# Runs every libFuzzer target of tests/fuzz for a bounded time each and prints, per target, the executions
# run and the crashes found (docs/reliability.md). Usage: scripts/fuzz.sh [SECONDS_PER_TARGET] (default 60).
# Env: LIEN_FUZZ_BUILD (build tree, default build/fuzz), LIEN_FUZZ_TARGETS (default: all four),
#      LIEN_FUZZ_JOBS (build jobs, default 2). Exits 1 when a target crashed; the reproducer is in
#      <build>/tests/fuzz/artifacts/<target>/ (add it to tests/cpp/test_fuzz_regressions.cpp once fixed).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
build=${LIEN_FUZZ_BUILD:-build/fuzz}
targets=${LIEN_FUZZ_TARGETS:-"fuzz_csv fuzz_xapi fuzz_model fuzz_playbook"}

if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -gline-tables-only" \
    "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O1 -gline-tables-only" -DLIEN_BUILD_FUZZERS=ON -DLIEN_BUILD_TESTS=OFF \
    -DLIEN_BUILD_EXAMPLES=OFF -DLIEN_INSTALL=OFF >/dev/null
fi
# shellcheck disable=SC2086
cmake --build "$build" -j"${LIEN_FUZZ_JOBS:-2}" --target fuzz_corpus $targets

dir="$build/tests/fuzz"
status=0
printf '%-14s %8s %12s %10s %8s\n' target seconds execs execs/s crashes
for t in $targets; do
  name=${t#fuzz_}
  work="$dir/work/$name" artifacts="$dir/artifacts/$name"
  mkdir -p "$work" "$artifacts"
  log="$dir/$t.log"
  touch "$dir/.start_$name"
  # The seeds are merged into a working corpus that grows across runs (kept in the build tree).
  set +e
  "$dir/$t" "$work" "$dir/corpus/$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -malloc_limit_mb=1024 -print_final_stats=1 -artifact_prefix="$artifacts/" >"$log" 2>&1
  rc=$?
  set -e
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  crashes=$(find "$artifacts" -type f -newer "$dir/.start_$name" 2>/dev/null | wc -l)
  [ $rc -ne 0 ] && [ "$crashes" -eq 0 ] && crashes=1
  printf '%-14s %8s %12s %10s %8s\n' "$t" "$seconds" "${execs:-?}" "${rate:-?}" "$crashes"
  if [ $rc -ne 0 ]; then
    status=1
    echo "fuzz: $t failed (exit $rc); the end of $log:" >&2
    tail -40 "$log" >&2
  fi
done
exit $status
