#include "dataset/report.hpp"

#include "core/atomic_dir.hpp"
#include "core/error.hpp"
#include "core/file_io.hpp"
#include "core/json_output.hpp"
#include "image/decode.hpp"
#include "image/encode.hpp"

#include <fmt/format.h>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <filesystem>

namespace fs = std::filesystem;

namespace tiny::dataset {
namespace {

std::string html_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

image::Image thumbnail(const SourceFile& file, int thumb) {
  image::DecodeOptions d;
  d.min_width = d.min_height = thumb;
  image::Image img = image::decode_image(read_source(file), file.path, d);
  double f = std::min(1.0, double(thumb) / std::max(img.width, img.height));
  image::Image out = image::Image::blank(std::max(1, int(img.width * f)), std::max(1, int(img.height * f)));
  cv::Mat src(img.height, img.width, CV_8UC3, img.pixels.data());
  cv::Mat dst(out.height, out.width, CV_8UC3, out.pixels.data());
  cv::resize(src, dst, dst.size(), 0, 0, cv::INTER_AREA);
  return out;
}

}  // namespace

nlohmann::json summary_json(const std::vector<FileRecord>& records, const Selection& s) {
  size_t unreadable = 0, filtered = 0, from_cache = 0, scored = 0;
  for (const auto& r : records) {
    from_cache += r.from_cache;
    scored += r.score.has_value();
    unreadable += !r.error.empty();
    filtered += r.error.empty() && !r.filtered.empty();
  }
  size_t duplicates = 0;
  for (const auto& g : s.groups) duplicates += g.members.size() - 1;
  return {{"files", records.size()}, {"kept", s.kept.size()},       {"removed", s.removed.size()},
          {"unreadable", unreadable}, {"filtered", filtered},        {"duplicates", duplicates},
          {"groups", s.groups.size()}, {"from_cache", from_cache}, {"scored", scored}};
}

nlohmann::json groups_json(const std::vector<FileRecord>& records, const Selection& s, HashKind kind) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& g : s.groups) {
    nlohmann::json members = nlohmann::json::array();
    for (size_t m : g.members) {
      members.push_back({{"path", records[m].file.path},
                         {"hash", hash_hex(records[m].hash, kind)},
                         {"distance", hamming(records[m].hash, records[g.keep].hash)},
                         {"width", records[m].info.display_width()},
                         {"height", records[m].info.display_height()},
                         {"bytes", records[m].size}});
      if (records[m].score) members.back()["score"] = *records[m].score;
    }
    out.push_back({{"keep", records[g.keep].file.path}, {"members", members}});
  }
  return out;
}

nlohmann::json selection_json(const std::vector<FileRecord>& records, const Selection& s, HashKind kind) {
  nlohmann::json kept = nlohmann::json::array(), removed = nlohmann::json::array();
  for (size_t i : s.kept) kept.push_back(records[i].file.path);
  for (const auto& r : s.removed) removed.push_back({{"path", records[r.index].file.path}, {"reason", r.reason}});
  nlohmann::json out = {{"summary", summary_json(records, s)}, {"kept", kept}, {"removed", removed},
                        {"groups", groups_json(records, s, kind)}};
  nlohmann::json scores = scores_json(records);
  if (!scores.empty()) out["scores"] = scores;
  return out;
}

nlohmann::json scores_json(const std::vector<FileRecord>& records) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& r : records)
    if (r.score) out[r.file.path] = *r.score;
  return out;
}

image::Image contact_sheet(const std::vector<SourceFile>& files, int thumb) {
  const int gap = 8;
  image::Image sheet = image::Image::blank(int(files.size()) * (thumb + gap) + gap, thumb + 2 * gap);
  std::fill(sheet.pixels.begin(), sheet.pixels.end(), uint8_t(255));
  for (size_t i = 0; i < files.size(); ++i) {
    image::Image t;
    try {
      t = thumbnail(files[i], thumb);
    } catch (const Error&) {
      t = image::Image::blank(thumb, thumb);
      std::fill(t.pixels.begin(), t.pixels.end(), uint8_t(128));
    }
    int x0 = gap + int(i) * (thumb + gap) + (thumb - t.width) / 2, y0 = gap + (thumb - t.height) / 2;
    for (int y = 0; y < t.height; ++y) std::copy(t.at(0, y), t.at(0, y) + 3 * t.width, sheet.at(x0, y0 + y));
  }
  return sheet;
}

void write_report(const std::string& dir, const std::vector<FileRecord>& records, const Selection& s, HashKind kind,
                  bool replace) {
  AtomicDir out(dir, replace);
  auto file = [&](const std::string& name) { return out.file(name); };
  std::string kept, removed;
  for (size_t i : s.kept) kept += records[i].file.path + "\n";
  for (const auto& r : s.removed) removed += records[r.index].file.path + "\t" + r.reason + "\n";
  write_file_atomic(file("kept.txt"), kept, false);
  write_file_atomic(file("removed.tsv"), removed, false);
  write_file_atomic(file("groups.json"), dump_json(groups_json(records, s, kind), 2) + "\n", false);
  nlohmann::json summary = summary_json(records, s);
  write_file_atomic(file("summary.json"), dump_json(summary, 2) + "\n", false);
  nlohmann::json scores = scores_json(records);
  if (!scores.empty()) write_file_atomic(file("scores.json"), dump_json(scores, 2) + "\n", false);
  std::string html = "<!doctype html>\n<meta charset=\"utf-8\">\n<title>tiny filter-dataset report</title>\n";
  html += fmt::format("<h1>Duplicate groups</h1>\n<p>{} files, {} kept, {} removed, {} groups.</p>\n",
                      summary["files"].get<size_t>(), s.kept.size(), s.removed.size(), s.groups.size());
  for (size_t gi = 0; gi < s.groups.size(); ++gi) {
    const DuplicateGroup& g = s.groups[gi];
    std::vector<SourceFile> files;
    for (size_t m : g.members) files.push_back(records[m].file);
    std::string sheet = fmt::format("group-{:05d}.jpg", gi);
    image::write_image(file(sheet), contact_sheet(files, 160), false);
    html += fmt::format("<h2>Group {}</h2>\n<img src=\"{}\" alt=\"group {}\">\n<ol>\n", gi, sheet, gi);
    for (size_t m : g.members)
      html += fmt::format("<li>{}{}</li>\n", html_escape(records[m].file.path), m == g.keep ? " <b>(kept)</b>" : "");
    html += "</ol>\n";
  }
  write_file_atomic(file("index.html"), html, false);
  out.commit();
}

}  // namespace tiny::dataset
