#include "ta_runtime/process_title.h"

#include <sys/prctl.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>

extern char** environ;

namespace swtee::ta::process_title {
namespace {

char* g_begin = nullptr;
char* g_end = nullptr;  // one past the last byte of the argv + environ block

}  // namespace

void init(int argc, char** argv) {
  if (argc <= 0 || argv[0] == nullptr) return;
  char* end = argv[argc - 1] + std::strlen(argv[argc - 1]) + 1;
  // The environment strings usually follow argv contiguously: take them
  // over too, keeping heap copies for getenv().
  size_t n = 0;
  while (environ != nullptr && environ[n] != nullptr) ++n;
  char** copy = static_cast<char**>(std::calloc(n + 1, sizeof(char*)));
  if (copy == nullptr) return;
  for (size_t i = 0; i < n; ++i) {
    if (environ[i] == end) end = environ[i] + std::strlen(environ[i]) + 1;
    copy[i] = ::strdup(environ[i]);
    if (copy[i] == nullptr) return;  // keep the old block as it is
  }
  environ = copy;
  g_begin = argv[0];
  g_end = end;
}

void set(std::string_view title, std::string_view comm) {
  if (g_begin != nullptr && g_end > g_begin) {
    const size_t room = static_cast<size_t>(g_end - g_begin) - 1;
    const size_t len = title.size() < room ? title.size() : room;
    std::memcpy(g_begin, title.data(), len);
    std::memset(g_begin + len, 0, static_cast<size_t>(g_end - g_begin) - len);
  }
  char name[16] = {};
  std::memcpy(name, comm.data(), comm.size() < 15 ? comm.size() : 15);
  (void)::prctl(PR_SET_NAME, name);
}

}  // namespace swtee::ta::process_title
