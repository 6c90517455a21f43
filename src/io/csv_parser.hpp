// src/io/csv_parser.hpp — the RFC 4180 record scanner and the strict value parsers behind the CSV reader.
//
// Internal to src/io (not installed). The scanner walks a mutable buffer holding a whole file, one record
// at a time, and hands out fields as views into that buffer: a quoted field with doubled quotes is
// unescaped in place (it only ever shrinks), so no field is copied and no record allocates. The value
// parsers return a short English reason on failure; the table reader turns it into a Rejection.
#pragma once

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "lien/core/calendar.hpp"
#include "lien/core/config.hpp"
#include "lien/core/time.hpp"
#include "lien/model/cohort.hpp"

LIEN_BEGIN_NAMESPACE

namespace csv {

// ---- UTF-8 -------------------------------------------------------------------------------------------------

/// Offset of the first byte that is not part of well-formed UTF-8 (no overlongs, no surrogates, nothing
/// above U+10FFFF), or n when the whole range is valid.
inline std::size_t utf8_error_at(const char* text, std::size_t n) noexcept {
  const auto* s = reinterpret_cast<const unsigned char*>(text);
  std::size_t i = 0;
  auto cont = [&](std::size_t k) { return k < n && (s[k] & 0xC0u) == 0x80u; };
  while (i < n) {
    if (i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, s + i, 8);
      if ((w & 0x8080808080808080ull) == 0) {
        i += 8;
        continue;
      }
    }
    const unsigned c = s[i];
    if (c < 0x80u) {
      ++i;
      continue;
    }
    std::size_t len;
    unsigned lo = 0x80u, hi = 0xBFu;  // allowed range of the second byte
    if (c >= 0xC2u && c <= 0xDFu) len = 2;
    else if (c == 0xE0u) len = 3, lo = 0xA0u;
    else if ((c >= 0xE1u && c <= 0xECu) || c == 0xEEu || c == 0xEFu) len = 3;
    else if (c == 0xEDu) len = 3, hi = 0x9Fu;  // no UTF-16 surrogates
    else if (c == 0xF0u) len = 4, lo = 0x90u;
    else if (c >= 0xF1u && c <= 0xF3u) len = 4;
    else if (c == 0xF4u) len = 4, hi = 0x8Fu;  // nothing above U+10FFFF
    else return i;
    if (i + 1 >= n || s[i + 1] < lo || s[i + 1] > hi) return i;
    for (std::size_t k = 2; k < len; ++k)
      if (!cont(i + k)) return i;
    i += len;
  }
  return n;
}

// ---- the record scanner ------------------------------------------------------------------------------------

/// One record: its fields (views into the scanner's buffer) and what went wrong while scanning it.
class Scanner;

struct Record {
  std::uint64_t line = 0;       ///< 1-based line where the record starts
  const char* error = nullptr;  ///< a syntax error (unterminated quote, stray quote...) or nullptr
  std::size_t error_field = 0;  ///< the field the syntax error lies in
  bool check_utf8 = false;      ///< the record holds bytes >= 0x80 or quoted fields: validate it

  std::size_t size() const noexcept { return n_; }
  std::string_view operator[](std::size_t i) const noexcept { return fields_[i]; }
  const std::string_view* data() const noexcept { return fields_.data(); }
  void clear() noexcept { n_ = 0; }
  // Storage is reused from record to record and only grows, so the hot loop never allocates.
  void push(const char* p, std::size_t len) {
    if (LIEN_UNLIKELY(n_ == fields_.size())) fields_.resize(fields_.size() * 2 + 16);
    fields_[n_++] = std::string_view(p, len);
  }
  void pop() noexcept { --n_; }

 private:
  friend class Scanner;
  std::vector<std::string_view> fields_;
  std::size_t n_ = 0;
};

/// Bit i set when byte p[i] (0 <= i < 64) is a comma, a line feed, a quote or >= 0x80: the only bytes the
/// scanner has to look at. The scanner walks the set bits, so a field costs a few instructions whatever its
/// length, and a whole record rarely more than one 64-byte block.
inline std::uint64_t special_bits64(const char* p) noexcept {
#if defined(__SSE2__)
  const __m128i comma = _mm_set1_epi8(','), lf = _mm_set1_epi8('\n'), quote = _mm_set1_epi8('"');
  std::uint64_t m = 0;
  for (int i = 0; i < 4; ++i) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i));
    const __m128i hit =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, lf)), _mm_or_si128(_mm_cmpeq_epi8(v, quote), v));
    m |= static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(hit))) << (16 * i);
  }
  return m;
