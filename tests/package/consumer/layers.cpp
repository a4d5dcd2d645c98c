// Consumer of the installed package beside examples/hello.cpp: the model's
// cost model and observe's metrics and logger, as an embedder would use them.
#include <iostream>

#include <causality/model/types.hpp>
#include <causality/observe/log.hpp>
#include <causality/observe/runtime_metrics.hpp>

int main() {
  causality::model::effect_cost_model m;
  // (100 + 10 * 4) * 1.0 * 1.0 with the defaults of FORMATS.md.
  if (m.total_cost(4) != 140.0) return 1;
  causality::observe::metric_registry reg;
  causality::observe::runtime_metrics metrics(reg);
  metrics.domain("compute").node_started();
  if (reg.render_prometheus().find("causality_nodes_started_total{domain=\"compute\"} 1") ==
      std::string::npos)
    return 2;
  causality::observe::logger("cli")->debug("not shown at the default level");
  std::cout << "causality consumer ok\n";
  return 0;
}
