// Typed access to the params of one supplicant request (the META slot
// already removed). Memrefs resolve through the ShmTable: (a, b, c) =
// (offset, size, shm id of this supplicant's context); id -1 (or
// TEE_MEMREF_NULL) is a NULL memref. Out-of-range memrefs or unknown ids are
// invalid, never clamped.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>

#include "supplicant/shm_table.h"
#include "swtee/uapi/tee.h"

namespace swtee::supp {

struct MemrefView {
  bool null = false;
  uint64_t size = 0;               // the size the request gave (may be > 0 when null)
  std::span<uint8_t> bytes;        // empty when null
  std::shared_ptr<SuppShm> hold;   // keeps the mapping alive while in use
};

class RpcArgs {
 public:
  RpcArgs(std::span<tee_ioctl_param> params, const ShmTable& shms) : p_(params), shms_(shms) {}

  size_t size() const { return p_.size(); }
  uint32_t type(size_t i) const { return static_cast<uint32_t>(p_[i].attr & TEE_IOCTL_PARAM_ATTR_TYPE_MASK); }
  bool value_in(size_t i) const;
  bool value_out(size_t i) const;
  bool memref_in(size_t i) const;
  bool memref_out(size_t i) const;

  const tee_ioctl_param& raw(size_t i) const { return p_[i]; }
  void set_value(size_t i, uint64_t a, uint64_t b, uint64_t c);
  void set_value_a(size_t i, uint64_t a) { p_[i].a = a; }
  void set_value_c(size_t i, uint64_t c) { p_[i].c = c; }
  // nullopt: not a memref, unknown shm id, or offset+size outside the shm.
  std::optional<MemrefView> memref(size_t i) const;
  void set_memref_size(size_t i, uint64_t size) { p_[i].b = size; }

 private:
  std::span<tee_ioctl_param> p_;
  const ShmTable& shms_;
};

}  // namespace swtee::supp
