#!/usr/bin/env bash
# The main job on the data at hand: rate–distortion of the classical codecs on a few Kodak images
# ($TINY_DATA/kodak, else ../shared/data/kodak), with BD-rate against JPEG, as a table.
set -euo pipefail
tiny=${1:-build/tiny}
here=$(cd "$(dirname "$0")/.." && pwd)
data=${TINY_DATA:-$here/../shared/data}
if [ ! -d "$data/kodak" ]; then
  echo "demo: no Kodak set found at $data/kodak (set TINY_DATA to the folder that holds kodak/)" >&2
  exit 1
fi
"$tiny" --version
"$tiny" bench kodak --quick --data "$data/kodak"
