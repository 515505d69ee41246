#pragma once
// The pages and pictures of a filtering report: contact sheets with a caption and a kept/removed mark
// under every thumbnail, the HTML page (groups with links to the full images, every removal with its
// reason, and a histogram of pair distances around the threshold).
#include "dataset/select.hpp"
#include "image/image.hpp"

#include <string>
#include <vector>

namespace tiny::dataset {

enum class TileMark { kept, removed, reference };

struct SheetTile {
  SourceFile file;
  std::vector<std::string> caption;  // lines under the thumbnail
  TileMark mark = TileMark::kept;
};

// Thumbnails (at most `thumb` pixels per side) side by side on a white strip, each framed green
// (kept), red (removed) or blue (reference) with its caption below; unreadable files are grey tiles.
image::Image contact_sheet(const std::vector<SheetTile>& tiles, int thumb);

// The tiles of a duplicate group: file name, size (pixels and bytes), distance to the kept file and
// the mark.
std::vector<SheetTile> group_tiles(const std::vector<FileRecord>& records, const Selection& s, const DuplicateGroup& g);

// A bar chart (SVG) of the pairs in s.pairs by distance, the threshold marked.
std::string distance_histogram_svg(const Selection& s);

// The report's index.html; group i's contact sheet is sheets[i].
std::string report_html(const std::vector<FileRecord>& records, const Selection& s, const std::vector<std::string>& sheets);

}  // namespace tiny::dataset
