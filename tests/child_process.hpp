#pragma once
// A real child process for the CLI tests: posix_spawn with stdout and stderr
// on pipes, an environment of our choosing, signals, and bounded waits (no
// sleeps): output is read with poll() until a predicate holds or a deadline.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

extern char** environ;

namespace causality::testing {

class child {
 public:
  /// Starts argv[0] (a path) with the current environment changed by `env`
  /// (a value of nullopt removes the variable).
  child(const std::vector<std::string>& argv,
        const std::map<std::string, std::optional<std::string>>& env = {}) {
    int out[2], err[2];
    if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) return;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_adddup2(&fa, err[1], 2);
    std::vector<std::string> envs;
    for (char** e = environ; *e; ++e) {
      std::string kv = *e;
      auto name = kv.substr(0, kv.find('='));
      if (!env.count(name)) envs.push_back(kv);
    }
    for (auto& [k, v] : env)
      if (v) envs.push_back(k + "=" + *v);
    std::vector<char*> av, ev;
    for (auto& a : argv) av.push_back(const_cast<char*>(a.c_str()));
    av.push_back(nullptr);
    for (auto& e : envs) ev.push_back(const_cast<char*>(e.c_str()));
    ev.push_back(nullptr);
    if (posix_spawn(&pid_, av[0], &fa, nullptr, av.data(), ev.data()) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&fa);
    close(out[1]);
    close(err[1]);
    fd_[0] = out[0];
    fd_[1] = err[0];
  }
  ~child() {
    if (pid_ > 0 && !reaped_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    for (int f : fd_)
      if (f >= 0) close(f);
  }
  child(const child&) = delete;
  child& operator=(const child&) = delete;

  bool started() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }
  void signal(int sig) const { kill(pid_, sig); }

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
    int status = 0;
    waitpid(pid_, &status, 0);
    reaped_ = true;
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
  }

  std::string out, err;  ///< everything read so far

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

  pid_t pid_ = -1;
  bool reaped_ = false;
  int fd_[2] = {-1, -1};
};

}  // namespace causality::testing
