// tiny bench --report: the self-contained HTML page, opened in headless Chromium.
#include "core/file_io.hpp"
#include "core/json_file.hpp"
#include "core/process.hpp"
#include "image/encode.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <iterator>
#include <regex>

using namespace tiny;
using test::run_tiny;

namespace {

const char* const kChromium = "/usr/bin/chromium";

// A page that opens the report in a frame and, once it has loaded, writes what the browser made of it
// into its own DOM as JSON: every image's natural size, every table's rendered rows and cells.
const char* const kProbe = R"(<!DOCTYPE html>
<html><body>
<iframe id="report" src="report/index.html" width="1400" height="900"></iframe>
<script>
document.getElementById('report').addEventListener('load', () => {
  const d = document.getElementById('report').contentDocument;
  const images = [...d.images].map(i => ({complete: i.complete, w: i.naturalWidth, h: i.naturalHeight, shown: i.width}));
  const tables = [...d.querySelectorAll('table')].map(t => ({rows: t.rows.length, cells: t.rows.length ? t.rows[t.rows.length - 1].cells.length : 0,
                                                           height: t.offsetHeight,
                                                           right: [...t.querySelectorAll('td.num')].every(c => getComputedStyle(c).textAlign == 'right')}));
  const out = document.createElement('pre');
  out.id = 'probe';
  out.textContent = JSON.stringify({title: d.title, images, tables, captions: [...d.querySelectorAll('figcaption')].map(f => f.textContent)});
  document.body.appendChild(out);
});
</script>
</body></html>
)";

// What the probe page wrote, from Chromium's dump of its DOM.
Json probe_report(const test::TempDir& out) {
  write_file_atomic(out.file("probe.html"), std::string(kProbe), false);
  const CommandResult r = run_command(std::string(kChromium) +
                                      " --headless --no-sandbox --disable-gpu --allow-file-access-from-files "
                                      "--virtual-time-budget=20000 --dump-dom " +
                                      shell_quote("file://" + out.file("probe.html")) + " 2>/dev/null");
  REQUIRE(r.exit_code == 0);
  std::smatch m;
  REQUIRE(std::regex_search(r.out, m, std::regex("<pre id=\"probe\">([^<]*)</pre>")));
  std::string text = m[1];
  for (const auto& [entity, ch] : {std::pair<std::string, std::string>{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}})
    text = std::regex_replace(text, std::regex(entity), ch);
  return parse_json(text, "the probe page");
}

}  // namespace

TEST_CASE("tiny bench images --report writes one self-contained page that Chromium renders whole") {
  test::TempDir dir, out;
  image::write_image(dir.file("a.png"), test::make_test_image(176, 168, 1), false);
  image::write_image(dir.file("b.png"), test::make_test_image(192, 176, 2), false);
  const std::string args = "bench images " + dir.path().string() + " --quick --learned none --codecs jpeg420,webp,jxl --report " +
                           out.file("report");
  auto r = run_tiny(args);
  REQUIRE(r.exit_code == 0);
  const std::string html = read_text_file(out.file("report/index.html"));
  CHECK(std::filesystem::directory_iterator(out.file("report"))->path().filename() == "index.html");
  // Self-contained: every picture inline, nothing fetched.
  CHECK(html.find("src=\"http") == std::string::npos);
  CHECK(html.find("<script") == std::string::npos);
  const std::regex inline_image("<img src=\"data:image/(png|svg\\+xml);base64,");
  const auto images = std::distance(std::sregex_iterator(html.begin(), html.end(), inline_image), std::sregex_iterator());
  // 2 RD plots, then 2 images × 2 target bpps × (original + 3 codecs).
  CHECK(images == 2 + 2 * 2 * 4);
  CHECK(html.find("<th>setting</th><th>unit</th>") != std::string::npos);
  CHECK(html.find("<td>distance</td>") != std::string::npos);

  // An existing report is kept unless --force.
  auto again = run_tiny(args);
  CHECK(again.exit_code == 1);
  CHECK(again.err.find(out.file("report")) != std::string::npos);

  if (!std::filesystem::exists(kChromium)) {
    MESSAGE("skipping the browser checks: " << kChromium << " is absent (Debian package chromium)");
    return;
  }
  const Json page = probe_report(out);
  CHECK(page["title"].get<std::string>().find("tiny bench: ") == 0);
  REQUIRE(page["images"].size() == size_t(images));
  for (size_t i = 0; i < page["images"].size(); ++i) {
    const Json& img = page["images"][i];
    CAPTURE(i);
    CHECK(img["complete"] == true);
    CHECK(img["w"].get<int>() > 0);  // decoded: a broken data URI has no natural size
    if (i < 2) CHECK(img["w"].get<int>() > 700);  // the RD plots
    else CHECK(img["shown"].get<int>() == 256);    // crops at 2×
  }
  // The BD table (jpeg420 against itself is left out), the means (3 codecs × 4 points) and the speed table.
  REQUIRE(page["tables"].size() == 3);
  CHECK(page["tables"][0]["rows"] == 1 + 2);
  CHECK(page["tables"][1]["rows"] == 1 + 3 * 4);
  CHECK(page["tables"][1]["cells"] == 11);
  CHECK(page["tables"][2]["rows"] == 1 + 3);
  for (const Json& t : page["tables"]) {
    CHECK(t["height"].get<int>() > 20);
    CHECK(t["right"] == true);
  }
  const std::string caption = page["captions"][1];
  CHECK(std::regex_search(caption, std::regex(R"(jpeg420 \(q \d+\)[0-9.]+ bpp · [0-9.]+ dB)")));
}
