#include "protocol/control_codec.h"

#include <gtest/gtest.h>

#include <cstring>

#include "protocol/os_status_codec.h"

namespace swtee {
namespace {

using control::ControlCmd;

std::vector<uint8_t> request(uint32_t cmd, uint32_t reserved = 0) {
  control::ControlRequest r{cmd, reserved};
  std::vector<uint8_t> out(sizeof(r));
  std::memcpy(out.data(), &r, sizeof(r));
  return out;
}

TEST(ControlCodec, DecodesRequests) {
  EXPECT_EQ(*control::decode_request(request(1)), ControlCmd::Status);
  EXPECT_EQ(*control::decode_request(request(2)), ControlCmd::Calls);
  EXPECT_EQ(*control::decode_request(request(3)), ControlCmd::Os);
  EXPECT_EQ(control::decode_request(request(0)).error().code, EINVAL);
  EXPECT_EQ(control::decode_request(request(99)).error().code, EINVAL);
  EXPECT_EQ(control::decode_request(request(1, 1)).error().code, EINVAL);
  auto longer = request(1);
  longer.push_back(0);
  EXPECT_EQ(control::decode_request(longer).error().code, EINVAL);
  EXPECT_EQ(control::decode_request({}).error().code, EINVAL);
}

std::vector<uint8_t> status_reply(uint32_t n, size_t extra_bytes = 0, int32_t rc = 0) {
  control::ControlStatusReply h{rc, n, 12345, 1, 0};
  std::vector<uint8_t> out(sizeof(h) + n * sizeof(control::DeviceStatus) + extra_bytes);
  std::memcpy(out.data(), &h, sizeof(h));
  for (uint32_t i = 0; i < n; ++i) {
    control::DeviceStatus d{};
    std::snprintf(d.name, sizeof(d.name), i == 0 ? "tee0" : "teepriv0");
    std::memset(d.name + 12, 'x', sizeof(d.name) - 12);  // garbage after the NUL is ignored
    d.privileged = i;
    d.contexts = 3 + i;
    std::memcpy(out.data() + sizeof(h) + i * sizeof(d), &d, sizeof(d));
  }
  return out;
}

TEST(ControlCodec, DecodesStatusReplies) {
  auto st = control::decode_status_reply(status_reply(2));
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->header.uptime_ms, 12345u);
  ASSERT_EQ(st->devices.size(), 2u);
  EXPECT_STREQ(st->devices[0].name, "tee0");
  EXPECT_STREQ(st->devices[1].name, "teepriv0");
  EXPECT_EQ(st->devices[1].contexts, 4u);
}

TEST(ControlCodec, RejectsMalformedStatusReplies) {
  EXPECT_EQ(control::decode_status_reply(std::vector<uint8_t>(10)).error().code, EPROTO);
  EXPECT_EQ(control::decode_status_reply(status_reply(2, 1)).error().code, EPROTO);  // trailing byte
  auto r = status_reply(2);
  r.resize(r.size() - 1);
  EXPECT_EQ(control::decode_status_reply(r).error().code, EPROTO);  // truncated record
  auto many = status_reply(0);
  uint32_t n = control::kMaxDevices + 1;
  std::memcpy(many.data() + 4, &n, 4);
  EXPECT_EQ(control::decode_status_reply(many).error().code, EPROTO);
  EXPECT_EQ(control::decode_status_reply(status_reply(0, 0, -EPERM)).error().code, EPERM);
}

std::vector<uint8_t> calls_reply(uint32_t devices, uint32_t inflight, uint32_t bad_index = UINT32_MAX) {
  control::CallsReply h{0, devices, inflight, inflight};
  std::vector<uint8_t> out(sizeof(h) + devices * sizeof(control::DeviceCalls) +
                           inflight * sizeof(control::InflightCall));
  std::memcpy(out.data(), &h, sizeof(h));
  uint8_t* p = out.data() + sizeof(h);
  for (uint32_t i = 0; i < devices; ++i, p += sizeof(control::DeviceCalls)) {
    control::DeviceCalls d{};
    std::memset(d.name, 'n', sizeof(d.name));  // no NUL: the decoder ends it
    d.calls = 10 + i;
    std::memcpy(p, &d, sizeof(d));
  }
  for (uint32_t i = 0; i < inflight; ++i, p += sizeof(control::InflightCall)) {
    control::InflightCall f{};
    f.device = i == 0 && bad_index != UINT32_MAX ? bad_index : 0;
    f.pid = 42;
    std::memset(f.op, 'o', sizeof(f.op));
    f.age_us = 7;
    std::memcpy(p, &f, sizeof(f));
  }
  return out;
}

TEST(ControlCodec, DecodesCallsReplies) {
  auto c = control::decode_calls_reply(calls_reply(2, 3));
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c->devices.size(), 2u);
  EXPECT_EQ(c->devices[1].calls, 11u);
  EXPECT_EQ(std::strlen(c->devices[0].name), sizeof(c->devices[0].name) - 1);
  ASSERT_EQ(c->inflight.size(), 3u);
  EXPECT_EQ(c->inflight[2].pid, 42);
  EXPECT_EQ(std::strlen(c->inflight[0].op), sizeof(c->inflight[0].op) - 1);
}

