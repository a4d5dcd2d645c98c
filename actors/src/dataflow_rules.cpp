#include "causality/actors/dataflow_rules.hpp"

#include <algorithm>

namespace causality::actors::dataflow {

void marks::reset(const program& p) {
  auto n = p.size();
  remaining.resize(n);
  flags.assign(n, 0);
  edge_val.resize(p.edge_src.size());
  edge_fired.assign(p.edge_src.size(), 0);
  for (std::uint32_t i = 0; i < n; ++i) remaining[i] = p.in_degree(i);
}

target resolve(const program& p, marks& m, std::uint32_t e, bool fired, value val) {
  auto w = p.edge_dst[e];
  if (fired) {
    m.edge_val[e] = std::move(val);
    m.edge_fired[e] = 1;
    m.flags[w] |= input_fired;
  }
  if (--m.remaining[w] != 0) return target::waiting;
  if ((m.flags[w] & upstream_failed) || !(m.flags[w] & input_fired)) return target::skipped;
  return target::ready;
}

value input_of(const program& p, const marks& m, std::uint32_t n, const value& run_inputs) {
  auto lo = p.pred_off[n], hi = p.pred_off[n + 1];
  if (lo == hi) return run_inputs;
  // Copies (a value is one shared_ptr): a retried attempt needs the same
  // input again; the run actor releases the edge values once the node succeeded.
  if (hi - lo == 1) return m.edge_val[p.pred[lo]];
  value::object in;
  for (auto i = lo; i < hi; ++i) {
    auto e = p.pred[i];
    auto& edge = p.def->edges[e];
    if (!m.edge_fired[e]) continue;
    auto& key = edge.target_port.empty() ? p.def->nodes[p.edge_src[e]].node_id : edge.target_port;
    in[key] = m.edge_val[e];
  }
  return value(std::move(in));
}

void route(const program& p, std::uint32_t n, const value& out, std::vector<std::pair<bool, value>>& out_edges) {
  out_edges.clear();
  std::vector<std::string> labels;
  auto r = p.routers.find(n);
  if (r != p.routers.end()) labels = r->second(out);
  out_edges.reserve(p.succ_off[n + 1] - p.succ_off[n]);
  for (auto i = p.succ_off[n]; i < p.succ_off[n + 1]; ++i) {
    auto e = p.succ[i];
    bool fire = true;
    auto& label = p.def->edges[e].route;
    if (r != p.routers.end() && !label.empty())
      fire = std::find(labels.begin(), labels.end(), label) != labels.end();
    const program::edge_code* code =
        p.edge_code_of.empty() || p.edge_code_of[e] < 0 ? nullptr : &p.edge_codes[p.edge_code_of[e]];
    if (fire && code && code->filter) fire = code->filter(out);
    value v = fire && code && code->transform ? code->transform(out) : out;
    out_edges.emplace_back(fire, std::move(v));
  }
}

std::optional<std::string> output_schema_violation(const model::dataflow_definition& def,
                                                   const value::object& sink_outputs) {
  if (def.output_schema.empty()) return std::nullopt;
  // The record checked: the single sink's object, else the sink map.
  value::object rec = sink_outputs;
  if (sink_outputs.size() == 1 && sink_outputs.begin()->second.is_object())
    rec = sink_outputs.begin()->second.as_object();
  for (auto& [field, type] : def.output_schema) {
    auto it = rec.find(field);
    if (it == rec.end() || !it->second.matches(type))
      return "output_schema: field '" + field + "' must be " + type + ", got " +
             (it == rec.end() ? std::string("nothing") : std::string(it->second.type_name()));
  }
  return std::nullopt;
}

}  // namespace causality::actors::dataflow
