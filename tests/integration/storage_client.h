// A client of the storage test TA (ta/include/storage_ta.h) for the
// integration tests: one session, one helper per command. Used by the 6000s
// (regression_6000.cc) and by the guests' storage isolation (guests.cc).
#pragma once

#include <tee_client_api.h>

#include <string>
#include <vector>

#include "xtest_common.h"

extern "C" {
#include <storage_ta.h>
#include <storage_ta_host.h>
}

namespace xtest {

inline const TEEC_UUID kStorageTa = STORAGE_TA_UUID;
inline const TEEC_UUID kStorageTa2 = STORAGE_TA2_UUID;

constexpr uint32_t kRead = ST_DATA_FLAG_ACCESS_READ;
constexpr uint32_t kWrite = ST_DATA_FLAG_ACCESS_WRITE;
constexpr uint32_t kMeta = ST_DATA_FLAG_ACCESS_WRITE_META;
constexpr uint32_t kShareRead = ST_DATA_FLAG_SHARE_READ;
constexpr uint32_t kShareWrite = ST_DATA_FLAG_SHARE_WRITE;
constexpr uint32_t kOverwrite = ST_DATA_FLAG_OVERWRITE;
constexpr uint32_t kAll = kRead | kWrite | kMeta;
constexpr uint32_t kPrivate = ST_STORAGE_PRIVATE;
constexpr uint32_t kRee = ST_STORAGE_PRIVATE_REE;
constexpr uint32_t kRpmb = ST_STORAGE_PRIVATE_RPMB;

// A session to the storage TA with one helper per command.
class Store {
 public:
  explicit Store(const TEEC_UUID& uuid = kStorageTa) {
    EXPECT_EQ(ctx_.result(), TEEC_SUCCESS);
    EXPECT_EQ(s_.open(ctx_.get(), uuid), TEEC_SUCCESS);
  }
  Session& session() { return s_; }
  TEEC_Context* ctx() { return ctx_.get(); }

