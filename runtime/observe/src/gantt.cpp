#include "causality/observe/gantt.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <numeric>
#include <unordered_map>

#include "draw_util.hpp"

namespace causality::observe {
namespace {

using detail::num;
using detail::xml_escape;

// Per node index, its assignment (the plan keeps assignments[i].node == i,
// but nothing here relies on that order).
std::vector<const strategies::assignment*> by_node(const model::dataflow_definition& def,
                                                   const strategies::plan& p) {
  std::vector<const strategies::assignment*> a(def.nodes.size(), nullptr);
  for (const auto& x : p.assignments) a[x.node] = &x;
  return a;
}

double schedule_end(const strategies::plan& p) {
  double end = p.makespan_ms;
  for (const auto& a : p.assignments) end = std::max(end, a.finish_ms);
  return end;
}

// 1, 2 or 5 times a power of ten, giving about `target` ticks over `range`.
double nice_step(double range, int target) {
  double raw = range / target;
  double mag = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * mag >= raw) return m * mag;
  return 10 * mag;
}

}  // namespace

model::status check_plan_shape(const model::dataflow_definition& def, const model::platform& plat,
                               const strategies::plan& p) {
  auto bad = [](std::string path, std::string reason) {
    return model::error{"", std::move(path), std::move(reason)};
  };
  if (p.assignments.size() != def.nodes.size())
    return bad("/assignments", "plan has " + std::to_string(p.assignments.size()) +
                                   " assignments for " + std::to_string(def.nodes.size()) +
                                   " nodes");
  std::vector<bool> seen(def.nodes.size(), false);
  for (std::size_t i = 0; i < p.assignments.size(); ++i) {
    const auto& a = p.assignments[i];
    std::string at = "/assignments/" + std::to_string(i);
    if (a.node >= def.nodes.size()) return bad(at + "/node", "node index out of range");
    if (seen[a.node]) return bad(at + "/node", "node '" + def.nodes[a.node].node_id + "' assigned twice");
    seen[a.node] = true;
    if (a.domain >= plat.domains.size()) return bad(at + "/domain", "domain index out of range");
    if (!std::isfinite(a.start_ms) || !std::isfinite(a.finish_ms) || a.start_ms < 0 ||
        a.finish_ms < a.start_ms)
      return bad(at, "start_ms/finish_ms must be finite with 0 <= start <= finish");
  }
  return std::nullopt;
}

lane_layout assign_lanes(const model::platform& plat, const strategies::plan& p) {
  lane_layout out;
  std::size_t n = 0;
  for (const auto& a : p.assignments) n = std::max(n, a.node + 1);
  out.lane_of_node.assign(n, 0);
  out.lanes_of_domain.assign(plat.domains.size(), 0);
  std::vector<std::size_t> order(p.assignments.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
    const auto &a = p.assignments[x], &b = p.assignments[y];
    return a.start_ms != b.start_ms ? a.start_ms < b.start_ms : a.finish_ms < b.finish_ms;
  });
  const double eps = 1e-9 * std::max(1.0, schedule_end(p));
  std::vector<std::vector<double>> lane_free(plat.domains.size());  // last finish per lane
  for (std::size_t k : order) {
    const auto& a = p.assignments[k];
    auto& lanes = lane_free[a.domain];
    std::size_t lane = 0;
    while (lane < lanes.size() && lanes[lane] > a.start_ms + eps) ++lane;
    if (lane == lanes.size()) lanes.push_back(0);
    lanes[lane] = a.finish_ms;
    out.lane_of_node[a.node] = lane;
  }
  for (std::size_t d = 0; d < plat.domains.size(); ++d)
    out.lanes_of_domain[d] = std::max<std::size_t>(plat.domains[d].slots, lane_free[d].size());
  return out;
}