#else
  // Portable SWAR: an exact per-byte "equals c" test (no borrow between bytes), then one bit per byte.
  constexpr std::uint64_t kLow7 = 0x7F7F7F7F7F7F7F7Full, kHigh = 0x8080808080808080ull, kOnes = 0x0101010101010101ull;
  auto zero_bytes = [&](std::uint64_t v) { return ~(((v & kLow7) + kLow7) | v) & kHigh; };
  std::uint64_t m = 0;
  for (int i = 0; i < 8; ++i) {
    std::uint64_t w = 0;
    for (int k = 0; k < 8; ++k) w |= static_cast<std::uint64_t>(static_cast<unsigned char>(p[8 * i + k])) << (8 * k);
    const std::uint64_t f = zero_bytes(w ^ (kOnes * ',')) | zero_bytes(w ^ (kOnes * '\n')) |
                            zero_bytes(w ^ (kOnes * '"')) | (w & kHigh);
    m |= (((f >> 7) * 0x0102040810204080ull) >> 56) << (8 * i);
  }
  return m;
#endif
}

inline int ctz64(std::uint64_t x) noexcept {
#if defined(__GNUC__)
  return __builtin_ctzll(x);
#else
  int n = 0;
  while (!(x & 1)) x >>= 1, ++n;
  return n;
#endif
}

class Scanner {
 public:
  /// `data` must stay alive and unmodified by others while records are read; quoted fields are unescaped in
  /// place. `first_line` is the line number of data[0].
  Scanner(char* data, std::size_t size, std::uint64_t first_line = 1) noexcept
      : p_(data), end_(data + size), line_(first_line) {
    load(data);
  }

  /// Reads the next record; false at the end of the buffer. Blank lines carry no record and are skipped.
  bool next(Record& r) {
    if (p_ < end_ && (*p_ == '\n' || *p_ == '\r')) {
      char* p = p_;
      while (p < end_ && (*p == '\n' || (*p == '\r' && p + 1 < end_ && p[1] == '\n'))) {
        p += *p == '\r' ? 2 : 1;
        ++line_;
      }
      seek(p);
    }
    if (p_ >= end_) return false;
    r.line = line_;
    r.n_ = 0;
    r.error = nullptr;
    r.error_field = 0;
    r.check_utf8 = false;
    // The hot loop works on locals: stores of fields could otherwise alias the scanner's members and force
    // reloads after every field.
    char* p = p_;
    char* base = base_;
    std::uint64_t bits = bits_;
    std::string_view* f = r.fields_.data();
    std::size_t n = 0, cap = r.fields_.size();
    auto push = [&](const char* b, std::size_t len) {
      if (LIEN_UNLIKELY(n == cap)) {
        r.fields_.resize(cap * 2 + 16);
        f = r.fields_.data();
        cap = r.fields_.size();
      }
      f[n++] = std::string_view(b, len);
    };
    // Walk the special bytes: each comma ends a field, the line feed ends the record. A quote that opens a
    // field leaves the fast path (rare in logs); anywhere else it is an error.
    char* start = p;
    for (;;) {
      while (bits == 0) {
        if (end_ - base <= 64) {  // the end of the buffer ends the last field
          push(start, static_cast<std::size_t>(end_ - start));
          p = end_;
          p_ = p, base_ = base, bits_ = bits, r.n_ = n;
          return true;
        }
        base += 64;
        bits = bits_at(base);
      }
      char* const s = base + ctz64(bits);
      bits &= bits - 1;
      const char c = *s;
      if (LIEN_LIKELY(c == ',')) {
        push(start, static_cast<std::size_t>(s - start));
        start = s + 1;
        continue;
      }
      if (c == '\n') {
        const char* e = s > start && s[-1] == '\r' ? s - 1 : s;
        push(start, static_cast<std::size_t>(e - start));
        p = s + 1;
        ++line_;
        break;
      }
      if (c == '"') {
        if (s == start) {
          p_ = s, base_ = base, bits_ = bits, r.n_ = n;
          const bool ends = quoted_field(r);
          p = p_, base = base_, bits = bits_, n = r.n_, f = r.fields_.data(), cap = r.fields_.size();
          if (ends) break;
          start = p;
          continue;
        }
        r.n_ = n;
        set_error(r, "quote inside an unquoted field");
      } else {
        r.check_utf8 = true;  // a byte >= 0x80
      }
    }
    p_ = p, base_ = base, bits_ = bits, r.n_ = n;
    return true;
  }

