// posix_spawn + poll: the child gets its own process group so cancel() can
// kill it with everything it started; a pidfd tells when it exited even if a
// grandchild keeps its pipes open; SIGPIPE is blocked on this thread only
// (a library must not change the application's signal dispositions).
#include "causality/domains/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

extern char** environ;

namespace causality::domains {

namespace {

int pidfd_open(pid_t pid) { return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)); }

struct fd_guard {
  int fd = -1;
  ~fd_guard() { reset(); }
  void reset() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};

void set_nonblocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }

std::vector<std::string> merged_env(const std::map<std::string, std::string>& extra) {
  std::vector<std::string> out;
  for (char** e = environ; e && *e; ++e) {
    std::string kv = *e;
    auto eq = kv.find('=');
    if (eq != std::string::npos && extra.count(kv.substr(0, eq))) continue;
    out.push_back(std::move(kv));
  }
  for (const auto& [k, v] : extra) out.push_back(k + "=" + v);
  return out;
}

/// SIGPIPE blocked on the calling thread for the lifetime of the guard; a
/// SIGPIPE raised meanwhile (write to a child that closed stdin) is consumed.
struct sigpipe_guard {
  sigset_t old{};
  sigpipe_guard() {
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &s, &old);
  }
  ~sigpipe_guard() {
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGPIPE);
    timespec zero{0, 0};
    while (sigtimedwait(&s, nullptr, &zero) > 0) {}
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
  }
};

}  // namespace

std::string process_result::describe() const {
  switch (how) {
    case status::exited:
      if (exit_code == 0) return "exit 0";
      return "exit " + std::to_string(exit_code) + (err_tail.empty() ? "" : ": " + err_tail);
    case status::signalled:
      return "killed by signal " + std::to_string(signal) + " (" + ::strsignal(signal) + ")" +
             (err_tail.empty() ? "" : ": " + err_tail);
    case status::cancelled: return "cancelled: the process group was killed";
    case status::spawn_failed: return "cannot start: " + error;
    case status::output_too_large: return "stdout exceeded its limit: the process group was killed";
  }
  return "unknown";
}

process::process() {
  if (::pipe2(wake_, O_CLOEXEC | O_NONBLOCK) != 0) wake_[0] = wake_[1] = -1;
}

process::~process() {
  for (int fd : wake_)
    if (fd >= 0) ::close(fd);
}

void process::cancel() {
  std::lock_guard<std::mutex> lock(mu_);
  if (cancelled_) return;
  cancelled_ = true;
  if (pgid_ > 0) ::kill(-pgid_, SIGKILL);
  if (wake_[1] >= 0) {
    char c = 1;
    [[maybe_unused]] auto n = ::write(wake_[1], &c, 1);
  }
}

