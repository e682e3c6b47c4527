#include "protocol/os_status_codec.h"

#include <algorithm>
#include <cstring>

namespace swtee::osstat {
namespace {

// How many TAs and instances fit the bounds, keeping whole TAs.
struct Kept {
  size_t tas = 0;
  size_t instances = 0;
};

Kept kept_of(const OsStatus& s) {
  Kept k;
  for (const TaStatus& t : s.tas) {
    if (k.tas == kMaxTas) break;
    k.tas++;
    k.instances += std::min<size_t>(t.instances.size(), kMaxInstances - k.instances);
  }
  return k;
}

}  // namespace

size_t encoded_size(const OsStatus& s) {
  const Kept k = kept_of(s);
  return sizeof(OsStatusHeader) + k.tas * sizeof(OsStatusTa) + k.instances * sizeof(OsStatusInstance);
}

Result<size_t> encode(const OsStatus& s, std::span<uint8_t> out) {
  const size_t need = encoded_size(s);
  if (out.size() < need) return Error{ENOSPC, "OS status report does not fit"};
  const Kept k = kept_of(s);
  size_t total_instances = 0;
  for (const TaStatus& t : s.tas) total_instances += t.instances.size();

  OsStatusHeader h{};
  h.magic = kMagic;
  h.version = kVersion;
  h.num_tas = static_cast<uint32_t>(k.tas);
  h.num_instances = static_cast<uint32_t>(k.instances);
  h.omitted_tas = static_cast<uint32_t>(std::min<size_t>(s.tas.size() - k.tas, UINT32_MAX));
  h.omitted_instances = static_cast<uint32_t>(std::min<size_t>(total_instances - k.instances, UINT32_MAX));
  h.counts = s.counts;
  for (uint32_t i = 0; i < kNumPools; ++i) h.pools[i] = s.pools[i];
  std::memcpy(out.data(), &h, sizeof(h));

  uint8_t* ta_at = out.data() + sizeof(h);
  uint8_t* inst_at = ta_at + k.tas * sizeof(OsStatusTa);
  size_t left = k.instances;
  for (size_t i = 0; i < k.tas; ++i) {
    const TaStatus& t = s.tas[i];
    OsStatusTa r{};
    std::memcpy(r.uuid, t.uuid.octets.data(), sizeof(r.uuid));
    r.panics = t.panics;
    r.instances = static_cast<uint32_t>(std::min(t.instances.size(), left));
    left -= r.instances;
    std::memcpy(ta_at + i * sizeof(r), &r, sizeof(r));
    for (size_t j = 0; j < r.instances; ++j) {
      const OsStatusInstance in{static_cast<int32_t>(t.instances[j].pid), t.instances[j].sessions};
      std::memcpy(inst_at, &in, sizeof(in));
      inst_at += sizeof(in);
    }
  }
  return need;
}

Result<OsStatus> decode(std::span<const uint8_t> bytes) {
  OsStatusHeader h;
  if (bytes.size() < sizeof(h)) return Error{EPROTO, "OS status: short report"};
  std::memcpy(&h, bytes.data(), sizeof(h));
  if (h.magic != kMagic || h.version != kVersion) return Error{EPROTO, "OS status: unknown magic or version"};
  if (h.num_tas > kMaxTas || h.num_instances > kMaxInstances)
    return Error{EPROTO, "OS status: counts over bounds"};
  // Bounded above, so no overflow.
  const size_t want =
      sizeof(h) + size_t{h.num_tas} * sizeof(OsStatusTa) + size_t{h.num_instances} * sizeof(OsStatusInstance);
  if (bytes.size() != want) return Error{EPROTO, "OS status: length does not match the counts"};

  for (const PoolStatus& p : h.pools) {
    if (p.reserved != 0 || p.per_uid > p.global || p.used > p.global)
      return Error{EPROTO, "OS status: a pool's numbers do not hold together"};
  }

  OsStatus s;
  s.counts = h.counts;
  for (uint32_t i = 0; i < kNumPools; ++i) s.pools[i] = h.pools[i];
  s.omitted_tas = h.omitted_tas;
  s.omitted_instances = h.omitted_instances;
  s.tas.resize(h.num_tas);
  const uint8_t* ta_at = bytes.data() + sizeof(h);
  const uint8_t* inst_at = ta_at + size_t{h.num_tas} * sizeof(OsStatusTa);
  size_t left = h.num_instances;
  for (size_t i = 0; i < h.num_tas; ++i) {
    OsStatusTa r;
    std::memcpy(&r, ta_at + i * sizeof(r), sizeof(r));
    if (r.reserved != 0) return Error{EPROTO, "OS status: reserved word set"};
    if (r.instances > left) return Error{EPROTO, "OS status: instance counts exceed the records"};
    left -= r.instances;
    TaStatus& t = s.tas[i];
    std::memcpy(t.uuid.octets.data(), r.uuid, sizeof(r.uuid));
    t.panics = r.panics;
    t.instances.resize(r.instances);
    for (InstanceStatus& out : t.instances) {
      OsStatusInstance in;
      std::memcpy(&in, inst_at, sizeof(in));
      inst_at += sizeof(in);
      if (in.pid <= 0) return Error{EPROTO, "OS status: bad pid"};
      out = {in.pid, in.sessions};
    }
  }
  if (left != 0) return Error{EPROTO, "OS status: instance records left over"};
  return s;
}

}  // namespace swtee::osstat
