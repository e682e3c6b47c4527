#include "core/request_slot.h"

namespace swtee::core {

Result<std::unique_ptr<RequestSlot>> RequestSlot::create(int conn_sock, QuotaCharge charge) {
  std::unique_ptr<RequestSlot> s(new RequestSlot());
  ASSIGN_OR_RETURN(s->memfd_, create_sealed_memfd("swtee-slot", uapi::kSlotSize));
  ASSIGN_OR_RETURN(s->map_, Mapping::map(s->memfd_.get(), uapi::kSlotSize));
  s->bell_ = std::make_unique<DoorbellEnd>(
      reinterpret_cast<DoorbellPair*>(s->map_.data() + uapi::kSlotBellOffset), DoorbellEnd::Role::Server,
      conn_sock, doorbell_spin_us(), kSlotServerCheckMs, DoorbellEnd::SideFds::Refuse);
  s->charge_ = std::move(charge);
  return s;
}

}  // namespace swtee::core
