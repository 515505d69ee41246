#include "core/shared_module.hpp"

#include "core/error.hpp"

#include <dlfcn.h>

namespace tiny {

namespace fs = std::filesystem;

fs::path executable_folder() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : exe.parent_path();
}

fs::path library_folder(const void* address) {
  Dl_info info{};
  if (!dladdr(address, &info) || !info.dli_fname) return {};
  return fs::path(info.dli_fname).parent_path();
}

void* load_symbol(const fs::path& path, const char* symbol, const std::string& what) {
  void* handle = dlopen(path.c_str(), RTLD_LAZY | RTLD_LOCAL);
  if (!handle) throw Error(file_error(path.string(), "cannot load " + what + ": " + dlerror()));
  void* found = dlsym(handle, symbol);
  if (!found) throw Error(file_error(path.string(), "cannot load " + what + ": it has no symbol " + symbol));
  return found;
}

const void* load_module_entry(const fs::path& path, const char* entry, const std::string& what) {
  using Entry = const void* (*)();
  return reinterpret_cast<Entry>(load_symbol(path, entry, what))();
}

}  // namespace tiny
