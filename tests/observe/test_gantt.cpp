#include <catch2/catch.hpp>

#include <set>

#include "causality/observe/gantt.hpp"

using namespace causality;
using namespace causality::observe;

namespace {

model::dataflow_node node(const std::string& id, const std::string& type, double cpu_ms) {
  model::dataflow_node n;
  n.node_id = id;
  n.name = id;
  n.node_type = type;
  n.resources.cpu_time_ms = static_cast<std::uint64_t>(cpu_ms);
  return n;
}

model::dataflow_edge edge(const std::string& a, const std::string& b, std::uint64_t bytes) {
  model::dataflow_edge e;
  e.edge_id = a + "->" + b;
  e.source_node = a;
  e.target_node = b;
  e.bytes = bytes;
  return e;
}

model::domain_spec domain(const std::string& name, model::domain_kind k, std::uint32_t slots) {
  model::domain_spec d;
  d.name = name;
  d.kind = k;
  d.slots = slots;
  return d;
}

// Diamond a -> {b, c} -> d; b is long, c short and remote. The schedule
// follows the FORMATS.md model, computed here from the inputs.
struct diamond {
  model::dataflow_definition def;
  model::platform plat;
  strategies::plan plan;

  diamond() {
    def.definition_id = def.name = "diamond";
    def.nodes = {node("a", "load", 100), node("b", "map", 300), node("c", "map", 50),
                 node("d", "reduce", 80)};
    def.edges = {edge("a", "b", 1000), edge("a", "c", 2'000'000), edge("b", "d", 10),
                 edge("c", "d", 500'000)};
    plat.name = "two";
    plat.domains = {domain("compute-a", model::domain_kind::compute, 2),
                    domain("service-b", model::domain_kind::service, 1)};
    const auto& net = plat.network;
    auto tr = [&](std::uint64_t bytes) {
      return net.transfer_ms(bytes, model::domain_kind::compute, model::domain_kind::service);
    };
    auto back = [&](std::uint64_t bytes) {
      return net.transfer_ms(bytes, model::domain_kind::service, model::domain_kind::compute);
    };
    plan.workflow = "diamond";
    plan.platform = "two";
    plan.strategy = "latency";
    double c_start = 100 + tr(2'000'000);
    double d_start = std::max(400.0, c_start + 50 + back(500'000));
    plan.assignments = {{0, 0, 0, 100, 1},
                        {1, 0, 100, 400, 1},
                        {2, 1, c_start, c_start + 50, 1},
                        {3, 0, d_start, d_start + 80, 1}};
    plan.makespan_ms = d_start + 80;
    plan.total_cost = 4;
  }
};

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
  return n;
}

// Element nesting must balance (no parser dependency: tags and quotes only).
void check_well_formed(const std::string& s) {
  std::vector<std::string> stack;
  std::size_t i = 0;
  while ((i = s.find('<', i)) != std::string::npos) {
    auto end = s.find('>', i);
    REQUIRE(end != std::string::npos);
    std::string tag = s.substr(i + 1, end - i - 1);
    i = end + 1;
    REQUIRE(count(tag, "\"") % 2 == 0);
    if (tag[0] == '?' || tag[0] == '!') continue;
    if (tag[0] == '/') {
      REQUIRE_FALSE(stack.empty());
      CHECK(stack.back() == tag.substr(1));
      stack.pop_back();
    } else if (tag.back() != '/') {
      stack.push_back(tag.substr(0, tag.find_first_of(" \n")));
    }
  }
  CHECK(stack.empty());
}

// data-node values of every element whose class attribute starts with `cls`.
// (Plain scanning: std::regex trips -Wmaybe-uninitialized under ASan + -Werror.)
std::multiset<std::string> nodes_with_class(const std::string& svg, const std::string& cls) {
  std::multiset<std::string> out;
  const std::string open = "class=\"" + cls, attr = "\" data-node=\"";
  for (auto p = svg.find(open); p != std::string::npos; p = svg.find(open, p + 1)) {
    auto end_class = svg.find('"', p + 7);
    if (svg.compare(end_class, attr.size(), attr) != 0) continue;
    auto v = end_class + attr.size();
    out.insert(svg.substr(v, svg.find('"', v) - v));
  }
  return out;
}

// The fill colour of the planned bar of node `id`.
std::string planned_fill(const std::string& svg, const std::string& id) {
  auto p = svg.find("class=\"bar planned");
  for (; p != std::string::npos; p = svg.find("class=\"bar planned", p + 1)) {
    auto tag_end = svg.find('>', p);
    auto tag = svg.substr(p, tag_end - p);
    if (tag.find("data-node=\"" + id + "\"") == std::string::npos) continue;
    auto f = tag.find(" fill=\"");
    REQUIRE(f != std::string::npos);
    return tag.substr(f + 7, 7);
  }
  FAIL("no planned bar for " << id);
  return "";
}

}  // namespace

TEST_CASE("the critical path follows the binding predecessor", "[observe][gantt]") {
  diamond x;
  // b (300 ms) ends at 400; c arrives later only if its transfers are slow:
  // the expected path is whichever of b / c delivers to d last.
  const auto& a = x.plan.assignments;
  double via_c = a[2].finish_ms + x.plat.network.transfer_ms(500'000, model::domain_kind::service,
                                                             model::domain_kind::compute);
  std::vector<std::size_t> expected = via_c > a[1].finish_ms ? std::vector<std::size_t>{0, 2, 3}
                                                             : std::vector<std::size_t>{0, 1, 3};
  CHECK(critical_path(x.def, x.plat, x.plan) == expected);
}

TEST_CASE("waiting for a slot puts the slot's previous node on the critical path",
          "[observe][gantt]") {
  model::dataflow_definition def;
  def.nodes = {node("x", "t", 100), node("y", "t", 100), node("z", "u", 10)};
  model::platform plat;
  plat.domains = {domain("solo", model::domain_kind::compute, 1),
                  domain("side", model::domain_kind::compute, 1)};
  strategies::plan p;
  p.assignments = {{0, 0, 0, 100, 0}, {1, 0, 100, 200, 0}, {2, 1, 0, 10, 0}};
  p.makespan_ms = 200;
  CHECK(critical_path(def, plat, p) == std::vector<std::size_t>{0, 1});
  auto lanes = assign_lanes(plat, p);
  CHECK(lanes.lanes_of_domain == std::vector<std::size_t>{1, 1});
}

TEST_CASE("overlapping nodes of one domain get different slot lanes", "[observe][gantt]") {
  diamond x;
  // Two extra nodes overlapping a and each other on compute-a (2 slots).
  x.def.nodes.push_back(node("e", "map", 10));
  x.def.nodes.push_back(node("f", "map", 10));
  x.plan.assignments.push_back({4, 0, 50, 150, 0});
  x.plan.assignments.push_back({5, 0, 160, 170, 0});
  auto lanes = assign_lanes(x.plat, x.plan);
  CHECK(lanes.lanes_of_domain == std::vector<std::size_t>{2, 1});
  CHECK(lanes.lane_of_node[0] != lanes.lane_of_node[4]);  // a and e overlap
  CHECK(lanes.lane_of_node[1] != lanes.lane_of_node[5]);  // b and f overlap
}

TEST_CASE("the Gantt SVG has one bar per node, a lane per slot and the critical path marked",
          "[observe][gantt]") {
  diamond x;
  gantt_options opts;
  opts.actual = {node_span{0, 110}, node_span{110, 420}, std::nullopt, node_span{430, 515}};
  auto svg = gantt_svg(x.def, x.plat, x.plan, opts);
  REQUIRE(svg);
  check_well_formed(*svg);
  CHECK(svg->rfind("<?xml", 0) == 0);

  std::multiset<std::string> ids;
  for (const auto& n : x.def.nodes) ids.insert(n.node_id);
  CHECK(nodes_with_class(*svg, "bar planned") == ids);

  std::multiset<std::string> with_actual;
  for (std::size_t i = 0; i < opts.actual.size(); ++i)
    if (opts.actual[i]) with_actual.insert(x.def.nodes[i].node_id);
  CHECK(nodes_with_class(*svg, "bar actual") == with_actual);

  std::multiset<std::string> crit;
  for (auto i : critical_path(x.def, x.plat, x.plan)) crit.insert(x.def.nodes[i].node_id);
  CHECK(nodes_with_class(*svg, "bar planned critical") == crit);
  CHECK(count(*svg, "class=\"critical-path\"") == 1);

  for (const auto& d : x.plat.domains)
    CHECK(count(*svg, "<g class=\"lane\" data-domain=\"" + d.name + "\"") == d.slots);

  std::set<std::string> types;
  for (const auto& n : x.def.nodes) types.insert(n.node_type);
  CHECK(count(*svg, "data-kind=\"type\"") == types.size());
  for (const auto& t : types) CHECK(svg->find(">" + t + "</text></g>") != std::string::npos);
}

TEST_CASE("nodes of one type share a colour and types differ", "[observe][gantt]") {
  diamond x;
  auto svg = gantt_svg(x.def, x.plat, x.plan).value();
  auto fill_of = [&](const std::string& id) { return planned_fill(svg, id); };
  CHECK(fill_of("b") == fill_of("c"));  // both "map"
  CHECK(fill_of("a") != fill_of("b"));
  CHECK(fill_of("a") != fill_of("d"));
}

TEST_CASE("ids with markup characters are escaped in the SVG", "[observe][gantt]") {
  diamond x;
  x.def.nodes[0].node_id = "a<&\"'>";
  x.def.edges[0].source_node = x.def.edges[1].source_node = x.def.nodes[0].node_id;
  auto svg = gantt_svg(x.def, x.plat, x.plan).value();
  check_well_formed(svg);
  CHECK(svg.find("a&lt;&amp;&quot;&apos;&gt;") != std::string::npos);
}

TEST_CASE("control bytes in ids reach SVG and DOT as \\xNN, never raw", "[observe][gantt][dot]") {
  // The loaders refuse such ids; the writers do not rely on it.
  diamond x;
  const std::string id = std::string("a\x1b[31m\rb\0c", 10);
  x.def.nodes[0].node_id = id;
  x.def.edges[0].source_node = x.def.edges[1].source_node = id;
  x.plat.domains[0].name = "d\x07om";
  auto svg = gantt_svg(x.def, x.plat, x.plan).value();
  check_well_formed(svg);
  auto dot = to_dot(x.def, x.plat, x.plan);
  for (const std::string& out : {svg, dot}) {
    for (char c : out) {
      auto u = static_cast<unsigned char>(c);
      CHECK((u >= 0x20 || c == '\n') == true);
      CHECK(u != 0x7f);
    }
  }
  CHECK(svg.find("a\\x1b[31m\\x0db\\x00c") != std::string::npos);
  CHECK(svg.find("d\\x07om") != std::string::npos);
  CHECK(dot.find("\"a\\\\x1b[31m\\\\x0db\\\\x00c\"") != std::string::npos);  // the backslash escaped for DOT
}

TEST_CASE("a plan that does not fit the definition is refused", "[observe][gantt]") {
  diamond x;
  auto short_plan = x.plan;
  short_plan.assignments.pop_back();
  CHECK_FALSE(gantt_svg(x.def, x.plat, short_plan));
  auto bad_domain = x.plan;
  bad_domain.assignments[1].domain = 7;
  auto r = gantt_svg(x.def, x.plat, bad_domain);
  REQUIRE_FALSE(r);
  CHECK(r.err().path == "/assignments/1/domain");
  gantt_options opts;
  opts.actual.resize(2);
  CHECK_FALSE(gantt_svg(x.def, x.plat, x.plan, opts));
  auto w = write_gantt_svg("/nonexistent-dir/out.svg", x.def, x.plat, x.plan);
  REQUIRE(w);
  CHECK(w->file == "/nonexistent-dir/out.svg");
}

TEST_CASE("DOT lists every node with id, type and planned domain, every edge with its data",
          "[observe][dot]") {
  diamond x;
  x.def.edges[1].filter = "big_only";
  x.def.edges[2].route = "by_key";
  x.def.edges[3].transform = "compress";
  auto dot = to_dot(x.def, x.plat, x.plan);
  CHECK(dot.rfind("digraph \"diamond\" {", 0) == 0);
  CHECK(count(dot, "{") == count(dot, "}"));
  CHECK(count(dot, " -> ") == x.def.edges.size());
  for (const auto& a : x.plan.assignments) {
    const auto& n = x.def.nodes[a.node];
    CHECK(dot.find("\"" + n.node_id + "\" [label=\"" + n.node_id + "\\ntype: " + n.node_type +
                   "\\ndomain: " + x.plat.domains[a.domain].name + "\"") != std::string::npos);
  }
  CHECK(dot.find("\"a\" -> \"b\" [label=\"1000 B\"]") != std::string::npos);
  CHECK(dot.find("\"a\" -> \"c\" [label=\"1.9 MiB\\nfilter: big_only\", style=dashed]") !=
        std::string::npos);
  CHECK(dot.find("\"b\" -> \"d\" [label=\"10 B\\nroute: by_key\", style=dashed]") !=
        std::string::npos);
  CHECK(dot.find("\"c\" -> \"d\" [label=\"488.3 KiB\\ntransform: compress\"]") !=
        std::string::npos);
}

TEST_CASE("DOT without a plan shows pinned domains and escapes quotes", "[observe][dot]") {
  diamond x;
  x.def.nodes[0].domain = "compute-a";
  x.def.nodes[1].node_id = "b\"q";
  x.def.edges[0].target_node = "b\"q";
  auto dot = to_dot(x.def);
  CHECK(dot.find("\\npinned: compute-a") != std::string::npos);
  CHECK(dot.find("domain:") == std::string::npos);
  CHECK(dot.find("\"a\" -> \"b\\\"q\"") != std::string::npos);
}

TEST_CASE("untyped WfCommons tasks are coloured by the program in their id", "[observe][gantt]") {
  diamond x;
  for (auto& n : x.def.nodes) n.node_type = "noop";
  x.def.nodes[0].node_id = "mProject_ID0000001";
  x.def.nodes[1].node_id = "mDiffFit_ID0000002";
  x.def.nodes[2].node_id = "mDiffFit_ID0000003";
  x.def.nodes[3].params["category"] = "mAdd";
  x.def.edges = {};
  auto svg = gantt_svg(x.def, x.plat, x.plan).value();
  CHECK(count(svg, "data-kind=\"type\"") == 3);
  for (const char* key : {"mProject", "mDiffFit", "mAdd"})
    CHECK(svg.find(std::string(">") + key + "</text></g>") != std::string::npos);
  CHECK(to_dot(x.def).find("type: noop (mDiffFit)") != std::string::npos);
}
