#include "common/progress.h"

#include <fmt/core.h>

namespace swtee {

Progress::Progress(std::string label, uint64_t total, int fd, AtEnd at_end)
    : label_(std::move(label)), total_(total), fd_(fd), at_end_(at_end), shown_(::isatty(fd) == 1) {}

void Progress::update(uint64_t done) {
  done_ = done;
  if (!shown_ || finished_) return;
  const auto now = std::chrono::steady_clock::now();
  if (last_ != std::chrono::steady_clock::time_point{} && now - last_ < std::chrono::milliseconds(100))
    return;
  last_ = now;
  draw(done);
}

void Progress::finish() {
  if (!shown_ || finished_) return;
  finished_ = true;
  if (at_end_ == AtEnd::Erase) {
    static constexpr char kErase[] = "\r\x1b[K";
    (void)!::write(fd_, kErase, sizeof(kErase) - 1);
    return;
  }
  draw(done_);
  (void)!::write(fd_, "\n", 1);
}

void Progress::draw(uint64_t done) {
  const unsigned pct = total_ == 0 ? 100 : static_cast<unsigned>(done * 100 / total_);
  const std::string line = fmt::format("\r{}: {}/{} ({}%)\x1b[K", label_, done, total_, pct);
  (void)!::write(fd_, line.data(), line.size());
}

}  // namespace swtee
