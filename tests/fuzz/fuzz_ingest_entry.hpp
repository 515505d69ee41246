#pragma once
// The body of the ingest fuzz target (WebDataset tar reader, URL-list parsers, brace expansion),
// shared by the libFuzzer binary (fuzz_ingest) and the corpus replay test in test_ingest.
#include <cstddef>
#include <cstdint>

namespace tiny::fuzz {

// Reads the bytes as a tar shard, as a URL list in every format, and their first line as a shard
// pattern. Rejected input (tiny::Error) is fine; anything else escapes.
void fuzz_ingest_one(const uint8_t* data, size_t size);

}  // namespace tiny::fuzz
