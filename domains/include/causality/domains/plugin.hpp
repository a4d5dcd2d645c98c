#pragma once
/// \file Node types from a shared library: `causality run --node-types
/// LIB.so` and `causality-domain --node-types LIB.so` load them without a
/// new binary (docs/runtime.md, "Plugins"; examples/plugin/).
///
/// A plugin is a C++ shared object built against these headers. It exports
/// three functions of C linkage, written by CAUSALITY_PLUGIN:
///   `causality_plugin_abi()`      the CAUSALITY_PLUGIN_ABI it was built with;
///   `causality_plugin_register()` fills a plugin_registry with node types.
/// The loader refuses a library without them or of another ABI, in one line.
/// Symbols of the causality libraries (value, ...) resolve against the host
/// executable, which exports them: the plugin links none of them.

#include <map>
#include <string>

#include "causality/domains/node.hpp"
#include "causality/model/error.hpp"

/// Bumped whenever node_fn, value or node_context change in a way a built
/// plugin would not survive.
#define CAUSALITY_PLUGIN_ABI 1u

namespace causality::domains {

/// What a plugin's registration function fills.
struct plugin_registry {
  std::map<std::string, node_fn> node_types;
};

/// The node types of the plugin at `path` (loaded once, kept loaded for the
/// life of the process). Errors name the file and the reason: cannot be
/// loaded (the loader's message), not a causality plugin (missing symbol),
/// another ABI, registers nothing, or a name clashing with `taken`.
model::expected<std::map<std::string, node_fn>> load_plugin(const std::string& path,
                                                            const std::map<std::string, node_fn>& taken = {});

}  // namespace causality::domains

/// In a plugin's one source file: `CAUSALITY_PLUGIN(reg) { reg.node_types["x"] = ...; }`.
#define CAUSALITY_PLUGIN(reg)                                                          \
  extern "C" unsigned causality_plugin_abi() { return CAUSALITY_PLUGIN_ABI; }          \
  extern "C" void causality_plugin_register(::causality::domains::plugin_registry& reg)
