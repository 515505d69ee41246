#include "dataset/report.hpp"

#include "core/atomic_dir.hpp"
#include "core/error.hpp"
#include "core/file_io.hpp"
#include "core/json_output.hpp"
#include "dataset/report_html.hpp"
#include "image/encode.hpp"

#include <fmt/format.h>


namespace tiny::dataset {

nlohmann::json summary_json(const std::vector<FileRecord>& records, const Selection& s) {
  size_t unreadable = 0, filtered = 0, from_cache = 0, scored = 0;
  for (const auto& r : records) {
    from_cache += r.from_cache;
    scored += r.score.has_value();
    unreadable += !r.reference && !r.error.empty();
    filtered += !r.reference && r.error.empty() && !r.filtered.empty();
  }
  size_t duplicates = 0;
  for (const auto& g : s.groups)
    for (size_t m : g.members) duplicates += m != g.keep && !records[m].reference;
  return {{"files", records.size()},   {"kept", s.kept.size()},          {"removed", s.removed.size()},
          {"unreadable", unreadable},  {"filtered", filtered},           {"duplicates", duplicates},
          {"groups", s.groups.size()}, {"references", s.references.size()}, {"from_cache", from_cache},
          {"scored", scored}};
}

nlohmann::json groups_json(const std::vector<FileRecord>& records, const Selection& s) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& g : s.groups) {
    nlohmann::json members = nlohmann::json::array();
    for (size_t m : g.members) {
      int d = record_distance(records[m], records[g.keep], s.match);
      members.push_back({{"path", records[m].file.path},
                         {"hash", hash_hex(records[m].hash, s.match.kind)},
                         {"distance", d == kNoMatch ? nlohmann::json() : nlohmann::json(d)},
                         {"width", records[m].info.display_width()},
                         {"height", records[m].info.display_height()},
                         {"bytes", records[m].size},
                         {"reference", records[m].reference}});
      if (records[m].score) members.back()["score"] = *records[m].score;
    }
    out.push_back({{"keep", records[g.keep].file.path}, {"members", members}});
  }
  return out;
}

nlohmann::json selection_json(const std::vector<FileRecord>& records, const Selection& s) {
  nlohmann::json kept = nlohmann::json::array(), removed = nlohmann::json::array();
  for (size_t i : s.kept) kept.push_back(records[i].file.path);
  for (const auto& r : s.removed) removed.push_back({{"path", records[r.index].file.path}, {"reason", r.reason}});
  nlohmann::json out = {{"summary", summary_json(records, s)}, {"kept", kept}, {"removed", removed},
                        {"groups", groups_json(records, s)}};
  if (!s.references.empty()) {
    nlohmann::json refs = nlohmann::json::array();
    for (size_t i : s.references) refs.push_back(records[i].file.path);
    out["references"] = refs;
  }
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

void write_report(const std::string& dir, const std::vector<FileRecord>& records, const Selection& s, bool replace) {
  AtomicDir out(dir, replace);
  auto file = [&](const std::string& name) { return out.file(name); };
  std::string kept, removed;
  for (size_t i : s.kept) kept += records[i].file.path + "\n";
  for (const auto& r : s.removed) removed += records[r.index].file.path + "\t" + r.reason + "\n";
  write_file_atomic(file("kept.txt"), kept, false);
  write_file_atomic(file("removed.tsv"), removed, false);
  write_file_atomic(file("groups.json"), dump_json(groups_json(records, s), 2) + "\n", false);
  nlohmann::json summary = summary_json(records, s);
  write_file_atomic(file("summary.json"), dump_json(summary, 2) + "\n", false);
  nlohmann::json scores = scores_json(records);
  if (!scores.empty()) write_file_atomic(file("scores.json"), dump_json(scores, 2) + "\n", false);
  plot::write_plot(distance_histogram(s), file("distances"), false);
  std::vector<std::string> sheets;
  for (size_t gi = 0; gi < s.groups.size(); ++gi) {
    sheets.push_back(fmt::format("group-{:05d}.jpg", gi));
    image::write_image(file(sheets.back()), contact_sheet(group_tiles(records, s, s.groups[gi]), 160), false);
  }
  write_file_atomic(file("index.html"), report_html(records, s, "distances.svg", sheets), false);
  out.commit();
}

}  // namespace tiny::dataset
