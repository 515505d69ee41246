// URL lists as users have them: compressed, on stdin, with captions that are not UTF-8, or in formats
// tiny does not read.
#include "core/error.hpp"
#include "ingest/inputs.hpp"
#include "ingest/url_list.hpp"
#include "ingest_fixtures.hpp"
#include "shards/text_stream.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

using namespace tiny;
using namespace tiny::ingest;

namespace {

std::vector<InputRecord> read_inputs(const std::vector<std::string>& inputs) {
  InputStream in(inputs, "", {});
  std::vector<InputRecord> out;
  InputRecord r;
  while (in.next(r)) out.push_back(r);
  return out;
}

}  // namespace

TEST_CASE("list inputs: gzip, zstd, xz and bzip2 lists are read by content, whatever their names") {
  test::TempDir dir;
  const std::string list = "url,caption\nhttp://h/1.jpg,one\nhttp://h/2.jpg,two\n";
  for (const std::string filter : {"gzip", "zstd", "xz", "bzip2"}) {
    CAPTURE(filter);
    const std::string path = dir.file("urls-" + filter + ".csv.z");
    write_file_atomic(path, test::compressed(list, filter), false);
    shards::TextStream text(path);
    CHECK(text.compression() == filter);
    std::string all(std::istreambuf_iterator<char>(text.stream()), {});
    CHECK(all == list);
  }
  write_file_atomic(dir.file("urls.csv.gz"), test::compressed(list, "gzip"), false);
  auto records = read_inputs({dir.file("urls.csv.gz")});  // the format is that of the name without .gz
  REQUIRE(records.size() == 2);
  CHECK(records[1].url == "http://h/2.jpg");
  CHECK(records[1].caption == "two");
  CHECK(without_compression_suffix("a/urls.tsv.zst") == "a/urls.tsv");
  CHECK(list_format_from_path("urls.jsonl.xz") == ListFormat::jsonl);
}

TEST_CASE("list inputs: corrupt compressed data is an error naming the list, never URLs of garbage") {
  test::TempDir dir;
  Bytes gz = test::compressed(std::string(100000, 'u'), "gzip");
  gz.resize(gz.size() / 2);
  write_file_atomic(dir.file("cut.txt.gz"), gz, false);
  try {
    read_inputs({dir.file("cut.txt.gz")});
    FAIL("a truncated gzip list was read");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("cut.txt.gz") != std::string::npos);
  }
}

TEST_CASE("list inputs: Parquet, ZIP and binary files are refused with the format's name") {
  test::TempDir dir;
  write_file_atomic(dir.file("urls.parquet"), std::string_view("PAR1 whatever"), false);
  write_file_atomic(dir.file("renamed.txt"), std::string_view("PAR1\x15\x04 columns"), false);
  write_file_atomic(dir.file("urls.txt"), std::string_view("PK\x03\x04zipped"), false);
  write_file_atomic(dir.file("bin.txt"), std::string("http\0\x01", 6), false);
  write_file_atomic(dir.file("urls.parquet.gz"), test::compressed("anything", "gzip"), false);
  const std::pair<const char*, const char*> cases[] = {{"urls.parquet", "Parquet"}, {"renamed.txt", "Parquet"},
                                                       {"urls.txt", "ZIP"},         {"bin.txt", "binary data"},
                                                       {"urls.parquet.gz", "Parquet"}};
  for (const auto& [name, format] : cases) {
    CAPTURE(name);
    try {
      InputStream in({dir.file(name)}, "", {});
      FAIL("accepted");
    } catch (const UsageError& e) {
      CHECK(std::string(e.what()).find(name) != std::string::npos);
      CHECK(std::string(e.what()).find(std::string(format) + " is not a URL list format") != std::string::npos);
    }
  }
  CHECK(refused_list_format("urls.csv", "url,caption\n").empty());
  CHECK(refused_list_format("x.feather", "").find("Arrow") == 0);
}

TEST_CASE("list inputs: a caption that is not UTF-8 is repaired and counted, the sample kept") {
  test::TempDir dir;
  write_file_atomic(dir.file("latin.csv"),
                    std::string_view("url,caption\nhttp://h/1.jpg,caf\xE9\nhttp://h/2.jpg,fine\n"), false);
  InputStream in({dir.file("latin.csv")}, "", {});
  InputRecord r;
  REQUIRE(in.next(r));
  CHECK(r.caption == "caf\xEF\xBF\xBD");
  REQUIRE(in.next(r));
  CHECK(r.caption == "fine");
  CHECK(!in.next(r));
  CHECK(in.repaired_captions() == 1);

  write_file_atomic(dir.file("latin.jsonl"), std::string_view("{\"url\": \"http://h/1.jpg\", \"caption\": \"caf\xE9\"}\n"),
                    false);
  InputStream jsonl({dir.file("latin.jsonl")}, "", {});
  REQUIRE(jsonl.next(r));
  CHECK(r.error.empty());  // a JSONL line is repaired before parsing, not refused as bad JSON
  CHECK(r.url == "http://h/1.jpg");
  CHECK(r.caption == "caf\xEF\xBF\xBD");
  CHECK(jsonl.repaired_captions() == 1);
}
