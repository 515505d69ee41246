#include "core/error.hpp"
#include "ingest/url_list.hpp"

#include <doctest/doctest.h>

#include <sstream>

using namespace tiny;
using namespace tiny::ingest;

namespace {

std::vector<UrlRecord> read_all(const std::string& text, ListFormat f, ListColumns c = {}, size_t max_line = 1 << 20) {
  std::istringstream in(text);
  UrlListReader reader(in, "list", f, c, max_line);
  std::vector<UrlRecord> out;
  UrlRecord r;
  while (reader.next(r)) out.push_back(r);
  return out;
}

}  // namespace

TEST_CASE("url lists: plain text skips blank lines and trims") {
  auto r = read_all("http://a/1.jpg\n\n  https://b/2.png \r\nfile:///x.jpg", ListFormat::text);
  REQUIRE(r.size() == 3);
  CHECK(r[1].url == "https://b/2.png");
  CHECK(r[2].url == "file:///x.jpg");
}

TEST_CASE("url lists: CSV with named columns, quoting, extra columns and bad rows") {
  auto r = read_all("id,caption,link\n1,\"a, \"\"quoted\"\"\nline\",http://h/1.jpg\n2\n3,plain,http://h/3.jpg\n",
                    ListFormat::csv, {"link", "caption"});
  REQUIRE(r.size() == 3);
  CHECK(r[0].url == "http://h/1.jpg");
  CHECK(r[0].caption == "a, \"quoted\"\nline");
  CHECK(r[0].extra["id"] == "1");
  CHECK(!r[1].error.empty());
  CHECK(r[1].error.find("line 4") != std::string::npos);
  CHECK(r[2].caption == "plain");
  CHECK_THROWS_AS(read_all("a,b\n1,2\n", ListFormat::csv), UsageError);
  auto tsv = read_all("url\tcaption\tw\nhttp://x/y.jpg\tcat\t640\n", ListFormat::tsv);
  REQUIRE(tsv.size() == 1);
  CHECK(tsv[0].caption == "cat");
  CHECK(tsv[0].extra["w"] == "640");
}

TEST_CASE("url lists: JSONL keeps typed extras and flags bad lines") {
  auto r = read_all("{\"url\":\"http://h/a.jpg\",\"caption\":\"c\",\"w\":3,\"tags\":[1]}\nnot json\n{\"caption\":\"x\"}\n",
                    ListFormat::jsonl);
  REQUIRE(r.size() == 3);
  CHECK(r[0].extra["w"] == 3);
  CHECK(r[0].extra["tags"].is_array());
  CHECK(r[0].caption == "c");
  CHECK(!r[1].error.empty());
  CHECK(!r[2].error.empty());
}

TEST_CASE("url lists: overlong lines become per-record errors, memory stays bounded") {
  std::string longline(5000, 'x');
  auto r = read_all("http://a/1.jpg\n" + longline + "\nhttp://a/2.jpg\n", ListFormat::text, {}, 100);
  REQUIRE(r.size() == 3);
  CHECK(!r[1].error.empty());
  CHECK(r[2].url == "http://a/2.jpg");
}

TEST_CASE("url schemes: only http, https, s3 and file") {
  CHECK(url_scheme_error("http://x/a.jpg").empty());
  CHECK(url_scheme_error("HTTPS://x/a.jpg").empty());
  CHECK(url_scheme_error("s3://bucket/key.jpg").empty());
  CHECK(url_scheme_error("file:///tmp/a.jpg").empty());
  CHECK(url_scheme_error("ftp://x/a.jpg").find("ftp") != std::string::npos);
  CHECK(!url_scheme_error("gopher://x").empty());
  CHECK(!url_scheme_error("/tmp/a.jpg").empty());
  CHECK(list_format_from_path("a/b.csv") == ListFormat::csv);
  CHECK(list_format_from_path("a.b/urls") == ListFormat::text);
  CHECK_THROWS_AS(list_format_from_name("xml"), UsageError);
}
