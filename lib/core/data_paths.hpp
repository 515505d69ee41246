#pragma once
// Where tiny finds the shared data sets (Kodak, training photos) and the files it ships beside the
// binary (configs/, scripts/, models/).
#include <filesystem>
#include <string>

namespace tiny {

// The tiny checkout or installation root: the folder above the one holding the running binary
// (build/tiny -> the repository); empty if /proc/self/exe cannot be read.
std::filesystem::path install_root();
// A file shipped with tiny, e.g. shipped_file("configs/bench/x.json") -> <root>/configs/bench/x.json.
std::filesystem::path shipped_file(const std::string& relative);
// The folder of a named data set ("kodak", "train"): `given` if not empty, else $TINY_DATA/<name>,
// else ../shared/data/<name> from the current folder, else beside the installation root, else
// $XDG_CACHE_HOME/tiny/<name> (~/.cache/tiny/<name>). Throws Error listing every place tried.
std::string find_data_set(const std::string& name, const std::string& given = "");
// Where a named data set is cached (and downloaded to): $XDG_CACHE_HOME/tiny/<name>, else
// ~/.cache/tiny/<name>; empty if neither variable is set.
std::filesystem::path data_cache_folder(const std::string& name);

}  // namespace tiny
