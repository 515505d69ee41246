#pragma once
// The results of a filtering run as JSON and as a report folder (lists, groups, contact sheets, HTML).
#include "dataset/select.hpp"
#include "image/image.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace tiny::dataset {

// Counts: files, kept, removed, unreadable, filtered, duplicates, groups, from_cache, scored.
nlohmann::json summary_json(const std::vector<FileRecord>& records, const Selection& s);
// The duplicate groups: [{"keep": path, "members": [{"path", "hash", "distance", "width", "height",
// "bytes", and "score" when scored}...]}...].
nlohmann::json groups_json(const std::vector<FileRecord>& records, const Selection& s, HashKind kind);
// Learned scores by path: {path: score} for every scored file.
nlohmann::json scores_json(const std::vector<FileRecord>& records);
// Everything: {"summary", "kept": [paths], "removed": [{"path", "reason"}], "groups"}, and
// "scores" when a scorer ran.
nlohmann::json selection_json(const std::vector<FileRecord>& records, const Selection& s, HashKind kind);

// Thumbnails (at most `thumb` pixels per side) of files or tar members side by side on a white
// strip; unreadable ones are drawn as grey tiles.
image::Image contact_sheet(const std::vector<SourceFile>& files, int thumb);

// Writes kept.txt, removed.tsv, groups.json, summary.json, scores.json (when a scorer ran),
// group-NNNNN.jpg contact sheets and index.html as the folder `dir`, all at once (core/atomic_dir.hpp):
// an existing `dir` that is not empty is refused (Error) unless `replace`, and then replaced whole.
void write_report(const std::string& dir, const std::vector<FileRecord>& records, const Selection& s, HashKind kind,
                  bool replace);

}  // namespace tiny::dataset
