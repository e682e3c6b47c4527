// A test stand-in for the OP-TEE driver: a real carve-out memfd, real
// channel socketpairs, a real doorbell block (client ends here) and a
// ConduitServer serving them on a thread, with helpers to make calls and
// answer RPCs as the driver would.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "common/doorbell.h"
#include "common/seqpacket.h"
#include "common/shm_file.h"
#include "os/carveout.h"
#include "os/conduit_server.h"
#include "os/guests.h"
#include "os/msg_entry.h"
#include "os/pta/invoke_tests_pta.h"
#include "os/pta/stats_pta.h"
#include "os/session_router.h"
#include "os/shm_registry.h"
#include "os/tests/arg_builder.h"
#include "protocol/optee_smc.h"

namespace swtee::os::testing {

struct RpcRequest {
  std::span<uint8_t> area;  // the RPC arg in the slot
  uint64_t thread_id;
  uint32_t cmd() const {
    uint32_t v;
    std::memcpy(&v, area.data() + offsetof(optee::MsgArg, cmd), 4);
    return v;
  }
  // Answer helpers.
  uint64_t p(uint32_t i, unsigned word) const {
    uint64_t v;
    std::memcpy(&v, area.data() + sizeof(optee::MsgArg) + i * 32 + word * 8, 8);
    return v;
  }
  void set_p(uint32_t i, uint64_t attr, uint64_t a, uint64_t b, uint64_t c) {
    const uint64_t w[4] = {attr, a, b, c};
    std::memcpy(area.data() + sizeof(optee::MsgArg) + i * 32, w, sizeof(w));
  }
  void set_ret(uint32_t ret) { std::memcpy(area.data() + offsetof(optee::MsgArg, ret), &ret, 4); }
};
// Handles one RPC; may push fds to attach to the RETURN_FROM_RPC frame.
// Returning false makes the normal world "die" (close the channel).
using RpcHandler = std::function<bool(RpcRequest&, std::vector<UniqueFd>& fds)>;

class NormalWorld {
 public:
  // `guests`: makes guest partitions (VM_CREATED); none: client id 0 only.
  NormalWorld(unsigned channels, unsigned threads, TaHost* host = nullptr, PartitionFactory guests = {})
      : router_(host), entry_(router_, registry_), guests_(entry_, std::move(guests)) {
    const uint64_t size = uint64_t{channels} * conduit::kCarveoutSlotSize;
    auto fd = create_sealed_memfd("carveout", size);
    EXPECT_TRUE(fd.ok());
    auto map = Mapping::map(fd->get(), size);
    EXPECT_TRUE(map.ok());
    map_ = std::move(*map);
    auto co = Carveout::adopt(UniqueFd(::fcntl(fd->get(), F_DUPFD_CLOEXEC, 0)), channels);
    EXPECT_TRUE(co.ok());
    std::vector<UniqueFd> secure;
    const uint64_t bell_size = uint64_t{channels} * conduit::kDoorbellChannelSize;
    auto bell_fd = create_sealed_memfd("doorbell", bell_size);
    EXPECT_TRUE(bell_fd.ok());
    auto bell_map = Mapping::map(bell_fd->get(), bell_size);
    EXPECT_TRUE(bell_map.ok());
    bell_map_ = std::move(*bell_map);
    for (unsigned i = 0; i < channels; ++i) {
      auto pair = seqpacket_pair();
      EXPECT_TRUE(pair.ok());
      nw_.push_back(std::move(pair->first));
      secure.push_back(std::move(pair->second));
      bells_.push_back(
          std::make_unique<DoorbellEnd>(doorbell_pair(i), DoorbellEnd::Role::Client, nw_.back().get(), 0));
    }
    EXPECT_TRUE(router_.add_pta(std::make_unique<InvokeTestsPta>()).ok());
    EXPECT_TRUE(router_
                    .add_pta(std::make_unique<StatsPta>([this] {
                      OsCounts c;
                      c.sessions = router_.session_count();
                      c.registered_shm = registry_.size();
                      c.inflight_calls = router_.inflight_count();
                      return c;
                    }))
                    .ok());
    auto server =
        ConduitServer::create(std::move(*co), std::move(secure), std::move(*bell_fd), threads, 0, guests_);
    EXPECT_TRUE(server.ok());
    server_ = std::move(*server);
    thread_ = std::thread([this] { server_->run(); });
  }
  ~NormalWorld() { shutdown(); }

