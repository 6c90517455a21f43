// xapi_internal.hpp — what the xAPI reader's translation units share: the syntactic checks xAPI 1.0.3 asks
// for (IRIs, UUIDs, mailto IRIs, SHA-1 sums, language tags), the activity-type vocabulary used in inference
// mode, and the strict validator. Internal to src/io: it includes simdjson, which stays private to lien_engine.
#pragma once

#include <simdjson.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "lien/core/config.hpp"
#include "lien/model/types.hpp"

LIEN_BEGIN_NAMESPACE
namespace xapi {

/// The object or array an element holds, by value: iterating `e.get_object().value_unsafe()` directly would
/// iterate a reference into a destroyed temporary. The caller has checked the element's type.
inline simdjson::dom::object as_obj(simdjson::dom::element e) noexcept {
  simdjson::dom::object o;
  if (e.get(o) != simdjson::SUCCESS) return {};
  return o;
}
inline simdjson::dom::array as_arr(simdjson::dom::element e) noexcept {
  simdjson::dom::array a;
  if (e.get(a) != simdjson::SUCCESS) return {};
  return a;
}

/// `a == lit` for a string literal: the length is a constant, so the comparison is inlined (object keys are
/// compared a dozen times per statement; a call to memcmp each time shows in profiles).
template <std::size_t N>
inline bool is(std::string_view a, const char (&lit)[N]) noexcept {
  return a.size() == N - 1 && std::memcmp(a.data(), lit, N - 1) == 0;
}

/// A UUID as two 64-bit halves (RFC 4122 text form, any version, case-insensitive).
struct Uuid {
  std::uint64_t hi = 0, lo = 0;
  bool operator==(const Uuid& o) const noexcept { return hi == o.hi && lo == o.lo; }
};

namespace detail {
struct CharTables {
  std::int8_t hex[256];
  std::uint8_t not_iri[256];  ///< 1 for bytes no IRI may hold: controls, space, DEL, <>"{}|\^`
  constexpr CharTables() : hex(), not_iri() {
    for (int c = 0; c < 256; ++c) {
      hex[c] = c >= '0' && c <= '9' ? static_cast<std::int8_t>(c - '0')
               : c >= 'a' && c <= 'f' ? static_cast<std::int8_t>(c - 'a' + 10)
               : c >= 'A' && c <= 'F' ? static_cast<std::int8_t>(c - 'A' + 10)
                                      : std::int8_t(-1);
      not_iri[c] = c <= 0x20 || c == 0x7F || c == '<' || c == '>' || c == '"' || c == '{' || c == '}' || c == '|' ||
                   c == '\\' || c == '^' || c == '`';
    }
  }
};
inline constexpr CharTables kChars{};
}  // namespace detail

inline int hex_value(char c) noexcept { return detail::kChars.hex[static_cast<unsigned char>(c)]; }

/// Parses `8-4-4-4-12` hexadecimal digits (unrolled: every statement has an id to parse).
inline bool parse_uuid(std::string_view s, Uuid& out) noexcept {
  if (s.size() != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-') return false;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  int bad = 0;
  std::uint64_t hi = 0, lo = 0;
  const auto digits = [&](std::uint64_t& acc, int from, int to) {
    for (int i = from; i < to; ++i) {
      const int v = detail::kChars.hex[p[i]];
      bad |= v;
      acc = (acc << 4) | static_cast<std::uint64_t>(v & 15);
    }
  };
  digits(hi, 0, 8);
  digits(hi, 9, 13);
  digits(hi, 14, 18);
  digits(lo, 19, 23);
  digits(lo, 24, 36);
  if (bad < 0) return false;
  out.hi = hi, out.lo = lo;
  return true;
}

/// An absolute IRI (RFC 3987, checked as xAPI needs it): a scheme (a letter, then letters, digits, + - .),
/// a colon, then at least one character, none of them a space, a control character or one of <>"{}|\^`.
/// Every statement holds half a dozen IRIs: with SSE2, 16 bytes are checked at a time.
inline bool is_iri(std::string_view s) noexcept {
  if (s.empty()) return false;
  const auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (!alpha(s[0])) return false;
  std::size_t i = 1;
  while (i < s.size() && (alpha(s[i]) || (s[i] >= '0' && s[i] <= '9') || s[i] == '+' || s[i] == '-' || s[i] == '.'))
    ++i;
  if (i == s.size() || s[i] != ':' || i + 1 == s.size()) return false;
  ++i;
#if defined(__SSE2__)
  const __m128i space = _mm_set1_epi8(0x20);
  for (; i + 16 <= s.size(); i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    __m128i bad = _mm_cmpeq_epi8(_mm_min_epu8(v, space), v);  // bytes <= 0x20
    for (const char c : {'\x7f', '<', '>', '"', '{', '}', '|', '\\', '^', '`'})
      bad = _mm_or_si128(bad, _mm_cmpeq_epi8(v, _mm_set1_epi8(c)));
    if (_mm_movemask_epi8(bad)) return false;
  }
#endif
  unsigned bad = 0;
  for (; i < s.size(); ++i) bad |= detail::kChars.not_iri[static_cast<unsigned char>(s[i])];
  return bad == 0;
}

/// `mailto:` (any case) followed by an address with one '@', a non-empty local part and domain, and no
/// spaces, controls, angle brackets or commas. Sets `address` to the part after `mailto:`.
inline bool parse_mailto(std::string_view s, std::string_view& address) noexcept {
  if (s.size() < 10) return false;
  static constexpr char kScheme[] = "mailto:";
  for (int i = 0; i < 7; ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != kScheme[i]) return false;
  }
  const std::string_view a = s.substr(7);
  std::size_t at = std::string_view::npos;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto c = static_cast<unsigned char>(a[i]);
    if (c <= 0x20 || c == 0x7F || c == '<' || c == '>' || c == ',' || c == '"') return false;
    if (c == '@') {
      if (at != std::string_view::npos) return false;
      at = i;
    }
  }
  if (at == std::string_view::npos || at == 0 || at + 1 == a.size()) return false;
  address = a;
  return true;
}

