// lien/core/intern.hpp — external string ids interned to dense integer ids.
//
// Every outside id (learner, step, person, resource IRI...) is a string; inside lien it is a dense uint32 in
// order of first appearance, so tables are vectors and the event log stores 4 bytes per reference. The
// table is an open-addressing hash set of indices into the stored names, with heterogeneous lookup by
// string_view (std::unordered_map only gains that in C++20), so readers look ids up without allocating.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "lien/core/config.hpp"

LIEN_BEGIN_NAMESPACE

using Id = std::uint32_t;
inline constexpr Id kNoId = 0xFFFFFFFFu;

namespace detail {
#if defined(__SIZEOF_INT128__)
__extension__ typedef unsigned __int128 uint128;
inline std::uint64_t mul_mix(std::uint64_t a, std::uint64_t b) noexcept {
  const uint128 r = static_cast<uint128>(a) * b;
  return static_cast<std::uint64_t>(r) ^ static_cast<std::uint64_t>(r >> 64);
}
#else
inline std::uint64_t mul_mix(std::uint64_t a, std::uint64_t b) noexcept {
  const std::uint64_t lo = a * b;
  const std::uint64_t hi = (a >> 32) * (b >> 32) + (((a >> 32) * (b & 0xFFFFFFFFu)) >> 32) +
                           (((a & 0xFFFFFFFFu) * (b >> 32)) >> 32);
  return lo ^ hi;
}
#endif
}  // namespace detail

/// 64-bit hash of a byte string (a wyhash-style multiply-mix, 8 bytes at a time). Not cryptographic.
inline std::uint64_t hash_bytes(const char* p, std::size_t n) noexcept {
  constexpr std::uint64_t k0 = 0xa0761d6478bd642full, k1 = 0xe7037ed1a0b428dbull;
  auto mix = detail::mul_mix;
  std::uint64_t h = k0 ^ (n * k1);
  while (n >= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    h = mix(h ^ w, k1);
    p += 8;
    n -= 8;
  }
  std::uint64_t w = 0;
  if (n) std::memcpy(&w, p, n);
  return mix(h ^ w ^ (static_cast<std::uint64_t>(n) << 59), k0);
}

class StringTable {
 public:
  StringTable() { slots_.assign(16, kNoId); }

  std::size_t size() const noexcept { return names_.size(); }
  bool empty() const noexcept { return names_.empty(); }
  std::string_view operator[](Id id) const noexcept { return names_[id]; }
  const std::vector<std::string>& names() const noexcept { return names_; }

  /// The id of `name`, or kNoId.
  Id find(std::string_view name) const noexcept {
    std::size_t mask = slots_.size() - 1;
    for (std::size_t i = hash_bytes(name.data(), name.size()) & mask;; i = (i + 1) & mask) {
      const Id id = slots_[i];
      if (id == kNoId) return kNoId;
      if (names_[id] == name) return id;
    }
  }

  /// The id of `name`, adding it if new. `inserted` (optional) says which.
  Id intern(std::string_view name, bool* inserted = nullptr) {
    return intern_hashed(name, hash_bytes(name.data(), name.size()), inserted);
  }

  // Bulk lookups (readers of millions of events): once a table outgrows the cache, each lookup waits for two
  // memory reads in a row (its slot, then the name to compare). Hashing a batch of names first and prefetching
  // lets those waits overlap: prefetch_slot(h) for the batch, then prefetch_name(h), then intern_hashed(name, h).
  void prefetch_slot(std::uint64_t h) const noexcept {
#if defined(__GNUC__)
    __builtin_prefetch(slots_.data() + (h & (slots_.size() - 1)));
#endif
  }
  void prefetch_name(std::uint64_t h) const noexcept {
#if defined(__GNUC__)
    // A volatile read: GCC 12 otherwise drops a load whose only use is a prefetch address, and the prefetch too.
    const Id id = *static_cast<const volatile Id*>(slots_.data() + (h & (slots_.size() - 1)));
    if (id != kNoId) {  // both ends of the std::string: it may straddle two cache lines (short names live inside)
      __builtin_prefetch(names_.data() + id);
      __builtin_prefetch(reinterpret_cast<const char*>(names_.data() + id) + sizeof(std::string) - 1);
    }
#endif
  }
  /// intern() with the name's hash_bytes() already computed.
  Id intern_hashed(std::string_view name, std::uint64_t h, bool* inserted = nullptr) {
    std::size_t mask = slots_.size() - 1;
    std::size_t i = h & mask;
    for (;; i = (i + 1) & mask) {
      const Id id = slots_[i];
      if (id == kNoId) break;
      if (names_[id] == name) {
        if (inserted) *inserted = false;
        return id;
      }
    }
    const Id id = static_cast<Id>(names_.size());
    names_.emplace_back(name);
    slots_[i] = id;
    if (inserted) *inserted = true;
    if (names_.size() * 2 > slots_.size()) grow();
    return id;
  }

  void reserve(std::size_t n) {
    names_.reserve(n);
    std::size_t want = 16;
    while (want < n * 2 + 2) want *= 2;
    if (want > slots_.size()) rehash(want);
  }

 private:
  void grow() { rehash(slots_.size() * 2); }
  void rehash(std::size_t n) {
    slots_.assign(n, kNoId);
    const std::size_t mask = n - 1;
    for (Id id = 0; id < names_.size(); ++id) {
      std::size_t i = hash_bytes(names_[id].data(), names_[id].size()) & mask;
      while (slots_[i] != kNoId) i = (i + 1) & mask;
      slots_[i] = id;
    }
  }

  std::vector<std::string> names_;
  std::vector<Id> slots_;
};

LIEN_END_NAMESPACE
