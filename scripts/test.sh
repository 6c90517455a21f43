#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine (as root) and runs every test of lien, from one CMake tree:
# C++ (Catch2), C (the C ABI), Python (pytest, against the package installed by `pip install .`), the
# examples, and the installed-package consumer; then the C++ and C suites again under ASan + UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh test

build=build/ci
start=$(date +%s)
# One tree for the engine, the tests, the examples and the Python module: pip builds it and installs the package.
"$PYTHON" -m pip install --no-build-isolation -q \
  -C build-dir="$build" \
  -C cmake.build-type=Release \
  -C cmake.define.LIEN_BUILD_TESTS=ON \
  -C cmake.define.LIEN_BUILD_EXAMPLES=ON \
  -C cmake.define.LIEN_INSTALL=ON \
  -C cmake.define.LIEN_WERROR=ON \
  -C build.verbose=false \
  .
echo "test: build and install took $(( $(date +%s) - start )) s"
ctest --test-dir "$build" --output-on-failure -j2 --timeout 1500

# The C++ and C suites under AddressSanitizer + UndefinedBehaviorSanitizer.
cmake --preset asan >/dev/null
cmake --build --preset asan
ctest --preset asan -j2
echo "test: all tests passed in $(( $(date +%s) - start )) s"

# ---- hardening (docs/reliability.md): a bounded fuzzing run of every reader (30 s per target, libFuzzer with
# ASan + UBSan, clang) and the concurrency tests under ThreadSanitizer. ----------------------------------------
hard_start=$(date +%s)
LIEN_FUZZ_BUILD=build/fuzz scripts/fuzz.sh 30
echo "test: fuzzing took $(( $(date +%s) - hard_start )) s"
tsan_start=$(date +%s)
cmake --preset tsan >/dev/null
cmake --build --preset tsan --target lien_concurrency_tests c_test_threads
ctest --preset tsan
echo "test: tsan took $(( $(date +%s) - tsan_start )) s; everything in $(( $(date +%s) - start )) s"
