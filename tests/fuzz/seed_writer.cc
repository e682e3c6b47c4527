// fuzz_seed_writer DIR: writes the seed messages of the fuzz targets that
// take wire messages, as the real senders build them, into
// DIR/<target>/seed-<name>. Each seed is framed as its target reads its
// input (selector bytes first where the target has them; see each
// target's source). The committed corpora (tests/fuzz/corpus/) grew from
// these seeds by fuzzing and were then minimized (docs/fuzzing.md).
#include <swtee/uapi/tee.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "protocol/control_codec.h"
#include "protocol/control_wire.h"
#include "protocol/optee_msg.h"
#include "protocol/os_status_codec.h"
#include "protocol/ta_channel_wire.h"
#include "uapi/uapi_codec.h"

namespace {

using Bytes = std::vector<uint8_t>;
namespace fs = std::filesystem;

fs::path g_dir;

void put(const std::string& target, const std::string& name, const Bytes& b) {
  fs::create_directories(g_dir / target);
  std::ofstream(g_dir / target / ("seed-" + name), std::ios::binary)
      .write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}

template <typename T>
void append(Bytes& b, const T& v) {
  const auto* p = reinterpret_cast<const uint8_t*>(&v);
  b.insert(b.end(), p, p + sizeof(T));
}
void append_bytes(Bytes& b, const Bytes& more) { b.insert(b.end(), more.begin(), more.end()); }

// ---- fuzz_uapi_decode: one request datagram, as UapiClient frames it ----
Bytes uapi_frame(uint32_t cmd, const Bytes& arg) {
  Bytes b;
  append(b, swtee::uapi::make_request_header(cmd, 7, arg.size()));
  append_bytes(b, arg);
  return b;
}

tee_ioctl_param param(uint64_t attr, uint64_t a, uint64_t b, uint64_t c) { return {attr, a, b, c}; }

void uapi_seeds() {
  const std::string t = "fuzz_uapi_decode";
  put(t, "version", uapi_frame(TEE_IOC_VERSION, {}));
  put(t, "shm_alloc",
      uapi_frame(TEE_IOC_SHM_ALLOC, swtee::uapi::encode_struct(tee_ioctl_shm_alloc_data{4096, 0, -1})));
  tee_ioctl_open_session_arg open{};
  for (int i = 0; i < 16; ++i) open.uuid[i] = static_cast<uint8_t>(0x10 + i);
  open.clnt_login = TEE_IOCTL_LOGIN_USER;
  open.cancel_id = 3;
  const tee_ioctl_param open_params[] = {
      param(TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_INPUT, 1, 2, 0),
      param(TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INOUT, 0, 16, 1),
  };
  put(t, "open_session", uapi_frame(TEE_IOC_OPEN_SESSION, swtee::uapi::encode_buf_arg(open, open_params)));
  tee_ioctl_invoke_arg inv{};
  inv.func = 1;
  inv.session = 1;
  inv.cancel_id = 9;
  const tee_ioctl_param inv_params[] = {
      param(TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INPUT, 0, 4096, 1),
      param(TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_OUTPUT, 0, 0, 2),
      param(TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_INOUT, 5, 6, 0),
      param(TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_OUTPUT, 0, 64, 0),  // NULL memref
  };
  put(t, "invoke", uapi_frame(TEE_IOC_INVOKE, swtee::uapi::encode_buf_arg(inv, inv_params)));
  put(t, "cancel", uapi_frame(TEE_IOC_CANCEL, swtee::uapi::encode_struct(tee_ioctl_cancel_arg{9, 1})));
  put(t, "close_session",
      uapi_frame(TEE_IOC_CLOSE_SESSION, swtee::uapi::encode_struct(tee_ioctl_close_session_arg{1})));
  tee_iocl_supp_recv_arg recv{};
  recv.num_params = 2;
  const tee_ioctl_param recv_params[] = {
      param(TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_INOUT | TEE_IOCTL_PARAM_ATTR_META, 0, 0, 0),
      param(TEE_IOCTL_PARAM_ATTR_TYPE_NONE, 0, 0, 0),
  };
  put(t, "supp_recv", uapi_frame(TEE_IOC_SUPPL_RECV, swtee::uapi::encode_buf_arg(recv, recv_params)));
  tee_iocl_supp_send_arg send{};
  send.num_params = 2;
  const tee_ioctl_param send_params[] = {
      param(TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_OUTPUT, 1, 0, 0),
      param(TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_OUTPUT, 0, 32, 1),
  };
  put(t, "supp_send", uapi_frame(TEE_IOC_SUPPL_SEND, swtee::uapi::encode_buf_arg(send, send_params)));
  put(t, "shm_register_fd",
      uapi_frame(TEE_IOC_SHM_REGISTER_FD,
                 swtee::uapi::encode_struct(tee_ioctl_shm_register_fd_data{3, 4096, 0, 0})));
  put(t, "shm_release",
      uapi_frame(SWTEE_IOC_SHM_RELEASE, swtee::uapi::encode_struct(swtee_ioctl_shm_release_arg{1})));
}

// ---- fuzz_ta_channel: TA -> OS messages; [fds byte] + OS -> TA request / syscall reply ----
namespace tc = swtee::tachan;

Bytes ta_msg(tc::TaMsgKind kind, uint32_t seq, const Bytes& body) {
  Bytes b;
  append(b, tc::TaMsgHeader{tc::kMsgMagic, static_cast<uint32_t>(kind), seq,
                            static_cast<uint32_t>(body.size())});
  append_bytes(b, body);
  return b;
}

void ta_channel_seeds() {
  const std::string t = "fuzz_ta_channel";
  tc::TaHello hello{};
  hello.abi_version = 1;
  hello.flags = 0x3;
  hello.stack_size = 64 << 10;
  hello.data_size = 1 << 20;
  Bytes body;
  append(body, hello);
  put(t, "hello", ta_msg(tc::TaMsgKind::Hello, 0, body));
  tc::TaReply reply{};
  reply.params[0] = {42, 0};
  body.clear();
  append(body, reply);
  put(t, "reply", ta_msg(tc::TaMsgKind::Reply, 5, body));
  body.clear();
  append(body, tc::TaPanic{0xdead, 0});
  put(t, "panic", ta_msg(tc::TaMsgKind::Panic, 0, body));
  const std::string line = "hello from the TA";
  body.clear();
  append(body, tc::TaLog{2, static_cast<uint32_t>(line.size())});
  body.insert(body.end(), line.begin(), line.end());
  put(t, "log", ta_msg(tc::TaMsgKind::Log, 0, body));
  // A storage create: object id, then data, inline; one bulk memfd.
  tc::TaSyscall sc{};
  sc.family = static_cast<uint32_t>(tc::SysFamily::Storage);
  sc.fn = 1;
  sc.num_fds = 1;
  const std::string id = "object-1";
  sc.in_len = static_cast<uint32_t>(id.size());
  sc.args[0] = 1;
  sc.args[2] = id.size();
  body.clear();
  append(body, sc);
  body.insert(body.end(), id.begin(), id.end());
  put(t, "syscall", ta_msg(tc::TaMsgKind::Syscall, 0, body));

  // OS -> TA: an open-session request with one memref whose fd rides along.
  tc::TaRequest req{};
  req.magic = tc::kRequestMagic;
  req.op = static_cast<uint32_t>(tc::TaOp::OpenSession);
  req.seq = 3;
  req.session = 1;
  req.login = 1;
  req.params[0] = {0, 64, 1, 7, tc::kParamFdAttached};  // MEMREF_INOUT, in its window
  req.params[1] = {1, 2, 0, 3, 0};                      // VALUE_INOUT
  Bytes r{1};
  append(r, req);
  put(t, "request_open", r);
  req.op = static_cast<uint32_t>(tc::TaOp::Invoke);
  req.cmd = 4;
  r = {1};
  append(r, req);
  put(t, "request_invoke", r);
  tc::TaSyscallReply rep{};
  rep.magic = tc::kSysReplyMagic;
  rep.family = static_cast<uint32_t>(tc::SysFamily::Storage);
  rep.fn = 3;
  rep.out_len = 4;
  rep.vals[0] = 4;
  r = {0};
  append(r, rep);
  append_bytes(r, {'d', 'a', 't', 'a'});
  put(t, "syscall_reply", r);
}

// ---- fuzz_control_decode: requests and replies of the control socket ----
namespace ctl = swtee::control;

void control_seeds() {
  const std::string t = "fuzz_control_decode";
  for (uint32_t c : {1u, 2u, 3u}) {
    Bytes b;
    append(b, ctl::ControlRequest{c, 0});
    put(t, "request" + std::to_string(c), b);
  }
  ctl::DeviceStatus dev{};
  std::strcpy(dev.name, "tee0");
  dev.impl_id = 1;
  dev.contexts = 2;
  Bytes b;
  append(b, ctl::ControlStatusReply{0, 2, 1234, 1, 0});
  append(b, dev);
  std::strcpy(dev.name, "teepriv0");
  dev.privileged = 1;
  append(b, dev);
  put(t, "status_reply", b);
  ctl::DeviceCalls calls{};
  std::strcpy(calls.name, "tee0");
  calls.calls = 100;
  calls.errors = 1;
  ctl::InflightCall f{};
  f.pid = 1000;
  std::strcpy(f.op, "invoke");
  f.session = 1;
  f.age_us = 5000;
  b.clear();
  append(b, ctl::CallsReply{0, 1, 1, 1});
  append(b, calls);
  append(b, f);
  put(t, "calls_reply", b);
  swtee::osstat::OsStatus os{};
  os.counts.sessions = 2;
  swtee::osstat::TaStatus ta;
  ta.uuid.octets[0] = 0x8a;
  ta.instances = {{4242, 2}, {4243, 0}};
  os.tas.push_back(ta);
  Bytes report(swtee::osstat::encoded_size(os));
  if (!swtee::osstat::encode(os, report).ok()) return;
  put(t, "os_report", report);
  b.clear();
  append(b, ctl::OsReply{0, static_cast<uint32_t>(report.size())});
  append_bytes(b, report);
  put(t, "os_reply", b);
}

// ---- fuzz_msg_arg: a carve-out slot; byte 0 picks the arg's offset (1 -> 8) ----
Bytes slot(const swtee::optee::MsgArg& a, std::initializer_list<swtee::optee::MsgParam> ps) {
  Bytes b(8, 0);
  b[0] = 1;
  swtee::optee::MsgArg h = a;
  h.num_params = static_cast<uint32_t>(ps.size());
  append(b, h);
  for (const auto& p : ps) append(b, p);
  return b;
}

swtee::optee::MsgParam mp(uint64_t attr, uint64_t a, uint64_t b, uint64_t c) {
  swtee::optee::MsgParam p{};
  p.attr = attr;
  p.u.value = {a, b, c};
  return p;
}

void msg_arg_seeds() {
  const std::string t = "fuzz_msg_arg";
  using namespace swtee::optee;
  const uint64_t meta_in = kAttrTypeValueInput | kAttrMeta;
  put(t, "open_session",
      slot({static_cast<uint32_t>(MsgCmd::OpenSession), 0, 0, 1, 0, 0, 0, 0},
           {mp(meta_in, 0x0123456789abcdefull, 0xfedcba9876543210ull, 0), mp(meta_in, 0, 0, kLoginUser),
            mp(kAttrTypeValueInput, 1, 2, 0), mp(kAttrTypeRmemInout, 0, 16, 1)}));
  put(t, "invoke",
      slot({static_cast<uint32_t>(MsgCmd::InvokeCommand), 7, 1, 2, 0, 0, 0, 0},
           {mp(kAttrTypeRmemInput, 0, 32, 2), mp(kAttrTypeRmemOutput, 16, 16, 2),
            mp(kAttrTypeTmemOutput, 0, 8, 0), mp(kAttrTypeValueInout, 3, 4, 5)}));
  put(t, "close_session", slot({static_cast<uint32_t>(MsgCmd::CloseSession), 0, 1, 0, 0, 0, 0, 0}, {}));
  put(t, "cancel", slot({static_cast<uint32_t>(MsgCmd::Cancel), 0, 1, 2, 0, 0, 0, 0}, {}));
  put(t, "register_shm",
      slot({static_cast<uint32_t>(MsgCmd::RegisterShm), 0, 0, 0, 0, 0, 0, 0},
           {mp(kAttrTypeTmemInout, 0, 4096, 0x2000)}));
  put(t, "unregister_shm",
      slot({static_cast<uint32_t>(MsgCmd::UnregisterShm), 0, 0, 0, 0, 0, 0, 0},
           {mp(kAttrTypeRmemInout, 0, 0, 1)}));
}

// ---- fuzz_pkcs11_ta_decode: session, mechanism, attribute list (serial.h) ----
void pkcs11_seeds() {
  const std::string t = "fuzz_pkcs11_ta_decode";
  auto u32 = [](Bytes& b, uint32_t v) { append(b, v); };
  Bytes attrs;
  u32(attrs, 0x000);  // CKA_CLASS
  u32(attrs, 4);
  u32(attrs, 4);      // CKO_SECRET_KEY
  u32(attrs, 0x100);  // CKA_KEY_TYPE
  u32(attrs, 4);
  u32(attrs, 0x1f);   // CKK_AES
  u32(attrs, 0x161);  // CKA_VALUE_LEN
  u32(attrs, 4);
  u32(attrs, 32);
  u32(attrs, 0x104);  // CKA_ENCRYPT
  u32(attrs, 1);
  attrs.push_back(1);
  Bytes b;
  u32(b, 1);       // session
  u32(b, 0x1080);  // CKM_AES_KEY_GEN
  u32(b, 0);       // no params
  u32(b, static_cast<uint32_t>(attrs.size()));
  u32(b, 4);
  append_bytes(b, attrs);
  put(t, "aes_keygen", b);
  b.clear();
  u32(b, 1);
  u32(b, 0x1082);  // CKM_AES_CBC, 16-byte IV
  u32(b, 16);
  b.insert(b.end(), 16, 0x5a);
  u32(b, 0);
  u32(b, 0);
  put(t, "aes_cbc_empty_template", b);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s DIR\n", argv[0]);
    return 2;
  }
  g_dir = argv[1];
  uapi_seeds();
  ta_channel_seeds();
  control_seeds();
  msg_arg_seeds();
  pkcs11_seeds();
  return 0;
}
