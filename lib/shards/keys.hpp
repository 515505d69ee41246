#pragma once
// The one place sample keys of WebDataset shards, and the shard files themselves, are named. WebDataset splits a member name into key
// and extension at the first '.' of its last path component, so a key must never hold a dot: every
// command that writes shards (ingest, filter-dataset, frames) names its keys here.
#include <cstddef>
#include <string>
#include <string_view>

namespace tiny::shards {

// The key of the sample numbered `index` in a run: nine digits, zero-padded ("000000042").
std::string numbered_key(size_t index);
// The key of item `index` of something named `name` (a video's file stem): the name with every '.', '/'
// and '\' made '_', then '_' and the index in six digits ("my.clip.v2", 6 -> "my_clip_v2_000006").
std::string named_key(std::string_view name, size_t index);
// The file name stem of shard number `index` of a series: five digits, zero-padded ("00042"), after
// `prefix` and a '-' when one is given ("clip-00042": frames names each video's shards after it).
std::string shard_stem(size_t index, std::string_view prefix = "");
// Why `key` cannot name a sample (empty, or a '.' in its last path component), or "" if it can.
std::string key_error(std::string_view key);

}  // namespace tiny::shards
