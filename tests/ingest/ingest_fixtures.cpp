#include "ingest_fixtures.hpp"

#include "image/encode.hpp"
#include "shards/webdataset.hpp"
#include "test_support.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <doctest/doctest.h>

#include <filesystem>

namespace tiny::test {

Bytes compressed(const std::string& text, const std::string& filter) {
  archive* a = archive_write_new();
  Bytes out(text.size() + 4096);
  size_t used = 0;
  archive_write_add_filter_by_name(a, filter.c_str());
  archive_write_set_format_raw(a);
  archive_write_set_bytes_in_last_block(a, 1);
  REQUIRE_MESSAGE(archive_write_open_memory(a, out.data(), out.size(), &used) == ARCHIVE_OK, filter);
  archive_entry* e = archive_entry_new();
  archive_entry_set_filetype(e, AE_IFREG);
  archive_entry_set_size(e, la_int64_t(text.size()));
  archive_write_header(a, e);
  archive_write_data(a, text.data(), text.size());
  archive_entry_free(e);
  archive_write_close(a);
  archive_write_free(a);
  out.resize(used);
  return out;
}

Bytes numbered_jpeg(int n) {
  return image::encode_image(make_test_image(64 + n % 7, 48 + n % 5, unsigned(n + 1)), image::Format::jpeg);
}

bench::HttpResponse ingest_fault_response(const bench::HttpRequest& r, std::atomic<int>& flaky, double stall) {
  bench::HttpResponse resp;
  const std::string& p = r.path;
  if (p.rfind("/img/", 0) == 0) {
    Bytes b = numbered_jpeg(std::atoi(p.c_str() + 5));
    resp.body.assign(b.begin(), b.end());
    return resp;
  }
  Bytes ok = numbered_jpeg(999);
  resp.body.assign(ok.begin(), ok.end());
  if (p == "/404") resp.status = 404;
  else if (p == "/500") resp.status = 500;
  else if (p == "/flaky" && flaky++ < 2) resp.status = 429;
  else if (p == "/reset") resp.fault = bench::HttpResponse::Fault::reset;
  else if (p == "/slow") {
    resp.fault = bench::HttpResponse::Fault::stall;
    resp.stall_seconds = stall;
  } else if (p == "/truncated") resp.fault = bench::HttpResponse::Fault::truncate;
  else if (p == "/html") resp.body = "<html><body>not an image</body></html>";
  else if (p == "/big") resp.body = std::string(300000, 'x');
  else if (p == "/loop") {
    resp.status = 302;
    resp.headers.push_back({"Location", "/loop"});
  } else if (p == "/noai") resp.headers.push_back({"X-Robots-Tag", "noimageai"});
  return resp;
}

std::map<std::string, std::map<std::string, Bytes>> read_output(const std::string& folder) {
  std::map<std::string, std::map<std::string, Bytes>> out;
  for (const auto& e : std::filesystem::directory_iterator(folder)) {
    if (e.path().extension() != ".tar") continue;
    shards::read_shard(e.path().string(), [&](shards::Sample&& s) { out[s.key] = std::move(s.files); });
  }
  return out;
}

}  // namespace tiny::test
