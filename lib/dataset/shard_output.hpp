#pragma once
// Writing the kept images as WebDataset shards OUT/00000.tar, 00001.tar, ...: one sample per image,
// keyed "%09d" by its position among the kept images, holding the image under its (lower-case)
// extension and a "json" member {"source": path}. A tar member also brings the other, non-image
// members of its sample (caption .txt, .cls, ...); its sample's .json, if an object, gains "source".
#include "dataset/sources.hpp"

#include <string>
#include <vector>

namespace tiny::dataset {

// Writes the files as shards of `shard_size` samples into out_dir (created); Error before anything
// is written if one of the shard names exists.
void write_shards(const std::vector<SourceFile>& files, const std::string& out_dir, size_t shard_size);

}  // namespace tiny::dataset
