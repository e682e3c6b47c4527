// The storage key chain (README.md, "Keys"). Every key is HKDF-SHA256 with
// its own label, so no two uses can collide:
//   HUK ─┬─ "swtee/ssk"   → SSK  ── "ta" ‖ uuid → TSK (per TA)
//        │                                 ├─ "dir"            → directory-file key
//        │                                 └─ salt, "obj" ‖ uid ‖ gen → object version key
//        ├─ "swtee/names" → name key: TA tag = HMAC(name key, uuid)[0..16)
//        ├─ "swtee/rpmb"  → RPMB authentication key (HMAC-SHA256 over frames)
//        ├─ "swtee/huk-check" → the key's public check value (huk.check)
//        ├─ "swtee/ta-unique" → TUK ── uuid ‖ len ‖ extra → the system PTA's
//        │                             TA-unique keys (DERIVE_TA_UNIQUE_KEY)
//        └─ "swtee/guest" ‖ le32(n) → guest n's HUK, the root of a whole
//                                     chain like this one (n >= 1; guest 0,
//                                     the host's clients, uses the HUK)
// The TA tag names the TA's directory and its anchor slot: it reveals nothing
// about the UUID without the HUK.
#pragma once

#include <array>
#include <string>

#include "common/result.h"
#include "common/uuid.h"
#include "os/storage/huk.h"
#include "os/storage/storage_crypto.h"

namespace swtee::os::storage {

inline constexpr size_t kTaTagSize = 16;
inline constexpr size_t kUidSize = 16;
inline constexpr size_t kSaltSize = 16;
using TaTag = std::array<uint8_t, kTaTagSize>;
using ObjectUid = std::array<uint8_t, kUidSize>;
using Salt = std::array<uint8_t, kSaltSize>;

struct TaKeys {
  Uuid uuid;
  TaTag tag{};
  SecretKey tsk;
  SecretKey dir_key;
};

class KeyChain {
 public:
  static Result<KeyChain> create(const Huk& huk);

  Result<TaKeys> for_ta(const Uuid& uuid) const;
  const SecretKey& rpmb_key() const { return rpmb_; }
  // A key unique to this device, TA `uuid`, `extra` and `len` (1..32 bytes;
  // keys of different lengths are unrelated).
  Result<SecretKey> ta_unique_key(const Uuid& uuid, Bytes extra, uint8_t len) const;
  // The key of one version of one object; the random salt makes every
  // version's key fresh, so chunk nonces can be counters.
  static Result<SecretKey> object_key(const TaKeys& ta, const ObjectUid& uid, uint64_t generation,
                                      const Salt& salt);
  // A public value that names the HUK without revealing it ("swtee/huk-check/v1"):
  // the state dir records it, so a replaced key is refused at start.
  static Result<Mac> huk_check(const Huk& huk);
  // The root key of guest `guest`'s storage (os/guests.h): the HUK itself
  // for guest 0, else a key derived from it and the guest id, as OP-TEE
  // derives its per-guest storage keys. Guests' keys are unrelated to each
  // other's and to the host's.
  static Result<Huk> guest_huk(const Huk& huk, uint32_t guest);

 private:
  SecretKey ssk_;
  SecretKey names_;
  SecretKey rpmb_;
  SecretKey ta_unique_;
};

}  // namespace swtee::os::storage
