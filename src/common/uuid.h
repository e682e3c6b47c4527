// RFC 4122 UUIDs as 16 big-endian octets (the TEE UAPI / OPTEE_MSG form).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace swtee {

struct Uuid {
  std::array<uint8_t, 16> octets{};

  static constexpr Uuid nil() { return {}; }
  // Parses 8-4-4-4-12 hex (either case). Anything else gives nullopt.
  static std::optional<Uuid> parse(std::string_view s);
  // GP form: timeLow, timeMid, timeHiAndVersion, clockSeqAndNode[8].
  static Uuid from_fields(uint32_t time_low, uint16_t time_mid, uint16_t time_hi,
                          const uint8_t clock_seq_and_node[8]);
  void to_fields(uint32_t* time_low, uint16_t* time_mid, uint16_t* time_hi,
                 uint8_t clock_seq_and_node[8]) const;

  // Lowercase 8-4-4-4-12.
  std::string to_string() const;
  bool is_nil() const;

  friend bool operator==(const Uuid&, const Uuid&) = default;
  friend auto operator<=>(const Uuid&, const Uuid&) = default;
};

// Name-based UUID, version 5 (SHA-1): SHA1(ns octets || name), first 16
// bytes, version nibble 5, variant 10xx.
Uuid uuid_v5(const Uuid& ns, std::string_view name);

// The GP structs (TEEC_UUID, TEE_UUID: timeLow, timeMid, timeHiAndVersion,
// clockSeqAndNode[8], host-endian fields) to and from the octets.
template <typename GpUuid>
Uuid uuid_from_gp(const GpUuid& g) {
  return Uuid::from_fields(g.timeLow, g.timeMid, g.timeHiAndVersion, g.clockSeqAndNode);
}
template <typename GpUuid>
GpUuid uuid_to_gp(const Uuid& u) {
  GpUuid g{};
  u.to_fields(&g.timeLow, &g.timeMid, &g.timeHiAndVersion, g.clockSeqAndNode);
  return g;
}

struct UuidHash {
  size_t operator()(const Uuid& u) const noexcept;
};

}  // namespace swtee
