#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) in build-fuzz/ and runs each for a bounded
# time on a scratch copy of its checked-in corpus. Usage: scripts/fuzz.sh [seconds per target, 30]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
command -v clang++ >/dev/null || { echo "fuzz: clang++ not found, skipping" >&2; exit 0; }
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTINY_FUZZ=ON >/dev/null
cmake --build build-fuzz -j2 --target fuzz_tic fuzz_ingest fuzz_pickle fuzz_model fuzz_json fuzz_safetensors \
  fuzz_shard fuzz_zip fuzz_image fuzz_hash_cache fuzz_http fuzz_decode fuzz_tiny_decoder fuzz_torch_checkpoint fuzz_train_checkpoint \
  fuzz_video
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# run_fuzzer TARGET CORPUS MAX_LEN [RSS_MB [MALLOC_MB]]: fuzzes TARGET for $seconds on a scratch copy of
# CORPUS under an RSS limit (512 MB) and a limit on any one allocation (the RSS limit). ASan's quarantine
# of freed memory is held to 64 MB (default 256) so that the RSS limit measures the parser: at 256 MB a
# parser whose every input stays under 60 MB reached 535 MB in two minutes, 214 MB of it quarantined.
run_fuzzer() {
  rm -rf "${work:?}"/*
  cp "tests/fuzz/$2"/* "$work"/
  ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=64" "build-fuzz/tests/fuzz/$1" "$work" -max_total_time="$seconds" -max_len="$3" -rss_limit_mb="${4:-512}" \
    -malloc_limit_mb="${5:-${4:-512}}" -print_final_stats=1
}
# Every parser must bound its memory by what the input can legitimately need: 512 MB.
run_fuzzer fuzz_tic corpus 4096 512
run_fuzzer fuzz_ingest corpus_ingest 12288 512
run_fuzzer fuzz_pickle corpus_pickle 4096 512
run_fuzzer fuzz_model corpus_model 8192 512
run_fuzzer fuzz_json corpus_json 4096 512
run_fuzzer fuzz_safetensors corpus_safetensors 4096 512
run_fuzzer fuzz_shard corpus_shard 16384 512
run_fuzzer fuzz_zip corpus_zip 8192 512
run_fuzzer fuzz_image corpus_image 4096 512
run_fuzzer fuzz_hash_cache corpus_hash_cache 4096 512
run_fuzzer fuzz_http corpus_http 4096 512
run_fuzzer fuzz_decode corpus_decode 4096 512
run_fuzzer fuzz_tiny_decoder corpus_decode 4096 512
run_fuzzer fuzz_torch_checkpoint corpus_torch_checkpoint 8192 512
# fuzz_train_checkpoint (version 2 checkpoints, tiny's own reader): libtorch and ASan hold ~350 MB before
# the first input and the RSS reached 448 MB in 30 s (650 MB with ASan's default quarantine), so it runs
# under 1024 MB RSS, still 512 MB for any one allocation.
run_fuzzer fuzz_train_checkpoint corpus_train_checkpoint 65536 1024 512
# A video's frame buffers scale with the frame size it claims, which FFmpeg bounds at about 268 M pixels
# (tiny's image limit): a 1.2 KB VP9 file claiming 4120x24592 frames takes 700 MB. No one allocation
# may pass 512 MB (tiny caps FFmpeg's at 256 MB).
run_fuzzer fuzz_video corpus_video 16384 2048 512
