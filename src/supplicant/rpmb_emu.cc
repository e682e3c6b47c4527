#include "supplicant/rpmb_emu.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cstring>
#include <optional>

#include "protocol/gp_results.h"
#include "protocol/guest_storage.h"
#include "protocol/optee_rpmb.h"
#include "supplicant/ree_fs.h"

namespace swtee::supp {
namespace {

using optee::RpmbFrame;

constexpr size_t kKeySize = 32;
constexpr size_t kHash = 32;
constexpr char kKeyMagic[8] = {'S', 'W', 'R', 'P', 'M', 'B', 'K', '1'};
constexpr size_t kKeyRecord = sizeof(kKeyMagic) + kKeySize + kHash;  // 72, two in [0, 256)
constexpr size_t kBlocksAt = 256;
constexpr size_t kRecord = 4 + optee::kRpmbBlockSize + kHash;  // 292
constexpr uint8_t kCid[16] = {'S', 'W', 'T', 'E', 'E', '-', 'R', 'P', 'M', 'B', '-', 'E', 'M', 'U', '0', '1'};
constexpr size_t kMaxWriteBlocks = 8;

bool sha256(std::span<const uint8_t> in, uint8_t out[kHash]) {
  unsigned int len = 0;
  return EVP_Digest(in.data(), in.size(), out, &len, EVP_sha256(), nullptr) == 1 && len == kHash;
}

bool mac_frames(const std::array<uint8_t, kKeySize>& key, std::span<const RpmbFrame> frames,
                uint8_t out[32]) {
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (mac == nullptr) return false;
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac);
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("digest", digest, 0), OSSL_PARAM_construct_end()};
  bool ok = ctx != nullptr && EVP_MAC_init(ctx, key.data(), key.size(), params) == 1;
  for (const RpmbFrame& f : frames)
    ok = ok && EVP_MAC_update(ctx, reinterpret_cast<const uint8_t*>(&f) + optee::kRpmbMacFrom,
                              sizeof(f) - optee::kRpmbMacFrom) == 1;
  size_t len = 0;
  ok = ok && EVP_MAC_final(ctx, out, &len, 32) == 1 && len == 32;
  EVP_MAC_CTX_free(ctx);
  EVP_MAC_free(mac);
  return ok;
}

struct Device {
  std::optional<std::array<uint8_t, kKeySize>> key;
  uint32_t counter = 0;
  std::vector<std::array<uint8_t, optee::kRpmbBlockSize>> data;
  std::vector<std::array<uint32_t, 2>> copy_counter;  // per block; 0: copy invalid
};

uint64_t record_at(uint16_t block, int copy) {
  return kBlocksAt + (uint64_t{block} * 2 + static_cast<uint64_t>(copy)) * kRecord;
}

Device parse(const std::vector<uint8_t>& img) {
  Device d;
  for (int c = 0; c < 2 && !d.key; ++c) {
    const size_t off = static_cast<size_t>(c) * 128;
    if (off + kKeyRecord > img.size()) break;
    uint8_t h[kHash];
    if (std::memcmp(img.data() + off, kKeyMagic, sizeof(kKeyMagic)) != 0 ||
        !sha256({img.data() + off, sizeof(kKeyMagic) + kKeySize}, h) ||
        CRYPTO_memcmp(h, img.data() + off + sizeof(kKeyMagic) + kKeySize, kHash) != 0)
      continue;
    std::array<uint8_t, kKeySize> k{};
    std::memcpy(k.data(), img.data() + off + sizeof(kKeyMagic), kKeySize);
    d.key = k;
  }
  d.data.resize(kRpmbEmuBlocks);
  d.copy_counter.resize(kRpmbEmuBlocks, {0, 0});
  for (uint16_t b = 0; b < kRpmbEmuBlocks; ++b) {
    uint32_t best = 0;
    for (int c = 0; c < 2; ++c) {
      const uint64_t off = record_at(b, c);
      if (off + kRecord > img.size()) continue;
      const uint8_t* r = img.data() + off;
      uint8_t h[kHash];
      std::vector<uint8_t> hashed(r, r + 4 + optee::kRpmbBlockSize);
      hashed.push_back(static_cast<uint8_t>(b));
      hashed.push_back(static_cast<uint8_t>(b >> 8));
      if (!sha256(hashed, h) || CRYPTO_memcmp(h, r + 4 + optee::kRpmbBlockSize, kHash) != 0) continue;
      const uint32_t wc = optee::rpmb_be32(r);
      if (wc == 0) continue;
      d.copy_counter[b][static_cast<size_t>(c)] = wc;
      d.counter = std::max(d.counter, wc);
      if (wc > best) {
        best = wc;
        std::memcpy(d.data[b].data(), r + 4, optee::kRpmbBlockSize);
      }
    }
  }
  return d;
}

