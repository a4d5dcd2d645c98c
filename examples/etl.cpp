// Lesson: edges that filter and a node that routes. Records are extracted,
// invalid ones filtered out, and each batch is routed to the loader that fits.
#include <iostream>

#include <causality/causality.hpp>

using namespace causality;

int main() {
  runtime rt;
  auto wf = workflow("etl")
                .node("extract", [](const value&, node_context&) {
                  return value(value::array{value(3), value(-1), value(12), value(7), value(40)});
                })
                .node("clean", [](const value& in, node_context&) {
                  value::array ok;
                  for (auto& r : in.as_array())
                    if (r.as_int() >= 0) ok.push_back(r);
                  return value(ok);
                })
                // Route by size: big batches to the bulk loader, small ones to the row loader.
                .router([](const value& out) {
                  return std::vector<std::string>{out.as_array().size() > 3 ? "bulk" : "rows"};
                })
                .node("bulk_load", [](const value& in, node_context&) {
                  return value("bulk-loaded " + std::to_string(in.as_array().size()) + " records");
                })
                .node("row_load", [](const value& in, node_context&) {
                  return value("row-loaded " + std::to_string(in.as_array().size()) + " records");
                })
                .node("audit", [](const value& in, node_context&) { return value("audit: " + in.to_string()); })
                .edge("extract", "clean")
                .edge("clean", "bulk_load").route("bulk")
                .edge("clean", "row_load").route("rows")
                // The audit only hears about batches that lost records.
                .edge("extract", "audit").filter([](const value& v) {
                  for (auto& r : v.as_array())
                    if (r.as_int() < 0) return true;
                  return false;
                });
  auto run = rt.spawn(wf);
  if (!run) return std::cerr << run.err().message() << "\n", 1;
  if (run->outcome().status != run_status::succeeded) return std::cerr << run->outcome().error << "\n", 1;
  for (auto& r : run->results())
    std::cout << r.node_id << ": " << to_string(r.status)
              << (r.output.is_null() ? "" : " -> " + r.output.to_string()) << "\n";
}
