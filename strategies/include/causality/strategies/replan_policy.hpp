#pragma once
/// \file Re-planning: decides when a domain runs much slower than its model
/// (or faster again) or has failed, and turns the run's progress into the
/// planner_context of a new plan: what is done or running stays fixed, what
/// has not started is planned again, what a failed domain lost is run again.
/// Also the exactly-once ledger of results. Pure: time is a parameter.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "causality/strategies/planner.hpp"

namespace causality::strategies {

/// Tuning of re-planning; see docs/dynamic.md.
struct replan_config {
  double slowdown_ratio = 2.0;    ///< median observed / modelled over the window beyond this (or below its inverse): re-plan
  std::size_t min_samples = 3;    ///< samples on a domain before its speed is judged
  std::size_t window = 8;         ///< most recent samples per domain that are judged
  bool exclude_slow_domains = false;  ///< true: a slow domain gets no new nodes at all
};

/// Where a node of a running workflow is.
enum class node_phase {
  pending,  ///< not dispatched yet
  queued,   ///< dispatched to a domain, waiting for a slot (not started)
  running,  ///< started on a domain
  done,     ///< finished, result delivered
};

/// One node's progress as the run actor knows it.
struct node_progress {
  node_phase phase = node_phase::pending;
  std::size_t domain = 0;   ///< for queued / running / done
  double start_ms = 0;      ///< running / done: when it started
  double finish_ms = 0;     ///< done: when it finished
  double base_ms = 0;       ///< running: modelled exec time on its domain before any slowdown
  double cost = 0;          ///< effect cost on its domain
};

/// The outcome of prepare(): the planner's inputs and what the actors do.
struct replan_inputs {
  std::vector<bool> unavailable;                    ///< per domain (planner_context)
  std::vector<std::optional<assignment>> fixed;     ///< per node (planner_context)
  double now_ms = 0;
  std::vector<double> slowdown;                     ///< per domain factor applied to exec times
  std::vector<std::size_t> replanned;               ///< nodes not started: planned again
  std::vector<std::size_t> rerun;                   ///< nodes lost on a failed domain: run again
  std::vector<std::size_t> withdrawn;               ///< queued nodes to take back from their domain
  std::string reason;                               ///< why, in words

  /// The planner_context for the new plan: exec times are base_exec(n, d)
  /// (or the static model when it says nullopt: pass `static_ms(n, d)`)
  /// times the domain's slowdown.
  planner_context context(
      std::function<std::optional<double>(std::size_t, std::size_t)> base_exec,
      std::function<double(std::size_t, std::size_t)> static_ms) const;
};

/// Watches per-domain observed / modelled execution times and failures.
class replan_policy {
 public:
  /// `domains` domains, all healthy with slowdown 1.
  explicit replan_policy(std::size_t domains, replan_config cfg = {});
  /// Names of the domains, for the reasons in words (else their indices).
  void set_domain_names(std::vector<std::string> names);

  /// A node finished on `domain` after observed_ms where the model used for
  /// planning (before any slowdown factor) said base_ms.
  void observe(std::size_t domain, double observed_ms, double base_ms);
  /// The domain failed: everything on it is lost, it gets nothing new.
  void domain_failed(std::size_t domain);

  /// Median observed / base ratio over the window (1 before min_samples).
  double measured_slowdown(std::size_t domain) const;
  /// The slowdown factor the plan in force uses for `domain`.
  double applied_slowdown(std::size_t domain) const { return applied_[domain]; }
  /// Whether the domain has failed.
  bool failed(std::size_t domain) const { return failed_[domain]; }
  /// Why a re-plan is due now (a domain newly failed, or its measured speed
  /// differs from the applied factor by slowdown_ratio); nullopt if not due.
  std::optional<std::string> due() const;
  /// Builds the re-plan from the nodes' progress at now_ms and takes the
  /// measured slowdowns and failures as the new applied state.
  replan_inputs prepare(const std::vector<node_progress>& nodes, double now_ms);

 private:
  std::string name(std::size_t d) const;
  std::vector<std::string> names_;
  replan_config cfg_;
  std::vector<std::deque<double>> ratios_;
  std::vector<double> applied_;
  std::vector<bool> failed_;
  std::vector<bool> failure_handled_;
};

/// Exactly-once bookkeeping of node results: a node may run several times
/// (re-run after its domain failed, a late result of a lost attempt), the
/// caller receives its result once.
class result_ledger {
 public:
  /// `nodes` nodes, none started.
  explicit result_ledger(std::size_t nodes);
  /// Starts an attempt of `node`; returns its attempt number (1, 2, ...).
  std::uint32_t begin_attempt(std::size_t node);
  /// A result of `node` from `attempt` arrived: true if it is the first and
  /// must be delivered, false if a result was already delivered (a duplicate).
  bool accept(std::size_t node, std::uint32_t attempt);
  /// Whether a result of `node` was delivered.
  bool delivered(std::size_t node) const { return delivered_by_[node] != 0; }
  /// The attempt whose result was delivered (0: none yet).
  std::uint32_t delivered_by(std::size_t node) const { return delivered_by_[node]; }
  /// Attempts started for `node`.
  std::uint32_t attempts(std::size_t node) const { return attempts_[node]; }
  /// Results rejected as duplicates.
  std::size_t duplicates() const { return duplicates_; }
  /// Whether every node's result was delivered.
  bool complete() const { return delivered_count_ == delivered_by_.size(); }

 private:
  std::vector<std::uint32_t> attempts_;
  std::vector<std::uint32_t> delivered_by_;
  std::size_t delivered_count_ = 0;
  std::size_t duplicates_ = 0;
};

}  // namespace causality::strategies
