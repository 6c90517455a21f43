// xapi_tables.hpp — the xAPI reader's hash tables, tuned for statement streams.
//
// A reader of millions of statements spends most of its time outside JSON parsing in lookups: ids to intern,
// registrations and statement ids to find. These tables keep what a lookup compares close together (hash
// tags beside ids, keys inline) and put a tiny cache in front for what a stream repeats from one statement to
// the next. Internal to src/io.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "lien/core/config.hpp"
#include "lien/core/intern.hpp"
#include "xapi_internal.hpp"

LIEN_BEGIN_NAMESPACE
namespace xapi {

/// Open-addressing set of statement ids -> position of the pending record.
class UuidIndex {
 public:
  UuidIndex() { resize(1024); }
  void reserve(std::size_t n) {
    std::size_t want = 1024;
    while (want < 2 * n + 2) want *= 2;
    if (want > keys_.size()) resize(want);
  }
  /// Inserts; returns the value already stored for `u` (kNoId if it was new).
  Id insert(const Uuid& u, Id value) {
    if ((count_ + 1) * 2 > keys_.size()) resize(keys_.size() * 2);
    std::size_t i = slot(u);
    while (vals_[i] != kNoId) {
      if (keys_[i] == u) return vals_[i];
      i = (i + 1) & (keys_.size() - 1);
    }
    keys_[i] = u;
    vals_[i] = value;
    ++count_;
    return kNoId;
  }
  Id find(const Uuid& u) const {
    for (std::size_t i = slot(u);; i = (i + 1) & (keys_.size() - 1)) {
      if (vals_[i] == kNoId) return kNoId;
      if (keys_[i] == u) return vals_[i];
    }
  }

 private:
  std::size_t slot(const Uuid& u) const noexcept {
    return static_cast<std::size_t>(lien::detail::mul_mix(u.hi ^ 0x9E3779B97F4A7C15ull, u.lo ^ 0xC2B2AE3D27D4EB4Full)) &
           (keys_.size() - 1);
  }
  void resize(std::size_t n) {
    std::vector<Uuid> old_keys = std::move(keys_);
    std::vector<Id> old_vals = std::move(vals_);
    keys_.assign(n, Uuid{});
    vals_.assign(n, kNoId);
    count_ = 0;
    for (std::size_t i = 0; i < old_vals.size(); ++i)
      if (old_vals[i] != kNoId) insert(old_keys[i], old_vals[i]);
  }
  std::vector<Uuid> keys_;
  std::vector<Id> vals_;
  std::size_t count_ = 0;
};

/// The reader's own string table: ids in order of first appearance, like StringTable, but each slot keeps a
/// tag of the hash beside the id, so a probe that hits another name is refused without reading that name.
/// Statement streams hold thousands of IRIs of the same length sharing long prefixes (…/block@0042): without
/// tags, every such probe costs a cache miss and a long memcmp.
class Interner {
 public:
  Interner() { resize(64); }
  std::size_t size() const noexcept { return offsets_.size(); }
  std::string_view operator[](Id id) const noexcept {
    return std::string_view(arena_.data() + offsets_[id], lengths_[id]);
  }
  Id intern(std::string_view s, bool* inserted = nullptr) {
    const std::uint64_t h = hash_bytes(s.data(), s.size());
    const std::uint32_t tag = static_cast<std::uint32_t>(h >> 32);
    std::size_t mask = slots_.size() - 1, i = h & mask;
    for (;; i = (i + 1) & mask) {
      const Slot& slot = slots_[i];
      if (slot.id == kNoId) break;
      if (slot.tag == tag && lengths_[slot.id] == s.size() &&
          std::memcmp(arena_.data() + offsets_[slot.id], s.data(), s.size()) == 0) {
        if (inserted) *inserted = false;
        return slot.id;
      }
    }
    const Id id = static_cast<Id>(offsets_.size());
    offsets_.push_back(arena_.size());
    lengths_.push_back(static_cast<std::uint32_t>(s.size()));
    arena_.append(s.data(), s.size());
    slots_[i] = Slot{id, tag};
    if (inserted) *inserted = true;
    if (offsets_.size() * 2 > slots_.size()) resize(slots_.size() * 2);
    return id;
  }

