#pragma once
// A real child process for the tests: started in a process group of its own
// and killed with that whole group when the test is done with it, on every
// path (a failed REQUIRE unwinds through the guard; a test process that dies
// takes its children along: PR_SET_PDEATHSIG). `child` adds stdout and stderr
// on pipes, an environment of our choosing, signals, and bounded waits (no
// sleeps): output is read with poll() until a predicate holds or a deadline.
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

extern char** environ;

namespace causality::testing {

/// Starts argv[0] (a path) with exactly the environment `env` ("NAME=value"),
/// its stdout and stderr on out_fd and err_fd and its stdin on in_fd (-1:
/// inherited), as the leader of
/// a new process group that receives SIGKILL when the calling thread ends.
/// Returns its pid, or -1 (errno set) when it could not be started.
inline pid_t spawn_in_group(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                            int out_fd = -1, int err_fd = -1, int in_fd = -1) {
  std::vector<char*> av, ev;
  for (auto& a : argv) av.push_back(const_cast<char*>(a.c_str()));
  av.push_back(nullptr);
  for (auto& e : env) ev.push_back(const_cast<char*>(e.c_str()));
  ev.push_back(nullptr);
  int report[2];  // the exec error, if any; closed by a successful exec
  if (av[0] == nullptr || pipe2(report, O_CLOEXEC) != 0) return -1;
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid == 0) {
    // Only async-signal-safe calls until exec: the parent has threads.
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);  // the parent is already gone
    if (out_fd >= 0) dup2(out_fd, 1);
    if (err_fd >= 0) dup2(err_fd, 2);
    if (in_fd >= 0) dup2(in_fd, 0);
    execve(av[0], av.data(), ev.data());
    int e = errno;
    (void)!write(report[1], &e, sizeof e);
    _exit(127);
  }
  close(report[1]);
  if (pid < 0) {
    close(report[0]);
    return -1;
  }
  setpgid(pid, pid);  // also here: the group exists before we may signal it
  int e = 0;
  ssize_t got;
  do got = read(report[0], &e, sizeof e);
  while (got < 0 && errno == EINTR);
  close(report[0]);
  if (got > 0) {  // exec failed: the child has exited
    waitpid(pid, nullptr, 0);
    errno = e;
    return -1;
  }
  return pid;
}

/// The current environment with `changes` applied (a value of nullopt
/// removes the variable).
inline std::vector<std::string> environment_with(
    const std::map<std::string, std::optional<std::string>>& changes) {
  std::vector<std::string> envs;
  for (char** e = environ; *e; ++e) {
    std::string kv = *e;
    if (!changes.count(kv.substr(0, kv.find('=')))) envs.push_back(kv);
  }
  for (auto& [k, v] : changes)
    if (v) envs.push_back(k + "=" + *v);
  return envs;
}

/// Owns a process started by spawn_in_group: on destruction (or kill_all) its
/// whole group gets SIGKILL and the leader is reaped, unless reap() already
/// collected it.
class process_group {
 public:
  process_group() = default;
  explicit process_group(pid_t leader) : pid_(leader) {}
  process_group(process_group&& o) noexcept : pid_(std::exchange(o.pid_, -1)), reaped_(o.reaped_) {}
  process_group& operator=(process_group&& o) noexcept {
    if (this != &o) {
      kill_all();
      pid_ = std::exchange(o.pid_, -1);
      reaped_ = o.reaped_;
    }
    return *this;
  }
  process_group(const process_group&) = delete;
  process_group& operator=(const process_group&) = delete;
  ~process_group() { kill_all(); }

  pid_t pid() const { return pid_; }
  bool running() const { return pid_ > 0 && !reaped_; }
  /// Sends `sig` to the leader only.
  void signal(int sig) const {
    if (running()) ::kill(pid_, sig);
  }
  /// Waits for the leader to end: its wait status, or -1 when there is none.
  int reap() {
    if (!running()) return -1;
    int status = 0;
    while (wait4(pid_, &status, 0, &usage_) < 0 && errno == EINTR) {
    }
    reaped_ = true;
    return status;
  }
  /// The leader's resource usage once reap() collected it (ru_maxrss: peak RSS, KiB).
  const struct rusage& usage() const { return usage_; }
  /// SIGKILL to every process of the group, then reaps the leader.
  void kill_all() {
    if (pid_ <= 0) return;
    ::kill(-pid_, SIGKILL);  // its children too: they share the group
    if (!reaped_) {
      ::kill(pid_, SIGKILL);
      while (waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
      }
    }
    pid_ = -1;
    reaped_ = false;
  }

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  struct rusage usage_ {};
};

class child {
 public:
  /// Starts argv[0] (a path) with the current environment changed by `env`
  /// (a value of nullopt removes the variable); with `stdin_fd`, that
  /// descriptor is its standard input.
  child(const std::vector<std::string>& argv,
        const std::map<std::string, std::optional<std::string>>& env = {}, int stdin_fd = -1) {
    int out[2], err[2];
    if (pipe2(out, O_CLOEXEC) != 0) return;
    if (pipe2(err, O_CLOEXEC) != 0) {
      close(out[0]);
      close(out[1]);
      return;
    }
    proc_ = process_group(spawn_in_group(argv, environment_with(env), out[1], err[1], stdin_fd));
    close(out[1]);
    close(err[1]);
    fd_[0] = out[0];
    fd_[1] = err[0];
  }
  ~child() {
    proc_.kill_all();
    for (int f : fd_)
      if (f >= 0) close(f);
  }
  child(const child&) = delete;
  child& operator=(const child&) = delete;

  bool started() const { return proc_.pid() > 0; }
  pid_t pid() const { return proc_.pid(); }
  void signal(int sig) const { proc_.signal(sig); }

  /// Reads output until `done(out, err)` holds (true) or `limit` passes (false).
  bool read_until(const std::function<bool(const std::string&, const std::string&)>& done,
                  std::chrono::milliseconds limit) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done(out, err)) {
      if (!read_some(deadline)) return done(out, err);
    }
    return true;
  }

  /// Reads to the end of both streams and reaps the child: its exit code,
  /// 128 + signal if killed by one, or -1 after `limit` (then it is killed).
  int wait(std::chrono::milliseconds limit) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (fd_[0] >= 0 || fd_[1] >= 0)
      if (!read_some(deadline)) break;
    if (fd_[0] >= 0 || fd_[1] >= 0) return -1;  // the destructor kills it
    int status = proc_.reap();
    if (status == -1) return -1;
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
  }

  std::string out, err;  ///< everything read so far

  /// The child's own resource usage once wait() reaped it (ru_maxrss: peak RSS, KiB).
  const struct rusage& usage() const { return proc_.usage(); }

 private:
  // One poll round; false when the deadline passed or both streams ended.
  bool read_some(std::chrono::steady_clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline -
                                                                      std::chrono::steady_clock::now());
    if (left.count() <= 0 || (fd_[0] < 0 && fd_[1] < 0)) return false;
    pollfd p[2] = {{fd_[0], POLLIN, 0}, {fd_[1], POLLIN, 0}};
    int n = poll(p, 2, static_cast<int>(left.count()));
    if (n <= 0) return n == 0 ? false : true;
    char buf[4096];
    for (int i = 0; i < 2; ++i) {
      if (fd_[i] < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t got = ::read(fd_[i], buf, sizeof buf);
      if (got > 0) (i == 0 ? out : err).append(buf, static_cast<std::size_t>(got));
      else {
        close(fd_[i]);
        fd_[i] = -1;
      }
    }
    return true;
  }

  process_group proc_;
  int fd_[2] = {-1, -1};
};

}  // namespace causality::testing