  // Hangs every channel up; the server stops once all are.
  void shutdown() {
    for (unsigned ch = 0; ch < nw_.size(); ++ch) close_channel(ch);
    if (thread_.joinable()) thread_.join();
  }
  // The normal world goes: an orderly hang-up plus the socket's EOF.
  void close_channel(unsigned ch) {
    if (!nw_[ch]) return;
    bells_[ch]->hang_up();
    nw_[ch].reset();
  }
  // Closes the channel's socket only, as a crashed driver would: the server
  // notices on its next peer check.
  void drop_socket(unsigned ch) { nw_[ch].reset(); }
  DoorbellPair* doorbell_pair(unsigned ch) {
    return reinterpret_cast<DoorbellPair*>(bell_map_.data() + ch * conduit::kDoorbellChannelSize);
  }

  std::span<uint8_t> slot(unsigned ch) {
    return map_.bytes().subspan(ch * conduit::kCarveoutSlotSize, conduit::kCarveoutSlotSize);
  }
  ArgWriter arg(unsigned ch, size_t off = 0) { return ArgWriter(slot(ch).subspan(off)); }
  ArgWriter view(unsigned ch, size_t off = 0) const {  // reads without clearing
    return ArgWriter::view(map_.bytes().subspan(ch * conduit::kCarveoutSlotSize + off));
  }

  conduit::SmcRegs call(unsigned ch, const conduit::SmcRegs& in, std::span<const int> fds = {}) {
    EXPECT_LE(fds.size(), conduit::kMaxFdsPerFrame);
    EXPECT_TRUE(bells_[ch]->post(conduit::to_frame(in), fds.empty() ? -1 : fds.front()).ok());
    return recv_regs(ch);
  }
  // The next answer on `ch` without posting (after a frame was forged in
  // the doorbell block by hand).
  conduit::SmcRegs await(unsigned ch) { return recv_regs(ch); }
  conduit::SmcRegs call(unsigned ch, uint64_t a0) {
    conduit::SmcRegs r{};
    r.a[0] = a0;
    return call(ch, r);
  }
  static conduit::SmcRegs yielding_regs(unsigned ch, size_t off = 0) {
    const uint64_t phys = conduit::kCarveoutPhysBase + ch * conduit::kCarveoutSlotSize + off;
    conduit::SmcRegs r{};
    r.a[0] = optee::kSmcCallWithRpcArg;
    r.a[1] = phys >> 32;
    r.a[2] = phys & 0xFFFFFFFF;
    return r;
  }
  // A yielding call whose RPCs go to `handler`. Returns the final answer.
  conduit::SmcRegs yielding(unsigned ch, const RpcHandler& handler = {}, std::span<const int> fds = {},
                            size_t off = 0) {
    conduit::SmcRegs regs = yielding_regs(ch, off);
    regs.a[optee::kSmcClientIdReg] = client;
    conduit::SmcRegs out = call(ch, regs, fds);
    while (out.a[0] == conduit::kSmcReturnRpcCmd) {
      ++rpcs_seen;
      optee::MsgArg call_hdr;
      std::memcpy(&call_hdr, slot(ch).data() + off, sizeof(call_hdr));
      auto area = slot(ch).subspan(off + optee::msg_arg_size(call_hdr.num_params));
      RpcRequest req{area, out.a[3]};
      std::vector<UniqueFd> attach;
      if (!handler || !handler(req, attach)) {
        close_channel(ch);
        return out;
      }
      conduit::SmcRegs resume{};
      resume.a[0] = optee::kSmcReturnFromRpc;
      resume.a[1] = out.a[1];
      resume.a[2] = out.a[2];
      resume.a[3] = out.a[3];
      resume.a[optee::kSmcClientIdReg] = client;
      std::vector<int> raw;
      for (auto& f : attach) raw.push_back(f.get());
      out = call(ch, resume, raw);
    }
    return out;
  }

  SessionRouter& router() { return router_; }
  ShmRegistry& registry() { return registry_; }
  Guests& guests() { return guests_; }
  int rpcs_seen = 0;
  // The client id (a7) yielding() puts on its frames.
  uint64_t client = 0;

 private:
  conduit::SmcRegs recv_regs(unsigned ch) {
    auto m = bells_[ch]->wait();
    EXPECT_TRUE(m.ok());
    if (!m.ok()) return {};
    EXPECT_TRUE(m->fds.empty());  // swtee-os never sends fds
    return conduit::to_regs(m->frame);
  }

  ShmRegistry registry_;
  SessionRouter router_;
  MsgEntry entry_;
  Guests guests_;
  Mapping map_;
  Mapping bell_map_;
  std::vector<UniqueFd> nw_;
  std::vector<std::unique_ptr<DoorbellEnd>> bells_;
  std::unique_ptr<ConduitServer> server_;
  std::thread thread_;
};

}  // namespace swtee::os::testing
