#include "ingest_fixtures.hpp"

#include "image/encode.hpp"
#include "shards/webdataset.hpp"
#include "test_support.hpp"

#include <filesystem>

namespace tiny::test {

Bytes numbered_jpeg(int n) {
  return image::encode_image(make_test_image(64 + n % 7, 48 + n % 5, unsigned(n + 1)), image::Format::jpeg);
}

ingest::HttpResponse ingest_fault_response(const ingest::HttpRequest& r, std::atomic<int>& flaky, double stall) {
  ingest::HttpResponse resp;
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
  else if (p == "/reset") resp.fault = ingest::HttpResponse::Fault::reset;
  else if (p == "/slow") {
    resp.fault = ingest::HttpResponse::Fault::stall;
    resp.stall_seconds = stall;
  } else if (p == "/truncated") resp.fault = ingest::HttpResponse::Fault::truncate;
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