RpmbFrame frame_at(std::span<const uint8_t> frames, size_t i) {
  RpmbFrame f;
  std::memcpy(&f, frames.data() + i * sizeof(f), sizeof(f));
  return f;
}

void put_frame(std::span<uint8_t> resp, size_t i, const RpmbFrame& f) {
  std::memcpy(resp.data() + i * sizeof(f), &f, sizeof(f));
}

}  // namespace

Result<std::vector<uint8_t>> ReeFsRpmbImage::load() {
  ReeFsHandle h = 0;
  const uint32_t r = fs_.open(name_, &h);
  if (r == kTeeErrorItemNotFound) return std::vector<uint8_t>{};
  if (r != kTeeSuccess) return Error{EIO, "open RPMB image"};
  std::vector<uint8_t> img(record_at(kRpmbEmuBlocks, 0));
  size_t got = 0;
  const uint32_t rr = fs_.read(h, 0, img, &got);
  (void)fs_.close(h);
  if (rr != kTeeSuccess) return Error{EIO, "read RPMB image"};
  img.resize(got);
  return img;
}

Status ReeFsRpmbImage::store(uint64_t offset, std::span<const uint8_t> bytes) {
  ReeFsHandle h = 0;
  uint32_t r = fs_.open(name_, &h);
  if (r == kTeeErrorItemNotFound) r = fs_.create(name_, &h);
  if (r != kTeeSuccess) return Error{EIO, "open RPMB image"};
  r = fs_.write(h, offset, bytes);
  (void)fs_.close(h);
  if (r != kTeeSuccess) return Error{EIO, "write RPMB image"};
  return ok_status();
}

struct RpmbEmu::GuestDevice {
  GuestDevice(ReeFs& fs, uint16_t dev)
      : image(fs, guests::guest_storage_root(dev) + kRpmbImageFile), emu(image) {}
  ReeFsRpmbImage image;
  RpmbEmu emu;
};

RpmbEmu::RpmbEmu(RpmbImage& image, ReeFs* guests_fs) : image_(image), guests_fs_(guests_fs) {}
RpmbEmu::~RpmbEmu() = default;

uint32_t RpmbEmu::handle(std::span<const uint8_t> req, std::span<uint8_t> resp) {
  if (req.size() < sizeof(optee::RpmbReq)) return kTeeErrorBadParameters;
  optee::RpmbReq head;
  std::memcpy(&head, req.data(), sizeof(head));
  if (head.dev_id == 0) return handle_own(req, resp);
  if (guests_fs_ == nullptr) return kTeeErrorItemNotFound;
  GuestDevice* dev = nullptr;
  {
    MutexLock l(guests_mu_);
    auto& slot = guests_[head.dev_id];
    if (!slot) slot = std::make_unique<GuestDevice>(*guests_fs_, head.dev_id);
    dev = slot.get();  // devices live as long as this
  }
  // The guest's device sees the request as its own (dev_id 0).
  std::vector<uint8_t> own(req.begin(), req.end());
  head.dev_id = 0;
  std::memcpy(own.data(), &head, sizeof(head));
  return dev->emu.handle_own(own, resp);
}

