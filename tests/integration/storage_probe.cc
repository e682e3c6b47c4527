// storage_probe: a client of the storage test TA for the script-driven
// storage tests (tamper, crash, rollback). Runs under `swtee run --state DIR`.
//
//   storage_probe tamper STATE_DIR     flip bytes of stored files in turn; each
//                                      flip must read back as CORRUPT_OBJECT
//   storage_probe setup                create the churn objects
//   storage_probe churn                write/rename/delete objects until killed
//   storage_probe verify               every churn object is whole (old or new)
//   storage_probe put ID SEED SIZE     create (overwrite) ID with pattern SEED
//   storage_probe get ID SEED SIZE     exit 0 iff ID holds exactly that pattern;
//                                      prints ok|corrupt|missing|other:<hex>
// With STORAGE_PROBE_RPMB=1 in the environment the objects are in
// TEE_STORAGE_PRIVATE_RPMB instead of TEE_STORAGE_PRIVATE.
//
// Needs swtee-os with --storage-verify-always for `tamper` (no plaintext
// cache: every read re-authenticates the files).
#include <tee_client_api.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

extern "C" {
#include <storage_ta.h>
#include <storage_ta_host.h>
}

namespace {

namespace fs = std::filesystem;

constexpr uint32_t kAll =
    ST_DATA_FLAG_ACCESS_READ | ST_DATA_FLAG_ACCESS_WRITE | ST_DATA_FLAG_ACCESS_WRITE_META;

class Ta {
 public:
  bool start() {
    if (TEEC_InitializeContext(nullptr, &ctx_) != TEEC_SUCCESS) return false;
    TEEC_UUID u = STORAGE_TA_UUID;
    uint32_t origin = 0;
    return TEEC_OpenSession(&ctx_, &s_, &u, TEEC_LOGIN_PUBLIC, nullptr, nullptr, &origin) == TEEC_SUCCESS;
  }
  TEEC_Result invoke(uint32_t cmd, TEEC_Operation* op) {
    uint32_t origin = 0;
    return TEEC_InvokeCommand(&s_, cmd, op, &origin);
  }
  TEEC_Result create(const std::string& id, const std::string& data, uint32_t* h, uint32_t flags = kAll) {
    TEEC_Operation op{};
    op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_VALUE_INPUT,
                                     data.empty() ? TEEC_NONE : TEEC_MEMREF_TEMP_INPUT, TEEC_VALUE_INOUT);
    op.params[0].tmpref = {const_cast<char*>(id.data()), id.size()};
    op.params[1].value.a = flags | ST_DATA_FLAG_OVERWRITE;
    op.params[1].value.b = storage_;
    op.params[2].tmpref = {const_cast<char*>(data.data()), data.size()};
    TEEC_Result r = invoke(STORAGE_CMD_CREATE, &op);
    *h = op.params[3].value.a;
    return r;
  }
  TEEC_Result open(const std::string& id, uint32_t flags, uint32_t* h) {
    TEEC_Operation op{};
    op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_VALUE_INPUT, TEEC_NONE, TEEC_VALUE_OUTPUT);
    op.params[0].tmpref = {const_cast<char*>(id.data()), id.size()};
    op.params[1].value.a = flags;
    op.params[1].value.b = storage_;
    TEEC_Result r = invoke(STORAGE_CMD_OPEN, &op);
    *h = op.params[3].value.a;
    return r;
  }
  TEEC_Result value(uint32_t cmd, uint32_t a, uint32_t b = 0) {
    TEEC_Operation op{};
    op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
    op.params[0].value.a = a;
    op.params[0].value.b = b;
    return invoke(cmd, &op);
  }
  TEEC_Result read(uint32_t h, size_t max, std::string* out) {
    out->assign(max, '\0');
    TEEC_Operation op{};
    op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE, TEEC_NONE);
    op.params[0].value.a = h;
    op.params[1].tmpref = {out->data(), out->size()};
    TEEC_Result r = invoke(STORAGE_CMD_READ, &op);
    out->resize(r == TEEC_SUCCESS ? op.params[1].tmpref.size : 0);
    return r;
  }
  TEEC_Result write(uint32_t h, const std::string& d) {
    TEEC_Operation op{};
    op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_MEMREF_TEMP_INPUT, TEEC_NONE, TEEC_NONE);
    op.params[0].value.a = h;
    op.params[1].tmpref = {const_cast<char*>(d.data()), d.size()};
    return invoke(STORAGE_CMD_WRITE, &op);
  }
  TEEC_Result rename(uint32_t h, const std::string& id) {
    TEEC_Operation op{};
    op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_MEMREF_TEMP_INPUT, TEEC_NONE, TEEC_NONE);
    op.params[0].value.a = h;
    op.params[1].tmpref = {const_cast<char*>(id.data()), id.size()};
    return invoke(STORAGE_CMD_RENAME, &op);
  }
  // Reads the whole object `id`: SUCCESS with its bytes, or the GP error.
  TEEC_Result get(const std::string& id, std::string* out) {
    uint32_t h = 0;
    TEEC_Result r = open(id, ST_DATA_FLAG_ACCESS_READ, &h);
    if (r != TEEC_SUCCESS) return r;
    r = read(h, 1 << 20, out);
    if (r != ST_ERROR_CORRUPT_OBJECT) value(STORAGE_CMD_CLOSE, h);
    return r;
  }

 private:
  TEEC_Context ctx_{};
  TEEC_Session s_{};
  // STORAGE_PROBE_RPMB=1: every object in TEE_STORAGE_PRIVATE_RPMB.
  const uint32_t storage_ =
      std::getenv("STORAGE_PROBE_RPMB") != nullptr ? ST_STORAGE_PRIVATE_RPMB : ST_STORAGE_PRIVATE;
};

