#!/usr/bin/env bash
# The short A/B training runs of equal compute that chose the variable-rate recipe (models/README.md):
# each config in models/configs/ab/ trains from the shipped q3 model, niced, into runs/ab/<name>/.
# Usage: scripts/train_ab.sh [TINY] [NAME...]   (default: build/tiny, every config)
set -euo pipefail
cd "$(dirname "$0")/.."
tiny=${1:-build/tiny}
shift || true
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for f in models/configs/ab/*.json; do names+=("$(basename "$f" .json)"); done
fi
for name in "${names[@]}"; do
  dir=runs/ab/$name
  if [ -f "$dir/last.ckpt" ]; then resume=--resume; else resume=; fi
  echo "train_ab: $name" >&2
  nice -n 19 "$tiny" train --config "models/configs/ab/$name.json" $resume
done
