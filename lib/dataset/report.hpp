#pragma once
// The results of a filtering run as JSON and as a report folder (lists, groups, contact sheets, HTML).
#include "dataset/select.hpp"
#include "image/image.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace tiny::dataset {

// Counts: files, kept, removed, unreadable, filtered, duplicates, groups, from_cache.
nlohmann::json summary_json(const std::vector<FileRecord>& records, const Selection& s);
// The duplicate groups: [{"keep": path, "members": [{"path", "distance"}...]}...].
nlohmann::json groups_json(const std::vector<FileRecord>& records, const Selection& s, HashKind kind);
// Everything: {"summary", "kept": [paths], "removed": [{"path", "reason"}], "groups"}.
nlohmann::json selection_json(const std::vector<FileRecord>& records, const Selection& s, HashKind kind);

// Thumbnails (at most `thumb` pixels per side) side by side on a white strip; unreadable files
// are drawn as grey tiles.
image::Image contact_sheet(const std::vector<std::string>& paths, int thumb);

// Writes kept.txt, removed.tsv, groups.json, summary.json, group-NNNNN.jpg contact sheets and
// index.html into `dir` (created; existing report files are replaced, each atomically).
void write_report(const std::string& dir, const std::vector<FileRecord>& records, const Selection& s, HashKind kind);

}  // namespace tiny::dataset