  TEEC_Result open(const std::string& id, uint32_t flags, uint32_t* h, uint32_t storage = kPrivate) {
    TEEC_Operation op =
        make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_VALUE_INPUT, TEEC_NONE, TEEC_VALUE_OUTPUT));
    op.params[0].tmpref.buffer = const_cast<char*>(id.data());
    op.params[0].tmpref.size = id.size();
    op.params[1].value.a = flags;
    op.params[1].value.b = storage;
    TEEC_Result r = s_.invoke(STORAGE_CMD_OPEN, &op);
    *h = op.params[3].value.a;
    return r;
  }
  TEEC_Result create(const std::string& id, uint32_t flags, const std::string& data, uint32_t* h,
                     uint32_t storage = kPrivate, uint32_t attrs = 0, bool null_handle = false) {
    TEEC_Operation op =
        make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_VALUE_INPUT,
                                 data.empty() ? TEEC_NONE : TEEC_MEMREF_TEMP_INPUT, TEEC_VALUE_INOUT));
    op.params[0].tmpref.buffer = const_cast<char*>(id.data());
    op.params[0].tmpref.size = id.size();
    op.params[1].value.a = flags;
    op.params[1].value.b = storage;
    op.params[2].tmpref.buffer = const_cast<char*>(data.data());
    op.params[2].tmpref.size = data.size();
    op.params[3].value.a = attrs;
    op.params[3].value.b = null_handle ? 1 : 0;
    TEEC_Result r = s_.invoke(STORAGE_CMD_CREATE, &op);
    if (h != nullptr) *h = op.params[3].value.a;
    return r;
  }
  TEEC_Result value_cmd(uint32_t cmd, uint32_t a, uint32_t b = 0) {
    TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE));
    op.params[0].value.a = a;
    op.params[0].value.b = b;
    return s_.invoke(cmd, &op);
  }
  TEEC_Result close(uint32_t h) { return value_cmd(STORAGE_CMD_CLOSE, h); }
  TEEC_Result unlink(uint32_t h) { return value_cmd(STORAGE_CMD_UNLINK, h); }
  TEEC_Result truncate(uint32_t h, uint32_t size) { return value_cmd(STORAGE_CMD_TRUNCATE, h, size); }
  TEEC_Result read(uint32_t h, size_t max, std::string* out) {
    out->assign(max, '\0');
    TEEC_Operation op =
        make_op(TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE, TEEC_NONE));
    op.params[0].value.a = h;
    op.params[1].tmpref.buffer = out->data();
    op.params[1].tmpref.size = out->size();
    TEEC_Result r = s_.invoke(STORAGE_CMD_READ, &op);
    out->resize(r == TEEC_SUCCESS ? op.params[1].tmpref.size : 0);
    return r;
  }
  std::string read_all(uint32_t h, size_t max = 1 << 16) {
    std::string s;
    EXPECT_EQ(read(h, max, &s), TEEC_SUCCESS);
    return s;
  }
  TEEC_Result write(uint32_t h, const std::string& data) {
    TEEC_Operation op =
        make_op(TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_MEMREF_TEMP_INPUT, TEEC_NONE, TEEC_NONE));
    op.params[0].value.a = h;
    op.params[1].tmpref.buffer = const_cast<char*>(data.data());
    op.params[1].tmpref.size = data.size();
    return s_.invoke(STORAGE_CMD_WRITE, &op);
  }
  TEEC_Result seek(uint32_t h, int64_t off, uint32_t whence) {
    TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE));
    op.params[0].value.a = h;
    op.params[0].value.b = whence;
    op.params[1].value.a = static_cast<uint32_t>(static_cast<uint64_t>(off));
    op.params[1].value.b = static_cast<uint32_t>(static_cast<uint64_t>(off) >> 32);
    return s_.invoke(STORAGE_CMD_SEEK, &op);
  }
  TEEC_Result rename(uint32_t h, const std::string& id) {
    TEEC_Operation op =
        make_op(TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_MEMREF_TEMP_INPUT, TEEC_NONE, TEEC_NONE));
    op.params[0].value.a = h;
    op.params[1].tmpref.buffer = const_cast<char*>(id.data());
    op.params[1].tmpref.size = id.size();
    return s_.invoke(STORAGE_CMD_RENAME, &op);
  }
  TEEC_Result info(uint32_t h, storage_ta_info* i) {
    TEEC_Operation op =
        make_op(TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE, TEEC_NONE));
    op.params[0].value.a = h;
    op.params[1].tmpref.buffer = i;
    op.params[1].tmpref.size = sizeof(*i);
    return s_.invoke(STORAGE_CMD_INFO, &op);
  }
  // Ids of the TA's objects in `storage`, through a fresh enumerator.
  TEEC_Result list(std::vector<std::string>* ids, uint32_t storage = kPrivate,
                   std::vector<storage_ta_info>* infos = nullptr) {
    ids->clear();
    TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE));
    TEEC_Result r = s_.invoke(STORAGE_CMD_ENUM_ALLOC, &op);
    if (r != TEEC_SUCCESS) return r;
    const uint32_t e = op.params[0].value.a;
    r = value_cmd(STORAGE_CMD_ENUM_START, e, storage);
    while (r == TEEC_SUCCESS) {
      storage_ta_info i{};
      char id[64];
      TEEC_Operation n = make_op(
          TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_MEMREF_TEMP_OUTPUT, TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE));
      n.params[0].value.a = e;
      n.params[1].tmpref.buffer = &i;
      n.params[1].tmpref.size = sizeof(i);
      n.params[2].tmpref.buffer = id;
      n.params[2].tmpref.size = sizeof(id);
      r = s_.invoke(STORAGE_CMD_ENUM_NEXT, &n);
      if (r == TEEC_SUCCESS) {
        ids->emplace_back(id, n.params[2].tmpref.size);
        if (infos != nullptr) infos->push_back(i);
      }
    }
    EXPECT_EQ(value_cmd(STORAGE_CMD_ENUM_FREE, e), TEEC_SUCCESS);
    return r == TEEC_ERROR_ITEM_NOT_FOUND ? TEEC_SUCCESS : r;
  }
  void remove(const std::string& id, uint32_t storage = kPrivate) {
    TEEC_Operation op =
        make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE));
    op.params[0].tmpref.buffer = const_cast<char*>(id.data());
    op.params[0].tmpref.size = id.size();
    op.params[1].value.a = storage;
    EXPECT_EQ(s_.invoke(STORAGE_CMD_DELETE_IF_EXISTS, &op), TEEC_SUCCESS);
  }

 private:
  Context ctx_;
  Session s_;
};

}  // namespace xtest