std::vector<std::size_t> critical_path(const model::dataflow_definition& def,
                                       const model::platform& plat, const strategies::plan& p) {
  if (def.nodes.empty() || check_plan_shape(def, plat, p)) return {};
  auto a = by_node(def, p);
  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < def.nodes.size(); ++i) index.emplace(def.nodes[i].node_id, i);
  std::vector<std::vector<std::size_t>> preds(def.nodes.size());  // incoming edge indices
  for (std::size_t e = 0; e < def.edges.size(); ++e) {
    auto t = index.find(def.edges[e].target_node);
    if (t != index.end() && index.count(def.edges[e].source_node)) preds[t->second].push_back(e);
  }
  std::size_t v = 0;
  for (std::size_t i = 1; i < a.size(); ++i)
    if (a[i]->finish_ms > a[v]->finish_ms) v = i;
  const double eps = 1e-6 * std::max(1.0, schedule_end(p));
  std::vector<bool> on(def.nodes.size(), false);
  std::vector<std::size_t> path{v};
  on[v] = true;
  for (;;) {
    std::optional<std::size_t> next;
    double best = -std::numeric_limits<double>::infinity();
    for (std::size_t e : preds[v]) {
      std::size_t u = index.at(def.edges[e].source_node);
      double arrival = a[u]->finish_ms;
      if (a[u]->domain != a[v]->domain)
        arrival += plat.network.transfer_ms(def.edges[e].bytes, plat.domains[a[u]->domain].kind,
                                            plat.domains[a[v]->domain].kind);
      if (arrival > best) best = arrival, next = u;
    }
    if (!next || best < a[v]->start_ms - eps) {
      // Not data-bound: it waited for a slot, freed by a node of the same
      // domain finishing as it started.
      next.reset();
      for (std::size_t w = 0; w < a.size(); ++w)
        if (!on[w] && a[w]->domain == a[v]->domain &&
            std::abs(a[w]->finish_ms - a[v]->start_ms) <= eps &&
            a[w]->start_ms < a[v]->start_ms)
          next = w;
    }
    if (!next || on[*next]) break;
    v = *next;
    on[v] = true;
    path.push_back(v);
  }
  std::reverse(path.begin(), path.end());
  return path;
}

