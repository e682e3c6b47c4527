// The Storage syscall family (SysFamily::Storage): the function numbers and
// inline layouts shared by the TA runtime (ta_runtime/storage/) and the OS
// handler (storage_family.cc). Plain data only: both sides include it.
//
// Handles. An open persistent object is a 64-bit handle the OS chose; it is
// valid only in the instance that opened it (SyscallState) and dies with it.
// The data position is the TA's (GP keeps it per handle and no other party
// sees it): reads and writes carry it explicitly. A handle whose object
// was found corrupt (CORRUPT_OBJECT) stays until closed, but the object is
// gone: every call on it answers CORRUPT_OBJECT (CloseAndDelete: SUCCESS).
//
// Attributes. The "meta" blob (object type, sizes, usage, key attributes)
// is opaque to the OS: the TA runtime serialises it (storage/meta_codec.h)
// and the OS stores it authenticated beside the data. The enumerator
// returns its first kEnumMetaPrefix bytes, which hold the fixed header.
//
// Data. Up to kMaxInlineData bytes travel inline; more go in one memfd
// (BulkBuffer, fds[0]): for Write/Create the TA fills it, for Read the OS
// writes into it (the TA sizes it to the request).
#pragma once

#include <cstddef>
#include <cstdint>

#include "protocol/ta_channel_wire.h"

namespace swtee::os::storage_abi {

enum class StorageFn : uint32_t {
  // args[0] storage id, args[1] GP flags; in = object id.
  // vals[0] handle, vals[1] data size; out = meta blob.
  Open = 0,
  // args[0] storage id, args[1] GP flags, args[2] id length, args[3] meta
  // length, args[4] data length, args[5] 1 = data in fds[0];
  // in = id ‖ meta ‖ (inline data). vals[0] handle.
  Create = 1,
  // args[0] handle.
  Close = 2,
  // args[0] handle, args[1] position, args[2] length (≤ kMaxInlineData
  // without a memfd; ≤ the memfd's size with one). vals[0] bytes read; out =
  // the bytes (inline case).
  Read = 3,
  // args[0] handle, args[1] position, args[2] length, args[3] 1 = data in
  // fds[0]; in = the bytes (inline case). vals[0] new data size.
  Write = 4,
  // args[0] handle, args[1] new data size.
  Truncate = 5,
  // args[0] handle. vals[0] data size.
  DataSize = 6,
  // args[0] handle (needs WRITE_META). The handle is gone afterwards,
  // whatever the result.
  CloseAndDelete = 7,
  // args[0] handle (needs WRITE_META); in = new object id.
  Rename = 8,
  // args[0] handle; in = new meta blob (TEE_RestrictObjectUsage1).
  SetMeta = 9,
  // args[0] storage id, args[1] 1 = resume after the cursor id in `in`.
  // The TA's objects in id order (bytewise, shorter first on a common
  // prefix). vals[0] 1 = an entry follows, 0 = end; out = EnumEntry ‖ id ‖
  // meta prefix.
  EnumNext = 10,
};
inline constexpr uint32_t kNumStorageFns = 11;

// GP storage ids (TEE Internal Core §5.7; OP-TEE extension values).
inline constexpr uint32_t kStoragePrivate = 0x00000001;
inline constexpr uint32_t kStoragePrivateRee = 0x80000000;
inline constexpr uint32_t kStoragePrivateRpmb = 0x80000100;

// GP data flags.
inline constexpr uint32_t kAccessRead = 0x00000001;
inline constexpr uint32_t kAccessWrite = 0x00000002;
inline constexpr uint32_t kAccessWriteMeta = 0x00000004;
inline constexpr uint32_t kShareRead = 0x00000010;
inline constexpr uint32_t kShareWrite = 0x00000020;
inline constexpr uint32_t kOverwrite = 0x00000400;
inline constexpr uint32_t kOpenFlagsMask =
    kAccessRead | kAccessWrite | kAccessWriteMeta | kShareRead | kShareWrite;
inline constexpr uint32_t kCreateFlagsMask = kOpenFlagsMask | kOverwrite;

inline constexpr size_t kMaxObjectIdLen = 64;                // TEE_OBJECT_ID_MAX_LEN
inline constexpr uint64_t kMaxDataPosition = 0xFFFFFFFFull;  // TEE_DATA_MAX_POSITION
inline constexpr size_t kMaxInlineData = 16 * 1024;          // data inline per Read/Write/Create
inline constexpr size_t kMaxMetaLen = 12 * 1024;  // attribute blob (fits inline with an id and data)
inline constexpr size_t kEnumMetaPrefix = 64;
inline constexpr uint32_t kMaxHandlesPerInstance = 1024;

static_assert(kMaxObjectIdLen + kMaxMetaLen + kMaxInlineData <= tachan::kMaxSyscallInline);

struct EnumEntry {
  uint32_t id_len;
  uint32_t meta_len;  // bytes of meta prefix that follow the id (≤ kEnumMetaPrefix)
  uint64_t data_size;
};
static_assert(sizeof(EnumEntry) == 16);
static_assert(offsetof(EnumEntry, data_size) == 8);
static_assert(sizeof(EnumEntry) + kMaxObjectIdLen + kEnumMetaPrefix <= tachan::kMaxSyscallInline);

}  // namespace swtee::os::storage_abi