// Self-describing content: u32 seed, u32 size, then bytes derived from both.
std::string content(uint32_t seed, uint32_t size) {
  std::string s(size < 8 ? 8 : size, '\0');
  std::memcpy(s.data(), &seed, 4);
  std::memcpy(s.data() + 4, &size, 4);
  for (size_t i = 8; i < s.size(); ++i) s[i] = static_cast<char>((seed * 2654435761u + i * 40503u) >> 13);
  return s;
}
bool whole(const std::string& s) {
  if (s.size() < 8) return false;
  uint32_t seed = 0, size = 0;
  std::memcpy(&seed, s.data(), 4);
  std::memcpy(&size, s.data() + 4, 4);
  return content(seed, size) == s;
}

// The object files (<uid>.0/.1) and directory copies (d0/d1) under the state dir.
void stored_files(const std::string& state, std::vector<fs::path>* objects, std::vector<fs::path>* dirs) {
  objects->clear();
  dirs->clear();
  std::error_code ec;
  for (const auto& e : fs::recursive_directory_iterator(fs::path(state) / "sst.v2", ec)) {
    if (!e.is_regular_file()) continue;
    const std::string n = e.path().filename().string();
    if (n == "d0" || n == "d1") {
      dirs->push_back(e.path());
    } else if (n.size() > 2 && n[n.size() - 2] == '.') {
      objects->push_back(e.path());
    }
  }
}

bool flip(const fs::path& p, uint64_t off) {
  std::fstream f(p, std::ios::in | std::ios::out | std::ios::binary);
  if (!f) return false;
  f.seekg(static_cast<std::streamoff>(off));
  char c = 0;
  if (!f.get(c)) return false;
  f.seekp(static_cast<std::streamoff>(off));
  c = static_cast<char>(c ^ 0x5a);
  f.put(c);
  return static_cast<bool>(f);
}

// Offsets to try in a file of `size` bytes: all of them when small, else
// every header byte and a spread sample.
std::vector<uint64_t> offsets(uint64_t size) {
  std::vector<uint64_t> v;
  if (size <= 600) {
    for (uint64_t i = 0; i < size; ++i) v.push_back(i);
    return v;
  }
  for (uint64_t i = 0; i < 64; ++i) v.push_back(i);
  for (uint64_t i = 64; i < size; i += size / 300 + 1) v.push_back(i);
  for (uint64_t i = size - 20; i < size; ++i) v.push_back(i);
  return v;
}