 private:
  // Invariant: bits_ holds the special bytes of [p_, base_ + 64) not yet consumed, base_ <= p_.
  std::uint64_t bits_at(const char* b) const noexcept {
    if (end_ - b >= 64) return special_bits64(b);
    char block[64];
    const std::size_t n = static_cast<std::size_t>(end_ - b);
    if (n == 0) return 0;
    std::memset(block, 'a', sizeof block);
    std::memcpy(block, b, n);
    return special_bits64(block) & (~std::uint64_t(0) >> (64 - n));
  }
  void load(char* b) noexcept {
    base_ = b;
    bits_ = bits_at(b);
  }
  /// Moves to p (forward), keeping the invariant.
  void seek(char* p) noexcept {
    p_ = p;
    const std::ptrdiff_t d = p - base_;
    if (d < 64) bits_ &= ~std::uint64_t(0) << d;
    else load(p);
  }

  void set_error(Record& r, const char* why) {
    if (!r.error) {
      r.error = why;
      r.error_field = r.size();
    }
  }

  // A quoted field from p_ (at the opening quote); true when it ends the record. Rare in logs, so plain
  // memchr loops, then a resynchronisation of the special bits.
  bool quoted_field(Record& r) {
    r.check_utf8 = true;
    char* p = p_ + 1;
    char* const start = p;
    char* w = start;  // write cursor: doubled quotes shift the rest of the field left
    for (;;) {
      char* q = static_cast<char*>(std::memchr(p, '"', static_cast<std::size_t>(end_ - p)));
      char* seg_end = q ? q : end_;
      for (const char* s = p; (s = static_cast<const char*>(std::memchr(s, '\n', static_cast<std::size_t>(seg_end - s))));
           ++s)
        ++line_;
      if (w != p) std::memmove(w, p, static_cast<std::size_t>(seg_end - p));
      w += seg_end - p;
      if (!q) {
        set_error(r, "unterminated quoted field");
        r.push(start, static_cast<std::size_t>(w - start));
        seek(end_);
        return true;
      }
      if (q + 1 < end_ && q[1] == '"') {
        *w++ = '"';
        p = q + 2;
        continue;
      }
      p = q + 1;
      break;
    }
    const std::size_t len = static_cast<std::size_t>(w - start);
    if (p < end_ && *p != ',' && *p != '\n' && !(*p == '\r' && p + 1 < end_ && p[1] == '\n')) {
      // Garbage after the closing quote: report it, and resynchronise at the next delimiter.
      set_error(r, "unexpected character after a closing quote");
      while (p < end_ && *p != ',' && *p != '\n') ++p;
    }
    r.push(start, len);
    if (p == end_) {
      seek(end_);
      return true;
    }
    if (*p == ',') {
      seek(p + 1);
      return false;
    }
    seek(p + (*p == '\r' ? 2 : 1));
    ++line_;
    return true;
  }

  char* p_;
  char* end_;
  char* base_ = nullptr;
  std::uint64_t bits_ = 0;
  std::uint64_t line_;
};


// ---- value parsers: true on success, else `why` says what is wrong ---------------------------------------

inline bool parse_bool(std::string_view s, bool& out, const char*& why) noexcept {
  auto eq = [&](const char* word) {
    const std::size_t n = std::strlen(word);
    if (s.size() != n) return false;
    for (std::size_t i = 0; i < n; ++i)
      if ((s[i] | 0x20) != word[i]) return false;
    return true;
  };
  if (s == "1" || eq("true")) return out = true, true;
  if (s == "0" || eq("false")) return out = false, true;
  why = "expected true or false (or 1 or 0)";
  return false;
}

/// A finite float with '.' as decimal separator (exponents allowed; NaN, infinities, hex, ',' refused).
inline bool parse_float(std::string_view s, float& out, const char*& why) noexcept {
  const char* b = s.data();
  const char* e = b + s.size();
  if (b != e && *b == '+') ++b;  // from_chars refuses a leading '+', people write it
  if (b == e || *b == '+') return why = "expected a number", false;
  {
    // Clinger's fast path: at most 7 digits make an integer below 2^24 and a power of ten up to 1e7, both exact
    // in a float, so one float division is the correctly rounded value — what from_chars returns, faster.
    static constexpr float kPow10[8] = {1e0f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f};
    const char* c = b;
    const bool neg = c != e && *c == '-';
    if (neg) ++c;
    std::uint32_t m = 0;
    int digits = 0, frac = 0;
    bool dot = false, simple = true;
    for (; c != e; ++c) {
      if (*c >= '0' && *c <= '9') {
        if (++digits > 7) {
          simple = false;
          break;
        }
        m = m * 10 + static_cast<std::uint32_t>(*c - '0');
        frac += dot;
      } else if (*c == '.' && !dot) {
        dot = true;
      } else {
        simple = false;
        break;
      }
    }
    if (simple && digits > 0) {
      const float v = static_cast<float>(m) / kPow10[frac];
      out = neg ? -v : v;
      return true;
    }
  }
  float v = 0;
  const auto r = std::from_chars(b, e, v, std::chars_format::general);
  if (r.ec == std::errc::result_out_of_range) return why = "number out of range", false;
  if (r.ec != std::errc() || r.ptr != e) {
    for (const char* c = b; c != e; ++c)
      if (*c == ',') return why = "expected a number with '.' as decimal separator", false;
    return why = "expected a number", false;
  }
  if (!std::isfinite(v)) return why = "not a finite number", false;
  out = v;
  return true;
}

