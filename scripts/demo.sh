#!/usr/bin/env bash
# The main job on the data at hand ($TINY_DATA/kodak, else ../shared/data/kodak): two Kodak images
# through tiny's default model (mbt2018-mean, quality 3) and back, then the rate–distortion of the
# shipped models and the classical codecs on a few Kodak images, with BD-rate against JPEG.
set -euo pipefail
tiny=${1:-build/tiny}
here=$(cd "$(dirname "$0")/.." && pwd)
data=${TINY_DATA:-$here/../shared/data}
if [ ! -d "$data/kodak" ]; then
  echo "demo: no Kodak set found at $data/kodak (set TINY_DATA to the folder that holds kodak/)" >&2
  exit 1
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$tiny" --version
echo
echo "== tiny compress (default model) and tiny decompress"
"$tiny" compress --metrics "$data/kodak/kodim04.png" "$data/kodak/kodim23.png" -o "$out"
"$tiny" decompress "$out/kodim04.tic" "$out/kodim23.tic" -o "$out/decoded"
echo
echo "== tiny bench kodak --quick"
"$tiny" bench kodak --quick --data "$data/kodak"
