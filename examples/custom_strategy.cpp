// Lesson: a user-defined optimization strategy, registered by name and
// chosen through the hint.
#include <iostream>

#include <causality/causality.hpp>

using namespace causality;

int main() {
  runtime rt;
  optimization_strategy s;
  s.name = "latency-at-any-cost";
  s.description = "finish first, ignore cost";
  s.priority_weight = 0.1;
  s.latency_weight = 1.0;
  s.cost_weight = 0.0;
  if (auto bad = rt.add_strategy(s)) return std::cerr << bad->message() << "\n", 1;

  auto wf = workflow("fanout");
  wf.node_of_type("root", "noop");
  for (int i = 0; i < 6; ++i) wf.node_of_type("leaf" + std::to_string(i), "work").cpu_ms(500).edge("root", "leaf" + std::to_string(i));
  initiation_hint h;
  h.preferred_strategy_id = s.name;
  auto run = rt.spawn(wf, h);
  if (!run) return std::cerr << run.err().message() << "\n", 1;
  if (run->outcome().status != run_status::succeeded) return std::cerr << run->outcome().error << "\n", 1;
  auto plan = run->plan();
  std::cout << "strategy " << plan->strategy << ": planned makespan " << plan->makespan_ms << " ms, cost "
            << plan->total_cost << "\n";
  for (auto& a : plan->assignments)
    std::cout << "  " << wf.definition().nodes[a.node].node_id << " -> " << rt.platform().domains[a.domain].name << "\n";
}
