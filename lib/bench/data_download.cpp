#include "bench/data_download.hpp"

#include "core/data_paths.hpp"
#include "core/error.hpp"
#include "core/file_io.hpp"
#include "core/json_file.hpp"
#include "core/log.hpp"
#include "core/progress.hpp"
#include "image/decode.hpp"
#include "net/fetch.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <cstdlib>
#include <filesystem>
#include <memory>

namespace tiny::bench {
namespace fs = std::filesystem;
namespace {

DataSetFile parse_file_entry(const nlohmann::json& j, const std::string& path) {
  check_known_keys(j, {"name", "width", "height", "pixels_sha256"}, path);
  DataSetFile f;
  f.name = j.at("name").get<std::string>();
  f.width = j.at("width").get<int>();
  f.height = j.at("height").get<int>();
  f.pixels_sha256 = j.at("pixels_sha256").get<std::string>();
  if (f.name.empty() || f.name.find('/') != std::string::npos || f.name[0] == '.')
    throw Error(file_error(path, fmt::format("bad file name '{}' (a plain name is expected)", f.name)));
  if (f.width <= 0 || f.height <= 0) throw Error(file_error(path, fmt::format("{}: bad size", f.name)));
  if (f.pixels_sha256.size() != 64) throw Error(file_error(path, fmt::format("{}: pixels_sha256 is not 64 hex digits", f.name)));
  return f;
}

// Decodes one downloaded body and checks it against its manifest entry; "" if it matches.
std::string verify(const Bytes& body, const DataSetFile& f) {
  image::Image img;
  try {
    img = image::decode_image(body, f.name);
  } catch (const Error& e) {
    return e.what();
  }
  if (img.width != f.width || img.height != f.height)
    return fmt::format("{}x{} pixels, the manifest says {}x{}", img.width, img.height, f.width, f.height);
  if (pixels_sha256(img) != f.pixels_sha256) return "its pixels do not match the manifest's checksum";
  return "";
}

void remove_quietly(const fs::path& p) {
  std::error_code ec;
  fs::remove_all(p, ec);
}

}  // namespace

DataSetManifest read_data_set_manifest(const std::string& path) {
  const nlohmann::json j = read_json_file(path);
  DataSetManifest m;
  try {
    check_known_keys(j, {"name", "description", "base_url", "checksum", "files"}, path);
    m.name = j.at("name").get<std::string>();
    m.description = j.value("description", "");
    m.base_url = j.at("base_url").get<std::string>();
    for (const auto& entry : j.at("files")) m.files.push_back(parse_file_entry(entry, path));
  } catch (const nlohmann::json::exception& e) {
    throw Error(file_error(path, fmt::format("not a data set manifest: {}", e.what())));
  }
  if (m.files.empty()) throw Error(file_error(path, "the manifest lists no files"));
  return m;
}

std::string pixels_sha256(const image::Image& img) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (!EVP_Digest(img.pixels.data(), img.pixels.size(), digest, &length, EVP_sha256(), nullptr))
    throw Error("SHA-256 failed (OpenSSL)");
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

void download_data_set(const DataSetManifest& manifest, const std::string& folder, const std::string& base_url) {
  std::string base = base_url.empty() ? manifest.base_url : base_url;
  if (!base.empty() && base.back() != '/') base += '/';
  const fs::path target(folder);
  const fs::path temp = target.parent_path() / (target.filename().string() + ".download");
  remove_quietly(temp);
  std::error_code ec;
  fs::create_directories(temp, ec);
  if (ec) throw Error(file_error(temp.string(), "cannot create the download folder: " + ec.message()));
  try {
    net::FetchOptions options;
    options.concurrency = 4;
    options.per_host = 4;
    options.opt_out.clear();
    options.user_agent = "tiny-bench/0.1";
    net::Fetcher fetcher(options);
    for (size_t i = 0; i < manifest.files.size(); ++i) fetcher.add(i, base + manifest.files[i].name);
    Progress progress("download " + manifest.name, manifest.files.size(), "files");
    std::vector<net::FetchResult> done;
    while (fetcher.pending() > 0) {
      fetcher.poll(done, 100);
      for (const net::FetchResult& r : done) {
        const DataSetFile& f = manifest.files[r.id];
        if (!r.reason.empty()) throw Error(fmt::format("{}: download failed: {}", r.url, r.error));
        if (std::string why = verify(r.body, f); !why.empty()) throw Error(fmt::format("{}: {}", r.url, why));
        write_file_atomic((temp / f.name).string(), r.body, false);
        progress.advance();
      }
      done.clear();
    }
    progress.finish();
    fs::create_directories(target.parent_path(), ec);
    fs::rename(temp, target, ec);
    if (ec) throw Error(file_error(target.string(), "cannot put the downloaded set in place: " + ec.message()));
  } catch (...) {
    remove_quietly(temp);
    throw;
  }
}

std::string find_or_download_data_set(const std::string& name, const std::string& given, bool offline) {
  try {
    return find_data_set(name, given);
  } catch (const Error& not_found) {
    const fs::path manifest_path = shipped_file("configs/datasets/" + name + ".json");
    std::error_code ec;
    if (!given.empty() || !fs::is_regular_file(manifest_path, ec)) throw;
    const fs::path cache = data_cache_folder(name);
    if (offline || cache.empty())
      throw Error(fmt::format("{} (tiny can download it: run without --offline{})", not_found.what(),
                              cache.empty() ? " and with HOME or XDG_CACHE_HOME set" : ""));
    const DataSetManifest manifest = read_data_set_manifest(manifest_path.string());
    const char* mirror = std::getenv("TINY_DATA_URL");
    const std::string base = mirror && *mirror ? fmt::format("{}/{}", mirror, name) : manifest.base_url;
    log::info("downloading the {} set ({} files) from {} into {}", name, manifest.files.size(), base, cache.string());
    try {
      download_data_set(manifest, cache.string(), base);
    } catch (const Error& e) {
      throw Error(fmt::format("{}; no {} set found locally either: put its files in {} or set TINY_DATA", e.what(), name,
                              cache.string()));
    }
    return cache.string();
  }
}

}  // namespace tiny::bench
