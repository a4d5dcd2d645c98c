// WfCommons instances (schema 1.5) mapped as examples/workloads/README.md says:
// node per task, an edge per parent/child pair (union of both lists), edge
// bytes = files output by the parent and input to the child.
#include "causality/model/io.hpp"

#include <cmath>
#include <unordered_map>
#include <unordered_set>

#include "causality/model/limits.hpp"
#include "json_reader.hpp"

namespace causality::model {

using detail::child_path;
using detail::json_reader;
using detail::num_rule;
using json = nlohmann::json;

namespace {

/// A task's id: "id", falling back to "name".
bool task_id(json_reader& r, const json& t, const std::string& path, std::string& out) {
  if (!r.expect_object(t, path)) return false;
  if (r.str(t, "id", path, out)) return true;
  if (!r.ok()) return false;
  return r.str(t, "name", path, out, /*required=*/true);
}

/// Resolves the file references of one list (ids, names, or {"id"} objects)
/// to file indices, without duplicates.
bool file_refs(json_reader& r, const json& task, const char* key, const std::string& path,
               const std::unordered_map<std::string, std::size_t>& files,
               std::vector<std::size_t>& out) {
  const json* a = r.array(task, key, path);
  if (!a) return r.ok();
  std::unordered_set<std::size_t> seen;
  for (std::size_t i = 0; i < a->size(); ++i) {
    const json& v = (*a)[i];
    const json* ref = &v;
    if (v.is_object()) {
      auto it = v.find("id");
      if (it == v.end()) it = v.find("name");
      if (it == v.end()) {
        r.fail(child_path(child_path(path, key), i), "file reference has no id or name");
        return false;
      }
      ref = &*it;
    }
    if (!ref->is_string()) {
      r.fail(child_path(child_path(path, key), i), detail::type_mismatch("a file id", *ref));
      return false;
    }
    auto f = files.find(ref->get_ref<const std::string&>());
    if (f == files.end()) {
      r.fail(child_path(child_path(path, key), i),
             "unknown file '" + ref->get<std::string>() + "' (not in /workflow/specification/files)");
      return false;
    }
    if (seen.insert(f->second).second) out.push_back(f->second);
  }
  return true;
}

/// obj[key] * scale as a whole non-negative count (bytes, ms), if present.
bool read_scaled(json_reader& r, const json& obj, const char* key, const std::string& base,
                 double scale, std::uint64_t& out) {
  double v = 0;
  if (!r.num(obj, key, base, v, num_rule::non_negative)) return false;
  double x = std::round(v * scale);
  if (auto why = limits::range_violation(x, 0.0, static_cast<double>(limits::max_item_bytes));
      !why.empty()) {
    r.fail(child_path(base, key), why);
    return false;
  }
  out = static_cast<std::uint64_t>(x);
  return true;
}

/// Seconds to milliseconds, exactly (no rounding: FORMATS.md durations are
/// reals), below 2^64 ms as before.
bool read_ms(json_reader& r, const json& obj, const char* key, const std::string& base,
             double& out) {
  double v = 0;
  if (!r.num(obj, key, base, v, num_rule::non_negative)) return false;
  if (auto why = limits::range_violation(v, 0.0, limits::max_work_ms / 1000.0); !why.empty()) {
    r.fail(child_path(base, key), why + " (seconds)");
    return false;
  }
  out = v * 1000.0;
  return true;
}

std::string file_stem(const std::string& file) {
  auto slash = file.find_last_of('/');
  std::string base = slash == std::string::npos ? file : file.substr(slash + 1);
  auto dot = base.rfind('.');
  return dot == std::string::npos || dot == 0 ? base : base.substr(0, dot);
}

}  // namespace

expected<dataflow_definition> wfcommons_from_json(const json& j, const std::string& file) {
  json_reader r(file);
  dataflow_definition d;
  if (!r.expect_object(j, "")) return r.err();
  if (!r.str(j, "name", "", d.name)) d.name = file_stem(file);
  if (!r.ok()) return r.err();
  d.definition_id = d.name;

  const json* wf = r.object(j, "workflow", "", true);
  if (!wf) return r.err();
  const json* spec = r.object(*wf, "specification", "/workflow", true);
  if (!spec) {
    auto e = r.err();
    e.reason += " (WfCommons schema 1.5 expected)";
    return e;
  }
  const std::string spath = "/workflow/specification";
  const json* tasks = r.array(*spec, "tasks", spath, true);
  const json* files = r.array(*spec, "files", spath);
  if (!r.ok()) return r.err();

  // Files by id and by name (instances reference either).
  std::vector<std::uint64_t> file_size;
  std::unordered_map<std::string, std::size_t> file_index;
  if (files) {
    file_size.reserve(files->size());
    file_index.reserve(files->size() * 2);
    for (std::size_t i = 0; i < files->size(); ++i) {
      const json& f = (*files)[i];
      std::string fpath = child_path(spath + "/files", i);
      if (!r.expect_object(f, fpath)) return r.err();
      std::string id, name;
      r.str(f, "id", fpath, id);
      r.str(f, "name", fpath, name);
      if (id.empty() && name.empty() && r.ok())
        r.fail(fpath + "/id", "missing required field");
      std::uint64_t size = 0;
      read_scaled(r, f, "sizeInBytes", fpath, 1.0, size);
      if (!r.ok()) return r.err();
      file_size.push_back(size);
      std::size_t idx = file_size.size() - 1;
      if (!id.empty() && !file_index.emplace(id, idx).second)
        r.fail(fpath + "/id", "duplicate file id '" + id + "'");
      if (!name.empty()) file_index.emplace(name, idx);  // an id wins over a name
      if (!r.ok()) return r.err();
    }
  }

  // Tasks: nodes, their ids and file sets.
  const std::size_t n = tasks->size();
  if (n > limits::max_nodes) {  // before allocating per task
    r.fail(spath + "/tasks", std::to_string(n) + " tasks, more than " + std::to_string(limits::max_nodes));
    return r.err();
  }
  d.nodes.resize(n);
  std::unordered_map<std::string, std::size_t> task_index;
  task_index.reserve(n * 2);
  std::vector<std::vector<std::size_t>> inputs(n), outputs(n);
  const std::string tpath = spath + "/tasks";
  for (std::size_t i = 0; i < n; ++i) {
    const json& t = (*tasks)[i];
    std::string path = child_path(tpath, i);
    dataflow_node& node = d.nodes[i];
    node.resources.cpu_time_given = false;  // until an execution record gives runtimeInSeconds
    if (!task_id(r, t, path, node.node_id)) return r.err();
    if (auto why = limits::id_violation(node.node_id); !why.empty()) {
      r.fail(path + (t.contains("id") ? "/id" : "/name"), why);
      return r.err();
    }
    if (!r.str(t, "name", path, node.name)) node.name = node.node_id;
    std::string category;
    if (r.str(t, "category", path, category)) node.params["category"] = category;
    file_refs(r, t, "inputFiles", path, file_index, inputs[i]);
    file_refs(r, t, "outputFiles", path, file_index, outputs[i]);
    if (!r.ok()) return r.err();
    if (!task_index.emplace(node.node_id, i).second) {
      r.fail(path + "/id", "duplicate task id '" + node.node_id + "'");
      return r.err();
    }
  }

  // Execution records, matched by id; a task without one (or an instance
  // without an execution section) keeps the model's default estimate.
  if (const json* exec = r.object(*wf, "execution", "/workflow")) {
    const std::string epath = "/workflow/execution/tasks";
    if (const json* et = r.array(*exec, "tasks", "/workflow/execution")) {
      for (std::size_t i = 0; i < et->size(); ++i) {
        const json& t = (*et)[i];
        std::string path = child_path(epath, i);
        std::string id;
        if (!task_id(r, t, path, id)) return r.err();
        auto it = task_index.find(id);
        if (it == task_index.end()) {
          r.fail(path + "/id", "execution record for unknown task '" + id + "'");
          return r.err();
        }
        resource_usage_estimate& res = d.nodes[it->second].resources;
        read_ms(r, t, "runtimeInSeconds", path, res.cpu_time_ms);
        if (t.contains("runtimeInSeconds")) res.cpu_time_given = true;
        read_scaled(r, t, "memoryInBytes", path, 1.0, res.memory_bytes);
        if (!r.ok()) return r.err();
      }
    }
    if (!r.ok()) return r.err();
  }
  if (!r.ok()) return r.err();

  // Edges: the union of parent and child lists. A pair may be listed on both
  // sides, so successors are gathered per source and deduplicated with a mark
  // array (O(V + E), no hashing). Order: sources in task order, each source's
  // successors in the order the file first names them.
  std::vector<std::vector<std::size_t>> succ(n);
  for (std::size_t i = 0; i < n; ++i) {
    const json& t = (*tasks)[i];
    std::string path = child_path(tpath, i);
    for (const char* key : {"children", "parents"}) {
      const json* a = r.array(t, key, path);
      if (!r.ok()) return r.err();
      if (!a) continue;
      const bool parents = key[0] == 'p';
      for (std::size_t k = 0; k < a->size(); ++k) {
        const json& v = (*a)[k];
        if (!v.is_string()) {
          r.fail(child_path(child_path(path, key), k), detail::type_mismatch("a task id", v));
          return r.err();
        }
        auto other = task_index.find(v.get_ref<const std::string&>());
        if (other == task_index.end()) {
          r.fail(child_path(child_path(path, key), k), "unknown task '" + v.get<std::string>() + "'");
          return r.err();
        }
        if (parents) succ[other->second].push_back(i);
        else succ[i].push_back(other->second);
      }
    }
  }
  std::vector<std::size_t> mark(n, SIZE_MAX);
  std::vector<std::pair<std::size_t, std::size_t>> pairs;  // edge -> (src, dst)
  for (std::size_t src = 0; src < n; ++src) {
    for (auto dst : succ[src]) {
      if (mark[dst] == src) continue;
      mark[dst] = src;
      pairs.emplace_back(src, dst);
    }
  }
  if (pairs.size() > limits::max_edges) {
    r.fail(tpath, std::to_string(pairs.size()) + " parent/child pairs, more than " +
                      std::to_string(limits::max_edges) + " edges");
    return r.err();
  }
  d.edges.resize(pairs.size());
  for (std::size_t k = 0; k < pairs.size(); ++k) {
    auto& e = d.edges[k];
    e.source_node = d.nodes[pairs[k].first].node_id;
    e.target_node = d.nodes[pairs[k].second].node_id;
    e.edge_id = e.source_node + "->" + e.target_node;
  }

  // Edge bytes: shared files, probing the smaller list against the larger set.
  std::vector<std::unordered_set<std::size_t>> input_set(n);
  for (std::size_t i = 0; i < n; ++i)
    input_set[i].insert(inputs[i].begin(), inputs[i].end());
  std::vector<std::unordered_set<std::size_t>> output_set(n);
  std::vector<bool> output_set_built(n, false);
  for (std::size_t k = 0; k < d.edges.size(); ++k) {
    auto [src, dst] = pairs[k];
    std::uint64_t bytes = 0;
    if (outputs[src].size() <= inputs[dst].size()) {
      for (auto f : outputs[src])
        if (input_set[dst].count(f)) bytes += file_size[f];
    } else {
      if (!output_set_built[src]) {
        output_set[src].insert(outputs[src].begin(), outputs[src].end());
        output_set_built[src] = true;
      }
      for (auto f : inputs[dst])
        if (output_set[src].count(f)) bytes += file_size[f];
    }
    if (bytes > limits::max_item_bytes) {
      r.fail(child_path(tpath, dst) + "/inputFiles",
             "the files task '" + d.nodes[dst].node_id + "' reads from task '" +
                 d.nodes[src].node_id + "' total " + std::to_string(bytes) +
                 " bytes, more than " + std::to_string(limits::max_item_bytes));
      return r.err();
    }
    d.edges[k].bytes = bytes;
  }
  return d;
}

}  // namespace causality::model
