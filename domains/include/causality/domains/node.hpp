#pragma once
/// \file What a node body sees and is: its context, cancellation token, the
/// run's workflow state, and the node function type. CAF-free, so an
/// application (or a domain server) can write node types against it alone.

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "causality/model/types.hpp"
#include "causality/model/value.hpp"

namespace causality::domains {

using model::value;

/// Cooperative cancellation as seen by a running node: set when the run is
/// cancelled (or hits its deadline) or the node exceeds its timeout.
class cancel_token {
 public:
  cancel_token() = default;
  cancel_token(const std::atomic<bool>* run, const std::atomic<bool>* node) : run_(run), node_(node) {}
  /// True once the node should stop.
  bool cancelled() const {
    return (run_ && run_->load(std::memory_order_relaxed)) ||
           (node_ && node_->load(std::memory_order_relaxed));
  }

 private:
  const std::atomic<bool>* run_ = nullptr;
  const std::atomic<bool>* node_ = nullptr;
};

/// The workflow state of one run (state_schema): nodes read it and update
/// it atomically; an update breaking the schema is rejected.
class workflow_state {
 public:
  workflow_state(value::object initial, std::map<std::string, std::string> schema);
  /// A consistent copy (values are shared, not deep-copied).
  value::object read() const;
  /// One field, null when absent.
  value get(const std::string& key) const;
  /// Runs f on the state under the lock; when the result breaks the schema
  /// the state is left unchanged and std::runtime_error names the field.
  void update(const std::function<void(value::object&)>& f);

 private:
  mutable std::mutex mx_;
  value::object obj_;
  std::map<std::string, std::string> schema_;
};

/// What a node body sees besides its input.
struct node_context {
  const std::string& node_id;
  std::size_t node_index;
  std::uint32_t attempt;          ///< 1 for the first try
  const model::dataflow_node& spec;
  const model::domain_spec& domain;  ///< where it runs
  double time_scale;              ///< runtime's time scale (work node type)
  cancel_token token;
  workflow_state& state;
  /// Where a body leaves the stderr of a command that succeeded (exec: its
  /// last stderr_tail_bytes), shown per node in the run's report; null: dropped.
  std::string* stderr_out = nullptr;
  /// Shorthand for token.cancelled().
  bool cancelled() const { return token.cancelled(); }
};

/// A node body: output from input. Throwing fails the attempt.
using node_fn = std::function<value(const value& in, node_context& ctx)>;

}  // namespace causality::domains