uint32_t RpmbEmu::handle_own(std::span<const uint8_t> req, std::span<uint8_t> resp) {
  MutexLock l(mu_);
  if (req.size() < sizeof(optee::RpmbReq)) return kTeeErrorBadParameters;
  optee::RpmbReq head;
  std::memcpy(&head, req.data(), sizeof(head));  // read once
  const std::span<const uint8_t> frames = req.subspan(sizeof(head));
  if (head.dev_id != 0) return kTeeErrorItemNotFound;
  if (head.cmd == optee::kRpmbCmdGetDevInfo) {
    if (resp.size() < sizeof(optee::RpmbDevInfo)) return kTeeErrorBadParameters;
    optee::RpmbDevInfo info{};
    std::memcpy(info.cid, kCid, sizeof(kCid));
    info.rpmb_size_mult = kRpmbEmuBlocks * optee::kRpmbBlockSize / (128 * 1024);
    info.rel_wr_sec_c = 1;
    info.ret_code = optee::kRpmbDevInfoOk;
    std::memcpy(resp.data(), &info, sizeof(info));
    return kTeeSuccess;
  }
  if (head.cmd != optee::kRpmbCmdDataReq || frames.size() % sizeof(RpmbFrame) != 0 || frames.empty())
    return kTeeErrorBadParameters;
  const size_t nreq = frames.size() / sizeof(RpmbFrame);
  const RpmbFrame first = frame_at(frames, 0);
  const uint16_t type = optee::rpmb_be16(first.req_resp);
  auto img = image_.load();
  if (!img.ok()) return kTeeErrorStorageNotAvailable;
  Device d = parse(*img);

  // Every answer but a read is one frame.
  auto answer = [&](uint16_t resp_type, uint16_t result, const RpmbFrame* echo) -> uint32_t {
    if (resp.size() < sizeof(RpmbFrame)) return kTeeErrorBadParameters;
    RpmbFrame f{};
    optee::rpmb_put16(f.req_resp, resp_type);
    optee::rpmb_put16(f.result, result);
    optee::rpmb_put32(f.write_counter, d.counter);
    if (echo != nullptr) {
      std::memcpy(f.nonce, echo->nonce, sizeof(f.nonce));
      std::memcpy(f.address, echo->address, sizeof(f.address));
    }
    if (d.key && resp_type != optee::kRpmbRespKeyProgram &&
        !mac_frames(*d.key, std::span<const RpmbFrame>(&f, 1), f.key_mac))
      return kTeeErrorGeneric;
    put_frame(resp, 0, f);
    return kTeeSuccess;
  };

  switch (type) {
    case optee::kRpmbReqKeyProgram: {
      if (nreq != 1) return kTeeErrorBadParameters;
      if (d.key) return answer(optee::kRpmbRespKeyProgram, optee::kRpmbResultGeneralFailure, nullptr);
      std::vector<uint8_t> rec(sizeof(kKeyMagic) + kKeySize + kHash);
      std::memcpy(rec.data(), kKeyMagic, sizeof(kKeyMagic));
      std::memcpy(rec.data() + sizeof(kKeyMagic), first.key_mac, kKeySize);
      if (!sha256({rec.data(), sizeof(kKeyMagic) + kKeySize}, rec.data() + sizeof(kKeyMagic) + kKeySize))
        return kTeeErrorGeneric;
      for (uint64_t off : {uint64_t{0}, uint64_t{128}})
        if (!image_.store(off, rec).ok())
          return answer(optee::kRpmbRespKeyProgram, optee::kRpmbResultWriteFailure, nullptr);
      OPENSSL_cleanse(rec.data(), rec.size());
      return answer(optee::kRpmbRespKeyProgram, optee::kRpmbResultOk, nullptr);
    }
    case optee::kRpmbReqWriteCounter: {
      if (nreq != 1) return kTeeErrorBadParameters;
      return answer(optee::kRpmbRespWriteCounter,
                    d.key ? optee::kRpmbResultOk : optee::kRpmbResultKeyNotProgrammed, &first);
    }
    case optee::kRpmbReqDataWrite: {
      if (nreq > kMaxWriteBlocks) return kTeeErrorBadParameters;
      if (!d.key) return answer(optee::kRpmbRespDataWrite, optee::kRpmbResultKeyNotProgrammed, nullptr);
      std::vector<RpmbFrame> all(nreq);
      for (size_t i = 0; i < nreq; ++i) all[i] = frame_at(frames, i);
      const RpmbFrame& last = all.back();
      uint8_t mac[32];
      if (!mac_frames(*d.key, all, mac) || CRYPTO_memcmp(mac, last.key_mac, sizeof(mac)) != 0)
        return answer(optee::kRpmbRespDataWrite, optee::kRpmbResultAuthFailure, &first);
      if (d.counter == UINT32_MAX)
        return answer(optee::kRpmbRespDataWrite,
                      optee::kRpmbResultWriteFailure | optee::kRpmbResultCounterExpired, &first);
      if (optee::rpmb_be32(first.write_counter) != d.counter)
        return answer(optee::kRpmbRespDataWrite, optee::kRpmbResultCounterFailure, &first);
      const uint32_t addr = optee::rpmb_be16(first.address);
      if (addr + nreq > kRpmbEmuBlocks)
        return answer(optee::kRpmbRespDataWrite, optee::kRpmbResultAddressFailure, &first);
      // One device write: every block gets the new counter (its older record
      // is replaced), so a torn write leaves each block old or new.
      const uint32_t wc = d.counter + 1;
      for (size_t i = 0; i < nreq; ++i) {
        const uint16_t b = static_cast<uint16_t>(addr + i);
        const auto& cc = d.copy_counter[b];
        const int copy = cc[0] <= cc[1] ? 0 : 1;
        std::vector<uint8_t> rec(kRecord);
        optee::rpmb_put32(rec.data(), wc);
        std::memcpy(rec.data() + 4, all[i].data, optee::kRpmbBlockSize);
        std::vector<uint8_t> hashed(rec.begin(), rec.begin() + 4 + optee::kRpmbBlockSize);
        hashed.push_back(static_cast<uint8_t>(b));
        hashed.push_back(static_cast<uint8_t>(b >> 8));
        if (!sha256(hashed, rec.data() + 4 + optee::kRpmbBlockSize) ||
            !image_.store(record_at(b, copy), rec).ok())
          return answer(optee::kRpmbRespDataWrite, optee::kRpmbResultWriteFailure, &first);
      }
      d.counter = wc;
      return answer(optee::kRpmbRespDataWrite, optee::kRpmbResultOk, &first);
    }
    case optee::kRpmbReqDataRead: {
      if (nreq != 1) return kTeeErrorBadParameters;
      const size_t n = resp.size() / sizeof(RpmbFrame);
      if (n == 0 || (head.block_count != 0 && head.block_count != n)) return kTeeErrorBadParameters;
      const uint32_t addr = optee::rpmb_be16(first.address);
      uint16_t result = optee::kRpmbResultOk;
      if (!d.key)
        result = optee::kRpmbResultKeyNotProgrammed;
      else if (addr + n > kRpmbEmuBlocks)
        result = optee::kRpmbResultAddressFailure;
      std::vector<RpmbFrame> out(n);
      for (size_t i = 0; i < n; ++i) {
        RpmbFrame& f = out[i];
        f = RpmbFrame{};
        if (result == optee::kRpmbResultOk)
          std::memcpy(f.data, d.data[addr + i].data(), optee::kRpmbBlockSize);
        std::memcpy(f.nonce, first.nonce, sizeof(f.nonce));
        std::memcpy(f.address, first.address, sizeof(f.address));
        optee::rpmb_put16(f.block_count, static_cast<uint16_t>(n));
        optee::rpmb_put16(f.result, result);
        optee::rpmb_put16(f.req_resp, optee::kRpmbRespDataRead);
      }
      if (d.key && !mac_frames(*d.key, out, out.back().key_mac)) return kTeeErrorGeneric;
      for (size_t i = 0; i < n; ++i) put_frame(resp, i, out[i]);
      return kTeeSuccess;
    }
    default:
      return kTeeErrorBadParameters;
  }
}

Result<std::vector<uint8_t>> rpmb_in_process(RpmbImage& image, std::span<const uint8_t> req,
                                             size_t resp_size) {
  RpmbEmu emu(image);
  std::vector<uint8_t> resp(resp_size);
  const uint32_t r = emu.handle(req, resp);
  if (r == kTeeErrorBadParameters) return Error{EINVAL, "RPMB request refused"};
  if (r != kTeeSuccess) return Error{EIO, "RPMB device failed"};
  return resp;
}

Result<std::vector<uint8_t>> rpmb_in_process(ReeFs& fs, std::span<const uint8_t> req, size_t resp_size) {
  ReeFsRpmbImage image(fs, kRpmbImageFile);
  RpmbEmu emu(image, &fs);
  std::vector<uint8_t> resp(resp_size);
  const uint32_t r = emu.handle(req, resp);
  if (r == kTeeErrorBadParameters) return Error{EINVAL, "RPMB request refused"};
  if (r != kTeeSuccess) return Error{EIO, "RPMB device failed"};
  return resp;
}

}  // namespace swtee::supp
