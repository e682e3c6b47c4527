#include "daemon/control_server.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstring>
#include <vector>

#include "common/log.h"
#include "common/seqpacket.h"
#include "protocol/control_codec.h"

namespace swtee::daemon {
namespace {

uint64_t now_ms() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000 + static_cast<uint64_t>(ts.tv_nsec) / 1000000;
}

// A control client gets this long to send its request.
constexpr int kRequestTimeoutMs = 1000;

}  // namespace

ControlServer::ControlServer(std::string path, const core::Core& core, OsAlive os_alive, OsStatus os_status,
                             UniqueFd listener, UniqueFd wake)
    : path_(std::move(path)),
      core_(core),
      os_alive_(std::move(os_alive)),
      os_status_(std::move(os_status)),
      listener_(std::move(listener)),
      wake_(std::move(wake)),
      started_ms_(now_ms()) {}

Result<std::unique_ptr<ControlServer>> ControlServer::start(const std::string& path, const core::Core& core,
                                                            OsAlive os_alive, OsStatus os_status) {
  ASSIGN_OR_RETURN(UniqueFd listener, seqpacket_listen(path, 0600));
  UniqueFd wake(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!wake) return Error::from_errno("eventfd");
  std::unique_ptr<ControlServer> s(new ControlServer(path, core, std::move(os_alive), std::move(os_status),
                                                     std::move(listener), std::move(wake)));
  ControlServer* raw = s.get();
  ASSIGN_OR_RETURN(s->thread_, core::OsThread::spawn([raw] { raw->loop(); }));
  return s;
}

ControlServer::~ControlServer() {
  uint64_t one = 1;
  (void)!::write(wake_.get(), &one, sizeof(one));
  thread_.join();
  ::unlink(path_.c_str());
}

void ControlServer::loop() {
  std::array<pollfd, 2> pfds{{{wake_.get(), POLLIN, 0}, {listener_.get(), POLLIN, 0}}};
  for (;;) {
    int n = ::poll(pfds.data(), pfds.size(), -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (pfds[0].revents != 0) return;
    if ((pfds[1].revents & POLLIN) == 0) continue;
    UniqueFd c(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
    if (c) serve_client(c.get());
  }
}

void ControlServer::send_calls(int sock) {
  control::CallsReply hdr{};
  std::vector<control::DeviceCalls> devs;
  std::vector<control::InflightCall> calls;
  const auto now = std::chrono::steady_clock::now();
  for (const core::DeviceCalls& d : core_.call_snapshot()) {
    if (devs.size() >= control::kMaxDevices) break;
    control::DeviceCalls c{};
    std::strncpy(c.name, d.name.c_str(), sizeof(c.name) - 1);
    c.calls = d.calls.calls;
    c.errors = d.calls.errors;
    c.panics = d.calls.panics;
    for (const auto& f : d.calls.inflight) {
      ++hdr.inflight_total;
      if (calls.size() >= control::kMaxInflight) continue;
      control::InflightCall r{};
      r.device = static_cast<uint32_t>(devs.size());
      r.pid = f.pid;
      std::strncpy(r.op, f.op, sizeof(r.op) - 1);
      r.session = f.session;
      r.func = f.func;
      r.age_us = static_cast<uint64_t>(
          std::max<int64_t>(0, std::chrono::duration_cast<std::chrono::microseconds>(now - f.start).count()));
      calls.push_back(r);
    }
    devs.push_back(c);
  }
  hdr.num_devices = static_cast<uint32_t>(devs.size());
  hdr.num_inflight = static_cast<uint32_t>(calls.size());
  std::array<std::span<const uint8_t>, 3> parts{
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(&hdr), sizeof(hdr)),
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(devs.data()), devs.size() * sizeof(devs[0])),
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(calls.data()),
                               calls.size() * sizeof(calls[0]))};
  if (Status st = send_message_parts(sock, parts); !st.ok())
    log::debug("control: reply failed: {}", st.error());
}

void ControlServer::send_os(int sock) {
  control::OsReply hdr{};
  std::vector<uint8_t> report;
  if (!os_status_) {
    hdr.rc = -ENOTSUP;
  } else if (auto r = os_status_(); !r.ok()) {
    log::debug("control: OS status: {}", r.error());
    hdr.rc = -r.error().code;
  } else if (r->size() > osstat::kMaxReportBytes) {
    hdr.rc = -EPROTO;
  } else {
    report = std::move(*r);
    hdr.length = static_cast<uint32_t>(report.size());
  }
  std::array<std::span<const uint8_t>, 2> parts{
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(&hdr), sizeof(hdr)),
      std::span<const uint8_t>(report.data(), report.size())};
  if (Status st = send_message_parts(sock, parts); !st.ok())
    log::debug("control: reply failed: {}", st.error());
}

void ControlServer::send_status(int sock, int32_t rc) {
  control::ControlStatusReply hdr{};
  std::vector<control::DeviceStatus> devs;
  hdr.rc = rc;
  if (rc == 0) {
    for (const core::DeviceSnapshot& d : core_.snapshot()) {
      if (devs.size() >= control::kMaxDevices) break;
      control::DeviceStatus s{};
      std::strncpy(s.name, d.name.c_str(), sizeof(s.name) - 1);
      s.privileged = d.privileged ? 1 : 0;
      s.impl_id = d.version.impl_id;
      s.gen_caps = d.version.gen_caps;
      s.contexts = d.contexts;
      s.sessions = d.sessions;
      s.shms = d.shms;
      devs.push_back(s);
    }
    hdr.num_devices = static_cast<uint32_t>(devs.size());
    hdr.uptime_ms = now_ms() - started_ms_;
    hdr.os_alive = os_alive_ && os_alive_() ? 1 : 0;
  }
  std::array<std::span<const uint8_t>, 2> parts{
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(&hdr), sizeof(hdr)),
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(devs.data()), devs.size() * sizeof(devs[0]))};
  if (Status st = send_message_parts(sock, parts); !st.ok())
    log::debug("control: reply failed: {}", st.error());
}

void ControlServer::serve_client(int sock) {
  pollfd p{sock, POLLIN, 0};
  if (::poll(&p, 1, kRequestTimeoutMs) <= 0) return;
  std::array<uint8_t, 64> buf{};
  auto msg = recv_message(sock, buf);
  if (!msg.ok()) return;
  auto cmd = control::decode_request(
      std::span<const uint8_t>(buf.data(), std::min<size_t>(msg->length, buf.size())));
  if (!cmd.ok()) {
    send_status(sock, -cmd.error().code);  // a Status-shaped refusal, as before
    return;
  }
  switch (*cmd) {
    case control::ControlCmd::Status:
      send_status(sock, 0);
      return;
    case control::ControlCmd::Calls:
      send_calls(sock);
      return;
    case control::ControlCmd::Os:
      send_os(sock);
      return;
  }
}

}  // namespace swtee::daemon
