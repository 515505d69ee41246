#!/usr/bin/env bash
# The main job on the data at hand: describes the Kodak set ($TINY_DATA/kodak, else ../shared/data/kodak).
set -euo pipefail
tiny=${1:-build/tiny}
here=$(cd "$(dirname "$0")/.." && pwd)
data=${TINY_DATA:-$here/../shared/data}
if [ ! -d "$data/kodak" ]; then
  echo "demo: no Kodak set found at $data/kodak (set TINY_DATA to the folder that holds kodak/)" >&2
  exit 1
fi
"$tiny" --version
"$tiny" info "$data"/kodak/*.png