int tamper(const std::string& state) {
  Ta ta;
  if (!ta.start()) return 2;
  unsigned flips = 0, detected = 0;
  for (uint32_t size : {200u, 40000u}) {
    const std::string data = content(size, size);
    uint32_t h = 0;
    if (ta.create("victim", data, &h) != TEEC_SUCCESS) return 2;
    ta.value(STORAGE_CMD_CLOSE, h);
    std::vector<fs::path> objs, dirs;
    stored_files(state, &objs, &dirs);
    if (objs.empty() && size < 16384) continue;  // journaled: inline in the directory (below)
    if (objs.size() != 1) {
      std::fprintf(stderr, "expected one object file, found %zu\n", objs.size());
      return 2;
    }
    const uint64_t fsize = fs::file_size(objs[0]);
    for (uint64_t off : offsets(fsize)) {
      if (ta.create("victim", data, &h) != TEEC_SUCCESS) return 2;  // a fresh version each time
      ta.value(STORAGE_CMD_CLOSE, h);
      stored_files(state, &objs, &dirs);
      if (objs.size() != 1 || !flip(objs[0], off)) return 2;
      std::string back;
      const TEEC_Result r = ta.get("victim", &back);
      ++flips;
      if (r == ST_ERROR_CORRUPT_OBJECT) {
        ++detected;
      } else {
        std::printf("object file byte %llu of %llu (size %u): result %#x, not CORRUPT_OBJECT\n",
                    static_cast<unsigned long long>(off), static_cast<unsigned long long>(fsize), size, r);
      }
    }
  }
  // Directory files: each flip is undone afterwards. A commit holds two
  // copies of the directory (and the small versions inline): a flip in one
  // copy loses nothing; anything else must be CORRUPT_OBJECT (the older
  // commit it falls back to is refused by the anchor). Never other data.
  uint32_t h = 0;
  const std::string small = content(1, 100);
  if (ta.create("victim", small, &h) != TEEC_SUCCESS) return 2;
  ta.value(STORAGE_CMD_CLOSE, h);
  std::vector<fs::path> objs, dirs;
  stored_files(state, &objs, &dirs);
  unsigned dir_flips = 0, dir_detected = 0, dir_survived = 0, dir_wrong = 0;
  for (const auto& d : dirs) {
    std::string before;
    if (ta.get("victim", &before) != TEEC_SUCCESS || before != small) return 2;
    for (uint64_t off : offsets(fs::file_size(d))) {
      if (!flip(d, off)) return 2;
      std::string back;
      const TEEC_Result r = ta.get("victim", &back);
      flip(d, off);
      ++dir_flips;
      if (r == ST_ERROR_CORRUPT_OBJECT) {
        ++dir_detected;
      } else if (r == TEEC_SUCCESS && back == small) {
        ++dir_survived;
      } else {
        ++dir_wrong;
        std::printf("directory %s byte %llu: result %#x\n", d.filename().c_str(),
                    static_cast<unsigned long long>(off), r);
      }
    }
  }
  // Swapping the files of two objects of equal size (large enough to live
  // in object files, not inline in the directory).
  uint32_t a = 0, b = 0;
  ta.create("swap-a", content(10, 30000), &a);
  ta.create("swap-b", content(11, 30000), &b);
  ta.value(STORAGE_CMD_CLOSE, a);
  ta.value(STORAGE_CMD_CLOSE, b);
  stored_files(state, &objs, &dirs);
  unsigned swaps = 0, swap_detected = 0;
  std::vector<fs::path> pair;  // the two files of equal size (swap-a's and swap-b's)
  for (size_t i = 0; i < objs.size() && pair.empty(); ++i) {
    for (size_t j = i + 1; j < objs.size() && pair.empty(); ++j) {
      if (fs::file_size(objs[i]) == fs::file_size(objs[j])) pair = {objs[i], objs[j]};
    }
  }
  if (pair.size() == 2) {
    const fs::path tmp = pair[0].string() + ".swap";
    fs::rename(pair[0], tmp);
    fs::rename(pair[1], pair[0]);
    fs::rename(tmp, pair[1]);
    std::string back;
    swaps = 2;
    swap_detected += ta.get("swap-a", &back) == ST_ERROR_CORRUPT_OBJECT ? 1 : 0;
    swap_detected += ta.get("swap-b", &back) == ST_ERROR_CORRUPT_OBJECT ? 1 : 0;
  }
  std::printf(
      "tamper: object-file flips %u, CORRUPT_OBJECT %u; directory flips %u: survived (same content) %u, "
      "CORRUPT_OBJECT %u, anything else %u; swapped files %u, detected %u\n",
      flips, detected, dir_flips, dir_survived, dir_detected, dir_wrong, swaps, swap_detected);
  // Every object-file flip and every swap must be caught; no directory flip
  // may give other data, and a flip in one copy of the current directory
  // must lose nothing.
  return flips > 0 && detected == flips && swaps == 2 && swap_detected == swaps && dir_wrong == 0 &&
                 dir_survived > 0
             ? 0
             : 1;
}

const char* kChurnIds[] = {"c0", "c1", "c2", "c3"};

int churn() {
  Ta ta;
  if (!ta.start()) return 2;
  for (uint32_t i = 1;; ++i) {
    const std::string id = kChurnIds[i % 4];
    const std::string alt = id + "r";
    uint32_t h = 0;
    std::string cur_name = id;
    if (ta.open(id, kAll, &h) != TEEC_SUCCESS) {
      cur_name = alt;
      if (ta.open(alt, kAll, &h) != TEEC_SUCCESS) {
        cur_name = id;
        if (ta.create(id, content(i, 3000 + i % 5000), &h) != TEEC_SUCCESS) return 1;
      }
    }
    switch (i % 3) {
      case 0:  // in-place rewrite (same handle, one write of the whole content)
        ta.value(STORAGE_CMD_TRUNCATE, h, 0);  // two commits: the truncate alone may be what survives
        ta.write(h, content(i, 3000 + i % 5000));
        break;
      case 1:
        ta.rename(h, cur_name == id ? alt : id);
        break;
      default:
        ta.value(STORAGE_CMD_CLOSE, h);
        h = 0;
        ta.create(cur_name, content(i, 1000 + i % 9000), &h);  // atomic replace
        break;
    }
    if (h != 0) ta.value(STORAGE_CMD_CLOSE, h);
    // A short-lived object: created and deleted.
    if (ta.create("d", content(i, 500), &h) == TEEC_SUCCESS) ta.value(STORAGE_CMD_UNLINK, h);
  }
}

