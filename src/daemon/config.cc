#include "daemon/config.h"

#include <fmt/core.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <limits>
#include <sstream>
#include <string_view>

#include "common/log_spec.h"
#include "common/stream_socket.h"

namespace swtee::daemon {
namespace {

// Largest configuration file read.
constexpr std::streamsize kMaxConfigSize = 1 << 20;

std::string where(const std::string& file, const toml::source_region& r) {
  return fmt::format("{}:{}:{}", file, r.begin.line, r.begin.column);
}

// One configuration key: its dotted name, what it expects (for messages) and
// how it is stored. A setter returns false when the value does not fit.
struct Key {
  const char* name;
  const char* expected;
  std::function<bool(const toml::node&, DaemonConfig&)> set;
};

bool set_string(const toml::node& n, std::string& out, bool allow_empty = false) {
  auto v = n.value<std::string>();
  if (!v || (!allow_empty && v->empty())) return false;
  out = *v;
  return true;
}

template <typename T>
bool set_uint(const toml::node& n, T& out, uint64_t lo, uint64_t hi) {
  if (!n.is_integer()) return false;
  int64_t v = *n.value<int64_t>();
  if (v < 0 || static_cast<uint64_t>(v) < lo || static_cast<uint64_t>(v) > hi) return false;
  out = static_cast<T>(v);
  return true;
}

template <typename T>
bool set_opt_uint(const toml::node& n, std::optional<T>& out, uint64_t lo, uint64_t hi) {
  T v{};
  if (!set_uint(n, v, lo, hi)) return false;
  out = v;
  return true;
}

// A file mode as a string of octal digits ("0660").
bool set_mode(const toml::node& n, std::optional<unsigned>& out) {
  auto v = n.value<std::string>();
  if (!v || v->empty() || v->size() > 4) return false;
  unsigned m = 0;
  for (char c : *v) {
    if (c < '0' || c > '7') return false;
    m = m * 8 + static_cast<unsigned>(c - '0');
  }
  if ((m & ~0660u) != 0) return false;  // sockets: read/write bits of owner and group only
  out = m;
  return true;
}

// A string that is one of `allowed`.
bool set_one_of(const toml::node& n, std::string& out, std::initializer_list<std::string_view> allowed) {
  auto v = n.value<std::string>();
  if (!n.is_string() || !v || std::find(allowed.begin(), allowed.end(), *v) == allowed.end()) return false;
  out = *v;
  return true;
}

bool set_string_list(const toml::node& n, std::vector<std::string>& out) {
  const toml::array* a = n.as_array();
  if (a == nullptr) return false;
  std::vector<std::string> v;
  for (const auto& e : *a) {
    auto s = e.value<std::string>();
    if (!s || s->empty()) return false;
    v.push_back(*s);
  }
  out = std::move(v);
  return true;
}

constexpr uint64_t kU32 = std::numeric_limits<uint32_t>::max();

bool set_address(const toml::node& n, std::string& out) {
  return set_string(n, out) && parse_stream_address(out).ok();
}

// One [[guests.guest]] table; every key known, the types right.
bool set_guest(const toml::table& t, GuestConfig& g) {
  for (const auto& [key, node] : t) {
    const std::string_view k = key.str();
    bool ok;
    if (k == "id")
      ok = set_uint(node, g.id, 1, 65535);
    else if (k == "name")
      ok = set_string(node, g.name);
    else if (k == "unix_uid")
      ok = set_opt_uint(node, g.unix_uid, 0, kU32 - 1);
    else if (k == "vsock_cid")
      ok = set_opt_uint(node, g.vsock_cid, 3, kU32 - 1);  // 0-2 are the hypervisor's and the host's
    else if (k == "key_file")
      ok = set_string(node, g.key_file);
    else
      ok = false;
    if (!ok) return false;
  }
  return g.id != 0 && (g.unix_uid || g.vsock_cid || !g.key_file.empty());
}

bool set_guests(const toml::node& n, std::vector<GuestConfig>& out) {
  const toml::array* a = n.as_array();
  if (a == nullptr) return false;
  std::vector<GuestConfig> v;
  for (const auto& e : *a) {
    const toml::table* t = e.as_table();
    GuestConfig g;
    if (t == nullptr || !set_guest(*t, g)) return false;
    for (const auto& o : v)
      if (o.id == g.id || (g.unix_uid && o.unix_uid == g.unix_uid) ||
          (g.vsock_cid && o.vsock_cid == g.vsock_cid))
        return false;
    v.push_back(std::move(g));
  }
  out = std::move(v);
  return true;
}

const std::vector<Key>& keys() {
  static const std::vector<Key> k = {
      {"paths.runtime_dir", "a non-empty path string",
       [](const toml::node& n, DaemonConfig& c) { return set_string(n, c.runtime_dir); }},
      {"paths.huk_file", "a non-empty path string",
       [](const toml::node& n, DaemonConfig& c) { return set_string(n, c.huk_file); }},
      {"paths.os_binary", "a non-empty path string",
       [](const toml::node& n, DaemonConfig& c) { return set_string(n, c.os_binary); }},
      {"log.level", "a log spec such as \"info,os=debug,ta.<uuid>=debug\"",
       [](const toml::node& n, DaemonConfig& c) {
         return set_string(n, c.log) && !log::parse_spec(c.log).error.has_value();
       }},
      {"devices.tee0.group", "a group name",
       [](const toml::node& n, DaemonConfig& c) { return set_string(n, c.tee0.group); }},
      {"devices.tee0.mode", "an octal mode string within \"0660\"",
       [](const toml::node& n, DaemonConfig& c) { return set_mode(n, c.tee0.mode); }},
      {"devices.teepriv0.group", "a group name",
       [](const toml::node& n, DaemonConfig& c) { return set_string(n, c.teepriv0.group); }},
      {"devices.teepriv0.mode", "an octal mode string within \"0660\"",
       [](const toml::node& n, DaemonConfig& c) { return set_mode(n, c.teepriv0.mode); }},
      {"drivers.optee.threads", "an integer 1..64",
       [](const toml::node& n, DaemonConfig& c) { return set_opt_uint(n, c.threads, 1, 64); }},
      {"drivers.optee.channels", "an integer 1..64 (at least threads)",
       [](const toml::node& n, DaemonConfig& c) { return set_opt_uint(n, c.channels, 1, 64); }},
      {"drivers.optee.ta_pubkeys", "an array of PEM public key paths",
       [](const toml::node& n, DaemonConfig& c) { return set_string_list(n, c.ta_pubkeys); }},
      {"drivers.optee.storage_verify_always", "true or false",
       [](const toml::node& n, DaemonConfig& c) {
         auto v = n.value<bool>();
         if (!n.is_boolean() || !v) return false;
         c.storage_verify_always = *v;
         return true;
       }},
      {"drivers.optee.ta_image_trust_ms", "an integer 0..60000 (milliseconds)",
       [](const toml::node& n, DaemonConfig& c) { return set_opt_uint(n, c.ta_image_trust_ms, 0, 60000); }},
      {"drivers.optee.spare_idle_ms", "an integer 100..600000 (milliseconds)",
       [](const toml::node& n, DaemonConfig& c) { return set_opt_uint(n, c.spare_idle_ms, 100, 600000); }},
      {"drivers.optee.ta_follow_cpu", "\"auto\", \"on\" or \"off\"",
       [](const toml::node& n, DaemonConfig& c) {
         return set_one_of(n, c.ta_follow_cpu, {"auto", "on", "off"});
       }},
      {"drivers.optee.ta_without_landlock", "\"refuse\" or \"allow\"",
       [](const toml::node& n, DaemonConfig& c) {
         return set_one_of(n, c.ta_without_landlock, {"refuse", "allow"});
       }},
      {"drivers.remote.address", "a stream address: unix:PATH, tcp:HOST:PORT or vsock:CID:PORT",
       [](const toml::node& n, DaemonConfig& c) { return set_address(n, c.remote.address); }},
      {"drivers.remote.name", "a non-empty name string",
       [](const toml::node& n, DaemonConfig& c) { return set_string(n, c.remote.name); }},
      {"drivers.remote.key_file", "a non-empty path string",
       [](const toml::node& n, DaemonConfig& c) { return set_string(n, c.remote.key_file); }},
      {"drivers.remote.connect_timeout_ms", "an integer 0..3600000",
       [](const toml::node& n, DaemonConfig& c) {
         return set_opt_uint(n, c.remote.connect_timeout_ms, 0, 3600000);
       }},
      {"guests.listen", "an array of stream addresses (unix:PATH, tcp:HOST:PORT, vsock:CID|any:PORT)",
       [](const toml::node& n, DaemonConfig& c) {
         if (!set_string_list(n, c.guests.listen)) return false;
         for (const auto& a : c.guests.listen)
           if (!parse_stream_address(a).ok()) return false;
         return true;
       }},
      {"guests.guest",
       "an array of tables [[guests.guest]], each with id (1..65535, unique), an optional name and at least "
       "one of unix_uid, vsock_cid (3..), key_file, none used twice",
       [](const toml::node& n, DaemonConfig& c) { return set_guests(n, c.guests.guests); }},
      // The ranges of swtee-os's --guest-* options.
      {"guests.limits.sessions", "an integer 1..1048576",
       [](const toml::node& n, DaemonConfig& c) {
         return set_opt_uint(n, c.guests.limits.sessions, 1, 1u << 20);
       }},
      {"guests.limits.ta_instances", "an integer 1..4096",
       [](const toml::node& n, DaemonConfig& c) {
         return set_opt_uint(n, c.guests.limits.ta_instances, 1, 4096);
       }},
      {"guests.limits.shm", "an integer 1..1048576",
       [](const toml::node& n, DaemonConfig& c) {
         return set_opt_uint(n, c.guests.limits.shm, 1, 1u << 20);
       }},
      {"guests.limits.threads", "an integer 1..64",
       [](const toml::node& n, DaemonConfig& c) { return set_opt_uint(n, c.guests.limits.threads, 1, 64); }},
      {"limits.max_contexts_per_device", "an integer 1..4294967295",
       [](const toml::node& n, DaemonConfig& c) {
         return set_uint(n, c.limits.max_contexts_per_device, 1, kU32);
       }},
      {"limits.max_shms_per_context", "an integer 1..4294967295",
       [](const toml::node& n, DaemonConfig& c) {
         return set_uint(n, c.limits.max_shms_per_context, 1, kU32);
       }},
      {"limits.max_sessions_per_context", "an integer 1..4294967295",
       [](const toml::node& n, DaemonConfig& c) {
         return set_uint(n, c.limits.max_sessions_per_context, 1, kU32);
       }},
      {"limits.max_inflight_per_context", "an integer 1..4096",
       [](const toml::node& n, DaemonConfig& c) {
         return set_uint(n, c.limits.max_inflight_per_context, 1, 4096);
       }},
      {"limits.max_idle_threads_per_context", "an integer 0..64",
       [](const toml::node& n, DaemonConfig& c) {
         return set_uint(n, c.limits.max_idle_threads_per_context, 0, 64);
       }},
      {"limits.uid_share_percent", "an integer 1..100",
       [](const toml::node& n, DaemonConfig& c) { return set_uint(n, c.limits.uid_share_percent, 1, 100); }},
      {"limits.max_shm_size", "a byte count 4096..4294967296",
       [](const toml::node& n, DaemonConfig& c) {
         return set_uint(n, c.limits.max_shm_size, 4096, 1ull << 32);
       }},
  };
  return k;
}

const Key* find_key(const std::string& name) {
  for (const auto& k : keys())
    if (name == k.name) return &k;
  return nullptr;
}

// True when some key lives below `prefix.` (so `prefix` names a table).
bool is_table_prefix(const std::string& prefix) {
  for (const auto& k : keys())
    if (std::string_view(k.name).starts_with(prefix + ".")) return true;
  return false;
}

std::optional<std::string> walk(const toml::table& t, const std::string& prefix, const std::string& file,
                                DaemonConfig& cfg) {
  for (const auto& [key, node] : t) {
    const std::string name = prefix.empty() ? std::string(key.str()) : prefix + "." + std::string(key.str());
    if (const Key* k = find_key(name)) {
      if (!k->set(node, cfg))
        return fmt::format("{}: {}: expected {}", where(file, node.source()), name, k->expected);
      continue;
    }
    if (is_table_prefix(name)) {
      const toml::table* sub = node.as_table();
      if (sub == nullptr) return fmt::format("{}: {}: expected a table", where(file, node.source()), name);
      if (auto e = walk(*sub, name, file, cfg)) return e;
      continue;
    }
    std::string known;
    for (const auto& k2 : keys()) {
      std::string_view kn(k2.name);
      if (prefix.empty() || kn.starts_with(prefix + "."))
        known += (known.empty() ? "" : ", ") + std::string(kn);
    }
    return fmt::format("{}: unknown key {} (expected one of: {})", where(file, key.source()), name, known);
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> parse_config(std::string_view text, const std::string& name, DaemonConfig& cfg) {
  toml::table root;
  try {
    root = toml::parse(text, name);
  } catch (const toml::parse_error& e) {
    return fmt::format("{}: {}", where(name, e.source()), e.description());
  }
  if (auto e = walk(root, "", name, cfg)) return e;
  if (!cfg.remote.address.empty() && !cfg.guests.listen.empty())
    return fmt::format("{}: drivers.remote and guests: a guest cannot accept guests of its own", name);
  if (cfg.threads && cfg.channels && *cfg.channels < *cfg.threads)
    return fmt::format("{}: drivers.optee.channels: expected at least drivers.optee.threads ({})", name,
                       *cfg.threads);
  return std::nullopt;
}

std::optional<std::string> load_config(const std::string& path, DaemonConfig& cfg) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fmt::format("{}: cannot open the configuration file", path);
  std::string text(static_cast<size_t>(kMaxConfigSize) + 1, '\0');
  in.read(text.data(), kMaxConfigSize + 1);
  if (in.gcount() > kMaxConfigSize) return fmt::format("{}: larger than {} bytes", path, kMaxConfigSize);
  text.resize(static_cast<size_t>(in.gcount()));
  return parse_config(text, path, cfg);
}

}  // namespace swtee::daemon
