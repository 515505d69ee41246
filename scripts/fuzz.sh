#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) in build-fuzz/ and runs each for a bounded
# time on a scratch copy of its checked-in corpus. Usage: scripts/fuzz.sh [seconds per target, 30]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
command -v clang++ >/dev/null || { echo "fuzz: clang++ not found, skipping" >&2; exit 0; }
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTINY_FUZZ=ON >/dev/null
cmake --build build-fuzz -j2 --target fuzz_tic
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp tests/fuzz/corpus/* "$work"/
build-fuzz/tests/fuzz/fuzz_tic "$work" -max_total_time="$seconds" -max_len=4096 -rss_limit_mb=2048 -print_final_stats=1
cmake --build build-fuzz -j2 --target fuzz_pickle
pickle_work=$(mktemp -d)
trap 'rm -rf "$work" "$pickle_work"' EXIT
cp tests/fuzz/corpus_pickle/* "$pickle_work"/
build-fuzz/tests/fuzz/fuzz_pickle "$pickle_work" -max_total_time="$seconds" -max_len=4096 -rss_limit_mb=2048 -print_final_stats=1
