// swtee sign: wraps a TA shared object into a signed <uuid>.ta image, or
// many into <dir>/<uuid>.ta (--out-dir, with progress on a terminal), or
// makes a signing key pair (--gen-key).
#include <unistd.h>

#include <cstdio>
#include <optional>
#include <set>
#include <vector>

#include "cli/commands.h"
#include "cli/file_io.h"
#include "common/log.h"
#include "common/progress.h"
#include "supplicant/ree_fs.h"
#include "ta_image/ta_elf_info.h"
#include "ta_image/ta_image.h"

namespace swtee::cli {
namespace {

constexpr uint64_t kMaxKeyFile = 64 * 1024;

bool exists(const std::string& p) { return ::access(p.c_str(), F_OK) == 0; }

// Creates the directory that will hold `file` (build trees start without it).
bool make_parent(const std::string& file) {
  const size_t slash = file.rfind('/');
  if (slash == std::string::npos || slash == 0) return true;
  auto s = supp::make_dirs(file.substr(0, slash), 0755);
  if (!s.ok()) log::error("cannot create the directory of {}: {}", file, s.error());
  return s.ok();
}

std::span<const uint8_t> as_bytes(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

int gen_key(const SignOptions& o) {
  if (o.key.empty() || o.pub.empty()) {
    log::error("swtee sign --gen-key needs --key PRIV.pem and --pub PUB.pem");
    return 2;
  }
  const bool have_key = exists(o.key), have_pub = exists(o.pub);
  if (have_key && have_pub) {
    log::info("{} and {} exist; left unchanged", o.key, o.pub);
    return 0;
  }
  if (have_key || have_pub) {
    log::error("only one of {} and {} exists; refusing to replace half of a key pair", o.key, o.pub);
    return 1;
  }
  if (!make_parent(o.key) || !make_parent(o.pub)) return 1;
  auto kp = taimg::generate_signing_key();
  if (!kp.ok()) {
    log::error("key generation failed: {}", kp.error());
    return 1;
  }
  // Exclusive: a concurrent generator (parallel builds) wins, we keep theirs.
  if (auto s = write_file_atomic(o.key, as_bytes(kp->first), 0600, true); !s.ok()) {
    if (s.error().code == EEXIST) return 0;
    log::error("cannot write {}: {}", o.key, s.error());
    return 1;
  }
  if (auto s = write_file_atomic(o.pub, as_bytes(kp->second), 0644, true); !s.ok()) {
    log::error("cannot write {}: {}", o.pub, s.error());
    ::unlink(o.key.c_str());
    return 1;
  }
  return 0;
}

// One TA read, checked and signed; its errors are logged. `want` and
// `want_flags` are what the command line expects (single-image mode only).
struct SignedTa {
  Uuid uuid;
  std::vector<uint8_t> image;
};
std::optional<SignedTa> sign_one(const std::string& in, const std::string& key_pem,
                                 const std::optional<Uuid>& want, const std::optional<uint32_t>& want_flags) {
  auto so = read_file(in, taimg::kMaxPayload);
  if (!so.ok()) {
    log::error("{}: {}", in, so.error());
    return std::nullopt;
  }
  Uuid uuid;
  uint32_t flags = 0;
  auto info = taimg::read_ta_info_from_elf(*so);
  if (info.ok()) {
    uuid = info->uuid;
    flags = info->flags;
    if (want && *want != uuid) {
      log::error("{}: the TA declares UUID {}, not {}", in, uuid.to_string(), want->to_string());
      return std::nullopt;
    }
    if (want_flags && *want_flags != flags) {
      log::error("{}: the TA declares flags {:#x}, not {:#x}", in, flags, *want_flags);
      return std::nullopt;
    }
  } else if (info.error().code == ENOENT && want) {
    // No swtee_ta_info record (a TA not built with the SDK header): the
    // command line is the only source of identity.
    uuid = *want;
    flags = want_flags.value_or(0);
  } else {
    log::error("{}: cannot read the TA identity: {}{}", in, info.error(),
               info.error().code == ENOENT ? " (give --uuid to sign it anyway)" : "");
    return std::nullopt;
  }
  auto img = taimg::sign_ta_image(*so, uuid, flags, key_pem);
  if (!img.ok()) {
    log::error("signing {} failed: {}", in, img.error());
    return std::nullopt;
  }
  return SignedTa{uuid, std::move(*img)};
}

// --out-dir: every input into DIR/<uuid>.ta, with progress on a terminal.
int sign_many(const SignOptions& o, const std::string& key_pem) {
  if (o.uuid.size() != 0 || o.flags) {
    log::error("--uuid and --flags name one TA; with --out-dir each TA's own identity is used");
    return 2;
  }
  if (!make_parent(o.out_dir + "/x")) return 1;
  std::set<Uuid> seen;
  Progress progress("signing TAs", o.inputs.size());
  for (size_t i = 0; i < o.inputs.size(); ++i) {
    auto ta = sign_one(o.inputs[i], key_pem, std::nullopt, std::nullopt);
    if (ta && !seen.insert(ta->uuid).second) {
      log::error("{}: another input already declares UUID {}", o.inputs[i], ta->uuid.to_string());
      ta.reset();
    }
    if (!ta) {
      progress.finish();
      return 1;
    }
    const std::string out = o.out_dir + "/" + ta->uuid.to_string() + ".ta";
    if (auto st = write_file_atomic(out, ta->image, 0644); !st.ok()) {
      progress.finish();
      log::error("cannot write {}: {}", out, st.error());
      return 1;
    }
    progress.update(i + 1);
  }
  progress.finish();
  log::info("signed {} TAs into {}", o.inputs.size(), o.out_dir);
  return 0;
}

}  // namespace

int cmd_sign(const SignOptions& o) {
  if (o.gen_key) return gen_key(o);
  const bool many = !o.out_dir.empty();
  if (many ? (o.key.empty() || o.inputs.empty() || !o.in.empty() || !o.out.empty())
           : (o.key.empty() || o.in.empty() || o.out.empty() || !o.inputs.empty())) {
    log::error(
        "swtee sign needs --key PRIV.pem --in TA.so --out FILE.ta, or --key PRIV.pem --out-dir DIR TA.so...");
    return 2;
  }
  std::optional<Uuid> want;
  if (!o.uuid.empty()) {
    want = Uuid::parse(o.uuid);
    if (!want) {
      log::error("--uuid {}: not a UUID (8-4-4-4-12 hex)", o.uuid);
      return 2;
    }
  }
  auto key = read_file(o.key, kMaxKeyFile);
  if (!key.ok()) {
    log::error("{}: {}", o.key, key.error());
    return 1;
  }
  const std::string key_pem(key->begin(), key->end());
  if (many) return sign_many(o, key_pem);
  auto ta = sign_one(o.in, key_pem, want, o.flags);
  if (!ta) return 1;
  if (!make_parent(o.out)) return 1;
  if (auto s = write_file_atomic(o.out, ta->image, 0644); !s.ok()) {
    log::error("cannot write {}: {}", o.out, s.error());
    return 1;
  }
  return 0;
}

}  // namespace swtee::cli
