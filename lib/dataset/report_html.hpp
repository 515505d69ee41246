#pragma once
// The pages and pictures of a filtering report: contact sheets with a caption and a kept/removed mark
// under every thumbnail, a histogram of pair distances around the threshold, and the HTML page (the
// histogram, groups with links to the full images, every removal with its reason).
#include "dataset/select.hpp"
#include "image/image.hpp"
#include "plot/plot.hpp"

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
// (kept), red (removed) or blue (reference) with its caption below (the first line in the frame's
// colour); unreadable files are grey tiles.
image::Image contact_sheet(const std::vector<SheetTile>& tiles, int thumb);

// The tiles of a duplicate group: file name, size (pixels and bytes), distance to the kept file and
// the mark.
std::vector<SheetTile> group_tiles(const std::vector<FileRecord>& records, const Selection& s, const DuplicateGroup& g);

// A bar chart of the pairs in s.pairs by distance around the threshold, those grouped (at or below it)
// apart from the rest, the threshold dashed.
plot::LinePlot distance_histogram(const Selection& s);

// The report's index.html, showing the picture `histogram` and group i's contact sheet sheets[i].
std::string report_html(const std::vector<FileRecord>& records, const Selection& s, const std::string& histogram,
                        const std::vector<std::string>& sheets);

}  // namespace tiny::dataset
