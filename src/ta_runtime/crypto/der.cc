#include "ta_runtime/crypto/der.h"

#include <cstring>

namespace swtee::ta::crypto {
namespace {

constexpr uint8_t kTagInteger = 0x02;
constexpr uint8_t kTagOctets = 0x04;
constexpr uint8_t kTagSequence = 0x30;
// Upper bound on any element handled here (an SM2 plaintext is bounded by
// the caller; this only keeps the length arithmetic obviously safe).
constexpr size_t kMaxLen = size_t{1} << 28;

class Reader {
 public:
  explicit Reader(std::span<const uint8_t> in) : in_(in) {}
  // Reads one element with `tag`; its content in *body.
  bool next(uint8_t tag, std::span<const uint8_t>* body) noexcept {
    if (pos_ + 2 > in_.size() || in_[pos_] != tag) return false;
    size_t len = in_[pos_ + 1];
    size_t p = pos_ + 2;
    if (len & 0x80) {
      const size_t n = len & 0x7F;
      if (n == 0 || n > 4 || p + n > in_.size() || in_[p] == 0) return false;
      len = 0;
      for (size_t i = 0; i < n; ++i) len = (len << 8) | in_[p + i];
      p += n;
      if (len < 0x80) return false;  // not minimal
    }
    if (len > kMaxLen || len > in_.size() - p) return false;
    *body = in_.subspan(p, len);
    pos_ = p + len;
    return true;
  }
  [[nodiscard]] bool done() const noexcept { return pos_ == in_.size(); }

 private:
  std::span<const uint8_t> in_;
  size_t pos_ = 0;
};

// A canonical non-negative INTEGER, left-padded into `width` bytes.
bool integer_to_fixed(std::span<const uint8_t> v, size_t width, uint8_t* out) noexcept {
  if (v.empty() || (v[0] & 0x80) != 0) return false;                  // empty or negative
  if (v.size() > 1 && v[0] == 0 && (v[1] & 0x80) == 0) return false;  // not minimal
  if (v[0] == 0) v = v.subspan(1);
  if (v.size() > width) return false;
  std::memset(out, 0, width - v.size());
  if (!v.empty()) std::memcpy(out + width - v.size(), v.data(), v.size());
  return true;
}

void put_len(size_t n, std::vector<uint8_t>* out) {
  if (n < 0x80) {
    out->push_back(static_cast<uint8_t>(n));
    return;
  }
  uint8_t b[4];
  size_t k = 0;
  for (size_t v = n; v != 0; v >>= 8) b[k++] = static_cast<uint8_t>(v);
  out->push_back(static_cast<uint8_t>(0x80 | k));
  while (k != 0) out->push_back(b[--k]);
}

void put_integer(std::span<const uint8_t> mag, std::vector<uint8_t>* out) {
  while (!mag.empty() && mag[0] == 0) mag = mag.subspan(1);
  const bool pad = mag.empty() || (mag[0] & 0x80) != 0;
  out->push_back(kTagInteger);
  put_len(mag.size() + (pad ? 1 : 0), out);
  if (pad) out->push_back(0);
  out->insert(out->end(), mag.begin(), mag.end());
}

void put_octets(std::span<const uint8_t> v, std::vector<uint8_t>* out) {
  out->push_back(kTagOctets);
  put_len(v.size(), out);
  out->insert(out->end(), v.begin(), v.end());
}

void wrap_sequence(const std::vector<uint8_t>& body, std::vector<uint8_t>* out) {
  out->clear();
  out->push_back(kTagSequence);
  put_len(body.size(), out);
  out->insert(out->end(), body.begin(), body.end());
}

}  // namespace

bool der_sig_to_raw(std::span<const uint8_t> der, size_t half, uint8_t* out) noexcept {
  Reader top(der);
  std::span<const uint8_t> seq, r, s;
  if (!top.next(kTagSequence, &seq) || !top.done()) return false;
  Reader in(seq);
  return in.next(kTagInteger, &r) && in.next(kTagInteger, &s) && in.done() &&
         integer_to_fixed(r, half, out) && integer_to_fixed(s, half, out + half);
}

bool raw_sig_to_der(std::span<const uint8_t> raw, std::vector<uint8_t>* out) noexcept {
  if (raw.size() % 2 != 0 || raw.size() > kMaxLen) return false;
  const size_t half = raw.size() / 2;
  std::vector<uint8_t> body;
  body.reserve(raw.size() + 8);
  put_integer(raw.first(half), &body);
  put_integer(raw.subspan(half), &body);
  wrap_sequence(body, out);
  return true;
}

bool sm2_der_to_raw(std::span<const uint8_t> der, size_t coord, size_t hash,
                    std::vector<uint8_t>* out) noexcept {
  Reader top(der);
  std::span<const uint8_t> seq, x, y, c3, c2;
  if (!top.next(kTagSequence, &seq) || !top.done()) return false;
  Reader in(seq);
  if (!in.next(kTagInteger, &x) || !in.next(kTagInteger, &y) || !in.next(kTagOctets, &c3) ||
      !in.next(kTagOctets, &c2) || !in.done() || c3.size() != hash)
    return false;
  out->assign(1 + 2 * coord, 0);
  (*out)[0] = 0x04;
  if (!integer_to_fixed(x, coord, out->data() + 1) || !integer_to_fixed(y, coord, out->data() + 1 + coord))
    return false;
  out->insert(out->end(), c2.begin(), c2.end());
  out->insert(out->end(), c3.begin(), c3.end());
  return true;
}

bool sm2_raw_to_der(std::span<const uint8_t> raw, size_t coord, size_t hash,
                    std::vector<uint8_t>* out) noexcept {
  const size_t head = 1 + 2 * coord;
  if (raw.size() < head + hash || raw.size() > kMaxLen || raw[0] != 0x04) return false;
  std::vector<uint8_t> body;
  body.reserve(raw.size() + 16);
  put_integer(raw.subspan(1, coord), &body);
  put_integer(raw.subspan(1 + coord, coord), &body);
  const size_t c2_len = raw.size() - head - hash;
  put_octets(raw.subspan(head + c2_len, hash), &body);  // C3, last
  put_octets(raw.subspan(head, c2_len), &body);         // C2, between C1 and C3
  wrap_sequence(body, out);
  return true;
}

}  // namespace swtee::ta::crypto
