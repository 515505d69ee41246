#!/usr/bin/env bash
# Runs every `tiny bench` measurement that this build has, each printing tiny against its baseline.
set -euo pipefail
tiny=${1:-build/tiny}
"$tiny" bench --help >/dev/null 2>&1 || { echo "bench: this build has no 'tiny bench' command" >&2; exit 1; }
"$tiny" bench load --quick
"$tiny" bench kodak --quick
"$tiny" bench rans --quick
"$tiny" bench codec --quick
"$tiny" bench hash --quick
"$tiny" bench dedup --quick
if [ -d "${TINY_DATA:-../shared/data}/train" ]; then "$tiny" bench dedup-quality --quick; fi
"$tiny" bench frames --quick
if [ -d "${TINY_DATA:-../shared/data}/train" ]; then "$tiny" bench ingest --quick --photos "${TINY_DATA:-../shared/data}/train"; fi
"$tiny" bench train-step --quick
