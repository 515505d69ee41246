#include "core/error.hpp"
#include "core/file_io.hpp"
#include "dataset/analyze.hpp"
#include "dataset/report.hpp"
#include "dataset/report_html.hpp"
#include "dataset/select.hpp"
#include "dataset/sources.hpp"
#include "image/decode.hpp"
#include "image/encode.hpp"
#include "dataset_fixtures.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

using namespace tiny;
using namespace tiny::dataset;
namespace fs = std::filesystem;

namespace {

// A folder with: a.png, a copy (exact), a re-encoded JPEG (near), a different picture, a small
// picture, a zero-byte file and a junk file.
void make_folder(const test::TempDir& dir) {
  image::Image a = test::blocks_image(160, 120, 1);
  image::write_image(dir.file("a.png"), a, false);
  fs::create_directories(dir.path() / "sub");
  fs::copy_file(dir.file("a.png"), dir.file("sub/a_copy.png"));
  image::EncodeOptions q;
  q.quality = 60;
  image::write_image(dir.file("sub/a_q60.jpg"), a, false, q);
  image::write_image(dir.file("b.png"), test::blocks_image(160, 120, 9), false);
  image::write_image(dir.file("small.png"), test::make_test_image(20, 20, 4), false);
  write_file_atomic(dir.file("zero.png"), std::string_view(""), false);
  write_file_atomic(dir.file("junk.jpg"), std::string_view("not a jpeg"), false);
  write_file_atomic(dir.file("notes.md"), std::string_view("ignored"), false);
}

// Every value of attribute `name` ("src", "href") in the page, in order.
std::vector<std::string> attribute_values(const std::string& html, const std::string& name) {
  std::vector<std::string> out;
  const std::string key = " " + name + "=\"";
  for (size_t at = html.find(key); at != std::string::npos; at = html.find(key, at + 1)) {
    size_t begin = at + key.size(), end = html.find('"', begin);
    out.push_back(html.substr(begin, end - begin));
  }
  return out;
}

// The local path of a file:// URL, %XX escapes decoded ("" if it is not a file URL).
std::string file_url_path(const std::string& url) {
  if (url.rfind("file://", 0) != 0) return "";
  std::string out;
  for (size_t i = 7; i < url.size(); ++i)
    if (url[i] == '%' && i + 2 < url.size()) {
      out += char(std::stoi(url.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += url[i];
    }
  return out;
}

// The table row of the page holding `text`, from the first row at or after `from`.
std::string row_with(const std::string& html, const std::string& text, size_t from = 0) {
  size_t at = html.find(text, from);
  if (at == std::string::npos) return "";
  size_t begin = html.rfind("<tr>", at), end = html.find("</tr>", at);
  return html.substr(begin, end - begin);
}

std::string reason_of(const std::vector<FileRecord>& r, const Selection& s, const std::string& name) {
  for (const auto& x : s.removed)
    if (fs::path(r[x.index].file.path).filename() == name) return x.reason;
  return "";
}

}  // namespace

TEST_CASE("sources: folders recursively, lists and manifests relative to themselves, symlinks skipped") {
  test::TempDir dir;
  make_folder(dir);
  fs::create_symlink(dir.file("b.png"), dir.file("link.png"));
  SourceListing l = list_sources({dir.path().string()});
  CHECK(l.files.size() == 7);
  REQUIRE(l.problems.size() == 1);
  CHECK(l.problems[0].reason.find("symbolic link") != std::string::npos);
  write_file_atomic(dir.file("list.txt"), std::string_view("a.png\n\nsub/a_q60.jpg\na.png\n"), false);
  write_file_atomic(dir.file("m.jsonl"), std::string_view("{\"path\": \"b.png\", \"caption\": \"x\"}\n"), false);
  SourceListing m = list_sources({dir.file("list.txt"), dir.file("m.jsonl")});
  REQUIRE(m.files.size() == 3);
  CHECK(m.files[1].path == dir.file("sub/a_q60.jpg"));
  CHECK(m.files[2].relative == "b.png");
  write_file_atomic(dir.file("bad.jsonl"), std::string_view("{\"file\": 1}\n"), false);
  CHECK_THROWS_WITH_AS(list_sources({dir.file("bad.jsonl")}), doctest::Contains("bad.jsonl line 1"), Error);
  CHECK_THROWS_AS(list_sources({dir.file("missing")}), Error);
}

TEST_CASE("selection removes failures, filtered, exact and near duplicates, keeping the largest") {
  test::TempDir dir;
  make_folder(dir);
  AnalyzeOptions o;
  o.filters.min_side = 32;
  auto records = analyze_files(list_sources({dir.path().string()}).files, o);
  Selection s = select_files(records, {HashKind::phash, 8}, KeepPolicy::largest);
  std::vector<std::string> kept;
  for (size_t i : s.kept) kept.push_back(fs::path(records[i].file.path).filename().string());
  // Equal resolution: a.png and its copy tie on pixels and size, the earlier path wins.
  CHECK(kept == std::vector<std::string>{"a.png", "b.png"});
  CHECK(reason_of(records, s, "a_copy.png").find("exact duplicate of") == 0);
  CHECK(reason_of(records, s, "a_q60.jpg").find("near duplicate of") == 0);
  CHECK(reason_of(records, s, "small.png").find("shorter side 20 < 32") == 0);
  CHECK(reason_of(records, s, "zero.png").find("zero-byte") != std::string::npos);
  CHECK(reason_of(records, s, "junk.jpg").find("unreadable") == 0);
  REQUIRE(s.groups.size() == 1);
  CHECK(s.groups[0].members.size() == 3);
  nlohmann::json j = selection_json(records, s);
  CHECK(j["summary"]["duplicates"] == 2);
  CHECK(j["summary"]["unreadable"] == 2);
  CHECK(j["summary"]["filtered"] == 1);

  Selection first = select_files(records, {HashKind::phash, 8}, KeepPolicy::largest_file);
  CHECK(records[first.groups[0].keep].file.path.find("a_q60") == std::string::npos);
  CHECK_THROWS_AS(keep_policy_from_name("newest"), UsageError);
}

TEST_CASE("the report holds lists, groups, a contact sheet per group and an HTML index") {
  test::TempDir dir;
  make_folder(dir);
  auto records = analyze_files(list_sources({dir.path().string()}).files, AnalyzeOptions{});
  Selection s = select_files(records, {HashKind::dhash, 10}, KeepPolicy::first);
  write_report(dir.file("report"), records, s, false);
  for (const char* f : {"kept.txt", "removed.tsv", "groups.json", "summary.json", "index.html", "group-00000.jpg", "distances.svg", "distances.png"})
    CHECK(fs::exists(dir.path() / "report" / f));
  CHECK(read_text_file(dir.file("report/index.html")).find("<img src=\"distances.svg\"") != std::string::npos);
  const plot::LinePlot histogram = distance_histogram(s);
  REQUIRE(histogram.series.size() == 3);  // grouped, not grouped, the threshold
  // Every pair in the range is counted once: as grouped at or below the threshold, as apart above it.
  double counted = 0, expected = 0;
  for (size_t i = 0; i < histogram.series[0].x.size(); ++i) {
    const bool grouped = histogram.series[0].x[i] <= 10;
    CHECK(histogram.series[grouped ? 1 : 0].y[i] == 0);
    counted += histogram.series[0].y[i] + histogram.series[1].y[i];
  }
  for (const HashPair& p : s.pairs) expected += p.distance >= histogram.x.lo && p.distance <= histogram.x.hi;
  CHECK(counted == expected);
  CHECK(expected > 0);
  image::Image sheet = contact_sheet({SheetTile{{dir.file("a.png"), "a.png"}, {"KEPT", "a.png"}, TileMark::kept},
                                      SheetTile{{dir.file("junk.jpg"), "junk.jpg"}, {"removed"}, TileMark::removed}},
                                     64);
  CHECK(sheet.width == 2 * (64 + 8) + 8);
  CHECK(sheet.height == 64 + 16 + 2 * 14);
}

TEST_CASE("header and quality filters give reasons") {
  Filters f;
  f.max_aspect = 2;
  f.formats = {image::Format::jpeg};
  image::ImageInfo info;
  info.format = image::Format::png;
  info.width = 300;
  info.height = 100;
  CHECK(f.check_header(info).find("format png") == 0);
  info.format = image::Format::jpeg;
  CHECK(f.check_header(info).find("aspect 3.00 > 2") == 0);
  f.min_sharpness = 10;
  QualityScores q;
  CHECK(f.needs_quality());
  CHECK(f.check_quality(q).find("blurry") == 0);
  q.sharpness = 20;
  CHECK(f.check_quality(q).empty());
}

TEST_CASE("views find a cropped copy; a reference file is kept and its duplicates removed") {
  test::TempDir dir;
  image::Image a = test::blocks_image(200, 150, 1);
  fs::create_directories(dir.path() / "new");
  fs::create_directories(dir.path() / "ref");
  image::write_image(dir.file("ref/a.png"), a, false);
  image::Image cropped = image::Image::blank(180, 150);  // 10 % off the left edge
  for (int y = 0; y < 150; ++y) std::copy(a.at(20, y), a.at(200, y), cropped.at(0, y));
  image::write_image(dir.file("new/a_cropped.png"), cropped, false);
  image::write_image(dir.file("new/b.png"), test::blocks_image(200, 150, 9), false);
  image::write_image(dir.file("new/b_again.png"), test::blocks_image(200, 150, 9), false);
  SourceListing listing = list_sources({dir.file("new")});
  size_t refs = append_references(listing, {dir.file("ref")});
  REQUIRE(refs == 1);
  auto records = analyze_files(listing.files, AnalyzeOptions{});
  records.back().reference = true;
  Selection s = select_files(records, MatchSettings{}, KeepPolicy::largest);
  CHECK(s.references == std::vector<size_t>{records.size() - 1});
  std::vector<std::string> kept;
  for (size_t i : s.kept) kept.push_back(fs::path(records[i].file.path).filename().string());
  CHECK(kept == std::vector<std::string>{"b.png"});  // the reference is not listed as kept
  CHECK(reason_of(records, s, "a_cropped.png").find("near duplicate of reference") == 0);
  CHECK(reason_of(records, s, "b_again.png").find("exact duplicate of") == 0);
  REQUIRE(s.groups.size() == 2);
  nlohmann::json j = selection_json(records, s);
  CHECK(j["summary"]["duplicates"] == 2);
  CHECK(j["summary"]["references"] == 1);
  CHECK(j["references"].size() == 1);
  // The same file given as input and as reference is only a reference.
  SourceListing both = list_sources({dir.file("ref"), dir.file("new")});
  CHECK(append_references(both, {dir.file("ref")}) == 1);
  CHECK(both.files.size() == 4);
  // Without the reference the larger copy is kept and the crop removed.
  records.pop_back();
  Selection plain = select_files(records, MatchSettings{}, KeepPolicy::largest);
  CHECK(plain.kept.size() == 2);
  CHECK(plain.references.empty());
  write_report(dir.file("report"), records, plain, false);
  std::string html = read_text_file(dir.file("report/index.html"));
  CHECK(html.find("All removals") != std::string::npos);
  CHECK(html.find("<img src=\"distances.svg\"") != std::string::npos);
  CHECK(html.find("file://") != std::string::npos);
}

TEST_CASE("the report's index.html: every picture and link resolves, captions name files and distances") {
  test::TempDir dir;
  make_folder(dir);
  fs::copy_file(dir.file("b.png"), dir.file("sub/b copy #2.png"));  // a name that needs escaping in a URL
  auto records = analyze_files(list_sources({dir.path().string()}).files, AnalyzeOptions{});
  Selection s = select_files(records, {HashKind::phash, 8}, KeepPolicy::largest);
  REQUIRE(s.groups.size() == 2);
  write_report(dir.file("report"), records, s, false);
  const std::string html = read_text_file(dir.file("report/index.html"));

  // Pictures: the distance histogram, then one contact sheet per group, each a file in the report folder.
  std::vector<std::string> sheets = attribute_values(html, "src");
  REQUIRE(sheets.size() == s.groups.size() + 1);
  CHECK(sheets.front() == "distances.svg");
  CHECK(fs::file_size(dir.path() / "report/distances.svg") > 0);
  sheets.erase(sheets.begin());
  for (const std::string& sheet : sheets) {
    CAPTURE(sheet);
    REQUIRE(fs::exists(dir.path() / "report" / sheet));
    CHECK(image::read_image((dir.path() / "report" / sheet).string()).width > 0);
  }
  // Links: every one a file:// URL of an existing file; every group member and removal linked.
  std::vector<std::string> links = attribute_values(html, "href");
  size_t members = 0;
  for (const DuplicateGroup& g : s.groups) members += g.members.size();
  CHECK(links.size() == members + s.removed.size());
  for (const std::string& link : links) {
    CAPTURE(link);
    CHECK(fs::exists(file_url_path(link)));
  }
  CHECK(std::find(links.begin(), links.end(), "file://" + (fs::absolute(dir.path()) / "sub/b%20copy%20%232.png").lexically_normal().string()) !=
        links.end());

  // Group tables: the kept file marked, the near copy with its distance, the exact copy as a copy.
  const size_t removals = html.find("All removals");
  REQUIRE(removals != std::string::npos);
  std::string kept_row = row_with(html, "/a.png</a>");
  CHECK(kept_row.find("kept") != std::string::npos);
  std::string near_row = row_with(html, "a_q60.jpg</a>");
  CHECK(near_row.find("removed") != std::string::npos);
  const size_t near = size_t(std::find_if(records.begin(), records.end(), [](const FileRecord& r) {
                              return r.file.path.find("a_q60") != std::string::npos;
                            }) - records.begin());
  const DuplicateGroup& group = *std::find_if(s.groups.begin(), s.groups.end(), [&](const DuplicateGroup& g) {
    return std::find(g.members.begin(), g.members.end(), near) != g.members.end();
  });
  const int d = record_distance(records[near], records[group.keep], s.match);
  CHECK(near_row.find(fmt::format("distance {}", d)) != std::string::npos);
  CHECK(row_with(html, "b copy #2.png</a>").find("distance 0") != std::string::npos);

  // Every removal (duplicates, filtered, unreadable) listed after the groups with its reason.
  for (const RemovedFile& r : s.removed) {
    std::string row = row_with(html, records[r.index].file.path + "</a>", removals);
    CAPTURE(records[r.index].file.path);
    REQUIRE(!row.empty());
    CHECK(row.find(r.reason.substr(0, 12)) != std::string::npos);
  }
  CHECK(html.find("zero-byte", removals) != std::string::npos);
  CHECK(html.find("unreadable", removals) != std::string::npos);

  // The histogram: one bar per distance around the threshold, the threshold named.
  CHECK(image::read_image(dir.file("report/distances.png")).width > 0);
  const plot::LinePlot histogram = distance_histogram(s);
  REQUIRE(histogram.series.size() == 3);
  CHECK(histogram.series[0].x.size() == size_t(2 * histogram_margin(HashKind::phash) + 1));
  CHECK(histogram.series[2].name == "threshold 8");
}
