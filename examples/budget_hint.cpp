// Lesson: the initiation hint. A strategy, a cost budget and a latency
// bound steer the plan; a budget no plan can meet is refused with the reason.
#include <iostream>

#include <causality/causality.hpp>

using namespace causality;

int main() {
  runtime rt;
  auto wf = workflow("report");
  wf.node_of_type("fetch", "work").cpu_ms(2000);
  wf.node_of_type("score", "work").cpu_ms(4000).edge("fetch", "score");
  wf.node_of_type("publish", "work").cpu_ms(1000).edge("score", "publish");

  initiation_hint cheap;
  cheap.preferred_strategy_id = "cost-minimization";
  cheap.cost_budget = 5000;
  cheap.max_latency_ms = 60000;
  for (std::uint64_t budget : {std::uint64_t{5000}, std::uint64_t{10}}) {
    cheap.cost_budget = budget;
    auto run = rt.spawn(wf, cheap);
    if (!run) return std::cerr << run.err().message() << "\n", 1;
    auto& o = run->outcome();
    std::cout << "budget " << budget << ": " << to_string(o.status);
    if (auto p = run->plan()) std::cout << ", planned cost " << p->total_cost << ", makespan " << p->makespan_ms << " ms";
    if (!o.error.empty()) std::cout << " (" << o.error << ")";
    std::cout << "\n";
  }
}
