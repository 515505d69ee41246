#include "bench/results.hpp"

#include "core/error.hpp"
#include "image/metrics.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

namespace tiny::bench {
namespace {

const char* const kArrays[] = {"bpp", "psnr-rgb", "ms-ssim", "encoding_time", "decoding_time"};

std::vector<double>* array_of(Curve& c, const std::string& key) {
  if (key == "bpp") return &c.bpp;
  if (key == "psnr-rgb") return &c.psnr;
  if (key == "ms-ssim") return &c.ms_ssim;
  if (key == "encoding_time") return &c.encoding_time;
  return &c.decoding_time;
}

}  // namespace

Json curve_to_json(const Curve& curve) {
  Json results = Json::object();
  Curve copy = curve;
  for (const char* key : kArrays)
    if (!array_of(copy, key)->empty()) results[key] = *array_of(copy, key);
  return {{"name", curve.name}, {"description", curve.description}, {"results", results}};
}

Curve curve_from_json(const Json& json, const std::string& origin) {
  if (!json.is_object()) throw UsageError(file_error(origin, "expected a JSON object with \"name\" and \"results\""));
  check_known_keys(json, {"name", "description", "results"}, origin);
  Curve c;
  if (!json.contains("name") || !json["name"].is_string()) throw UsageError(file_error(origin, "\"name\" must be a string"));
  c.name = json["name"];
  if (json.contains("description")) {
    if (!json["description"].is_string()) throw UsageError(file_error(origin, "\"description\" must be a string"));
    c.description = json["description"];
  }
  if (!json.contains("results") || !json["results"].is_object())
    throw UsageError(file_error(origin, "\"results\" must be an object"));
  const Json& r = json["results"];
  for (auto it = r.begin(); it != r.end(); ++it) {
    const std::string& key = it.key();
    if (std::find(std::begin(kArrays), std::end(kArrays), key) == std::end(kArrays)) continue;
    if (!it->is_array()) throw UsageError(file_error(origin, fmt::format("results.{} must be an array of numbers", key)));
    std::vector<double>* out = array_of(c, key);
    for (const Json& v : *it) {
      if (!v.is_number()) throw UsageError(file_error(origin, fmt::format("results.{} must be an array of numbers", key)));
      out->push_back(v.get<double>());
    }
  }
  if (c.bpp.empty() || c.psnr.empty()) throw UsageError(file_error(origin, "results.bpp and results.psnr-rgb are required"));
  for (const char* key : kArrays) {
    size_t n = array_of(c, key)->size();
    if (n != 0 && n != c.bpp.size())
      throw UsageError(file_error(origin, fmt::format("results.{} has {} entries but results.bpp has {}", key, n, c.bpp.size())));
  }
  return c;
}

Curve read_curve_file(const std::string& path) {
  Curve c = curve_from_json(read_json_file(path), path);
  c.published = true;
  return c;
}

std::vector<Curve> read_curve_folder(const std::string& folder) {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(folder, ec))
    if (e.path().extension() == ".json") files.push_back(e.path().string());
  if (ec) throw Error(file_error(folder, ec.message()));
  std::sort(files.begin(), files.end());
  std::vector<Curve> out;
  for (const auto& f : files) out.push_back(read_curve_file(f));
  return out;
}

std::vector<double> ms_ssim_db(const Curve& curve) {
  std::vector<double> out;
  for (double v : curve.ms_ssim) out.push_back(image::ms_ssim_db(v));
  return out;
}

}  // namespace tiny::bench
