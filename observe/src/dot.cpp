#include <cstdio>

#include "causality/observe/gantt.hpp"
#include "draw_util.hpp"

namespace causality::observe {
namespace {

// DOT quoted string: escape quotes and backslashes; "\n" stays a DOT line
// break; other control bytes are shown as \xNN (the backslash escaped).
std::string q(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    if (detail::is_control(c)) {
      out += "\\" + detail::control_escape(c);
      continue;
    }
    out += c;
  }
  return out + '"';
}

std::string human_bytes(std::uint64_t b) {
  static const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(b);
  int u = 0;
  while (v >= 1024 && u < 4) v /= 1024, ++u;
  return detail::num(v, u == 0 ? 0 : 1) + ' ' + units[u];
}

std::string render(const model::dataflow_definition& def, const model::platform* plat,
                   const strategies::plan* p) {
  const auto colours = detail::type_colours(def);
  std::vector<std::string> domain_of(def.nodes.size());
  if (p && plat)
    for (const auto& a : p->assignments) domain_of[a.node] = plat->domains[a.domain].name;
  std::string name = def.name.empty() ? def.definition_id : def.name;
  std::string s = "digraph " + q(name) + " {\n";
  s += "  rankdir=LR;\n";
  s += "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10];\n";
  s += "  edge [fontname=\"Helvetica\", fontsize=9, color=\"#555555\"];\n";
  for (std::size_t i = 0; i < def.nodes.size(); ++i) {
    const auto& n = def.nodes[i];
    std::string label = n.node_id + "\ntype: " + n.node_type;
    if (auto key = detail::colour_key(n); key != n.node_type) label += " (" + key + ")";
    if (!domain_of[i].empty()) label += "\ndomain: " + domain_of[i];
    else if (n.domain) label += "\npinned: " + *n.domain;
    s += "  " + q(n.node_id) + " [label=" + q(label) +
         ", fillcolor=" + q(colours.at(detail::colour_key(n))) + "];\n";
  }
  for (const auto& e : def.edges) {
    std::string label;
    auto add = [&](const std::string& part) { label += (label.empty() ? "" : "\n") + part; };
    if (e.bytes) add(human_bytes(e.bytes));
    if (!e.transform.empty()) add("transform: " + e.transform);
    if (!e.filter.empty()) add("filter: " + e.filter);
    if (!e.route.empty()) add("route: " + e.route);
    s += "  " + q(e.source_node) + " -> " + q(e.target_node);
    std::string attrs;
    if (!label.empty()) attrs += "label=" + q(label);
    // Conditional edges are dashed: they may not fire.
    if (!e.filter.empty() || !e.route.empty())
      attrs += std::string(attrs.empty() ? "" : ", ") + "style=dashed";
    if (!attrs.empty()) s += " [" + attrs + "]";
    s += ";\n";
  }
  return s + "}\n";
}

}  // namespace

std::string to_dot(const model::dataflow_definition& def) { return render(def, nullptr, nullptr); }

std::string to_dot(const model::dataflow_definition& def, const model::platform& plat,
                   const strategies::plan& p) {
  return render(def, &plat, &p);
}

}  // namespace causality::observe
