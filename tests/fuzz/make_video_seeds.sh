#!/usr/bin/env bash
# Writes the seeds of tests/fuzz/corpus_video/ with the ffmpeg tool: tiny videos (32x24, 6 frames at
# 6 fps, a key frame every 3 frames) in the containers and codecs tiny meets, a few KB each.
# Usage: tests/fuzz/make_video_seeds.sh
set -euo pipefail
cd "$(dirname "$0")/corpus_video"
# encode OUTPUT ARGS...: the test pattern encoded with ARGS into OUTPUT, without varying metadata.
encode() {
  local out=$1
  shift
  nice -n 10 ffmpeg -y -loglevel error -f lavfi -i testsrc2=size=32x24:rate=6 -frames:v 6 -g 3 -an \
    -map_metadata -1 -fflags +bitexact -flags:v +bitexact "$@" "$out"
}
encode h264.mp4 -c:v libx264 -preset ultrafast -pix_fmt yuv420p -bf 2
encode vp9.webm -c:v libvpx-vp9 -b:v 40k -deadline realtime
encode mpeg2.ts -c:v mpeg2video -q:v 8
encode mjpeg.avi -c:v mjpeg -q:v 31
encode mpeg4.mov -c:v mpeg4 -q:v 8
encode ffv1.mkv -c:v ffv1
# The H.264 seed with a display matrix (a quarter turn), which the demuxer turns into rotation side data.
nice -n 10 ffmpeg -y -loglevel error -i h264.mp4 -c copy -fflags +bitexact -metadata:s:v:0 rotate=90 rotated.mp4
ls -l
