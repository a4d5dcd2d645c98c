// Lesson: embed the runtime, build a two-node workflow, spawn it, read the result.
#include <iostream>

#include <causality/causality.hpp>

using namespace causality;

int main() {
  runtime rt;  // local domains: compute (a slot per core), service, verifiable
  auto wf = workflow("hello")
                .node("greet", [](const value&, node_context&) { return value("hello"); })
                .node("shout", [](const value& in, node_context&) { return value(in.as_string() + ", world!"); })
                .edge("greet", "shout");
  auto run = rt.spawn(wf);
  if (!run) return std::cerr << run.err().message() << "\n", 1;
  if (run->outcome().status != run_status::succeeded) return std::cerr << run->outcome().error << "\n", 1;
  std::cout << run->output().as_string() << "\n";
}
