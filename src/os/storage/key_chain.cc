#include "os/storage/key_chain.h"

#include <algorithm>

#include "os/storage/wire.h"

namespace swtee::os::storage {

Result<KeyChain> KeyChain::create(const Huk& huk) {
  KeyChain kc;
  ASSIGN_OR_RETURN(kc.ssk_, hkdf(huk.key(), {}, {as_bytes("swtee/ssk/v1")}));
  ASSIGN_OR_RETURN(kc.names_, hkdf(huk.key(), {}, {as_bytes("swtee/names/v1")}));
  ASSIGN_OR_RETURN(kc.rpmb_, hkdf(huk.key(), {}, {as_bytes("swtee/rpmb/v1")}));
  ASSIGN_OR_RETURN(kc.ta_unique_, hkdf(huk.key(), {}, {as_bytes("swtee/ta-unique/v1")}));
  return kc;
}

Result<Mac> KeyChain::huk_check(const Huk& huk) {
  ASSIGN_OR_RETURN(SecretKey k, hkdf(huk.key(), {}, {as_bytes("swtee/huk-check/v1")}));
  Mac m{};
  std::copy(k.bytes().begin(), k.bytes().end(), m.begin());
  return m;
}

Result<Huk> KeyChain::guest_huk(const Huk& huk, uint32_t guest) {
  if (guest == 0) return huk;
  std::array<uint8_t, 4> id{};
  put_le(id, 0, guest, id.size());
  ASSIGN_OR_RETURN(SecretKey k, hkdf(huk.key(), {}, {as_bytes("swtee/guest/v1"), id}));
  return Huk::from_bytes(k.bytes());
}

Result<TaKeys> KeyChain::for_ta(const Uuid& uuid) const {
  TaKeys t;
  t.uuid = uuid;
  ASSIGN_OR_RETURN(Mac m, hmac(names_, {as_bytes("ta-tag"), uuid.octets}));
  std::copy_n(m.begin(), t.tag.size(), t.tag.begin());
  ASSIGN_OR_RETURN(t.tsk, hkdf(ssk_, {}, {as_bytes("ta"), uuid.octets}));
  ASSIGN_OR_RETURN(t.dir_key, hkdf(t.tsk, {}, {as_bytes("dir")}));
  return t;
}

Result<SecretKey> KeyChain::ta_unique_key(const Uuid& uuid, Bytes extra, uint8_t len) const {
  if (len == 0 || len > kKeySize) return Error{EINVAL, "TA-unique key length"};
  const uint8_t l[1] = {len};
  ASSIGN_OR_RETURN(SecretKey k, hkdf(ta_unique_, {}, {uuid.octets, l, extra}));
  std::fill(k.mut().begin() + len, k.mut().end(), uint8_t{0});  // the caller takes `len` bytes
  return k;
}

Result<SecretKey> KeyChain::object_key(const TaKeys& ta, const ObjectUid& uid, uint64_t generation,
                                       const Salt& salt) {
  const auto gen = le64(generation);
  return hkdf(ta.tsk, salt, {as_bytes("obj"), uid, gen});
}

}  // namespace swtee::os::storage
