#pragma once
// Helpers shared by the SVG and DOT writers and the plan layout (internal).

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "causality/model/printable.hpp"
#include "causality/model/types.hpp"
#include "causality/strategies/planner.hpp"

namespace causality::observe::detail {

/// What a node is coloured by: its node_type; for untyped ("noop") nodes,
/// the WfCommons category when loaded, else the program part of a WfCommons
/// task id ("mProject_ID0000001" -> "mProject"), since imported traces carry
/// their type only there.
inline std::string colour_key(const model::dataflow_node& n) {
  if (n.node_type != "noop") return n.node_type;
  if (auto it = n.params.find("category"); it != n.params.end() && !it->second.empty())
    return it->second;
  auto cut = n.node_id.rfind("_ID");
  if (cut != std::string::npos && cut > 0 && cut + 3 < n.node_id.size() &&
      n.node_id.find_first_not_of("0123456789", cut + 3) == std::string::npos)
    return n.node_id.substr(0, cut);
  return n.node_type;
}

/// A colour per colour_key: distinct keys get distinct colours in sorted
/// order, so the same workflow is coloured the same in SVG and DOT.
inline std::map<std::string, std::string> type_colours(const model::dataflow_definition& def) {
  // Tableau 20 without its reds, which mark the critical path.
  static const char* palette[] = {"#4e79a7", "#f28e2b", "#59a14f", "#17becf", "#76b7b2",
                                  "#edc948", "#b07aa1", "#bcbd22", "#9c755f", "#bab0ac",
                                  "#a0cbe8", "#ffbe7d", "#8cd17d", "#7f7f7f", "#86bcb6",
                                  "#f1ce63", "#d4a6c8", "#aec7e8", "#d7b5a6", "#79706e"};
  std::map<std::string, std::string> out;
  for (const auto& n : def.nodes) out.emplace(colour_key(n), "");
  std::size_t i = 0;
  for (auto& [type, colour] : out) colour = palette[i++ % (sizeof palette / sizeof *palette)];
  return out;
}

/// A control byte (below 0x20, or 0x7f) and its four characters \xNN: XML
/// 1.0 cannot hold most of them even escaped, DOT and terminals must not see
/// them raw.
using model::control_escape;
using model::is_control;

/// Escapes text for XML content and attribute values (control bytes as \xNN).
inline std::string xml_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (is_control(c)) {
      out += control_escape(c);
      continue;
    }
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

/// A number with at most `prec` significant decimals, no trailing zeros.
inline std::string num(double v, int prec = 2) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", prec, v);
  std::string s = buf;
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s == "-0" ? "0" : s;
}

// Per node index, its assignment (the plan keeps assignments[i].node == i,
// but nothing here relies on that order).
inline std::vector<const strategies::assignment*> by_node(
    const model::dataflow_definition& def, const strategies::plan& p) {
  std::vector<const strategies::assignment*> a(def.nodes.size(), nullptr);
  for (const auto& x : p.assignments) a[x.node] = &x;
  return a;
}

inline double schedule_end(const strategies::plan& p) {
  double end = p.makespan_ms;
  for (const auto& a : p.assignments) end = std::max(end, a.finish_ms);
  return end;
}

}  // namespace causality::observe::detail