TEST(ControlCodec, RejectsMalformedCallsReplies) {
  EXPECT_EQ(control::decode_calls_reply(calls_reply(1, 1, 1)).error().code, EPROTO);  // unknown device
  auto r = calls_reply(1, 2);
  r.pop_back();
  EXPECT_EQ(control::decode_calls_reply(r).error().code, EPROTO);
  auto many = calls_reply(0, 0);
  uint32_t n = control::kMaxInflight + 1;
  std::memcpy(many.data() + 8, &n, 4);
  EXPECT_EQ(control::decode_calls_reply(many).error().code, EPROTO);
}

osstat::OsStatus sample() {
  osstat::OsStatus s;
  s.counts.sessions = 4;
  s.counts.ta_instances = 3;
  s.counts.rpcs = 99;
  s.counts.storage_read_bytes = 1000;
  s.counts.storage_written_bytes = 2000;
  s.counts.ta_panics = 1;
  osstat::TaStatus a;
  a.uuid = *Uuid::parse("d1e6a5a0-0c3b-4f7e-9a51-3c2b1a000003");
  a.panics = 1;
  a.instances = {{101, 1}, {102, 1}};
  osstat::TaStatus b;
  b.uuid = *Uuid::parse("d1e6a5a0-0c3b-4f7e-9a51-3c2b1a000004");
  b.instances = {{103, 2}};
  osstat::TaStatus dead;  // only panics left: no instance
  dead.uuid = *Uuid::parse("d1e6a5a0-0c3b-4f7e-9a51-3c2b1a000005");
  dead.panics = 3;
  s.tas = {a, b, dead};
  s.pools[osstat::kPoolTaInstances] = {64, 16, 3, 0, 5, 1};
  s.pools[osstat::kPoolPtaWaits] = {3, 1, 1, 0, 7, 0};
  return s;
}

std::vector<uint8_t> encoded(const osstat::OsStatus& s) {
  std::vector<uint8_t> out(osstat::encoded_size(s));
  auto n = osstat::encode(s, out);
  EXPECT_TRUE(n.ok());
  EXPECT_EQ(*n, out.size());
  return out;
}

TEST(OsStatusCodec, RoundTrips) {
  auto bytes = encoded(sample());
  EXPECT_EQ(bytes.size(), sizeof(osstat::OsStatusHeader) + 3 * sizeof(osstat::OsStatusTa) +
                              3 * sizeof(osstat::OsStatusInstance));
  auto s = osstat::decode(bytes);
  ASSERT_TRUE(s.ok()) << s.error().message();
  EXPECT_EQ(s->counts.rpcs, 99u);
  EXPECT_EQ(s->counts.storage_written_bytes, 2000u);
  ASSERT_EQ(s->tas.size(), 3u);
  EXPECT_EQ(s->tas[0].uuid.to_string(), "d1e6a5a0-0c3b-4f7e-9a51-3c2b1a000003");
  ASSERT_EQ(s->tas[0].instances.size(), 2u);
  EXPECT_EQ(s->tas[0].instances[1].pid, 102);
  ASSERT_EQ(s->tas[1].instances.size(), 1u);
  EXPECT_EQ(s->tas[1].instances[0].sessions, 2u);
  EXPECT_TRUE(s->tas[2].instances.empty());
  EXPECT_EQ(s->tas[2].panics, 3u);
  const osstat::PoolStatus& inst = s->pools[osstat::kPoolTaInstances];
  EXPECT_EQ(inst.global, 64u);
  EXPECT_EQ(inst.per_uid, 16u);
  EXPECT_EQ(inst.used, 3u);
  EXPECT_EQ(inst.refused_share, 5u);
  EXPECT_EQ(inst.refused_full, 1u);
  EXPECT_EQ(s->pools[osstat::kPoolPtaWaits].refused_share, 7u);
}

