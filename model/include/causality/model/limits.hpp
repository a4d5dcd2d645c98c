#pragma once
/// \file The valid ranges of every number, id, count and size the loaders
/// accept, in one place (docs/model.md "Limits" is the same table in words).
/// Every loader and the CLI check against these constants through the
/// helpers below, so a bound is changed here and nowhere else.
///
/// The bounds are chosen so that no product or sum computed downstream can
/// overflow: a node's duration (work / speed) stays below 1e12 ms, which is
/// 1e18 ns and fits a std::chrono nanosecond count (2^63 ns = 9.2e18);
/// byte counts summed over every node or edge stay below 2^63; costs summed
/// over the workflow stay finite and below 1e18.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "causality/model/error.hpp"

namespace causality::model::limits {

// ------------------------------------------------------------------ reading

/// Largest file (or stdin) a loader reads, unless CAUSALITY_MAX_FILE_BYTES
/// says otherwise: 64 MiB, 300 times the largest shared workload; a JSON
/// document of that size parses to well under 1 GB.
inline constexpr std::uint64_t default_max_file_bytes = 64ull << 20;
/// The environment variable that overrides default_max_file_bytes (bytes, a
/// whole number from 1 to max_file_bytes_ceiling).
inline constexpr const char* max_file_bytes_env = "CAUSALITY_MAX_FILE_BYTES";
inline constexpr std::uint64_t max_file_bytes_ceiling = 16ull << 30;  // 16 GiB
/// The file size limit in force: the environment's, or the default; an error
/// naming the variable when it is set to something else than a whole number
/// in range.
expected<std::uint64_t> max_file_bytes();

/// Deepest JSON nesting (objects and arrays). The formats nest at most seven
/// levels; inputs files hold user values, 64 leaves them room.
inline constexpr std::size_t max_json_depth = 64;
/// Longest JSON string (a value or a key): 16 MiB.
inline constexpr std::size_t max_string_bytes = 16ull << 20;

// ---------------------------------------------------------------------- ids

/// Longest id (node, edge, port, domain, strategy, task, file name).
inline constexpr std::size_t max_id_bytes = 256;
/// Why `id` is not a valid id (empty, longer than max_id_bytes, holds a byte
/// below 0x20 or 0x7f), or an empty string when it is. Never echoes the id.
std::string id_violation(std::string_view id);
/// Why free text (a description) is not printable, or "": the control-byte
/// rule of ids without their length bound.
std::string text_violation(std::string_view text);

// ------------------------------------------------------------------- counts

inline constexpr std::size_t max_nodes = 1u << 20;    ///< 1,048,576 nodes per workflow
inline constexpr std::size_t max_edges = 1u << 22;    ///< 4,194,304 edges per workflow
inline constexpr std::size_t max_domains = 64;        ///< per platform (the runtime's domain masks are 64 bits)
inline constexpr std::size_t max_ports = 1024;        ///< per node and direction
inline constexpr std::size_t max_strategies = 1024;   ///< per strategies file

// -------------------------------------------------------- workflow numbers

/// A node's work at speed 1.0 (cpu_time_ms; WfCommons runtimeInSeconds ×
/// 1000): at most 1e9 ms (11.6 days), so that at the slowest speed the
/// duration stays within max_duration_ms.
inline constexpr double max_work_ms = 1e9;
/// Sum of every node's work: at most 1e12 ms (31.7 years of CPU).
inline constexpr double max_total_work_ms = 1e12;
/// estimated_completion_time_ms, completion_time_ms, max_latency_ms, plan start/finish.
inline constexpr double max_duration_ms = 1e12;
/// A plan file's start_ms / finish_ms: at most 1e15 ms (a chain of the
/// whole max_total_work_ms at the slowest speed).
inline constexpr double max_plan_ms = 1e15;
/// complexity: (0, 1e6] (it multiplies cost, not duration).
inline constexpr double max_complexity = 1e6;
/// Node and edge byte counts (memory, storage, network, edge bytes, a
/// WfCommons file size): 2^40 (1 TiB), so sums over max_edges stay below 2^62.
inline constexpr std::uint64_t max_item_bytes = 1ull << 40;
/// security_level of nodes and domains.
inline constexpr std::uint64_t max_security_level = 1000;
/// external_calls of a node.
inline constexpr std::uint64_t max_external_calls = 1000000;

// ------------------------------------------- retries, timeouts (policies)

/// retry.max_attempts (node, workflow "policies", --retries): 1 .. 100
/// attempts in all (the run records attempts per node in a byte).
inline constexpr std::uint64_t max_retry_attempts = 100;
/// retry.initial_backoff_ms and retry.max_backoff_ms (--retry-backoff-ms):
/// 0 .. one day.
inline constexpr double max_backoff_ms = 86400000;
/// retry.multiplier: 1 (a constant wait) .. 100 (the cap bounds the wait).
inline constexpr double min_backoff_multiplier = 1, max_backoff_multiplier = 100;
/// retry.jitter: 0 .. 1 (a wait grows by at most its own length).
inline constexpr double max_jitter = 1;
/// timeout_ms of a node or of "policies" (--node-timeout-ms): > 0 .. 1e9 ms
/// (11.6 days, as max_work_ms).
inline constexpr double max_timeout_ms = 1e9;

// -------------------------------------------------------- platform numbers

inline constexpr std::uint64_t max_slots = 4096;  ///< per domain; the planner allocates per slot
inline constexpr double min_speed = 1e-3;         ///< work / speed ≤ 1e12 ms
inline constexpr double max_speed = 1e3;
/// A domain's memory_bytes (per slot) and storage_bytes: 2^50 (1 PiB).
inline constexpr std::uint64_t max_domain_bytes = 1ull << 50;
inline constexpr std::uint64_t max_base_cost = 1000000000;             ///< 1e9
inline constexpr std::uint64_t max_resource_cost_per_unit = 1000000000;  ///< 1e9
inline constexpr double max_domain_cost_factor = 1e6;
inline constexpr double max_proof_cost_per_unit = 1e9;
inline constexpr double max_cost_per_external_call = 1e9;
/// Network: 1 MB/s to 1 PB/s, so an edge of max_item_bytes moves in < 1.1e9 ms.
inline constexpr double min_bandwidth_bytes_per_s = 1e6;
inline constexpr double max_bandwidth_bytes_per_s = 1e15;
inline constexpr double max_latency_ms = 1e6;
inline constexpr double min_cross_domain_multiplier = 1e-3;
inline constexpr double max_cross_domain_multiplier = 1e3;
/// A workflow's cost on a platform, summed over nodes at their most
/// expensive domain: at most 1e18 (a u64 budget holds it exactly enough).
inline constexpr double max_total_cost = 1e18;

// -------------------------------------------------- hints and strategies

inline constexpr std::uint64_t max_priority = 100;  ///< priority 0..100 (as --priority)
/// cost_budget of a hint: at most max_total_cost.
inline constexpr std::uint64_t max_cost_budget = 1000000000000000000ull;
/// makespan_stretch of a hint: 1 (only the fastest) .. 1000 (as --stretch).
inline constexpr double min_makespan_stretch = 1, max_makespan_stretch = 1000;
/// A strategy's weights: each in [0, 100], sum positive.
inline constexpr double max_weight = 100;

// ------------------------------------------------------------------ helpers

/// "must be finite, got X", "must be at least LO, got X", "must be at most HI,
/// got X" (or "greater than LO" when lo_open), or "" when lo ≤ v ≤ hi.
std::string range_violation(double v, double lo, double hi, bool lo_open = false);
/// The same for whole numbers.
std::string range_violation(std::uint64_t v, std::uint64_t lo, std::uint64_t hi);
/// A number as printed in messages (shortest round-trip form, e.g. 1e+12).
std::string show(double v);

/// Why three strategy weights are not acceptable, naming the field (e.g.
/// {"/latency_weight", "must be at most 100, got 1e308"}), or nullopt.
std::optional<std::pair<std::string, std::string>> weights_violation(double priority,
                                                                     double latency,
                                                                     double cost);

}  // namespace causality::model::limits