model::expected<std::string> gantt_svg(const model::dataflow_definition& def,
                                       const model::platform& plat, const strategies::plan& p,
                                       const gantt_options& opts) {
  if (auto err = check_plan_shape(def, plat, p)) return *err;
  if (!opts.actual.empty() && opts.actual.size() != def.nodes.size())
    return model::error{"", "actual", "actual times given for " +
                                          std::to_string(opts.actual.size()) + " of " +
                                          std::to_string(def.nodes.size()) + " nodes"};
  const auto a = by_node(def, p);
  const auto lanes = assign_lanes(plat, p);
  const auto colours = detail::type_colours(def);
  std::vector<bool> critical(def.nodes.size(), false);
  const auto cpath = critical_path(def, plat, p);
  for (auto i : cpath) critical[i] = true;

  double t_end = schedule_end(p);
  for (const auto& s : opts.actual)
    if (s) t_end = std::max(t_end, s->finish_ms);
  if (t_end <= 0) t_end = 1;

  // Layout (px).
  const double left = 180, right = 24, top = 56, row_h = 24, gap = 8;
  const double width = std::max(400.0, opts.width_px), chart_w = width - left - right;
  auto x_of = [&](double t) { return left + chart_w * t / t_end; };
  std::vector<double> domain_y(plat.domains.size());
  double y = top;
  for (std::size_t d = 0; d < plat.domains.size(); ++d) {
    domain_y[d] = y;
    y += row_h * static_cast<double>(lanes.lanes_of_domain[d]) + gap;
  }
  const double axis_y = y;
  // Legend: node types, then the three marks; wraps at the picture width.
  struct item { std::string kind, label, colour; };
  std::vector<item> legend;
  for (const auto& [type, colour] : colours) legend.push_back({"type", type, colour});
  legend.push_back({"planned", "planned (thick)", "#bbbbbb"});
  legend.push_back({"actual", "actual (thin)", "#222222"});
  legend.push_back({"critical", "critical path", "#d62728"});
  const double item_w = 150, legend_top = axis_y + 44;
  const auto per_row = std::max<std::size_t>(1, static_cast<std::size_t>((width - 20) / item_w));
  const double height = legend_top + 20 * std::ceil(double(legend.size()) / per_row) + 12;

  std::string s;
  s += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  s += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(width) + "\" height=\"" +
       num(height) + "\" viewBox=\"0 0 " + num(width) + ' ' + num(height) +
       "\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11\">\n";
  s += "<rect class=\"background\" x=\"0\" y=\"0\" width=\"" + num(width) + "\" height=\"" +
       num(height) + "\" fill=\"#ffffff\"/>\n";
  std::string title = opts.title.empty()
                          ? p.workflow + " on " + p.platform + " - " + p.strategy +
                                ": makespan " + num(p.makespan_ms, 1) + " ms, cost " +
                                num(p.total_cost, 1)
                          : opts.title;
  s += "<text class=\"title\" x=\"" + num(left) + "\" y=\"24\" font-size=\"15\" font-weight=\"bold\">" +
       xml_escape(title) + "</text>\n";
  s += "<text x=\"" + num(left) + "\" y=\"42\" fill=\"#555555\">" +
       std::to_string(def.nodes.size()) + " nodes, " + std::to_string(cpath.size()) +
       " on the critical path</text>\n";

  // Time grid and axis.
  const bool seconds = t_end >= 10000;
  const double step = nice_step(t_end, 10);
  s += "<g class=\"axis\" stroke=\"#dddddd\">\n";
  for (double t = 0; t <= t_end + step * 1e-9; t += step) {
    double x = x_of(t);
    s += "<line class=\"tick\" x1=\"" + num(x) + "\" y1=\"" + num(top - 4) + "\" x2=\"" + num(x) +
         "\" y2=\"" + num(axis_y) + "\"/>\n";
    s += "<text x=\"" + num(x) + "\" y=\"" + num(axis_y + 14) +
         "\" text-anchor=\"middle\" stroke=\"none\" fill=\"#333333\">" +
         (seconds ? num(t / 1000, 2) : num(t, 1)) + "</text>\n";
  }
  s += "<line x1=\"" + num(left) + "\" y1=\"" + num(axis_y) + "\" x2=\"" + num(left + chart_w) +
       "\" y2=\"" + num(axis_y) + "\" stroke=\"#333333\"/>\n";
  s += "<text x=\"" + num(left + chart_w / 2) + "\" y=\"" + num(axis_y + 30) +
       "\" text-anchor=\"middle\" stroke=\"none\" fill=\"#333333\">time (" +
       (seconds ? "s" : "ms") + ")</text>\n</g>\n";

  // Lanes with their bars.
  for (std::size_t d = 0; d < plat.domains.size(); ++d) {
    const auto& dom = plat.domains[d];
    s += "<g class=\"domain\" data-domain=\"" + xml_escape(dom.name) + "\">\n";
    s += "<rect x=\"4\" y=\"" + num(domain_y[d] - 2) + "\" width=\"" + num(width - 8) +
         "\" height=\"" + num(row_h * lanes.lanes_of_domain[d] + 4) + "\" fill=\"" +
         (d % 2 ? "#ffffff" : "#f3f5f8") + "\" stroke=\"#d0d4da\"/>\n";
    s += "<text x=\"10\" y=\"" + num(domain_y[d] + 15) + "\" font-weight=\"bold\">" +
         xml_escape(dom.name) + "</text>\n";
    s += "<text x=\"10\" y=\"" + num(domain_y[d] + 28) + "\" fill=\"#666666\" font-size=\"10\">" +
         model::to_string(dom.kind) + ", " + std::to_string(dom.slots) + " slot" +
         (dom.slots == 1 ? "" : "s") + ", speed " + num(dom.speed) + "</text>\n";
    for (std::size_t k = 0; k < lanes.lanes_of_domain[d]; ++k) {
      double ly = domain_y[d] + row_h * static_cast<double>(k);
      s += "<g class=\"lane\" data-domain=\"" + xml_escape(dom.name) + "\" data-slot=\"" +
           std::to_string(k) + "\">\n";
      s += "<text x=\"" + num(left - 6) + "\" y=\"" + num(ly + 15) +
           "\" text-anchor=\"end\" fill=\"#888888\" font-size=\"9\">slot " + std::to_string(k) +
           (k >= dom.slots ? " (over)" : "") + "</text>\n";
      for (std::size_t i = 0; i < def.nodes.size(); ++i) {
        if (a[i]->domain != d || lanes.lane_of_node[i] != k) continue;
        const auto& node = def.nodes[i];
        const std::string id = xml_escape(node.node_id);
        double x0 = x_of(a[i]->start_ms), w = std::max(1.0, x_of(a[i]->finish_ms) - x0);
        s += "<rect class=\"bar planned" + std::string(critical[i] ? " critical" : "") +
             "\" data-node=\"" + id + "\" x=\"" + num(x0) + "\" y=\"" + num(ly + 3) +
             "\" width=\"" + num(w) + "\" height=\"13\" rx=\"2\" fill=\"" +
             colours.at(detail::colour_key(node)) + "\" stroke=\"" +
             (critical[i] ? "#d62728\" stroke-width=\"2.5" : "#444444\" stroke-width=\"0.6") +
             "\"><title>" + id + " (" + xml_escape(detail::colour_key(node)) + ") planned " +
             num(a[i]->start_ms, 1) + "-" + num(a[i]->finish_ms, 1) + " ms" +
             (critical[i] ? ", critical" : "") + "</title></rect>\n";
        // A label only where it fits (about 6 px per character).
        if (w > 6.0 * node.node_id.size() + 6)
          s += "<text class=\"label\" x=\"" + num(x0 + 3) + "\" y=\"" + num(ly + 13) +
               "\" font-size=\"10\" fill=\"#111111\">" + id + "</text>\n";
        if (!opts.actual.empty() && opts.actual[i]) {
          const auto& act = *opts.actual[i];
          double ax = x_of(act.start_ms), aw = std::max(1.0, x_of(act.finish_ms) - ax);
          s += "<rect class=\"bar actual\" data-node=\"" + id + "\" x=\"" + num(ax) + "\" y=\"" +
               num(ly + 17) + "\" width=\"" + num(aw) + "\" height=\"5\" fill=\"" +
               colours.at(detail::colour_key(node)) +
               "\" stroke=\"#222222\" stroke-width=\"0.8\"><title>" + id + " actual " +
               num(act.start_ms, 1) + "-" + num(act.finish_ms, 1) + " ms</title></rect>\n";
        }
      }
      s += "</g>\n";
    }
    s += "</g>\n";
  }

  // The critical path as a red polyline linking its bars.
  if (cpath.size() > 1) {
    s += "<polyline class=\"critical-path\" fill=\"none\" stroke=\"#d62728\" stroke-width=\"1.5\" "
         "stroke-dasharray=\"4 2\" points=\"";
    for (auto i : cpath) {
      double ly = domain_y[a[i]->domain] + row_h * static_cast<double>(lanes.lane_of_node[i]) + 9.5;
      s += num(x_of(a[i]->start_ms)) + ',' + num(ly) + ' ' + num(x_of(a[i]->finish_ms)) + ',' +
           num(ly) + ' ';
    }
    s.back() = '"';
    s += "/>\n";
  }

  // Legend.
  s += "<g class=\"legend\">\n";
  for (std::size_t k = 0; k < legend.size(); ++k) {
    const auto& it = legend[k];
    double lx = 10 + item_w * static_cast<double>(k % per_row);
    double ly = legend_top + 20 * std::floor(double(k / per_row));
    std::string swatch;
    if (it.kind == "actual")
      swatch = "<rect x=\"" + num(lx) + "\" y=\"" + num(ly + 4) +
               "\" width=\"18\" height=\"5\" fill=\"#bbbbbb\" stroke=\"" + it.colour +
               "\" stroke-width=\"0.8\"/>";
    else if (it.kind == "critical")
      swatch = "<rect x=\"" + num(lx) + "\" y=\"" + num(ly) + "\" width=\"18\" height=\"12\" fill=\"#ffffff\" stroke=\"" + it.colour + "\" stroke-width=\"2.5\"/>";
    else
      swatch = "<rect x=\"" + num(lx) + "\" y=\"" + num(ly) + "\" width=\"18\" height=\"12\" rx=\"2\" fill=\"" + it.colour + "\"/>";
    s += "<g class=\"legend-item\" data-kind=\"" + it.kind + "\">" + swatch + "<text x=\"" +
         num(lx + 24) + "\" y=\"" + num(ly + 10) + "\">" + xml_escape(it.label) + "</text></g>\n";
  }
  s += "</g>\n</svg>\n";
  return s;
}

model::status write_text_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return model::error{path, "", "cannot open for writing"};
  out << text;
  out.close();
  if (!out) return model::error{path, "", "write failed"};
  return std::nullopt;
}

model::status write_gantt_svg(const std::string& path, const model::dataflow_definition& def,
                              const model::platform& plat, const strategies::plan& p,
                              const gantt_options& opts) {
  auto svg = gantt_svg(def, plat, p, opts);
  if (!svg) return svg.err();
  return write_text_file(path, *svg);
}

}  // namespace causality::observe