inline bool is_sha1_hex(std::string_view s) noexcept {
  if (s.size() != 40) return false;
  int bad = 0;
  for (char c : s) bad |= hex_value(c);
  return bad >= 0;
}

/// An RFC 5646 language tag, checked for shape: a primary language subtag of 2 or 3 letters (ISO 639; the
/// 4-8 letter forms are reserved or unused) or the private-use and grandfathered prefixes x and i, then
/// subtags of 1-8 letters or digits joined by '-' (en, en-US, zh-Hant-TW, es-419, x-klingon).
inline bool is_language_tag(std::string_view s) noexcept {
  if (s.empty()) return false;
  std::size_t len = 0, index = 0;
  bool prefix = false;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == '-') {
      if (len == 0 || len > 8) return false;
      if (index == 0) {
        prefix = len == 1;
        if (prefix ? (s[0] != 'x' && s[0] != 'X' && s[0] != 'i' && s[0] != 'I') : len > 3) return false;
      }
      len = 0;
      ++index;
      continue;
    }
    const char c = s[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    const bool digit = c >= '0' && c <= '9';
    if (!(letter || (digit && index > 0))) return false;
    ++len;
  }
  return !prefix || index > 1;
}

// ---- activity types (inference mode) -----------------------------------------------------------------------

/// What an activity is to lien, from its definition.type.
enum class ActivityRole : std::uint8_t {
  step,       ///< something a learner does in a path: becomes a step (kind below)
  course,     ///< a course: names a path, never a step
  container,  ///< a block, section, LMS site or source: a resource, never a step
  content     ///< a post, reply, comment or message: a resource (each one is not a step)
};

struct ActivityClass {
  ActivityRole role = ActivityRole::step;
  StepKind kind = StepKind::elearning;
};

/// Classifies an activity type IRI ("" = no type: a step of kind elearning).
ActivityClass classify_activity_type(std::string_view type) noexcept;

/// The cmi5 category activity: statements that carry it follow cmi5 (registration = one learner's enrolment).
inline constexpr std::string_view kCmi5Category = "https://w3id.org/xapi/cmi5/context/categories/cmi5";
inline constexpr std::string_view kVoidedVerb = "http://adlnet.gov/expapi/verbs/voided";

// ---- strict validation ------------------------------------------------------------------------------------

struct Problem {
  std::string field;
  std::string reason;
};

/// Records the rule broken; returns false so that checks read `if (...) return fail(...)`.
inline bool fail(Problem& pb, std::string field, const char* reason) {
  pb.field = std::move(field);
  pb.reason = reason;
  return false;
}

inline std::string join(std::string_view a, std::string_view b) {
  std::string s;
  s.reserve(a.size() + b.size());
  s.append(a).append(b);
  return s;
}

/// Validates the whole statement against xAPI 1.0.3 (docs/xapi.md, "Strict mode"). Runs after the checks of
/// the fields lien reads have passed. Returns false and fills `out` at the first rule broken.
bool strict_check_statement(simdjson::dom::object statement, Problem& out);

}  // namespace xapi
LIEN_END_NAMESPACE
