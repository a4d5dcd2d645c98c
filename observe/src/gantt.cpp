#include "causality/observe/gantt.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>

#include "draw_util.hpp"

namespace causality::observe {
namespace {

using detail::num;
using detail::xml_escape;

// 1, 2 or 5 times a power of ten, giving about `target` ticks over `range`.
double nice_step(double range, int target) {
  double raw = range / target;
  double mag = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * mag >= raw) return m * mag;
  return 10 * mag;
}

}  // namespace

model::expected<std::string> gantt_svg(const model::dataflow_definition& def,
                                       const model::platform& plat, const strategies::plan& p,
                                       const gantt_options& opts) {
  if (auto err = check_plan_shape(def, plat, p)) return *err;
  if (!opts.actual.empty() && opts.actual.size() != def.nodes.size())
    return model::error{"", "actual", "actual times given for " +
                                          std::to_string(opts.actual.size()) + " of " +
                                          std::to_string(def.nodes.size()) + " nodes"};
  const auto a = detail::by_node(def, p);
  const auto lanes = assign_lanes(plat, p);
  const auto colours = detail::type_colours(def);
  std::vector<bool> critical(def.nodes.size(), false);
  const auto cpath = critical_path(def, plat, p);
  for (auto i : cpath) critical[i] = true;

  double t_end = detail::schedule_end(p);
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