TEST(OsStatusCodec, CapsAndCountsWhatDoesNotFit) {
  osstat::OsStatus s;
  for (uint32_t i = 0; i < osstat::kMaxTas + 2; ++i) {
    osstat::TaStatus t;
    t.uuid.octets[0] = static_cast<uint8_t>(i);
    t.instances.assign(5, {static_cast<pid_t>(i + 1), 1});
    s.tas.push_back(t);
  }
  auto bytes = encoded(s);
  EXPECT_LE(bytes.size(), osstat::kMaxReportBytes);
  auto d = osstat::decode(bytes);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->tas.size(), osstat::kMaxTas);
  EXPECT_EQ(d->omitted_tas, 2u);
  size_t n = 0;
  for (const auto& t : d->tas) n += t.instances.size();
  EXPECT_EQ(n, osstat::kMaxInstances);
  EXPECT_EQ(d->omitted_instances, (osstat::kMaxTas + 2) * 5 - osstat::kMaxInstances);
  std::vector<uint8_t> small(10);
  EXPECT_EQ(osstat::encode(s, small).error().code, ENOSPC);
}

TEST(OsStatusCodec, RejectsMalformedReports) {
  const auto good = encoded(sample());
  auto expect_bad = [](std::vector<uint8_t> b) { EXPECT_EQ(osstat::decode(b).error().code, EPROTO); };
  expect_bad({});
  auto b = good;
  b[0] ^= 1;  // magic
  expect_bad(b);
  b = good;
  b.push_back(0);  // trailing byte
  expect_bad(b);
  b = good;
  b.pop_back();
  expect_bad(b);
  b = good;  // first TA claims one instance more than there are records
  uint32_t three = 3;
  std::memcpy(b.data() + sizeof(osstat::OsStatusHeader) + offsetof(osstat::OsStatusTa, instances), &three, 4);
  expect_bad(b);
  b = good;  // reserved word
  b[sizeof(osstat::OsStatusHeader) + offsetof(osstat::OsStatusTa, reserved)] = 1;
  expect_bad(b);
  b = good;  // pid 0
  std::memset(b.data() + sizeof(osstat::OsStatusHeader) + 3 * sizeof(osstat::OsStatusTa), 0, 4);
  expect_bad(b);
  b = good;  // count over the bound
  uint32_t huge = osstat::kMaxTas + 1;
  std::memcpy(b.data() + offsetof(osstat::OsStatusHeader, num_tas), &huge, 4);
  expect_bad(b);
  b = good;  // version 1 (no pools) is not read as version 2
  uint32_t v1 = 1;
  std::memcpy(b.data() + offsetof(osstat::OsStatusHeader, version), &v1, 4);
  expect_bad(b);
  // A pool whose numbers do not hold together: a share over the pool, more
  // held than the pool has, a reserved word set.
  const size_t pool_at =
      offsetof(osstat::OsStatusHeader, pools) + osstat::kPoolPtaWaits * sizeof(osstat::PoolStatus);
  for (auto [field, value] : {std::pair{offsetof(osstat::PoolStatus, per_uid), 4u},
                              std::pair{offsetof(osstat::PoolStatus, used), 4u},
                              std::pair{offsetof(osstat::PoolStatus, reserved), 1u}}) {
    b = good;
    std::memcpy(b.data() + pool_at + field, &value, 4);
    expect_bad(b);
  }
}

TEST(ControlCodec, DecodesOsReplies) {
  const auto report = encoded(sample());
  control::OsReply h{0, static_cast<uint32_t>(report.size())};
  std::vector<uint8_t> msg(sizeof(h));
  std::memcpy(msg.data(), &h, sizeof(h));
  msg.insert(msg.end(), report.begin(), report.end());
  auto s = control::decode_os_reply(msg);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->tas.size(), 3u);
  msg.push_back(0);
  EXPECT_EQ(control::decode_os_reply(msg).error().code, EPROTO);
  h = {-ENOTCONN, 0};
  std::vector<uint8_t> down(sizeof(h));
  std::memcpy(down.data(), &h, sizeof(h));
  EXPECT_EQ(control::decode_os_reply(down).error().code, ENOTCONN);
  h = {INT32_MIN, 0};  // no errno (found by fuzz_control_decode)
  std::memcpy(down.data(), &h, sizeof(h));
  EXPECT_EQ(control::decode_os_reply(down).error().code, EPROTO);
  EXPECT_EQ(control::decode_status_reply(status_reply(0, 0, INT32_MIN)).error().code, EPROTO);
}

}  // namespace
}  // namespace swtee