 private:
  struct Slot {
    Id id = kNoId;
    std::uint32_t tag = 0;
  };
  void resize(std::size_t n) {
    slots_.assign(n, Slot{});
    const std::size_t mask = n - 1;
    for (Id id = 0; id < offsets_.size(); ++id) {
      const std::uint64_t h = hash_bytes(arena_.data() + offsets_[id], lengths_[id]);
      std::size_t i = h & mask;
      while (slots_[i].id != kNoId) i = (i + 1) & mask;
      slots_[i] = Slot{id, static_cast<std::uint32_t>(h >> 32)};
    }
  }
  std::vector<Slot> slots_;
  std::vector<std::size_t> offsets_;
  std::vector<std::uint32_t> lengths_;
  std::string arena_;
};

/// A small direct-mapped cache of string -> 32-bit value in front of the big tables. An LRS stream repeats
/// the same few strings from one statement to the next (a session's actor, course and activities, the verb
/// IRIs): a hit compares the string with a copy that stays in the CPU caches instead of chasing the big
/// table through three cache misses. Values are never kNoId.
class HotCache {
 public:
  /// The cached value of `s` (kNoId if absent); `slot` is where to put() it.
  Id find(std::string_view s, std::size_t& slot) const noexcept {
    std::uint64_t a = 0, b = 0;
    const std::size_t n = s.size();
    std::memcpy(&a, s.data(), n < 8 ? n : 8);
    if (n > 8) std::memcpy(&b, s.data() + n - 8, 8);
    slot = static_cast<std::size_t>(lien::detail::mul_mix(a ^ (n * 0x9E3779B97F4A7C15ull), b ^ 0xC2B2AE3D27D4EB4Full)) &
           (kSlots - 1);
    const Entry& e = entries_[slot];
    return e.value != kNoId && e.key == s ? e.value : kNoId;
  }
  void put(std::size_t slot, std::string_view s, Id value) {
    entries_[slot].key.assign(s.data(), s.size());
    entries_[slot].value = value;
  }

 private:
  static constexpr std::size_t kSlots = 64;
  struct Entry {
    std::string key;
    Id value = kNoId;
  };
  Entry entries_[kSlots];
};

/// Open-addressing map from 64-bit keys (never ~0) to 32-bit values.
class U64Map {
 public:
  U64Map() { keys_.assign(1024, kEmpty), vals_.assign(1024, 0); }
  /// The value of `key`, inserting `value` when absent; `inserted` says which.
  std::uint32_t get_or_insert(std::uint64_t key, std::uint32_t value, bool& inserted) {
    if ((count_ + 1) * 2 > keys_.size()) grow();
    std::size_t i = slot(key);
    while (keys_[i] != kEmpty) {
      if (keys_[i] == key) {
        inserted = false;
        return vals_[i];
      }
      i = (i + 1) & (keys_.size() - 1);
    }
    keys_[i] = key, vals_[i] = value;
    ++count_;
    inserted = true;
    return value;
  }

 private:
  static constexpr std::uint64_t kEmpty = ~std::uint64_t(0);
  std::size_t slot(std::uint64_t k) const noexcept {
    return static_cast<std::size_t>(lien::detail::mul_mix(k, 0x9E3779B97F4A7C15ull)) & (keys_.size() - 1);
  }
  void grow() {
    std::vector<std::uint64_t> keys = std::move(keys_);
    std::vector<std::uint32_t> vals = std::move(vals_);
    keys_.assign(keys.size() * 2, kEmpty), vals_.assign(keys.size() * 2, 0);
    count_ = 0;
    bool ins = false;
    for (std::size_t i = 0; i < keys.size(); ++i)
      if (keys[i] != kEmpty) get_or_insert(keys[i], vals[i], ins);
  }
  std::vector<std::uint64_t> keys_;
  std::vector<std::uint32_t> vals_;
  std::size_t count_ = 0;
};

}  // namespace xapi
LIEN_END_NAMESPACE
