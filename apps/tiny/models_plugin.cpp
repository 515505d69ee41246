#include "models_plugin.hpp"

#include "core/threads.hpp"
#include "plugins.hpp"

namespace tiny::cli {
namespace {

const ModelsPlugin* g_plugin = nullptr;

}  // namespace

const ModelsPlugin& models_plugin() {
  if (g_plugin) return *g_plugin;
  g_plugin = static_cast<const ModelsPlugin*>(load_plugin("libtiny_commands.so", "tiny_models_plugin"));
  g_plugin->set_threads(thread_count());
  return *g_plugin;
}

bool models_plugin_loaded() { return g_plugin != nullptr; }

}  // namespace tiny::cli
