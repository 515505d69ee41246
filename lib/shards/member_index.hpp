#pragma once
// Tar shards read in place: an index of where each member's bytes lie in an uncompressed shard,
// built from the headers alone (data is skipped), so that a member is later read with one pread and
// nothing is ever extracted. Hostile members are refused as the sample reader refuses them.
#include "core/file_io.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace tiny::shards {

// Where one member's bytes lie, and the shard's size and modification time when it was indexed.
struct MemberRef {
  std::string shard;              // the shard's path
  uint64_t shard_size = 0;
  int64_t shard_mtime_ns = 0;     // nanoseconds since the epoch
  std::string name;               // the member's path inside the tar
  uint64_t offset = 0, size = 0;  // its bytes: `size` bytes from `offset` of the shard file
  int64_t mtime = 0;              // its modification time from the tar header (seconds)
};

struct RefusedMember {
  std::string name, reason;
};

struct ShardIndex {
  std::vector<MemberRef> members;      // regular members with safe names, in tar order
  std::vector<RefusedMember> refused;  // links, devices, fifos, absolute or '..' paths, sparse members
  std::string error;  // non-empty: the shard is corrupt or truncated here (the members before it are listed)
};

// Indexes an uncompressed tar shard. Throws Error naming the file if it cannot be opened, is
// compressed (a compressed stream cannot be read in place) or does not start as a tar.
ShardIndex index_shard(const std::string& path);
// Reads a member's bytes in place; throws Error naming "<shard>/<member>" if the shard changed
// since it was indexed or ends before the member does.
Bytes read_member(const MemberRef& member);
// The name a member goes by in listings and errors: "<shard>/<member>".
std::string member_path(const MemberRef& member);

}  // namespace tiny::shards
