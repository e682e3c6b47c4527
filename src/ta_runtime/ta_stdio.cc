#include "ta_runtime/ta_stdio.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <string_view>

namespace swtee::ta {
namespace {

void write_all(int fd, std::string_view s) {
  while (!s.empty()) {
    ssize_t n = ::write(fd, s.data(), s.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // the log is gone or full: nothing better to do
    s.remove_prefix(static_cast<size_t>(n));
  }
}

}  // namespace

void TaStdioSinks::add(UniqueFd read_end, const std::string& uuid) {
  const int flags = ::fcntl(read_end.get(), F_GETFL);
  if (flags >= 0) (void)::fcntl(read_end.get(), F_SETFL, flags | O_NONBLOCK);
  Sink s;
  s.prefix = "TA " + uuid + ": ";
  s.tokens = rate_.burst_lines;
  s.refilled = Clock::now();
  const int key = read_end.get();
  s.fd = std::move(read_end);
  sinks_.insert_or_assign(key, std::move(s));
}

void TaStdioSinks::poll_set(std::vector<pollfd>& fds) const {
  for (const auto& [fd, s] : sinks_) fds.push_back(pollfd{fd, POLLIN, 0});
}

void TaStdioSinks::service(const std::vector<pollfd>& fds, Clock::time_point now) {
  for (const pollfd& p : fds) {
    if (p.revents == 0) continue;
    auto it = sinks_.find(p.fd);
    if (it == sinks_.end()) continue;
    drain(it->second, now);
    if ((p.revents & (POLLHUP | POLLERR | POLLNVAL)) != 0 && (p.revents & POLLIN) == 0) {
      Sink& s = it->second;
      if (!s.partial.empty()) emit(s, s.partial, now);
      flush_dropped(s);
      sinks_.erase(it);
    }
  }
}

void TaStdioSinks::drain(Sink& s, Clock::time_point now) {
  std::array<char, 4096> buf;
  // A bounded number of reads per wake-up, so one chatty TA cannot keep
  // the zygote from its spawn requests.
  for (int round = 0; round < 16; ++round) {
    ssize_t n = ::read(s.fd.get(), buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    std::string_view in(buf.data(), static_cast<size_t>(n));
    while (!in.empty()) {
      const size_t nl = in.find('\n');
      const size_t take = nl == std::string_view::npos ? in.size() : nl;
      s.partial.append(in.substr(0, take));
      const bool end_of_line = nl != std::string_view::npos;
      in.remove_prefix(end_of_line ? take + 1 : take);
      while (s.partial.size() >= rate_.max_line) {
        emit(s, std::string_view(s.partial).substr(0, rate_.max_line), now);
        s.partial.erase(0, rate_.max_line);
      }
      if (end_of_line) {
        emit(s, s.partial, now);
        s.partial.clear();
      }
    }
  }
}

void TaStdioSinks::emit(Sink& s, std::string_view line, Clock::time_point now) {
  const double elapsed = std::chrono::duration<double>(now - s.refilled).count();
  s.refilled = now;
  s.tokens = std::min<double>(rate_.burst_lines, s.tokens + elapsed * rate_.lines_per_second);
  if (s.tokens < 1) {
    ++s.dropped;
    ++dropped_total_;
    return;
  }
  s.tokens -= 1;
  flush_dropped(s);
  std::string out = s.prefix;
  out.reserve(out.size() + line.size() + 1);
  // Printable ASCII only: no terminal controls, no forged line breaks.
  for (char c : line) out.push_back(c >= 0x20 && c < 0x7f ? c : (c == '\t' ? ' ' : '?'));
  out.push_back('\n');
  write_all(out_, out);
}

void TaStdioSinks::flush_dropped(Sink& s) {
  if (s.dropped == 0) return;
  write_all(out_, s.prefix + "[" + std::to_string(s.dropped) + " lines dropped: output rate limit]\n");
  s.dropped = 0;
}

}  // namespace swtee::ta
