#include "cli/spawn.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>

namespace swtee::cli {

Result<std::string> resolve_program(const std::string& name) {
  if (name.empty()) return Error{ENOENT, "empty program name"};
  auto runnable = [](const std::string& p) {
    struct stat st {};
    return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(p.c_str(), X_OK) == 0;
  };
  if (name.find('/') != std::string::npos) {
    if (runnable(name)) return name;
    return Error{ENOENT, "program not found or not executable"};
  }
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  size_t pos = 0;
  while (pos <= dirs.size()) {
    size_t end = dirs.find(':', pos);
    if (end == std::string::npos) end = dirs.size();
    std::string dir = dirs.substr(pos, end - pos);
    std::string cand = (dir.empty() ? std::string(".") : dir) + "/" + name;
    if (runnable(cand)) return cand;
    pos = end + 1;
  }
  return Error{ENOENT, "program not found in PATH"};
}

Result<ChildProcess> spawn(const SpawnOptions& opts) {
  if (opts.argv.empty()) return Error{EINVAL, "empty argv"};
  ASSIGN_OR_RETURN(std::string path, resolve_program(opts.argv[0]));
  // Everything the child needs is built before fork: only async-signal-safe
  // calls happen between fork and exec.
  std::vector<char*> args;
  for (const auto& a : opts.argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<std::string> env_store;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string_view kv(*e);
    bool overridden = false;
    for (const auto& [k, v] : opts.env) {
      if (kv.size() > k.size() && kv.substr(0, k.size()) == k && kv[k.size()] == '=') overridden = true;
    }
    if (!overridden) env_store.emplace_back(kv);
  }
  for (const auto& [k, v] : opts.env) env_store.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& s : env_store) envp.push_back(s.data());
  envp.push_back(nullptr);
  const int n = static_cast<int>(opts.keep_fds.size());
  std::vector<int> tmp(opts.keep_fds.size(), -1);
  UniqueFd devnull;
  if (opts.null_stdin) {
    devnull.reset(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    if (!devnull) return Error::from_errno("open /dev/null");
  }

  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) return Error::from_errno("fork");
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) _exit(127);
    if (opts.pgid && ::setpgid(0, *opts.pgid) != 0) _exit(127);
    if (devnull && ::dup2(devnull.get(), STDIN_FILENO) < 0) _exit(127);
    for (int i = 0; i < n; ++i) tmp[i] = ::fcntl(opts.keep_fds[i], F_DUPFD, 100 + n);
    for (int i = 0; i < n; ++i) ::dup2(tmp[i], 3 + i);  // dup2 clears CLOEXEC
    ::syscall(SYS_close_range, 3 + n, ~0U, 0);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::execve(path.c_str(), args.data(), envp.data());
    _exit(127);
  }
  // Also from the parent, so the group exists before anyone signals it.
  if (opts.pgid) (void)::setpgid(pid, *opts.pgid == 0 ? pid : *opts.pgid);
  return ChildProcess(pid);
}

int exit_code_from_status(int st) {
  if (WIFEXITED(st)) return WEXITSTATUS(st);
  if (WIFSIGNALED(st)) return 128 + WTERMSIG(st);
  return 1;
}

}  // namespace swtee::cli
