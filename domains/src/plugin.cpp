// Loading node types from a shared library (plugin.hpp).
#include "causality/domains/plugin.hpp"

#include <dlfcn.h>

#include <stdexcept>

namespace causality::domains {

model::expected<std::map<std::string, node_fn>> load_plugin(const std::string& path,
                                                            const std::map<std::string, node_fn>& taken) {
  auto fail = [&](const std::string& why) { return model::error{path, "", why}; };
  // A path without a slash would be searched for on the library path: only
  // the file the user names is loaded.
  const std::string file = path.find('/') == std::string::npos ? "./" + path : path;
  void* lib = ::dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    const char* why = ::dlerror();
    return fail(std::string("cannot load the plugin: ") + (why ? why : "unknown reason"));
  }
  using abi_fn = unsigned (*)();
  using register_fn = void (*)(plugin_registry&);
  auto abi = reinterpret_cast<abi_fn>(::dlsym(lib, "causality_plugin_abi"));
  auto reg = reinterpret_cast<register_fn>(::dlsym(lib, "causality_plugin_register"));
  if (!abi || !reg) {
    ::dlclose(lib);
    return fail(std::string("not a causality plugin: no symbol ") +
                (!abi ? "causality_plugin_abi" : "causality_plugin_register") +
                " (define the node types with CAUSALITY_PLUGIN, causality/domains/plugin.hpp)");
  }
  if (unsigned got = abi(); got != CAUSALITY_PLUGIN_ABI) {
    ::dlclose(lib);
    return fail("built for plugin ABI " + std::to_string(got) + ", this program loads ABI " +
                std::to_string(CAUSALITY_PLUGIN_ABI) + ": rebuild the plugin against these headers");
  }
  plugin_registry r;
  try {
    reg(r);
  } catch (const std::exception& e) {
    return fail(std::string("the plugin's registration threw: ") + e.what());
  }
  if (r.node_types.empty()) return fail("the plugin registers no node type");
  for (auto& [name, fn] : r.node_types) {
    if (name.empty()) return fail("the plugin registers a node type with an empty name");
    if (!fn) return fail("node type '" + name + "' has no function");
    if (taken.count(name)) return fail("node type '" + name + "' is already defined (built in or by another plugin)");
  }
  // Kept loaded: the node types' code lives in it.
  return std::move(r.node_types);
}

}  // namespace causality::domains
