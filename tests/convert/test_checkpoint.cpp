#include "convert/checkpoint.hpp"
#include "convert/pickle.hpp"
#include "convert/safetensors.hpp"
#include "core/error.hpp"
#include "test_support.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <caffe2/serialize/inline_container.h>
#include <doctest/doctest.h>

#include <cstring>

using namespace tiny;
using namespace tiny::convert;
using codec::DType;
using codec::TensorRecord;

namespace {

// The bytes of a string literal, embedded zero bytes included.
template <size_t N>
std::string S(const char (&s)[N]) {
  return std::string(s, N - 1);
}

TensorRecord float_record(const std::string& name, std::vector<int64_t> shape, float start) {
  TensorRecord r{name, DType::f32, shape, {}};
  size_t n = 1;
  for (int64_t d : shape) n *= size_t(d);
  r.data.resize(n * 4);
  for (size_t i = 0; i < n; ++i) {
    float v = start + 0.25f * float(i);
    std::memcpy(r.data.data() + 4 * i, &v, 4);
  }
  return r;
}

TensorRecord int_record(const std::string& name, std::vector<int32_t> values) {
  TensorRecord r{name, DType::i32, {int64_t(values.size())}, {}};
  r.data.resize(values.size() * 4);
  std::memcpy(r.data.data(), values.data(), r.data.size());
  return r;
}

std::vector<TensorRecord> sample() {
  return {float_record("g_a.0.weight", {2, 3, 1, 1}, -1.0f), float_record("g_a.0.bias", {2}, 3.0f),
          int_record("entropy_bottleneck._offset", {-7, 0, 123456})};
}

void check_same(const std::vector<TensorRecord>& a, const std::vector<TensorRecord>& b) {
  REQUIRE(a.size() == b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].name == b[i].name);
    CHECK(a[i].dtype == b[i].dtype);
    CHECK(a[i].shape == b[i].shape);
    CHECK(a[i].data == b[i].data);
  }
}

// A zip checkpoint with a hand-written data.pkl and storage records.
Bytes zip_with(const std::string& pickle, const std::vector<std::pair<std::string, Bytes>>& records) {
  Bytes out;
  caffe2::serialize::PyTorchStreamWriter zip([&](const void* p, size_t n) {
    out.insert(out.end(), static_cast<const uint8_t*>(p), static_cast<const uint8_t*>(p) + n);
    return n;
  });
  zip.writeRecord("data.pkl", pickle.data(), pickle.size());
  for (const auto& [name, data] : records) zip.writeRecord(name, data.data(), data.size());
  zip.writeEndOfFile();
  return out;
}

// A zip of named records written by libarchive, deflated (as torch.save never writes them) or stored.
Bytes libarchive_zip(const std::vector<std::pair<std::string, Bytes>>& records, bool deflate) {
  Bytes buf(1 << 20);
  size_t used = 0;
  archive* a = archive_write_new();
  archive_write_set_format_zip(a);
  archive_write_set_options(a, deflate ? "zip:compression=deflate" : "zip:compression=store");
  archive_write_open_memory(a, buf.data(), buf.size(), &used);
  for (const auto& [name, data] : records) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, name.c_str());
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, la_int64_t(data.size()));
    archive_write_header(a, e);
    archive_write_data(a, data.data(), data.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
  buf.resize(used);
  return buf;
}