/// Timestamps of one column, remembering the date of the previous value: the rows of a log mostly share their
/// day with the row before. Same results and reasons as parse_timestamp, which handles every other shape.
class TimestampReader {
 public:
  bool parse(std::string_view s, ParsedTimestamp& out, const char*& why) noexcept {
    const std::size_t n = s.size();
    const char* c = s.data();
    if ((n == 20 || (n == 24 && c[19] == '.')) && c[n - 1] == 'Z' && c[10] == 'T' && c[13] == ':' && c[16] == ':') {
      auto d = [c](int i) { return static_cast<unsigned>(static_cast<unsigned char>(c[i])) - '0'; };
      const unsigned h1 = d(11), h2 = d(12), m1 = d(14), m2 = d(15), s1 = d(17), s2 = d(18);
      // Each value is a digit only if <= 9 (bytes below '0' wrap around to large values).
      bool digits = (h1 <= 9) & (h2 <= 9) & (m1 <= 9) & (m2 <= 9) & (s1 <= 9) & (s2 <= 9);
      unsigned ms = 0;
      if (n == 24) {
        const unsigned f1 = d(20), f2 = d(21), f3 = d(22);
        digits = digits & (f1 <= 9) & (f2 <= 9) & (f3 <= 9);
        ms = f1 * 100 + f2 * 10 + f3;
      }
      const unsigned hh = h1 * 10 + h2, mi = m1 * 10 + m2, ss = s1 * 10 + s2;
      if (digits && hh < 24 && mi < 60 && ss < 60) {
        std::uint64_t head;
        std::uint16_t tail;
        std::memcpy(&head, c, 8);
        std::memcpy(&tail, c + 8, 2);
        Day day;
        if (has_date_ && head == head_ && tail == tail_) {
          day = day_;
        } else {
          if (!parse_date(s.substr(0, 10), day, &why)) return false;
          head_ = head, tail_ = tail, day_ = day, has_date_ = true;
        }
        out.ms = static_cast<std::int64_t>(day) * kMsPerDay +
                 static_cast<std::int64_t>(((hh * 60 + mi) * 60 + ss) * 1000 + ms);
        out.has_offset = true;
        out.date_only = false;
        return true;
      }
    }
    return parse_timestamp(s, out, &why);
  }

 private:
  std::uint64_t head_ = 0;  // the first 10 bytes of the last date parsed, and its day
  std::uint16_t tail_ = 0;
  Day day_ = 0;
  bool has_date_ = false;
};

/// Finds a name among an enum's names with one hashed probe and one comparison (verbs are read per event).
template <std::size_t N>
class EnumIndex {
 public:
  explicit EnumIndex(const std::array<std::string_view, N>& names) noexcept : names_(names) {
    for (seed_ = 1; seed_ < 4096; ++seed_) {
      bool ok = true;
      for (auto& t : table_) t = 0;
      for (std::size_t i = 0; i < N && ok; ++i) {
        unsigned char& t = table_[slot(names[i])];
        if (t) ok = false;
        t = static_cast<unsigned char>(i + 1);
      }
      if (ok) return;
    }
    seed_ = 0;  // no perfect seed (never happens for lien's vocabularies): compare one by one
  }
  /// Index of `s` in the names, or -1.
  int find(std::string_view s) const noexcept {
    if (s.empty()) return -1;
    if (seed_ == 0) {
      for (std::size_t i = 0; i < N; ++i)
        if (names_[i] == s) return static_cast<int>(i);
      return -1;
    }
    const int i = table_[slot(s)] - 1;
    return i >= 0 && names_[static_cast<std::size_t>(i)] == s ? i : -1;
  }

