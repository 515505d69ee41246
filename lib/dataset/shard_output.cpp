#include "dataset/shard_output.hpp"

#include "core/error.hpp"
#include "core/json_file.hpp"
#include "core/json_output.hpp"
#include "shards/keys.hpp"
#include "shards/webdataset.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>

namespace fs = std::filesystem;

namespace tiny::dataset {
namespace {

// The sample key and extension of a member name ("dir/0001.seg.png": "dir/0001", "seg.png").
std::pair<std::string, std::string> split_name(const std::string& name) {
  std::string key, ext;
  shards::split_key(name, key, ext);
  return {key, ext};
}

// The non-image members of a tar member's sample, found by indexing its shard again (headers only,
// once for each run of members from one shard).
class SampleMembers {
public:
  const std::vector<shards::MemberRef>& of(const shards::MemberRef& member) {
    if (member.shard != shard_) {
      shard_ = member.shard;
      by_key_.clear();
      for (auto& m : shards::index_shard(shard_).members)
        if (!is_image_name(m.name)) by_key_[split_name(m.name).first].push_back(std::move(m));
    }
    return by_key_[split_name(member.name).first];
  }

private:
  std::string shard_;
  std::map<std::string, std::vector<shards::MemberRef>> by_key_;
};

Bytes to_bytes(const std::string& s) { return Bytes(s.begin(), s.end()); }

std::string image_extension(const std::string& path) {
  std::string ext = fs::path(path).extension().string().substr(1);
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return ext;
}

shards::Sample make_sample(const SourceFile& file, size_t index, SampleMembers& members) {
  shards::Sample sample;
  sample.key = shards::numbered_key(index);
  sample.files[image_extension(file.path)] = read_source(file);
  Json meta = Json::object();
  if (file.member) {
    for (const auto& m : members.of(*file.member)) {
      std::string ext = split_name(m.name).second;
      Bytes bytes = shards::read_member(m);
      if (ext == "json") {
        meta = parse_json_or_discard(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()), m.name);
        if (meta.is_object()) continue;  // written below with "source" added; anything else as it is
      }
      sample.files[ext] = std::move(bytes);
    }
  }
  if (meta.is_object()) {
    meta["source"] = file.path;
    sample.files["json"] = to_bytes(dump_json(meta));
  }
  return sample;
}

}  // namespace

void write_shards(const std::vector<SourceFile>& files, const std::string& out_dir, size_t shard_size) {
  if (shard_size == 0) throw UsageError("the shard size must be at least 1");
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec) throw Error(file_error(out_dir, "cannot create folder: " + ec.message()));
  auto shard_path = [&](size_t shard) { return (fs::path(out_dir) / (shards::shard_stem(shard) + ".tar")).string(); };
  for (size_t s = 0; s * shard_size < files.size(); ++s)
    if (fs::exists(shard_path(s), ec))
      throw Error(file_error(shard_path(s), "already exists: write the shards into another folder, or remove the earlier ones"));
  SampleMembers members;
  shards::ShardSeries series(shard_path, shard_size, false);
  for (size_t i = 0; i < files.size(); ++i) series.add(make_sample(files[i], i, members));
  series.commit();
}

}  // namespace tiny::dataset