process_result process::run(const process_spec& spec, const std::string& input) {
  process_result r;
  if (spec.argv.empty() || spec.argv[0].empty()) {
    r.error = "empty argv";
    return r;
  }
  if (wake_[0] < 0) {
    r.error = std::string("pipe: ") + std::strerror(errno);
    return r;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (cancelled_) {
      r.how = process_result::status::cancelled;
      return r;
    }
  }
  sigpipe_guard no_sigpipe;
  int in[2], out[2], err[2];
  if (::pipe2(in, O_CLOEXEC) != 0) return r.error = std::strerror(errno), r;
  fd_guard in_r{in[0]}, in_w{in[1]};
  if (::pipe2(out, O_CLOEXEC) != 0) return r.error = std::strerror(errno), r;
  fd_guard out_r{out[0]}, out_w{out[1]};
  if (::pipe2(err, O_CLOEXEC) != 0) return r.error = std::strerror(errno), r;
  fd_guard err_r{err[0]}, err_w{err[1]};

  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in_r.fd, 0);
  posix_spawn_file_actions_adddup2(&fa, out_w.fd, 1);
  posix_spawn_file_actions_adddup2(&fa, err_w.fd, 2);
  if (!spec.cwd.empty()) posix_spawn_file_actions_addchdir_np(&fa, spec.cwd.c_str());
  posix_spawnattr_t at;
  posix_spawnattr_init(&at);
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  for (int s : {SIGPIPE, SIGINT, SIGTERM, SIGQUIT, SIGHUP, SIGCHLD}) sigaddset(&defaults, s);
  posix_spawnattr_setsigmask(&at, &none);
  posix_spawnattr_setsigdefault(&at, &defaults);
  posix_spawnattr_setpgroup(&at, 0);
  posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
                                    POSIX_SPAWN_SETSIGDEF);
  std::vector<char*> argv;
  for (const auto& a : spec.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  auto env = merged_env(spec.env);
  std::vector<char*> envp;
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  pid_t pid = 0;
  int rc = ::posix_spawnp(&pid, argv[0], &fa, &at, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&at);
  in_r.reset();
  out_w.reset();
  err_w.reset();
  if (rc != 0) {
    r.error = spec.argv[0] + ": " + std::strerror(rc);
    return r;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    pgid_ = pid;
    if (cancelled_) ::kill(-pid, SIGKILL);
  }
  fd_guard pidfd{pidfd_open(pid)};
  set_nonblocking(in_w.fd);
  set_nonblocking(out_r.fd);
  set_nonblocking(err_r.fd);

  std::size_t written = 0;
  if (input.empty()) in_w.reset();
  bool exited = pidfd.fd < 0;  // without a pidfd: wait for both pipes' EOF, then reap
  bool killed_by_us = false;
  bool too_large = false;
  std::string err_all;
  auto drain = [&](int fd, bool is_out) -> bool {  // false at EOF
    char buf[65536];
    for (;;) {
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n > 0) {
        if (is_out) {
          if (r.out.size() + static_cast<std::size_t>(n) > spec.max_stdout_bytes) {
            too_large = true;
            std::lock_guard<std::mutex> lock(mu_);
            ::kill(-pid, SIGKILL);
            return false;
          }
          r.out.append(buf, static_cast<std::size_t>(n));
        } else {
          err_all.append(buf, static_cast<std::size_t>(n));
          if (err_all.size() > 2 * spec.stderr_tail_bytes)
            err_all.erase(0, err_all.size() - spec.stderr_tail_bytes);
        }
        continue;
      }
      if (n == 0) return false;
      if (errno == EINTR) continue;
      return true;  // EAGAIN
    }
  };
  bool out_open = true, err_open = true;
  while (out_open || err_open || !exited) {
    pollfd p[5];
    int k = 0, i_out = -1, i_err = -1, i_in = -1, i_wake = -1, i_pid = -1;
    if (out_open) p[i_out = k++] = {out_r.fd, POLLIN, 0};
    if (err_open) p[i_err = k++] = {err_r.fd, POLLIN, 0};
    if (in_w.fd >= 0) p[i_in = k++] = {in_w.fd, POLLOUT, 0};
    if (!killed_by_us) p[i_wake = k++] = {wake_[0], POLLIN, 0};
    if (!exited) p[i_pid = k++] = {pidfd.fd, POLLIN, 0};
    if (k == 0) break;
    if (::poll(p, static_cast<nfds_t>(k), -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (i_wake >= 0 && p[i_wake].revents) {
      std::lock_guard<std::mutex> lock(mu_);
      if (cancelled_) {
        ::kill(-pid, SIGKILL);
        killed_by_us = true;
      }
    }
    if (i_in >= 0 && p[i_in].revents) {
      ssize_t n = ::write(in_w.fd, input.data() + written, input.size() - written);
      if (n > 0) written += static_cast<std::size_t>(n);
      if ((n < 0 && errno != EAGAIN && errno != EINTR) || written == input.size()) in_w.reset();
    }
    if (i_out >= 0 && p[i_out].revents) out_open = drain(out_r.fd, true);
    if (i_err >= 0 && p[i_err].revents) err_open = drain(err_r.fd, false);
    if (i_pid >= 0 && p[i_pid].revents) {
      exited = true;
      // What the child wrote before it exited is in the pipes; a grandchild
      // that keeps them open must not keep us here.
      if (out_open) drain(out_r.fd, true);
      if (err_open) drain(err_r.fd, false);
      out_open = err_open = false;
    }
    if (too_large) {
      out_open = false;
      killed_by_us = true;
    }
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
  {
    std::lock_guard<std::mutex> lock(mu_);
    pgid_ = 0;
    if (cancelled_) killed_by_us = true;
  }
  if (err_all.size() > spec.stderr_tail_bytes)
    err_all.erase(0, err_all.size() - spec.stderr_tail_bytes);
  while (!err_all.empty() && (err_all.back() == '\n' || err_all.back() == '\r')) err_all.pop_back();
  r.err_tail = std::move(err_all);
  if (too_large) r.how = process_result::status::output_too_large;
  else if (WIFEXITED(status)) r.how = process_result::status::exited, r.exit_code = WEXITSTATUS(status);
  else if (killed_by_us) r.how = process_result::status::cancelled;
  else if (WIFSIGNALED(status)) r.how = process_result::status::signalled, r.signal = WTERMSIG(status);
  return r;
}

}  // namespace causality::domains
