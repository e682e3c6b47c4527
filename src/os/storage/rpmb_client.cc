#include "os/storage/rpmb_client.h"

#include <cstring>

#include "os/storage/storage_errors.h"
#include "protocol/optee_rpmb.h"

namespace swtee::os::storage {
namespace {

using optee::RpmbFrame;

std::vector<uint8_t> request(uint16_t cmd, std::span<const RpmbFrame> frames, uint16_t block_count) {
  optee::RpmbReq head{cmd, 0, block_count};
  std::vector<uint8_t> req(sizeof(head) + frames.size() * sizeof(RpmbFrame));
  std::memcpy(req.data(), &head, sizeof(head));
  if (!frames.empty())
    std::memcpy(req.data() + sizeof(head), frames.data(), frames.size() * sizeof(RpmbFrame));
  return req;
}

std::vector<RpmbFrame> frames_of(const std::vector<uint8_t>& resp) {
  std::vector<RpmbFrame> f(resp.size() / sizeof(RpmbFrame));
  if (!f.empty()) std::memcpy(f.data(), resp.data(), f.size() * sizeof(RpmbFrame));
  return f;
}

Result<Mac> mac_of(const SecretKey& key, std::span<const RpmbFrame> frames) {
  // HMAC over [228, 512) of every frame, in order (JEDEC: the MAC of a
  // multi-block transfer sits in its last frame).
  std::vector<uint8_t> covered;
  covered.reserve(frames.size() * (sizeof(RpmbFrame) - optee::kRpmbMacFrom));
  for (const RpmbFrame& f : frames) {
    const auto* p = reinterpret_cast<const uint8_t*>(&f);
    covered.insert(covered.end(), p + optee::kRpmbMacFrom, p + sizeof(f));
  }
  return hmac(key, {covered});
}

Status check_mac(const SecretKey& key, std::span<const RpmbFrame> frames) {
  ASSIGN_OR_RETURN(Mac m, mac_of(key, frames));
  if (!equal_ct(m, Bytes(frames.back().key_mac, sizeof(frames.back().key_mac))))
    return Error{EKEYREJECTED, "RPMB answer fails authentication (another key?)"};
  return ok_status();
}

}  // namespace

Status RpmbClient::derive_key(FsBackend& fs) {
  if (key_) return ok_status();
  ASSIGN_OR_RETURN(std::vector<uint8_t> resp,
                   fs.rpmb(request(optee::kRpmbCmdGetDevInfo, {}, 0), sizeof(optee::RpmbDevInfo)));
  if (resp.size() != sizeof(optee::RpmbDevInfo)) return Error{EPROTO, "RPMB device info size"};
  optee::RpmbDevInfo info;
  std::memcpy(&info, resp.data(), sizeof(info));
  if (info.ret_code != optee::kRpmbDevInfoOk) return Error{EIO, "RPMB device info refused"};
  ASSIGN_OR_RETURN(SecretKey k, hkdf(base_, {}, {as_bytes("cid"), Bytes(info.cid, sizeof(info.cid))}));
  key_ = k;
  return ok_status();
}

Result<std::optional<uint32_t>> RpmbClient::read_counter(FsBackend& fs) {
  TRY_STATUS(derive_key(fs));
  RpmbFrame f{};
  TRY_STATUS(random_bytes(std::span<uint8_t>(f.nonce, sizeof(f.nonce))));
  optee::rpmb_put16(f.req_resp, optee::kRpmbReqWriteCounter);
  ASSIGN_OR_RETURN(std::vector<uint8_t> resp,
                   fs.rpmb(request(optee::kRpmbCmdDataReq, {&f, 1}, 1), sizeof(RpmbFrame)));
  if (resp.size() != sizeof(RpmbFrame)) return Error{EPROTO, "RPMB counter answer size"};
  const auto r = frames_of(resp);
  const uint16_t result = optee::rpmb_be16(r[0].result) & optee::kRpmbResultMask;
  if (optee::rpmb_be16(r[0].req_resp) != optee::kRpmbRespWriteCounter)
    return Error{EPROTO, "RPMB answer type"};
  if (result == optee::kRpmbResultKeyNotProgrammed) return std::optional<uint32_t>{};
  if (result != optee::kRpmbResultOk) return Error{EIO, "RPMB counter read refused"};
  TRY_STATUS(check_mac(*key_, r));
  if (std::memcmp(r[0].nonce, f.nonce, sizeof(f.nonce)) != 0)
    return Error{EKEYREJECTED, "RPMB nonce replayed"};
  counter_ = optee::rpmb_be32(r[0].write_counter);
  return std::optional<uint32_t>(counter_);
}

Status RpmbClient::program_key(FsBackend& fs) {
  RpmbFrame f{};
  std::memcpy(f.key_mac, key_->bytes().data(), sizeof(f.key_mac));
  optee::rpmb_put16(f.req_resp, optee::kRpmbReqKeyProgram);
  auto resp = fs.rpmb(request(optee::kRpmbCmdDataReq, {&f, 1}, 1), sizeof(RpmbFrame));
  std::memset(f.key_mac, 0, sizeof(f.key_mac));
  if (!resp.ok()) return resp.error();
  if (resp->size() != sizeof(RpmbFrame)) return Error{EPROTO, "RPMB key answer size"};
  const auto r = frames_of(*resp);
  if ((optee::rpmb_be16(r[0].result) & optee::kRpmbResultMask) != optee::kRpmbResultOk)
    return Error{EIO, "RPMB key programming refused"};
  return ok_status();
}

Result<std::optional<std::vector<uint8_t>>> RpmbClient::read(FsBackend& fs, uint16_t addr, uint16_t n) {
  if (n == 0) return Error{EINVAL, "RPMB read of no blocks"};
  TRY_STATUS(derive_key(fs));
  RpmbFrame f{};
  TRY_STATUS(random_bytes(std::span<uint8_t>(f.nonce, sizeof(f.nonce))));
  optee::rpmb_put16(f.address, addr);
  optee::rpmb_put16(f.req_resp, optee::kRpmbReqDataRead);
  ASSIGN_OR_RETURN(std::vector<uint8_t> resp,
                   fs.rpmb(request(optee::kRpmbCmdDataReq, {&f, 1}, n), size_t{n} * sizeof(RpmbFrame)));
  if (resp.size() != size_t{n} * sizeof(RpmbFrame)) return Error{EPROTO, "RPMB read answer size"};
  const auto r = frames_of(resp);
  const uint16_t result = optee::rpmb_be16(r.back().result) & optee::kRpmbResultMask;
  if (result == optee::kRpmbResultKeyNotProgrammed) return std::optional<std::vector<uint8_t>>{};
  if (result != optee::kRpmbResultOk) return Error{EIO, "RPMB read refused"};
  TRY_STATUS(check_mac(*key_, r));
  std::vector<uint8_t> data(size_t{n} * optee::kRpmbBlockSize);
  for (size_t i = 0; i < r.size(); ++i) {
    if (std::memcmp(r[i].nonce, f.nonce, sizeof(f.nonce)) != 0 || optee::rpmb_be16(r[i].address) != addr ||
        optee::rpmb_be16(r[i].req_resp) != optee::kRpmbRespDataRead)
      return Error{EKEYREJECTED, "RPMB read answer does not match the request"};
    std::memcpy(data.data() + i * optee::kRpmbBlockSize, r[i].data, optee::kRpmbBlockSize);
  }
  return std::optional<std::vector<uint8_t>>(std::move(data));
}

Status RpmbClient::write(FsBackend& fs, uint16_t addr, Bytes data) {
  if (data.empty() || data.size() % optee::kRpmbBlockSize != 0) return Error{EINVAL, "RPMB write size"};
  if (counter_known_) {
    counter_known_ = false;  // until an answer says what it is
    ASSIGN_OR_RETURN(uint16_t result, write_with(fs, addr, data, counter_));
    if (result == optee::kRpmbResultOk) {
      counter_known_ = true;
      return ok_status();
    }
    // Refused (the counter moved, or the device is not the one we knew):
    // once more, from what the device says now.
  }
  ASSIGN_OR_RETURN(std::optional<uint32_t> counter, read_counter(fs));
  if (!counter) {
    TRY_STATUS(program_key(fs));
    ASSIGN_OR_RETURN(counter, read_counter(fs));
    if (!counter) return Error{EIO, "RPMB key did not take"};
  }
  ASSIGN_OR_RETURN(uint16_t result, write_with(fs, addr, data, *counter));
  if (result != optee::kRpmbResultOk) return Error{EIO, "RPMB write refused"};
  counter_known_ = true;
  return ok_status();
}

Result<uint16_t> RpmbClient::write_with(FsBackend& fs, uint16_t addr, Bytes data, uint32_t counter) {
  TRY_STATUS(derive_key(fs));
  const size_t n = data.size() / optee::kRpmbBlockSize;
  std::vector<RpmbFrame> frames(n);
  for (size_t i = 0; i < n; ++i) {
    RpmbFrame& f = frames[i];
    std::memcpy(f.data, data.data() + i * optee::kRpmbBlockSize, optee::kRpmbBlockSize);
    optee::rpmb_put32(f.write_counter, counter);
    optee::rpmb_put16(f.address, addr);
    optee::rpmb_put16(f.block_count, static_cast<uint16_t>(n));
    optee::rpmb_put16(f.req_resp, optee::kRpmbReqDataWrite);
  }
  ASSIGN_OR_RETURN(Mac m, mac_of(*key_, frames));
  std::memcpy(frames.back().key_mac, m.data(), m.size());
  ASSIGN_OR_RETURN(
      std::vector<uint8_t> resp,
      fs.rpmb(request(optee::kRpmbCmdDataReq, frames, static_cast<uint16_t>(n)), sizeof(RpmbFrame)));
  if (resp.size() != sizeof(RpmbFrame)) return Error{EPROTO, "RPMB write answer size"};
  const auto r = frames_of(resp);
  if (optee::rpmb_be16(r[0].req_resp) != optee::kRpmbRespDataWrite) return Error{EPROTO, "RPMB answer type"};
  const uint16_t result = optee::rpmb_be16(r[0].result) & optee::kRpmbResultMask;
  if (result != optee::kRpmbResultOk) return result;  // unauthenticated: only a reason to refuse or re-read
  TRY_STATUS(check_mac(*key_, r));
  // The answer must show this write, and only it, landed.
  if (optee::rpmb_be32(r[0].write_counter) != counter + 1 || optee::rpmb_be16(r[0].address) != addr)
    return Error{EKEYREJECTED, "RPMB write answer does not match the request"};
  counter_ = counter + 1;
  return result;
}

}  // namespace swtee::os::storage
