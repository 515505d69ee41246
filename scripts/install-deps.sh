#!/usr/bin/env bash
# Installs every Debian 12 package that tiny's build, tests and benchmarks need.
# Idempotent and non-interactive; does nothing (no `apt-get update`) when all are present.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config git clang libclang-rt-14-dev
  # core
  libfmt-dev nlohmann-json3-dev libcli11-dev doctest-dev libtbb-dev
  # torch, a fast BLAS (without it Debian's libtorch uses the reference BLAS), oneDNN headers (lib/nn)
  libtorch-dev libopenblas0-openmp libdnnl-dev
  # distributed training (the Gloo headers that libtorch's c10d process groups include)
  libgloo-dev
  # images and classical codecs
  libopencv-dev libturbojpeg0-dev libjpeg62-turbo-dev libpng-dev libwebp-dev libopenjp2-7-dev
  libavif-dev libjxl-dev libexif-dev
  # video
  libavformat-dev libavcodec-dev libswscale-dev libavutil-dev ffmpeg
  # plots (SVG and PNG) and the headless browser that tests bench reports
  libcairo2-dev librsvg2-dev fonts-dejavu-core chromium
  # data sets and network
  libarchive-dev libcurl4-openssl-dev libssl-dev libsqlite3-dev
  # reference checks (CompressAI-format checkpoints, Pillow baseline)
  python3 python3-torch python3-pil python3-numpy
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$status" = "installed" ] || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present" >&2
  exit 0
fi

echo "install-deps: installing ${#missing[@]} packages: ${missing[*]}" >&2
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done" >&2
