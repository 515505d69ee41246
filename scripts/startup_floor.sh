#!/usr/bin/env bash
# The floor under `tiny frames --keyframes`' start-up (docs/commands/bench-startup.md): CPU and wall
# milliseconds (perf stat, mean of N runs) of C programs that only map the libraries and open the clip,
# against ffprobe and tiny on the same clip. Needs gcc, pkg-config, perf and ffmpeg.
#   scripts/startup_floor.sh [build folder] [runs]
set -euo pipefail
build=$(realpath "${1:-build}")
runs=${2:-30}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
ffmpeg -loglevel error -f lavfi -i testsrc=size=320x240:rate=25 -t 2 -c:v libx264 -g 25 clip.mp4
cat > empty.c <<'EOF'
int main(void) { return 0; }
EOF
cat > open.c <<'EOF'
#include <libavformat/avformat.h>
int main(int argc, char** argv) {
  AVFormatContext* f = NULL;
  if (argc < 2 || avformat_open_input(&f, argv[1], NULL, NULL) < 0) return 1;
  int rc = avformat_find_stream_info(f, NULL) < 0;
  avformat_close_input(&f);
  return rc;
}
EOF
# The system libraries libtiny.so links, as link flags; OpenCV's apart.
needed=$(readelf -d "$build/lib/libtiny.so" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p' | grep -v 'tiny\|ld-linux')
system=$(printf -- '-l:%s ' $(grep -v opencv <<<"$needed"))
opencv=$(printf -- '-l:%s ' $(grep opencv <<<"$needed"))
av=$(pkg-config --libs libavformat libavcodec libswscale libavutil)
gcc -O2 empty.c -o empty
gcc -O2 open.c -o open_av $(pkg-config --cflags libavformat) -Wl,--no-as-needed $av
gcc -O2 open.c -o open_av_libtiny_deps $(pkg-config --cflags libavformat) -Wl,--no-as-needed $system $opencv $av
gcc -O2 open.c -o open_av_libtiny_deps_no_opencv $(pkg-config --cflags libavformat) -Wl,--no-as-needed $system $av
gcc -O2 empty.c -o libtiny_deps -Wl,--no-as-needed $system $opencv
gcc -O2 empty.c -o libtiny_deps_no_opencv -Wl,--no-as-needed $system
measure() {
  perf stat -r "$runs" -x, -e task-clock "$@" 2>&1 >/dev/null | awk -F, -v what="$*" \
    '/task-clock/ { printf "%8.1f CPU ms  %s\n", $1, what }'
}
printf '%s\n' "perf stat -r $runs, mean CPU time (task-clock) of each program:"
measure ./empty
measure ./libtiny_deps_no_opencv
measure ./libtiny_deps
measure ./open_av clip.mp4
measure ./open_av_libtiny_deps_no_opencv clip.mp4
measure ./open_av_libtiny_deps clip.mp4
measure ffprobe -v quiet clip.mp4
measure "$build/tiny" --version
measure "$build/tiny" frames --help
measure "$build/tiny" frames --keyframes clip.mp4 -o frames --force
