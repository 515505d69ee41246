#include "convert/zip_check.hpp"

#include "core/error.hpp"
#include "core/text.hpp"
#include "image/byte_reader.hpp"

#include <fmt/format.h>

namespace tiny::convert {
namespace {

using image::detail::ByteReader;
using image::detail::OutOfData;

constexpr uint32_t kEnd = 0x06054b50, kEnd64 = 0x06064b50, kLocator64 = 0x07064b50, kCentral = 0x02014b50;
constexpr uint32_t kLocal = 0x04034b50;
constexpr uint32_t kEscape32 = 0xffffffff;

uint64_t u64(const ByteReader& r, size_t offset) { return uint64_t(r.u32(offset)) | uint64_t(r.u32(offset + 4)) << 32; }

// Where the central directory lies and how many records it holds.
struct Directory {
  uint64_t offset = 0, size = 0, records = 0;
};

// The end-of-central-directory record, searched backwards over the longest possible comment.
size_t find_end(const ByteReader& r) {
  if (r.size() < 22) throw OutOfData();
  size_t lowest = r.size() - 22 > 0xffff ? r.size() - 22 - 0xffff : 0;
  for (size_t at = r.size() - 22 + 1; at-- > lowest;)
    if (r.u32(at) == kEnd && at + 22 + r.u16(at + 20) == r.size()) return at;
  throw Error("no zip end record");
}

Directory read_directory(const ByteReader& r) {
  size_t end = find_end(r);
  Directory d{r.u32(end + 16), r.u32(end + 12), r.u16(end + 10)};
  if (end >= 20 && r.u32(end - 20) == kLocator64) {
    uint64_t at = u64(r, end - 20 + 8);
    if (at > r.size() || r.u32(size_t(at)) != kEnd64) throw Error("zip64 end record outside the file");
    d.records = u64(r, size_t(at) + 32);
    d.size = u64(r, size_t(at) + 40);
    d.offset = u64(r, size_t(at) + 48);
  }
  if (d.offset > r.size() || d.size > r.size() - d.offset) throw Error("central directory outside the file");
  return d;
}

// The sizes and local header offset of one record, with zip64 extra fields applied.
struct Record {
  std::string name;
  uint16_t flags = 0, method = 0;
  uint64_t compressed = 0, uncompressed = 0, local = 0;
};

void apply_zip64(const ByteReader& r, size_t extra, size_t extra_len, Record& rec) {
  for (size_t at = extra; at + 4 <= extra + extra_len;) {
    uint16_t id = r.u16(at), len = r.u16(at + 2);
    size_t field = at + 4;
    if (id == 0x0001) {
      uint64_t* slots[] = {&rec.uncompressed, &rec.compressed, &rec.local};
      for (uint64_t* slot : slots) {
        if (*slot != kEscape32) continue;
        if (field + 8 > at + 4 + len) throw Error(fmt::format("record '{}': short zip64 field", rec.name));
        *slot = u64(r, field);
        field += 8;
      }
    }
    at += 4 + size_t(len);
  }
}

// Deflate's largest ratio of inflated to deflated bytes (a little above 1032:1).
constexpr uint64_t kDeflateRatio = 1033;

// Checks the record and returns where its bytes start; `deflated_code` admits a deflated `.py` record
// whose size is within deflate's reach of its stored bytes.
size_t check_record(const ByteReader& r, const Record& rec, bool deflated_code) {
  if (rec.flags & 1) throw Error(fmt::format("record '{}' is encrypted", rec.name));
  const bool code = deflated_code && rec.method == 8 && ends_with(rec.name, ".py");
  if (code && rec.uncompressed / kDeflateRatio > rec.compressed)
    throw Error(fmt::format("record '{}' claims {} bytes, more than its {} deflated bytes can hold", rec.name,
                            rec.uncompressed, rec.compressed));
  if (rec.method != 0 && !code)
    throw Error(fmt::format("record '{}' is compressed (zip method {}); torch.save stores records uncompressed",
                            rec.name, rec.method));
  if (!code && rec.compressed != rec.uncompressed)
    throw Error(fmt::format("record '{}' has a stored size {} unlike its size {}", rec.name, rec.compressed,
                            rec.uncompressed));
  if (rec.local > r.size() || r.u32(size_t(rec.local)) != kLocal)
    throw Error(fmt::format("record '{}' has no local header where the directory says", rec.name));
  size_t data = size_t(rec.local) + 30 + r.u16(size_t(rec.local) + 26) + r.u16(size_t(rec.local) + 28);
  if (data > r.size() || rec.compressed > r.size() - data)
    throw Error(fmt::format("record '{}' of {} bytes reaches past the end of the file", rec.name, rec.compressed));
  return data;
}

}  // namespace

std::vector<StoredRecord> check_stored_zip(const uint8_t* data, size_t size, const std::string& name,
                                           bool deflated_code) {
  ByteReader r(data, size, true);
  std::vector<StoredRecord> records;
  try {
    Directory d = read_directory(r);
    size_t at = size_t(d.offset);
    for (uint64_t i = 0; i < d.records; ++i) {
      if (r.u32(at) != kCentral) throw Error(fmt::format("central directory entry {} is damaged", i));
      Record rec;
      rec.flags = r.u16(at + 8);
      rec.method = r.u16(at + 10);
      rec.compressed = r.u32(at + 20);
      rec.uncompressed = r.u32(at + 24);
      size_t name_len = r.u16(at + 28), extra_len = r.u16(at + 30), comment_len = r.u16(at + 32);
      rec.local = r.u32(at + 42);
      r.need(at + 46, name_len + extra_len + comment_len);
      const std::string raw(reinterpret_cast<const char*>(data) + at + 46, name_len);
      rec.name = escape_control(raw.substr(0, 200));
      apply_zip64(r, at + 46 + name_len, extra_len, rec);
      records.push_back({raw, check_record(r, rec, deflated_code), size_t(rec.compressed)});
      at += 46 + name_len + extra_len + comment_len;
    }
  } catch (const OutOfData&) {
    throw Error(file_error(name, "corrupt or truncated zip checkpoint: a zip header is cut short"));
  } catch (const Error& e) {
    throw Error(file_error(name, std::string("corrupt or refused zip checkpoint: ") + e.what()));
  }
  return records;
}

}  // namespace tiny::convert
