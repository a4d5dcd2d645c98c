// The `exec` node type: FORMATS.md "Nodes that run commands".
#include <stdexcept>
#include <string>

#include "causality/domains/builtins.hpp"
#include "causality/domains/process.hpp"
#include "causality/domains/remote.hpp"

namespace causality::domains {

value exec(const value& in, node_context& ctx) {
  if (!ctx.spec.exec || ctx.spec.exec->argv.empty())
    throw std::runtime_error("node_type exec needs an \"exec\" object with a non-empty argv");
  auto input = remote::to_json(in);
  if (!input) throw std::runtime_error("input cannot be written as JSON: " + input.err().message());
  process_spec spec;
  spec.argv = ctx.spec.exec->argv;
  spec.env = ctx.spec.exec->env;
  spec.cwd = ctx.spec.exec->cwd;
  process child;
  auto r = child.run(spec, *input, [&ctx] { return ctx.cancelled(); });
  if (r.how == process_result::status::cancelled) throw std::runtime_error("cancelled");
  if (!r.ok()) throw std::runtime_error(spec.argv[0] + ": " + r.describe());
  if (ctx.stderr_out) *ctx.stderr_out = std::move(r.err_tail);
  std::string out = std::move(r.out);
  if (auto parsed = remote::from_json(out)) return *parsed;
  // Not JSON: the text itself, without the one newline most programs end with.
  if (!out.empty() && out.back() == '\n') out.pop_back();
  if (!out.empty() && out.back() == '\r') out.pop_back();
  return value(std::move(out));
}

}  // namespace causality::domains
