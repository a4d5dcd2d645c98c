// run_state::summary() and run_state::explain(): the run's records, plans and
// recorded decisions handed to observe::summarize / explain_node.

#include "causality/actors/run_state.hpp"

namespace causality::actors {

namespace {

observe::summary_inputs inputs_of(const run_state& st, const std::vector<node_result>& results,
                                  const std::shared_ptr<const strategies::plan>& first,
                                  const std::shared_ptr<const strategies::plan>& last) {
  observe::summary_inputs in;
  in.def = st.prog().def.get();
  in.platform = st.prog().platform.get();
  in.first_plan = first.get();
  in.plan = last.get();
  in.nodes.reserve(results.size());
  for (auto& r : results)
    in.nodes.push_back(observe::node_outcome{to_string(r.status), r.domain, r.attempts, r.start_ms, r.finish_ms,
                                             &r.output, r.error});
  auto& o = st.outcome();
  in.status = to_string(o.status);
  in.error = o.error;
  in.wall_ms = st.elapsed_ms();
  in.time_scale = st.ctx.time_scale;
  in.spawn_engine_ms = st.spawn_ms();
  in.recorder = st.ctx.recorder.get();
  if (st.ctx.history) {
    in.switches = st.ctx.history->switches();
    in.domain_changes = st.ctx.history->domain_changes();
  }
  in.initial_strategy = st.ctx.initial_strategy;
  return in;
}

}  // namespace

observe::run_summary run_state::summary() const {
  auto results = this->results();
  auto first = first_plan(), last = plan();
  return observe::summarize(inputs_of(*this, results, first, last));
}

std::optional<std::string> run_state::explain(const std::string& node_id) const {
  auto results = this->results();
  auto first = first_plan(), last = plan();
  auto in = inputs_of(*this, results, first, last);
  auto s = observe::summarize(in);
  // The planner's score terms, when its reasoning reproduces the plan the run
  // started with: planned once per run, however many nodes are explained.
  std::call_once(explained_once_, [&] {
    if (!ctx.explain_plan || !first) return;
    auto e = ctx.explain_plan();
    if (!e || e->chosen.assignments.size() != first->assignments.size()) return;
    for (std::size_t i = 0; i < first->assignments.size(); ++i)
      if (e->chosen.assignments[i].domain != first->assignments[i].domain) return;
    explained_ = std::move(*e);
  });
  return observe::explain_node(s, in, node_id, explained_ ? &*explained_ : nullptr);
}

}  // namespace causality::actors
