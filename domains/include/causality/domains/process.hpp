#pragma once
/// \file Child processes for the `exec` node type: posix_spawn in a process
/// group of its own, stdin written from a string, stdout captured whole and
/// stderr's tail kept, cancellable from any thread (the group is killed).
/// No CAF, no shell: argv is run as given (never `system()`).

#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace causality::domains {

/// What to run: argv[0] is a path or a name looked up in PATH.
struct process_spec {
  std::vector<std::string> argv;
  /// Added to (or replacing entries of) the runtime's own environment.
  std::map<std::string, std::string> env;
  /// Working directory; empty: the runtime's.
  std::string cwd;
  /// Largest stdout kept; more fails the run with `output_too_large`.
  std::size_t max_stdout_bytes = 64u << 20;
  /// How much of the end of stderr is kept for the error message.
  std::size_t stderr_tail_bytes = 4096;
};

/// How a child ended.
struct process_result {
  enum class status {
    exited,            ///< ran to the end; see exit_code
    signalled,         ///< killed by a signal it did not get from us; see signal
    cancelled,         ///< cancel() was called: the group was killed
    spawn_failed,      ///< could not start (see error)
    output_too_large,  ///< stdout passed max_stdout_bytes: the group was killed
  };
  status how = status::spawn_failed;
  int exit_code = -1;
  int signal = 0;
  std::string out;          ///< stdout
  std::string err_tail;     ///< the last stderr_tail_bytes of stderr
  std::string error;        ///< why spawning failed
  bool ok() const { return how == status::exited && exit_code == 0; }
  /// One line for a node's error: "exit 3: <stderr tail>", "killed by signal 9", ...
  std::string describe() const;
};

/// One child process. run() blocks the calling thread until the child ends;
/// cancel() may be called from any thread, before or during run().
class process {
 public:
  process();
  ~process();
  process(const process&) = delete;
  process& operator=(const process&) = delete;

  /// Starts spec, writes `input` to its stdin (then closes it), collects
  /// stdout and stderr until it exits, and reaps it.
  process_result run(const process_spec& spec, const std::string& input);

  /// Kills the child's whole process group (SIGKILL) if it runs, and makes a
  /// run() not yet started return `cancelled` at once. Idempotent.
  void cancel();

 private:
  int wake_[2] = {-1, -1};  ///< self-pipe: cancel() writes, run()'s poll wakes
  std::mutex mu_;
  int pgid_ = 0;
  bool cancelled_ = false;
};

}  // namespace causality::domains
