#pragma once
// Named benchmark sets that tiny can fetch itself: a manifest in configs/datasets/<name>.json lists
// the files, their sizes and checksums of their decoded pixels; missing sets are downloaded into the
// cache folder with a progress bar, verified, and only then put in place.
#include "image/image.hpp"

#include <string>
#include <vector>

namespace tiny::bench {

struct DataSetFile {
  std::string name;           // file name, also appended to the base URL
  int width = 0, height = 0;  // decoded size
  std::string pixels_sha256;  // SHA-256 (hex) of the decoded 8-bit RGB pixels, row by row
};

struct DataSetManifest {
  std::string name, description, base_url;
  std::vector<DataSetFile> files;
};

// Reads a manifest; throws Error naming the file on bad JSON, unknown keys or a malformed entry.
DataSetManifest read_data_set_manifest(const std::string& path);
// The SHA-256 (lower-case hex) of an image's RGB pixels.
std::string pixels_sha256(const image::Image& img);
// Downloads every file of the manifest from `base_url` (the manifest's when empty) into `folder`:
// files are fetched into a temporary sibling folder, each decoded and checked against its size and
// checksum, and the folder is renamed into place only when all passed. Throws Error naming the
// first file that failed and why; nothing is left behind.
void download_data_set(const DataSetManifest& manifest, const std::string& folder, const std::string& base_url = "");
// The folder of a named set as find_data_set() finds it; if there is none and tiny ships a manifest
// for it, downloads it into data_cache_folder(name) (from $TINY_DATA_URL when set) unless `offline`.
std::string find_or_download_data_set(const std::string& name, const std::string& given, bool offline);

}  // namespace tiny::bench
