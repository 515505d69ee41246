#include "train_fixtures.hpp"

#include "image/encode.hpp"

#include <filesystem>

namespace tiny::test {

std::string make_image_folder(const TempDir& dir, const std::string& folder, int count) {
  const std::string path = dir.file(folder);
  std::filesystem::create_directories(path);
  for (int i = 0; i < count; ++i)
    image::write_image(path + "/img" + std::to_string(i) + ".png", make_test_image(96, 80, unsigned(i + 1)), true);
  return path;
}

Json small_config(const std::string& data, const std::string& checkpoint_dir, int steps) {
  return {{"model", {{"arch", "mbt2018-mean"}, {"quality", 1}, {"N", 16}, {"M", 16}}},
          {"data", {{"train", {data}}, {"patch_size", 64}, {"batch_size", 2}, {"val_patch_size", 64},
                    {"val_fraction", 0.2}, {"loader_threads", 2}}},
          {"optimizer", {{"lr", 1e-3}}},
          {"steps", steps},
          {"seed", 7},
          {"eval_interval", 2},
          {"checkpoint_interval", 2},
          {"checkpoint_dir", checkpoint_dir}};
}

}  // namespace tiny::test