 private:
  unsigned slot(std::string_view s) const noexcept {
    std::uint32_t h = seed_ * 0x9E3779B1u;
    h = (h ^ static_cast<std::uint32_t>(s.size())) * 0x85EBCA6Bu;
    h = (h ^ static_cast<unsigned char>(s[0])) * 0xC2B2AE35u;
    h = (h ^ static_cast<unsigned char>(s[s.size() / 2])) * 0x27D4EB2Fu;
    h = (h ^ static_cast<unsigned char>(s[s.size() - 1])) * 0x165667B1u;
    return (h >> 24) & 0xFFu;
  }
  const std::array<std::string_view, N>& names_;
  std::uint32_t seed_ = 0;
  unsigned char table_[256] = {};
};

/// A decimal unsigned integer that fits in 32 bits.
inline bool parse_u32(std::string_view s, std::uint32_t& out, const char*& why) noexcept {
  const char* b = s.data();
  const char* e = b + s.size();
  if (b != e && *b == '+') ++b;
  if (b != e && *b == '-') return why = "must not be negative", false;
  const auto r = std::from_chars(b, e, out);
  if (r.ec == std::errc::result_out_of_range) return why = "integer out of range", false;
  if (b == e || r.ec != std::errc() || r.ptr != e) return why = "expected an integer", false;
  return true;
}

/// One bound of a step window: an absolute date (YYYY-MM-DD) or a signed offset in days (+14, -7, +0).
inline bool parse_window_bound(std::string_view s, Day& out, bool& relative, const char*& why) noexcept {
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    std::int32_t v = 0;
    const auto r = std::from_chars(s.data() + 1, s.data() + s.size(), v);
    if (s.size() == 1 || r.ec != std::errc() || r.ptr != s.data() + s.size() || s[1] == '-' || s[1] == '+')
      return why = "expected a date YYYY-MM-DD or a signed day offset such as +14 or -7", false;
    if (v > 36600) return why = "day offset beyond 100 years", false;
    out = s[0] == '-' ? -v : v;
    relative = true;
    return true;
  }
  if (s.size() == 10 && s[4] == '-') {
    relative = false;
    return parse_date(s, out, &why);
  }
  why = "expected a date YYYY-MM-DD or a signed day offset such as +14 or -7";
  return false;
}

// ---- whole files and folders ---------------------------------------------------------------------------------

/// A whole file in memory, writable (quoted fields are unescaped in place). On POSIX systems a private
/// copy-on-write mapping of the file: no copy, and only the pages that get unescaped are ever duplicated.
/// Elsewhere, or when mapping fails, a heap copy.
class FileBuffer {
 public:
  FileBuffer() = default;
  FileBuffer(FileBuffer&& o) noexcept { swap(o); }
  FileBuffer& operator=(FileBuffer&& o) noexcept {
    FileBuffer tmp(std::move(o));
    swap(tmp);
    return *this;
  }
  FileBuffer(const FileBuffer&) = delete;
  FileBuffer& operator=(const FileBuffer&) = delete;
  ~FileBuffer();

  char* data() const noexcept { return data_; }
  std::size_t size() const noexcept { return size_; }

 private:
  friend FileBuffer read_file(const std::string& path, const std::string& what);
  void swap(FileBuffer& o) noexcept {
    std::swap(data_, o.data_);
    std::swap(size_, o.size_);
    std::swap(heap_, o.heap_);
    std::swap(mapped_, o.mapped_);
  }
  char* data_ = nullptr;
  std::size_t size_ = 0;
  std::unique_ptr<char[]> heap_;
  bool mapped_ = false;
};

/// Reads a whole file; NotFound when it does not exist, IoError when it cannot be read. `what` names it in
/// messages.
FileBuffer read_file(const std::string& path, const std::string& what);

/// Parses calendar.json (docs/formats.md). Throws ParseError naming `source` and the key at fault.
Calendar parse_calendar_json(const std::string& text, const std::string& source);

/// Reads one table from a mutable buffer (quoted fields are unescaped in place). `table` is the table name
/// ("events"...). Throws ParseError for file-level problems (header), InvalidArgument for an unknown table.
void read_table_buffer(CohortBuilder& builder, std::string_view table, char* data, std::size_t size,
                       const std::string& source);

/// Reads the tables of a CSV folder into a builder whose calendar is already set (see read_calendar_of).
/// `with_events` false skips events.csv (for readers that bring their own events, such as xAPI).
void read_csv_tables(CohortBuilder& builder, const std::string& dir, bool with_events);

/// The calendar of a CSV folder: calendar.json when present, else the default calendar.
Calendar read_calendar_of(const std::string& dir);

}  // namespace csv

LIEN_END_NAMESPACE