std::string error_of(const Bytes& data) {
  try {
    parse_torch_checkpoint(data, "c.pth");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

// A pickle of one float tensor {"w": (storage "0" of `numel` floats viewed with shape/stride/offset)}.
std::string tensor_pickle(int numel, const std::string& size_stride_offset) {
  return S("\x80\x02}X\x01\x00\x00\x00wctorch._utils\n_rebuild_tensor_v2\n((X\x07\x00\x00\x00storage") +
         S("ctorch\nFloatStorage\nX\x01\x00\x00\x00" "0X\x03\x00\x00\x00" "cpuK") + char(numel) + "tQ" +
         size_stride_offset + "\x89" "ccollections\nOrderedDict\n)RtRs.";
}

}  // namespace

TEST_CASE("checkpoint: records survive a torch zip round trip") {
  std::vector<TensorRecord> in = sample();
  check_same(parse_torch_checkpoint(torch_checkpoint_bytes(in), "x.pth"), in);
}

TEST_CASE("checkpoint: files are written atomically and detected as zip") {
  test::TempDir dir;
  std::string path = dir.file("m.pth");
  write_torch_checkpoint(path, sample(), false);
  CHECK(is_zip_file(path));
  check_same(read_torch_checkpoint(path), sample());
  CHECK_THROWS_AS(write_torch_checkpoint(path, sample(), false), Error);
}

TEST_CASE("checkpoint: a strided view with an offset is gathered into a contiguous tensor") {
  Bytes storage(8 * 4);
  for (int i = 0; i < 8; ++i) {
    float v = float(i);
    std::memcpy(storage.data() + 4 * i, &v, 4);
  }
  // w = storage[1:].view(...) transposed: shape (2, 3), stride (1, 2), offset 1 -> [[1,3,5],[2,4,6]].
  auto out = parse_torch_checkpoint(zip_with(tensor_pickle(8, "K\x01K\x02K\x03\x86K\x01K\x02\x86"), {{"data/0", storage}}), "s.pth");
  REQUIRE(out.size() == 1);
  std::vector<float> v(6);
  std::memcpy(v.data(), out[0].data.data(), 24);
  CHECK(v == std::vector<float>{1, 3, 5, 2, 4, 6});
}

TEST_CASE("checkpoint: bad checkpoints fail with the file and problem named") {
  Bytes good = torch_checkpoint_bytes(sample());
  for (size_t cut : {size_t(10), good.size() / 2, good.size() - 30}) {
    Bytes truncated(good.begin(), good.begin() + std::ptrdiff_t(cut));
    std::string e = error_of(truncated);
    CAPTURE(cut);
    CHECK(e.rfind("c.pth: ", 0) == 0);
  }
  CHECK(error_of(Bytes{0x80, 0x02, '}', '.'}).find("legacy") != std::string::npos);
  Bytes storage(8 * 4);
  CHECK(error_of(zip_with(tensor_pickle(8, "K\x03K\x02K\x03\x86K\x03K\x01\x86"), {{"data/0", storage}})) ==
        "c.pth: tensor 'w': tensor reaches past the end of its storage");
  // A stride-0 view far larger than its storage would expand to terabytes.
  CHECK(error_of(zip_with(tensor_pickle(8, S("K\x00J\x00\x00\x10\x00J\x00\x00\x10\x00\x86K\x00K\x00\x86")),
                          {{"data/0", storage}})) == "c.pth: tensor 'w': tensor has more elements than its storage");
  CHECK(error_of(zip_with(tensor_pickle(8, S("K\x00K\x02\x85K\x01\x85")), {})) ==
        "c.pth: tensor 'w': storage record 'data/0' is missing");
  CHECK(error_of(zip_with(tensor_pickle(9, S("K\x00K\x02\x85K\x01\x85")), {{"data/0", storage}})).find("shorter") !=
        std::string::npos);
  CHECK(error_of(zip_with(S("\x80\x02}X\x01\x00\x00\x00wK\x05s."), {})) == "c.pth: state_dict entry 'w' is not a tensor");
  CHECK(error_of(zip_with("\x80\x02" "cposix\nsystem\n.", {})).find("'posix.system'") != std::string::npos);
}

TEST_CASE("checkpoint: a nested state_dict with DDP prefixes is unwrapped") {
  Bytes storage(2 * 4);
  std::string inner = tensor_pickle(2, S("K\x00K\x02\x85K\x01\x85"));
  inner = inner.substr(2, inner.size() - 3);  // the dict expression without PROTO and STOP
  size_t key = inner.find("wctorch");
  inner.replace(key, 1, "module.w");
  inner[key - 4] = char(8);  // length of "module.w"
  std::string nested = S("\x80\x02}(X\x05\x00\x00\x00" "epochK\x07X\x0a\x00\x00\x00state_dict") + inner + "u.";
  auto out = parse_torch_checkpoint(zip_with(nested, {{"data/0", storage}}), "n.pth");
  REQUIRE(out.size() == 1);
  CHECK(out[0].name == "w");
}

TEST_CASE("safetensors: round trip with metadata, padding to 8 bytes") {
  SafeTensors st{sample(), {{"tiny.arch", "mbt2018"}}};
  Bytes data = safetensors_bytes(st);
  uint64_t header;
  std::memcpy(&header, data.data(), 8);
  CHECK(header % 8 == 0);
  SafeTensors back = parse_safetensors(data, "s.safetensors");
  CHECK(back.metadata == st.metadata);
  std::vector<TensorRecord> sorted = back.tensors;  // the JSON object is read in key order
  std::vector<TensorRecord> expected = {sample()[2], sample()[1], sample()[0]};
  check_same(sorted, expected);
}

TEST_CASE("safetensors: other dtypes convert; bad files are refused") {
  auto file = [](const std::string& header, const Bytes& body) {
    const uint64_t n = header.size();
    Bytes b(8 + n + body.size());
    std::memcpy(b.data(), &n, 8);
    std::memcpy(b.data() + 8, header.data(), n);
    if (!body.empty()) std::memcpy(b.data() + 8 + n, body.data(), body.size());
    return b;
  };
  int64_t longs[2] = {5, -2};
  Bytes i64(16);
  std::memcpy(i64.data(), longs, 16);
  const std::string header = R"({"x":{"dtype":"I64","shape":[2],"data_offsets":[0,16]}})";
  auto st = parse_safetensors(file(header, i64), "a");
  int32_t v[2];
  std::memcpy(v, st.tensors[0].data.data(), 8);
  CHECK(v[0] == 5);
  CHECK(v[1] == -2);
  longs[1] = int64_t(1) << 40;
  std::memcpy(i64.data(), longs, 16);
  CHECK_THROWS_WITH_AS(parse_safetensors(file(header, i64), "a"), "a: tensor 'x' holds 1099511627776, which does not fit int32",
                       Error);
  auto err = [&](const std::string& header, const Bytes& body) -> std::string {
    try {
      parse_safetensors(file(header, body), "b.safetensors");
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  };
  CHECK(err(R"({"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})", Bytes(4)) ==
        "b.safetensors: tensor 'x': data_offsets lie outside the file");
  CHECK(err(R"({"x":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", Bytes(8)) ==
        "b.safetensors: tensor 'x': data size does not match its dtype and shape");
  // Two tensors sharing bytes would each be copied out: a small file could claim its size many times.
  CHECK(err(R"({"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"y":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})",
            Bytes(12)) == "b.safetensors: tensor 'y': data_offsets overlap tensor 'x'");
  CHECK(err(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})",
            Bytes(8)) == "b.safetensors: tensor 'b': data_offsets overlap tensor 'a'");
  CHECK(err(R"({"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"y":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})",
            Bytes(8)) == "");
  CHECK(err(R"({"x":{"dtype":"C64","shape":[1],"data_offsets":[0,8]}})", Bytes(8)) ==
        "b.safetensors: tensor 'x': dtype 'C64' is not supported");
  CHECK(err(R"({"x":{"shape":[1]}})", Bytes(8)).find("tensor 'x': bad header entry") != std::string::npos);
  CHECK(err("{not json", {}).find("not JSON") != std::string::npos);
  CHECK_THROWS_WITH_AS(parse_safetensors(Bytes{1, 0, 0, 0, 0, 0, 0, 0}, "c"),
                       "c: safetensors header length is larger than the file", Error);
}

