#pragma once
// Replaying a checked-in fuzz corpus (tests/fuzz/corpus_*) through its target's entry point, so the
// entry runs in every build without clang or libFuzzer.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace tiny::test {

using FuzzEntry = std::function<void(const uint8_t*, size_t)>;

// Runs every file of tests/fuzz/`corpus`, its truncations every `stride` bytes and a bit flip every
// `flip_stride` bytes of its first 2048 through `entry`, checking that none throws; returns the
// number of files.
size_t replay_corpus(const std::string& corpus, const FuzzEntry& entry, size_t stride, size_t flip_stride);

}  // namespace tiny::test
