#pragma once
// Shared by the ingest library and CLI tests: a loopback server with every fault the ingester must
// survive, and reading a whole output folder back.
#include "core/file_io.hpp"
#include "bench/loopback_server.hpp"

#include <atomic>
#include <map>
#include <string>

namespace tiny::test {

// Serves "/img/N.jpg" as a distinct JPEG, and faults by name: /404, /500, /flaky (429 twice, then an
// image), /reset, /slow (stalls `stall` seconds), /truncated, /html, /big, /loop, /noai.
bench::HttpResponse ingest_fault_response(const bench::HttpRequest& r, std::atomic<int>& flaky, double stall = 3);
// `text` compressed with libarchive's write filter `filter` ("gzip", "zstd", "xz", "bzip2").
Bytes compressed(const std::string& text, const std::string& filter);
// A JPEG test image distinct for each n.
Bytes numbered_jpeg(int n);
// Every sample of every NNNNN.tar in `folder`: key -> extension -> bytes.
std::map<std::string, std::map<std::string, Bytes>> read_output(const std::string& folder);

}  // namespace tiny::test
