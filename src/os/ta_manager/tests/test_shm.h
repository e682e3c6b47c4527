// A PhysShm for tests: a memfd of `size` bytes, mapped, every byte `fill`.
#pragma once

#include <gtest/gtest.h>

#include <cstring>
#include <memory>

#include "common/shm_file.h"
#include "os/os_types.h"

namespace swtee::os {

inline std::shared_ptr<PhysShm> make_test_shm(uint64_t cookie, uint64_t size, uint8_t fill = 0) {
  auto s = std::make_shared<PhysShm>();
  s->cookie = cookie;
  auto fd = create_sealed_memfd("test-shm", size);
  EXPECT_TRUE(fd.ok());
  s->memfd = std::move(*fd);
  s->size = size;
  auto m = Mapping::map(s->memfd.get(), size);
  EXPECT_TRUE(m.ok());
  s->map = std::move(*m);
  if (size > 0 && fill != 0) std::memset(s->map.data(), fill, size);
  return s;
}

}  // namespace swtee::os
