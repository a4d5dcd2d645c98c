#pragma once
/// \file What one run did and why, built from the event stream: the run
/// recorder (an observer every run has) keeps the decisions of its run
/// (moves, losses, retries, re-plans), the engine history (an observer of the
/// engine) keeps strategy switches and domain losses; summarize() joins them
/// with the per-node records and the plans into a run_summary, and
/// explain_node() answers "why did this node run there".

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "causality/model/types.hpp"
#include "causality/model/value.hpp"
#include "causality/observe/events.hpp"
#include "causality/strategies/planner.hpp"

namespace causality::observe {

/// Size of a value as JSON text, estimated without rendering it from at
/// most 256 of its values (a lower bound for larger ones: outputs may share
/// sub-values, and a full walk can grow exponentially with the DAG).
std::size_t approx_json_bytes(const model::value& v);


/// A strategy switch or a domain loss / re-admission, in engine time.
struct switch_record {
  double time_ms = 0;
  std::string from, to, reason;
  double load = 0;
};
struct domain_record {
  double time_ms = 0;
  std::string domain;
  bool available = false;
  std::string why;
};

/// Engine-wide events kept for summaries (thread-safe, bounded).
class engine_history : public observer {
 public:
  explicit engine_history(std::size_t max_records = 10'000) : max_(max_records) {}
  std::uint32_t interests() const override { return ev_switched | ev_domain; }
  void on_strategy_switched(const strategy_switched& e) override;
  void on_domain_changed(const domain_changed& e) override;
  std::vector<switch_record> switches() const;
  std::vector<domain_record> domain_changes() const;

 private:
  mutable std::mutex mx_;
  std::size_t max_;
  std::vector<switch_record> switches_;
  std::vector<domain_record> domains_;
};

/// A re-plan as recorded.
struct replan_record {
  double time_ms = 0;  ///< since spawn
  std::string reason;
  std::size_t nodes_replanned = 0, nodes_moved = 0;
  std::vector<domain_slowdown> slowdowns;
  double makespan_before_ms = 0, makespan_after_ms = 0;
};

/// The decisions of one run (thread-safe): off-plan placements, retries,
/// losses, re-plans; a run that goes as planned asks nothing of it.
class run_recorder : public observer {
 public:
  struct move {
    std::string planned, chosen, reason;
  };
  struct loss {
    std::string domain;
    double time_ms = 0;
  };
  std::uint32_t interests() const override { return ev_moved | ev_retried | ev_lost | ev_replanned; }
  void on_node_placed(const node_placed& e) override;
  void on_node_retried(const node_retried& e) override;
  void on_node_lost(const node_lost& e) override;
  void on_replanned(const replanned& e) override;

  /// Last off-plan placement of each moved node (by index), reasons in words.
  std::map<std::uint32_t, move> moves() const;
  std::map<std::uint32_t, std::vector<loss>> losses() const;
  std::map<std::uint32_t, std::vector<std::string>> retries() const;
  std::vector<replan_record> replans() const;

 private:
  /// A move as recorded on the hot path: no text, no allocation per move
  /// (names are views into the run's platform, which outlives the recorder's use).
  struct move_rec {
    std::uint32_t index;
    std::string_view planned, chosen;
    move_detail detail;
    std::string_view reason;  ///< a move with a reason in words (not the balancer's)
  };
  mutable std::mutex mx_;
  std::vector<move_rec> moves_;
  std::string policy_;  ///< the balancer's policy name (one per engine)
  std::deque<std::string> texts_;  ///< owned reasons of moves that came with words (stable addresses)
  std::map<std::uint32_t, std::vector<loss>> losses_;
  std::map<std::uint32_t, std::vector<std::string>> retries_;
  std::vector<replan_record> replans_;
};

/// One node as the runtime recorded it (the input of summarize()).
struct node_outcome {
  std::string status;  ///< pending, running, done, failed, skipped, cancelled
  int domain = -1;     ///< platform index of its last attempt; -1: never ran
  std::uint32_t attempts = 0;
  double start_ms = 0, finish_ms = 0;  ///< since spawn
  const model::value* output = nullptr;
  std::string error;
};

/// Everything summarize() needs about one run.
struct summary_inputs {
  const model::dataflow_definition* def = nullptr;
  const model::platform* platform = nullptr;
  const strategies::plan* first_plan = nullptr;  ///< the plan the run started with (may be null)
  const strategies::plan* plan = nullptr;        ///< the plan in force at the end (may be null)
  std::vector<node_outcome> nodes;               ///< one per definition node
  std::string status, error;
  double wall_ms = 0;            ///< spawn to end
  double time_scale = 1;         ///< plan times are unscaled model ms
  double spawn_engine_ms = 0;    ///< the run's spawn in engine time (to place engine events)
  const run_recorder* recorder = nullptr;
  std::vector<switch_record> switches;        ///< engine-wide
  std::vector<domain_record> domain_changes;  ///< engine-wide
  std::string initial_strategy;               ///< in force when the run started
};

/// One node in the summary.
struct node_summary {
  std::string node, status;
  std::string planned_domain;  ///< of the plan in force at the end ("" without a plan)
  std::string first_planned_domain;
  std::string domain;  ///< where its last attempt ran ("" never ran)
  std::uint32_t attempts = 0;
  double start_ms = 0, finish_ms = 0;
  std::size_t output_bytes = 0;
  std::string output;  ///< the output rendered, at most 80 characters (… when cut)
  std::string error;
  std::string why;     ///< one line: why it ran where it ran (explain_node's first line)
};

struct domain_summary {
  std::string domain;
  std::uint32_t slots = 0;
  std::size_t nodes = 0;
  double busy_ms = 0, utilisation = 0;  ///< utilisation: busy / (slots x actual makespan)
  bool lost = false;                    ///< lost at some point during the run
};

/// What one run did.
struct run_summary {
  std::string workflow, platform, strategy, status, error;
  double planned_makespan_ms = 0, actual_makespan_ms = 0, wall_ms = 0;  ///< planned: scaled by time_scale
  double planned_cost = 0, actual_cost = 0;
  double first_planned_makespan_ms = 0, first_planned_cost = 0;
  std::size_t nodes_moved = 0;      ///< ran elsewhere than the final plan said
  std::size_t nodes_rerun = 0;      ///< lost with a domain and run again
  std::size_t nodes_retried = 0;    ///< failed at least once and tried again
  std::size_t replanned_nodes = 0;  ///< on another domain in the final plan than in the first
  std::vector<replan_record> replans;
  std::vector<switch_record> switches;        ///< during the run, times since spawn
  std::vector<std::string> strategy_timeline;  ///< "0 ms balanced", "1250 ms latency", ...
  std::vector<domain_record> domain_changes;   ///< during the run, times since spawn
  std::vector<domain_summary> domains;
  std::vector<node_summary> nodes;
};

/// Joins the records into a summary (pure; no clock, no threads).
run_summary summarize(const summary_inputs& in);

/// Why node `node_id` ran where it ran, from what happened: placed as planned
/// (the plan's reason, and with `explained` the score terms of every domain),
/// moved by the balancer (its reason), re-planned (the slowdown behind it),
/// lost (which domain died and where it ran again), retried, skipped, never
/// started. Several lines; nullopt when the run has no such node.
std::optional<std::string> explain_node(const run_summary& s, const summary_inputs& in,
                                        const std::string& node_id,
                                        const strategies::explained_plan* explained = nullptr);

/// The summary as JSON (one record per node); the CLI's `run --format json`.
nlohmann::json summary_to_json(const run_summary& s);

}  // namespace causality::observe
