// Lesson: load a WfCommons instance and run it for real with the `work`
// node type, scaled down in time. Usage: example_wfcommons FILE [time-scale]
#include <iostream>

#include <causality/causality.hpp>

using namespace causality;

int main(int argc, char** argv) {
  if (argc < 2) return std::cerr << "usage: example_wfcommons WORKFLOW.json [time-scale]\n", 2;
  auto wf = runtime::load_workflow(argv[1]);
  if (!wf) return std::cerr << wf.err().message() << "\n", 1;
  runtime_config cfg;
  cfg.time_scale = argc > 2 ? std::stod(argv[2]) : 0.001;
  runtime rt(cfg);
  auto run = rt.spawn(*wf);
  if (!run) return std::cerr << run.err().message() << "\n", 1;
  auto& o = run->outcome();
  if (o.status != run_status::succeeded) return std::cerr << o.error << "\n", 1;
  std::cout << wf->definition().nodes.size() << " tasks ran in " << run->elapsed_ms() << " ms (planned "
            << run->plan()->makespan_ms * cfg.time_scale << " ms at this time scale)\n";
}
