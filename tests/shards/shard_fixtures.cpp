#include "shard_fixtures.hpp"

#include <archive.h>
#include <archive_entry.h>

namespace tiny::test {

Bytes raw_tar(const std::vector<RawMember>& members, bool gzip) {
  size_t capacity = 1 << 20;
  for (const auto& m : members) capacity += 2 * m.data.size();
  Bytes buf(capacity);
  size_t used = 0;
  archive* a = archive_write_new();
  archive_write_set_format_pax_restricted(a);
  if (gzip) archive_write_add_filter_gzip(a);
  archive_write_open_memory(a, buf.data(), buf.size(), &used);
  for (const auto& m : members) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, m.path.c_str());
    archive_entry_set_filetype(e, m.type);
    archive_entry_set_perm(e, 0644);
    if (m.type == AE_IFLNK) archive_entry_set_symlink(e, m.link.c_str());
    if (m.hardlink) archive_entry_set_hardlink(e, m.link.c_str());
    archive_entry_set_size(e, m.type == AE_IFREG && !m.hardlink ? la_int64_t(m.data.size()) : 0);
    archive_write_header(a, e);
    if (m.type == AE_IFREG && !m.hardlink) archive_write_data(a, m.data.data(), m.data.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
  buf.resize(used);
  return buf;
}

}  // namespace tiny::test
