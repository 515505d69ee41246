#!/usr/bin/env bash
# Advances the variable-rate training campaign (models/README.md) by a number of steps, niced so that
# builds and tests run beside it: continues runs/<run>/last.ckpt when this machine has it, else the
# committed compact resume point, else starts the planned run. When it stops (its steps done, or
# SIGINT/SIGTERM), it refreshes the compact resume point to commit.
# Usage: scripts/train_campaign.sh STEPS [TINY]        (default TINY: build/tiny)
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${1:?usage: scripts/train_campaign.sh STEPS [TINY]}
tiny=${2:-build/tiny}
config=models/configs/mbt2018-mean-vr.json
resume_point=models/resume/mbt2018-mean-vr.ckpt
run_dir=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['checkpoint_dir'])" "$config")
mkdir -p "$(dirname "$resume_point")"
if [ -f "$run_dir/last.ckpt" ]; then
  from=(--resume)
elif [ -f "$resume_point" ]; then
  from=(--checkpoint "$resume_point")
else
  from=()
fi
exec nice -n 19 "$tiny" train --config "$config" "${from[@]}" --max-steps "$steps" --save-compact "$resume_point"
