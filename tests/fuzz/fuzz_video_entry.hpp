#pragma once
// The body of the video fuzz target (FFmpeg's open, demux and decode as lib/video drives them),
// shared by the libFuzzer binary (fuzz_video) and the corpus replay in test_video.
#include <cstddef>
#include <cstdint>

namespace tiny::fuzz {

// Writes the bytes to a scratch file, probes it with a frame count, and decodes every frame (scene
// scores, frames downscaled to 32 pixels) and the first, middle and last frames by seeking. Rejected
// input (tiny::Error) is fine; anything else escapes.
void fuzz_video_one(const uint8_t* data, size_t size);

}  // namespace tiny::fuzz
