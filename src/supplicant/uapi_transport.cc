#include "supplicant/uapi_transport.h"

#include <sys/socket.h>

#include <cstring>

namespace swtee::supp {
namespace {

std::vector<uint8_t> encode(uint32_t code, std::span<const tee_ioctl_param> params) {
  // tee_iocl_supp_recv_arg and tee_iocl_supp_send_arg share this layout.
  tee_iocl_supp_send_arg hdr{code, static_cast<uint32_t>(params.size())};
  std::vector<uint8_t> buf(sizeof(hdr) + params.size_bytes());
  std::memcpy(buf.data(), &hdr, sizeof(hdr));
  if (!params.empty()) std::memcpy(buf.data() + sizeof(hdr), params.data(), params.size_bytes());
  return buf;
}

Result<uapi::Reply> checked_call(uapi::UapiClient& c, uint32_t cmd, std::span<const uint8_t> arg,
                                 const char* what) {
  ASSIGN_OR_RETURN(uapi::Reply r, c.call(cmd, arg));
  if (r.rc < 0) return Error{-r.rc, what};
  return r;
}

}  // namespace

Result<std::unique_ptr<UapiTransport>> UapiTransport::connect(const std::string& device,
                                                              const std::string& runtime_dir) {
  ASSIGN_OR_RETURN(uapi::UapiClient c, uapi::UapiClient::connect(device, runtime_dir));
  tee_ioctl_version_data v{};
  ASSIGN_OR_RETURN(uapi::Reply r,
                   checked_call(c, TEE_IOC_VERSION, {reinterpret_cast<const uint8_t*>(&v), sizeof(v)}, "VERSION"));
  if (r.arg.size() < sizeof(v)) return Error{EPROTO, "short VERSION reply"};
  std::memcpy(&v, r.arg.data(), sizeof(v));
  if ((v.gen_caps & TEE_GEN_CAP_PRIVILEGED) == 0) return Error{EACCES, "device is not privileged"};
  return std::unique_ptr<UapiTransport>(new UapiTransport(std::move(c)));
}

Result<SuppMessage> UapiTransport::recv(std::span<const tee_ioctl_param> offered) {
  auto arg = encode(0, offered);
  ASSIGN_OR_RETURN(uapi::Reply r, checked_call(client_, TEE_IOC_SUPPL_RECV, arg, "SUPPL_RECV"));
  tee_iocl_supp_recv_arg hdr{};
  if (r.arg.size() < sizeof(hdr)) return Error{EPROTO, "short SUPPL_RECV reply"};
  std::memcpy(&hdr, r.arg.data(), sizeof(hdr));
  if (hdr.num_params > offered.size() ||
      r.arg.size() < sizeof(hdr) + size_t{hdr.num_params} * sizeof(tee_ioctl_param))
    return Error{EPROTO, "malformed SUPPL_RECV reply"};
  SuppMessage m;
  m.code = hdr.func;
  m.params.resize(hdr.num_params);
  if (hdr.num_params != 0)
    std::memcpy(m.params.data(), r.arg.data() + sizeof(hdr), m.params.size() * sizeof(tee_ioctl_param));
  return m;
}

Status UapiTransport::send(const SuppMessage& reply) {
  auto arg = encode(reply.code, reply.params);
  ASSIGN_OR_RETURN(uapi::Reply r, checked_call(client_, TEE_IOC_SUPPL_SEND, arg, "SUPPL_SEND"));
  (void)r;
  return ok_status();
}

Result<ShmAllocation> UapiTransport::shm_alloc(uint64_t size) {
  tee_ioctl_shm_alloc_data d{size, 0, -1};
  ASSIGN_OR_RETURN(uapi::Reply r, checked_call(client_, TEE_IOC_SHM_ALLOC,
                                               {reinterpret_cast<const uint8_t*>(&d), sizeof(d)}, "SHM_ALLOC"));
  if (r.arg.size() < sizeof(d)) return Error{EPROTO, "malformed SHM_ALLOC reply"};
  std::memcpy(&d, r.arg.data(), sizeof(d));
  if (r.fds.size() != 1) {
    (void)shm_release(d.id);  // the id exists in our context: do not leak it
    return Error{EPROTO, "SHM_ALLOC reply without its memfd"};
  }
  ShmAllocation a;
  a.id = d.id;
  a.size = d.size;
  a.memfd = std::move(r.fds[0]);
  if (a.size < size) {
    (void)shm_release(a.id);
    return Error{EPROTO, "SHM_ALLOC returned a smaller shm"};
  }
  return a;
}

Status UapiTransport::shm_release(int32_t id) {
  swtee_ioctl_shm_release_arg a{id};
  ASSIGN_OR_RETURN(uapi::Reply r, checked_call(client_, SWTEE_IOC_SHM_RELEASE,
                                               {reinterpret_cast<const uint8_t*>(&a), sizeof(a)}, "SHM_RELEASE"));
  (void)r;
  return ok_status();
}

void UapiTransport::shutdown() { ::shutdown(client_.socket_fd(), SHUT_RDWR); }

}  // namespace swtee::supp
