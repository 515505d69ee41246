#pragma once
// Tars written member by member with libarchive, hostile members included (links, devices, '..'
// and absolute paths), for the shard readers' tests and the CLI tests that read shards.
#include "core/file_io.hpp"

#include <sys/types.h>

#include <string>
#include <vector>

namespace tiny::test {

struct RawMember {
  RawMember(std::string p, mode_t t, std::string d, std::string l = "", bool h = false)
      : path(std::move(p)), type(t), data(std::move(d)), link(std::move(l)), hardlink(h) {}
  std::string path;
  mode_t type;  // AE_IFREG, AE_IFLNK, AE_IFCHR, ...
  std::string data, link;
  bool hardlink;
};

// The members as a tar (pax), gzip-compressed if asked.
Bytes raw_tar(const std::vector<RawMember>& members, bool gzip = false);

}  // namespace tiny::test
