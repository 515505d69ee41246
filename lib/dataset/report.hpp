#pragma once
// The results of a filtering run as JSON and as a report folder (lists, groups, contact sheets, HTML).
#include "dataset/select.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace tiny::dataset {

// Counts: files, kept, removed, unreadable, filtered, duplicates, groups, references, from_cache, scored.
nlohmann::json summary_json(const std::vector<FileRecord>& records, const Selection& s);
// The duplicate groups: [{"keep": path, "members": [{"path", "hash", "distance", "width", "height",
// "bytes", "reference", and "score" when scored}...]}...]; "distance" is to the kept file (null when
// the member joined the group through others).
nlohmann::json groups_json(const std::vector<FileRecord>& records, const Selection& s);
// Learned scores by path: {path: score} for every scored file.
nlohmann::json scores_json(const std::vector<FileRecord>& records);
// Everything: {"summary", "kept": [paths], "removed": [{"path", "reason"}], "groups"}, "scores" when
// a scorer ran and "references" when reference files were given.
nlohmann::json selection_json(const std::vector<FileRecord>& records, const Selection& s);

// Writes kept.txt, removed.tsv, groups.json, summary.json, scores.json (when a scorer ran),
// distances.svg and .png (the histogram of pair distances), group-NNNNN.jpg contact sheets and
// index.html (report_html.hpp) as the folder `dir`, all at once
// (core/atomic_dir.hpp): an existing `dir` that is not empty is refused (Error) unless `replace`, and
// then replaced whole.
void write_report(const std::string& dir, const std::vector<FileRecord>& records, const Selection& s, bool replace);

}  // namespace tiny::dataset