TEST_CASE("checkpoint: a deflated record is refused before anything is inflated") {
  std::string pickle = tensor_pickle(8, S("K\x00K\x08\x85K\x01\x85"));
  Bytes zeros(8 << 20, 0);  // 8 MB of zeros deflate to a few kilobytes
  std::vector<std::pair<std::string, Bytes>> records = {
      {"archive/data.pkl", Bytes(pickle.begin(), pickle.end())}, {"archive/data/0", zeros}, {"archive/version", {'3', '\n'}}};
  Bytes deflated = libarchive_zip(records, true);
  CHECK(deflated.size() < zeros.size() / 50);
  std::string e = error_of(deflated);
  CHECK(e.rfind("c.pth: ", 0) == 0);
  CHECK(e.find("'archive/data.pkl' is compressed") != std::string::npos);
}

TEST_CASE("checkpoint: a zip without its records in a folder, a version record or a version libtorch reads is refused") {
  std::string pickle = tensor_pickle(2, S("K\x00K\x02\x85K\x01\x85"));
  const Bytes pkl(pickle.begin(), pickle.end()), storage(8, 0);
  const auto zip = [&](const std::string& folder, const std::string& version_name, const std::string& version) {
    return libarchive_zip({{folder + "data.pkl", pkl}, {folder + "data/0", storage},
                           {folder + version_name, Bytes(version.begin(), version.end())}}, false);
  };
  CHECK(error_of(zip("archive/", "version", "3\n")) == "");
  CHECK(error_of(zip("archive/", ".data/version", "3\n")) == "");
  CHECK(error_of(zip("", "version", "3\n")) == "c.pth: zip checkpoint records are not in a folder");
  CHECK(error_of(zip("archive/", "versio", "3\n")) == "c.pth: zip checkpoint has no version record");
  CHECK(error_of(zip("archive/", "version", "12345678901")) ==
        "c.pth: zip checkpoint format version '12345678901' is not one libtorch reads (1 to 10)");
  CHECK(error_of(zip("archive/", "version", "x")) ==
        "c.pth: zip checkpoint format version 'x' is not one libtorch reads (1 to 10)");
  CHECK(error_of(libarchive_zip({}, false)) == "c.pth: zip checkpoint holds no records");
}

TEST_CASE("checkpoint: a zip directory claiming more bytes than the file holds is refused") {
  Bytes good = torch_checkpoint_bytes(sample());
  // The central directory entry of the last record: raise its sizes (stored: both equal) to 2 GB.
  size_t at = good.size();
  for (size_t i = 0; i + 4 <= good.size(); ++i)
    if (good[i] == 'P' && good[i + 1] == 'K' && good[i + 2] == 1 && good[i + 3] == 2) at = i;
  REQUIRE(at < good.size());
  for (size_t field : {size_t(20), size_t(24)}) {
    good[at + field] = 0;
    good[at + field + 1] = 0;
    good[at + field + 2] = 0;
    good[at + field + 3] = 0x7f;
  }
  CHECK(error_of(good).find("reaches past the end of the file") != std::string::npos);
}
