#pragma once
// Internals of causality::workflow shared with the runtime (compile cache).

#include <memory>
#include <mutex>

#include "causality/actors/program.hpp"
#include "causality/runtime/workflow.hpp"

namespace causality {

struct workflow::impl {
  std::shared_ptr<model::dataflow_definition> def = std::make_shared<model::dataflow_definition>();
  actors::workflow_code code;
  bool last_is_edge = false;
  std::mutex mx;
  /// Compiled for one runtime (and its registry version); reset on change.
  std::shared_ptr<const actors::program> compiled;
  const void* compiled_for = nullptr;
  std::uint64_t compiled_version = 0;
};

}  // namespace causality
