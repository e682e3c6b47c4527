#include "ta_image/ta_elf_info.h"

#include <elf.h>

#include <bit>
#include <cstring>
#include <optional>
#include <string_view>

#include "common/checked_math.h"

namespace swtee::taimg {
namespace {

static_assert(std::endian::native == std::endian::little, "ELF structs are read in host order");

constexpr std::string_view kSymbol = "swtee_ta_info";
// swtee_ta_info field offsets (asserted in include/swtee_ta_info.h).
constexpr uint64_t kAbiOffset = 0;
constexpr uint64_t kUuidOffset = 4;
constexpr uint64_t kFlagsOffset = 20;
constexpr uint64_t kMinRecord = 24;  // abi_version, uuid, flags
constexpr uint32_t kAbiVersion = 1;

// A bounds-checked view of the file.
class Bytes {
 public:
  explicit Bytes(std::span<const uint8_t> b) : b_(b) {}
  template <typename T>
  std::optional<T> read(uint64_t off) const {
    if (!range_fits(off, sizeof(T), b_.size())) return std::nullopt;
    T v;
    std::memcpy(&v, b_.data() + off, sizeof(T));
    return v;
  }
  bool fits(uint64_t off, uint64_t size) const { return range_fits(off, size, b_.size()); }
  const uint8_t* at(uint64_t off) const { return b_.data() + off; }

 private:
  std::span<const uint8_t> b_;
};

Error malformed(const char* what) { return Error{ENOEXEC, what}; }

std::optional<Elf64_Shdr> section(const Bytes& f, const Elf64_Ehdr& eh, uint64_t index) {
  if (index >= eh.e_shnum) return std::nullopt;
  return f.read<Elf64_Shdr>(eh.e_shoff + index * sizeof(Elf64_Shdr));
}

// True when the NUL-terminated string at strtab[off] equals kSymbol.
bool name_is_symbol(const Bytes& f, const Elf64_Shdr& strtab, uint32_t off) {
  if (off >= strtab.sh_size || !range_fits(off, kSymbol.size() + 1, strtab.sh_size)) return false;
  const uint8_t* p = f.at(strtab.sh_offset + off);
  return std::memcmp(p, kSymbol.data(), kSymbol.size()) == 0 && p[kSymbol.size()] == '\0';
}

Result<TaElfInfo> read_record(const Bytes& f, const Elf64_Ehdr& eh, const Elf64_Sym& sym) {
  if (ELF64_ST_TYPE(sym.st_info) != STT_OBJECT) return malformed("swtee_ta_info is not a data object");
  if (ELF64_ST_BIND(sym.st_info) != STB_GLOBAL || ELF64_ST_VISIBILITY(sym.st_other) != STV_DEFAULT) {
    return Error{ENOENT, "swtee_ta_info is not exported"};
  }
  if (sym.st_shndx == SHN_UNDEF || sym.st_shndx >= SHN_LORESERVE) {
    return Error{ENOENT, "swtee_ta_info is not defined in the TA"};
  }
  if (sym.st_size < kMinRecord) return Error{EPROTO, "swtee_ta_info too small"};
  auto sh = section(f, eh, sym.st_shndx);
  if (!sh) return malformed("swtee_ta_info section out of range");
  if (sh->sh_type == SHT_NOBITS) return malformed("swtee_ta_info has no file bytes");
  if (!f.fits(sh->sh_offset, sh->sh_size)) return malformed("section outside the file");
  if (sym.st_value < sh->sh_addr || !range_fits(sym.st_value - sh->sh_addr, kMinRecord, sh->sh_size)) {
    return malformed("swtee_ta_info outside its section");
  }
  const uint64_t base = sh->sh_offset + (sym.st_value - sh->sh_addr);  // < file size, checked above

  auto abi = f.read<uint32_t>(base + kAbiOffset);
  auto time_low = f.read<uint32_t>(base + kUuidOffset);
  auto time_mid = f.read<uint16_t>(base + kUuidOffset + 4);
  auto time_hi = f.read<uint16_t>(base + kUuidOffset + 6);
  auto flags = f.read<uint32_t>(base + kFlagsOffset);
  if (!abi || !time_low || !time_mid || !time_hi || !flags || !f.fits(base + kUuidOffset + 8, 8)) {
    return malformed("swtee_ta_info outside the file");
  }
  if (*abi != kAbiVersion) return Error{EPROTO, "unsupported swtee_ta_info abi_version"};
  TaElfInfo info;
  info.uuid = Uuid::from_fields(*time_low, *time_mid, *time_hi, f.at(base + kUuidOffset + 8));
  info.flags = *flags;
  return info;
}

}  // namespace

Result<TaElfInfo> read_ta_info_from_elf(std::span<const uint8_t> so) {
  const Bytes f(so);
  auto ehp = f.read<Elf64_Ehdr>(0);
  if (!ehp) return malformed("too small for an ELF header");
  const Elf64_Ehdr eh = *ehp;
  if (std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0) return malformed("not an ELF file");
  if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB ||
      eh.e_ident[EI_VERSION] != EV_CURRENT) {
    return malformed("not a little-endian ELF64 file");
  }
  if (eh.e_type != ET_DYN) return malformed("not a shared object");
  if (eh.e_ehsize != sizeof(Elf64_Ehdr) || eh.e_shentsize != sizeof(Elf64_Shdr)) {
    return malformed("unexpected ELF header sizes");
  }
  if (eh.e_shnum == 0 || eh.e_shnum >= SHN_LORESERVE) return malformed("no usable section table");
  auto table_bytes = checked_mul<uint64_t>(eh.e_shnum, sizeof(Elf64_Shdr));
  if (!table_bytes || !f.fits(eh.e_shoff, *table_bytes)) return malformed("section table outside the file");

  for (uint64_t i = 0; i < eh.e_shnum; ++i) {
    auto symtab = section(f, eh, i);
    if (!symtab || symtab->sh_type != SHT_DYNSYM) continue;
    if (symtab->sh_entsize != sizeof(Elf64_Sym) || symtab->sh_size % sizeof(Elf64_Sym) != 0 ||
        !f.fits(symtab->sh_offset, symtab->sh_size)) {
      return malformed("bad .dynsym");
    }
    auto strtab = section(f, eh, symtab->sh_link);
    if (!strtab || strtab->sh_type != SHT_STRTAB || !f.fits(strtab->sh_offset, strtab->sh_size)) {
      return malformed("bad .dynstr");
    }
    const uint64_t count = symtab->sh_size / sizeof(Elf64_Sym);
    for (uint64_t s = 0; s < count; ++s) {
      auto sym = f.read<Elf64_Sym>(symtab->sh_offset + s * sizeof(Elf64_Sym));
      if (!sym) return malformed("symbol outside the file");
      if (name_is_symbol(f, *strtab, sym->st_name)) return read_record(f, eh, *sym);
    }
  }
  return Error{ENOENT, "no exported swtee_ta_info (was the TA built with the swtee SDK?)"};
}

}  // namespace swtee::taimg