// The churn objects, created once before the first trial (churn never deletes them).
int setup() {
  Ta ta;
  if (!ta.start()) return 2;
  for (const char* id : kChurnIds) {
    uint32_t h = 0;
    if (ta.create(id, content(0, 3000), &h) != TEEC_SUCCESS) return 1;
    ta.value(STORAGE_CMD_CLOSE, h);
  }
  return 0;
}

int verify() {
  Ta ta;
  if (!ta.start()) return 2;
  int bad = 0;
  uint32_t latest = 0;  // newest content seen: how far the churn got
  for (const char* id : kChurnIds) {
    std::string a, b;
    const TEEC_Result ra = ta.get(id, &a);
    const TEEC_Result rb = ta.get(std::string(id) + "r", &b);
    const bool ha = ra == TEEC_SUCCESS, hb = rb == TEEC_SUCCESS;
    // Exactly one name holds the object; its content is whole, or empty
    // (the truncate of an in-place rewrite committed, its write did not).
    if (ha == hb || (ra != TEEC_SUCCESS && ra != TEEC_ERROR_ITEM_NOT_FOUND) ||
        (rb != TEEC_SUCCESS && rb != TEEC_ERROR_ITEM_NOT_FOUND)) {
      std::printf("%s: results %#x / %#x\n", id, ra, rb);
      ++bad;
      continue;
    }
    const std::string& s = ha ? a : b;
    if (!s.empty() && !whole(s)) {
      std::printf("%s: torn content\n", id);
      ++bad;
    } else if (!s.empty()) {
      uint32_t seed = 0;
      std::memcpy(&seed, s.data(), 4);
      latest = seed > latest ? seed : latest;
    }
  }
  std::string d;
  const TEEC_Result rd = ta.get("d", &d);
  if (rd == TEEC_SUCCESS ? !whole(d) : rd != TEEC_ERROR_ITEM_NOT_FOUND) {
    std::printf("d: result %#x\n", rd);
    ++bad;
  }
  if (rd == TEEC_SUCCESS) {
    uint32_t h = 0;
    if (ta.open("d", kAll, &h) == TEEC_SUCCESS) ta.value(STORAGE_CMD_UNLINK, h);
  }
  if (bad == 0) {
    std::printf("verify: all objects whole; newest content from churn step %u\n", latest);
  } else {
    std::printf("verify: %d bad\n", bad);
  }
  return bad == 0 ? 0 : 1;
}

int put_get(bool put, const std::string& id, uint32_t seed, uint32_t size) {
  Ta ta;
  if (!ta.start()) return 2;
  if (put) {
    uint32_t h = 0;
    const TEEC_Result r = ta.create(id, content(seed, size), &h);
    if (r != TEEC_SUCCESS) {
      std::printf("put: %#x\n", r);
      return 1;
    }
    ta.value(STORAGE_CMD_CLOSE, h);
    return 0;
  }
  std::string s;
  const TEEC_Result r = ta.get(id, &s);
  if (r == TEEC_SUCCESS) {
    std::printf(s == content(seed, size) ? "ok\n" : "other content\n");
    return s == content(seed, size) ? 0 : 1;
  }
  if (r == ST_ERROR_CORRUPT_OBJECT)
    std::printf("corrupt\n");
  else if (r == TEEC_ERROR_ITEM_NOT_FOUND)
    std::printf("missing\n");
  else
    std::printf("other:%#x\n", r);
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string cmd = argc > 1 ? argv[1] : "";
  if (cmd == "tamper" && argc == 3) return tamper(argv[2]);
  if (cmd == "churn") return churn();
  if (cmd == "verify") return verify();
  if (cmd == "setup") return setup();
  if ((cmd == "put" || cmd == "get") && argc == 5)
    return put_get(cmd == "put", argv[2], static_cast<uint32_t>(std::strtoul(argv[3], nullptr, 0)),
                   static_cast<uint32_t>(std::strtoul(argv[4], nullptr, 0)));
  std::fprintf(stderr, "usage: storage_probe tamper STATE | setup | churn | verify | put|get ID SEED SIZE\n");
  return 2;
}
