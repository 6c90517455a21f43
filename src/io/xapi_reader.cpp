// xapi_reader.cpp — reads xAPI statements (a JSON array or NDJSON) into a CohortBuilder.
//
// Three passes, so that voiding works whatever the order of the file:
//   1. split the text into statements, parse each one with simdjson's DOM parser (one reused parser, the text
//      parsed in place), check the fields lien reads against xAPI 1.0.3 and map them to a compact pending
//      record (ids interned once, no per-statement allocation once the tables are warm);
//   2. apply voiding: a `voided` statement removes the statement it references through a StatementRef;
//   3. in inference mode declare the learners, paths, steps and enrolments the statements imply; then hand the
//      builder every record in input order (rejections, voiding and voided statements, events).
// Mapping mode (the builder already holds declared people) matches actors and activities to what is declared
// and creates nothing. docs/xapi.md is the contract: every rule and reason below is listed there.
#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "lien/core/digest.hpp"
#include "lien/core/error.hpp"
#include "lien/io/read.hpp"
#include "lien/io/xapi.hpp"
#include "xapi_internal.hpp"

LIEN_BEGIN_NAMESPACE

namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;
using xapi::as_arr;
using xapi::is;
using xapi::as_obj;
using xapi::Problem;
using xapi::Uuid;

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr std::string_view kDefaultPath = "xapi";
constexpr std::string_view kRegistrationPrefix = "registration:";

// ---- small helpers ------------------------------------------------------------------------------------------

bool fail(Problem& pb, std::string field, const char* reason) {
  pb.field = std::move(field);
  pb.reason = reason;
  return false;
}

std::string join(std::string_view a, std::string_view b) {
  std::string s;
  s.reserve(a.size() + b.size());
  s.append(a).append(b);
  return s;
}

std::string ext_path(std::string_view base, std::string_view key) {
  std::string s(base);
  s += "[\"";
  s += key;
  s += "\"]";
  return s;
}

/// A JSON path built only when a rejection needs it: base, an optional [index], then a suffix.
struct JsonPath {
  std::string_view base;
  std::size_t index = static_cast<std::size_t>(-1);
  std::string str(std::string_view suffix = {}) const {
    std::string s(base);
    if (index != static_cast<std::size_t>(-1)) s += '[' + std::to_string(index) + ']';
    s.append(suffix);
    return s;
  }
};

bool get_string(element e, std::string_view& out) {
  if (e.type() != element_type::STRING) return false;
  out = e.get_string().value_unsafe();
  return true;
}

/// A JSON number (integer or not) as a double; false for anything else, including "0.8" as a string.
bool get_number(element e, double& out) {
  switch (e.type()) {
    case element_type::DOUBLE: out = e.get_double().value_unsafe(); return true;
    case element_type::INT64: out = static_cast<double>(e.get_int64().value_unsafe()); return true;
    case element_type::UINT64: out = static_cast<double>(e.get_uint64().value_unsafe()); return true;
    default: return false;
  }
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.size() > prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

/// Percent-decodes `s` into `out` (a malformed escape is kept as written).
void percent_decode(std::string_view s, std::string& out) {
  out.clear();
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      const int h = xapi::hex_value(s[i + 1]), l = xapi::hex_value(s[i + 2]);
      if (h >= 0 && l >= 0) {
        out += static_cast<char>(h * 16 + l);
        i += 2;
        continue;
      }
    }
    out += s[i];
  }
}

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
    return static_cast<std::size_t>(detail::mul_mix(u.hi ^ 0x9E3779B97F4A7C15ull, u.lo ^ 0xC2B2AE3D27D4EB4Full)) &
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
    slot = static_cast<std::size_t>(detail::mul_mix(a ^ (n * 0x9E3779B97F4A7C15ull), b ^ 0xC2B2AE3D27D4EB4Full)) &
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
    return static_cast<std::size_t>(detail::mul_mix(k, 0x9E3779B97F4A7C15ull)) & (keys_.size() - 1);
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

// ---- what a statement says, as views into the parsed document ------------------------------------------------

enum class Ifi : std::uint8_t { mbox, mbox_sha1sum, openid, account };

struct Agent {
  Ifi kind = Ifi::account;
  std::string_view value;  ///< mbox address (after mailto:), sha1 hex, openid IRI, or account name
  std::string_view path;   ///< JSON path of the agent ("actor", "object", ...), for mapping rejections
};

enum class ObjectType : std::uint8_t { activity, agent, group, statement_ref, sub_statement };

struct Statement {
  bool has_id = false;
  Uuid id;
  Agent actor;
  std::string_view verb;
  bool voiding = false;
  ObjectType object_type = ObjectType::activity;
  std::string_view object_id, object_def_type, object_name;
  Agent object_agent;
  bool object_identified = false;  ///< an Agent object, or a Group object with an identifier
  Uuid ref;
  float score = kNaN;
  Tri success = Tri::unknown, completion = Tri::unknown;
  float duration = kNaN;
  bool has_registration = false;
  std::string_view registration;
  Uuid registration_id;                  ///< parsed only when registration_slot is kNoId
  Id registration_slot = kNoId;          ///< the registration's position in the reader, when already known
  std::size_t registration_cache_slot = 0;
  std::string_view course, course_name;      ///< first course-typed activity of grouping, then parent
  std::string_view grouping, grouping_name;  ///< first grouping activity that is neither a course nor a container
  bool cmi5 = false;
  std::uint32_t count = 1;
  bool has_learner = false;
  Agent learner;
  Time time = 0;
};

// ---- field checks --------------------------------------------------------------------------------------------

/// An Agent (or, for objects, a Group) identified by exactly one well-formed inverse functional identifier.
/// `group` receives whether the objectType was Group; groups are refused when !allow_group.
bool parse_agent(element e, std::string_view path, Agent& out, bool& group, bool allow_group, bool& identified,
                 Problem& pb) {
  group = false;
  identified = false;
  if (e.type() != element_type::OBJECT) return fail(pb, std::string(path), "must be a JSON object");
  element mbox, sha1, openid, account, type;
  unsigned seen = 0;
  for (const auto& kv : as_obj(e)) {
    const std::string_view k = kv.key;
    unsigned bit;
    if (is(k, "mbox")) bit = 1, mbox = kv.value;
    else if (is(k, "mbox_sha1sum")) bit = 2, sha1 = kv.value;
    else if (is(k, "openid")) bit = 4, openid = kv.value;
    else if (is(k, "account")) bit = 8, account = kv.value;
    else if (is(k, "objectType")) bit = 16, type = kv.value;
    else continue;
    if (seen & bit) return fail(pb, join(path, join(".", k)), "property appears more than once");
    seen |= bit;
  }
  if (seen & 16) {
    std::string_view t;
    if (!get_string(type, t) || (t != "Agent" && t != "Group"))
      return fail(pb, join(path, ".objectType"), "objectType must be Agent or Group");
    if (t == "Group") {
      group = true;
      if (!allow_group)
        return fail(pb, join(path, ".objectType"),
                    "a Group actor is not read: lien records events per learner (send one statement per member)");
    }
  }
  const unsigned ifis = seen & 15u;
  if (ifis == 0) {
    if (group) return true;  // an anonymous group
    return fail(pb, std::string(path), "no identifier: an Agent needs one of mbox, mbox_sha1sum, openid or account");
  }
  if (ifis & (ifis - 1))
    return fail(pb, std::string(path),
                "more than one identifier (mbox, mbox_sha1sum, openid, account): an Agent has exactly one");
  out.path = path;
  std::string_view s;
  if (ifis == 1) {
    if (!get_string(mbox, s) || !xapi::parse_mailto(s, out.value))
      return fail(pb, join(path, ".mbox"), "mbox must be a mailto: IRI with one e-mail address");
    out.kind = Ifi::mbox;
  } else if (ifis == 2) {
    if (!get_string(sha1, s) || !xapi::is_sha1_hex(s))
      return fail(pb, join(path, ".mbox_sha1sum"), "mbox_sha1sum must be 40 hexadecimal digits");
    out.kind = Ifi::mbox_sha1sum;
    out.value = s;
  } else if (ifis == 4) {
    if (!get_string(openid, s) || !xapi::is_iri(s)) return fail(pb, join(path, ".openid"), "openid must be an IRI");
    out.kind = Ifi::openid;
    out.value = s;
  } else {
    if (account.type() != element_type::OBJECT) return fail(pb, join(path, ".account"), "must be a JSON object");
    element home, name;
    unsigned aseen = 0;
    for (const auto& kv : as_obj(account)) {
      unsigned bit;
      if (is(kv.key, "homePage")) bit = 1, home = kv.value;
      else if (is(kv.key, "name")) bit = 2, name = kv.value;
      else continue;
      if (aseen & bit) return fail(pb, join(path, join(".account.", kv.key)), "property appears more than once");
      aseen |= bit;
    }
    if (!(aseen & 1)) return fail(pb, join(path, ".account.homePage"), "missing: an account has a homePage and a name");
    if (!get_string(home, s) || !xapi::is_iri(s))
      return fail(pb, join(path, ".account.homePage"), "homePage must be an IRI");
    if (!(aseen & 2)) return fail(pb, join(path, ".account.name"), "missing: an account has a homePage and a name");
    if (!get_string(name, s) || s.empty())
      return fail(pb, join(path, ".account.name"), "account name must be a non-empty string");
    out.kind = Ifi::account;
    out.value = s;
  }
  identified = true;
  return true;
}

/// The value lien keeps from a language map: en-US, else en, else the first entry.
bool parse_language_map(element e, const JsonPath& path, std::string_view suffix, std::string_view& out, Problem& pb) {
  if (e.type() != element_type::OBJECT) return fail(pb, path.str(suffix), "a language map must be a JSON object of strings");
  std::string_view en, first;
  bool have_first = false;
  for (const auto& kv : as_obj(e)) {
    std::string_view v;
    if (!get_string(kv.value, v)) return fail(pb, path.str(suffix), "a language map must be a JSON object of strings");
    if (!have_first) first = v, have_first = true;
    if (is(kv.key, "en-US")) {
      out = v;
      return true;
    }
    if (is(kv.key, "en") && en.empty()) en = v;
  }
  out = en.empty() ? first : en;
  return true;
}

/// An Activity: id (IRI), and from its definition the type (IRI) and name.
bool parse_activity(element e, const JsonPath& path, bool check_object_type, std::string_view& id,
                    std::string_view& type, std::string_view& name, Problem& pb) {
  if (e.type() != element_type::OBJECT) return fail(pb, path.str(), "an Activity must be a JSON object");
  element id_el, def_el, type_el;
  unsigned seen = 0;
  for (const auto& kv : as_obj(e)) {
    unsigned bit;
    if (is(kv.key, "id")) bit = 1, id_el = kv.value;
    else if (is(kv.key, "definition")) bit = 2, def_el = kv.value;
    else if (is(kv.key, "objectType")) bit = 4, type_el = kv.value;
    else continue;
    if (seen & bit) return fail(pb, path.str(join(".", kv.key)), "property appears more than once");
    seen |= bit;
  }
  if (check_object_type && (seen & 4)) {
    std::string_view t;
    if (!get_string(type_el, t) || t != "Activity")
      return fail(pb, path.str(".objectType"), "objectType must be Activity");
  }
  if (!(seen & 1)) return fail(pb, path.str(".id"), "missing: an Activity has an id");
  if (!get_string(id_el, id) || !xapi::is_iri(id)) return fail(pb, path.str(".id"), "activity id must be an IRI");
  type = {};
  name = {};
  if (seen & 2) {
    if (def_el.type() != element_type::OBJECT) return fail(pb, path.str(".definition"), "must be a JSON object");
    element dtype, dname;
    unsigned dseen = 0;
    for (const auto& kv : as_obj(def_el)) {
      unsigned bit;
      if (is(kv.key, "type")) bit = 1, dtype = kv.value;
      else if (is(kv.key, "name")) bit = 2, dname = kv.value;
      else continue;
      if (dseen & bit) return fail(pb, path.str(join(".definition.", kv.key)), "property appears more than once");
      dseen |= bit;
    }
    if ((dseen & 1) && (!get_string(dtype, type) || !xapi::is_iri(type)))
      return fail(pb, path.str(".definition.type"), "activity type must be an IRI");
    if ((dseen & 2) && !parse_language_map(dname, path, ".definition.name", name, pb)) return false;
  }
  return true;
}

bool parse_result(element e, Statement& s, Problem& pb) {
  if (e.type() != element_type::OBJECT) return fail(pb, "result", "must be a JSON object");
  element score, success, completion, duration;
  unsigned seen = 0;
  for (const auto& kv : as_obj(e)) {
    unsigned bit;
    if (is(kv.key, "score")) bit = 1, score = kv.value;
    else if (is(kv.key, "success")) bit = 2, success = kv.value;
    else if (is(kv.key, "completion")) bit = 4, completion = kv.value;
    else if (is(kv.key, "duration")) bit = 8, duration = kv.value;
    else continue;
    if (seen & bit) return fail(pb, join("result.", kv.key), "property appears more than once");
    seen |= bit;
  }
  if (seen & 1) {
    if (score.type() != element_type::OBJECT) return fail(pb, "result.score", "must be a JSON object");
    element el[4];
    unsigned sseen = 0;
    static constexpr std::string_view kNames[4] = {"scaled", "raw", "min", "max"};
    for (const auto& kv : as_obj(score)) {
      const int i = is(kv.key, "scaled") ? 0 : is(kv.key, "raw") ? 1 : is(kv.key, "min") ? 2 : is(kv.key, "max") ? 3 : -1;
      if (i < 0) continue;
      if (sseen & (1u << i)) return fail(pb, join("result.score.", kv.key), "property appears more than once");
      sseen |= 1u << i;
      el[i] = kv.value;
    }
    double v[4] = {0, 0, 0, 0};
    for (unsigned i = 0; i < 4; ++i)
      if ((sseen & (1u << i)) && !get_number(el[i], v[i]))
        return fail(pb, join("result.score.", kNames[i]), "must be a JSON number");
    const bool has_scaled = sseen & 1, has_raw = sseen & 2, has_min = sseen & 4, has_max = sseen & 8;
    if (has_scaled && !(v[0] >= -1.0 && v[0] <= 1.0))
      return fail(pb, "result.score.scaled", "scaled score must lie in [-1, 1]");
    if (has_min && has_max && v[3] < v[2]) return fail(pb, "result.score.max", "max must not be less than min");
    if (has_raw && ((has_min && v[1] < v[2]) || (has_max && v[1] > v[3])))
      return fail(pb, "result.score.raw", "raw score must lie within [min, max]");
    if (has_scaled) s.score = static_cast<float>(v[0]);
    else if (has_raw && has_min && has_max && v[3] > v[2]) s.score = static_cast<float>((v[1] - v[2]) / (v[3] - v[2]));
  }
  if (seen & 2) {
    if (success.type() != element_type::BOOL) return fail(pb, "result.success", "success must be a JSON boolean");
    s.success = success.get_bool().value_unsafe() ? Tri::yes : Tri::no;
  }
  if (seen & 4) {
    if (completion.type() != element_type::BOOL)
      return fail(pb, "result.completion", "completion must be a JSON boolean");
    s.completion = completion.get_bool().value_unsafe() ? Tri::yes : Tri::no;
  }
  if (seen & 8) {
    std::string_view d;
    double secs = 0;
    if (!get_string(duration, d) || !parse_iso_duration(d, secs) || !std::isfinite(secs) ||
        secs > std::numeric_limits<float>::max())
      return fail(pb, "result.duration", "duration must be an ISO 8601 duration such as PT1H30M");
    s.duration = static_cast<float>(secs);
  }
  return true;
}

/// One contextActivities list: an array of Activities (xAPI 1.0.3), or a single Activity (0.95, which LRSs
/// must still accept). `each` is called with (index, id, type, name).
template <class Each>
bool parse_context_list(element e, std::string_view path, Problem& pb, Each&& each) {
  std::string_view id, type, name;
  if (e.type() == element_type::OBJECT) {
    if (!parse_activity(e, JsonPath{path}, true, id, type, name, pb)) return false;
    each(id, type, name);
    return true;
  }
  if (e.type() != element_type::ARRAY) return fail(pb, std::string(path), "must be an array of Activities");
  std::size_t i = 0;
  for (element a : as_arr(e)) {
    if (!parse_activity(a, JsonPath{path, i}, true, id, type, name, pb)) return false;
    each(id, type, name);
    ++i;
  }
  return true;
}

bool parse_context(element e, const HotCache& known_regs, Statement& s, Problem& pb) {
  if (e.type() != element_type::OBJECT) return fail(pb, "context", "must be a JSON object");
  element reg, acts, exts;
  unsigned seen = 0;
  for (const auto& kv : as_obj(e)) {
    unsigned bit;
    if (is(kv.key, "registration")) bit = 1, reg = kv.value;
    else if (is(kv.key, "contextActivities")) bit = 2, acts = kv.value;
    else if (is(kv.key, "extensions")) bit = 4, exts = kv.value;
    else continue;
    if (seen & bit) return fail(pb, join("context.", kv.key), "property appears more than once");
    seen |= bit;
  }
  if (seen & 1) {
    // A registration seen before is a valid one: its position comes from the cache, unparsed.
    if (!get_string(reg, s.registration)) return fail(pb, "context.registration", "registration must be a UUID");
    s.registration_slot = known_regs.find(s.registration, s.registration_cache_slot);
    if (s.registration_slot == kNoId && !xapi::parse_uuid(s.registration, s.registration_id))
      return fail(pb, "context.registration", "registration must be a UUID");
    s.has_registration = true;
  }
  if (seen & 2) {
    if (acts.type() != element_type::OBJECT) return fail(pb, "context.contextActivities", "must be a JSON object");
    element lists[4];
    unsigned lseen = 0;
    for (const auto& kv : as_obj(acts)) {
      const int i = is(kv.key, "grouping") ? 0 : is(kv.key, "parent") ? 1 : is(kv.key, "category") ? 2
                  : is(kv.key, "other")    ? 3 : -1;
      if (i < 0) continue;
      if (lseen & (1u << i)) return fail(pb, join("context.contextActivities.", kv.key), "property appears more than once");
      lseen |= 1u << i;
      lists[i] = kv.value;
    }
    static constexpr std::string_view kPaths[4] = {
        "context.contextActivities.grouping", "context.contextActivities.parent",
        "context.contextActivities.category", "context.contextActivities.other"};
    for (unsigned i = 0; i < 4; ++i) {
      if (!(lseen & (1u << i))) continue;
      const bool ok = parse_context_list(lists[i], kPaths[i], pb,
                                         [&](std::string_view id, std::string_view type, std::string_view name) {
        if (i == 2) {
          if (id == xapi::kCmi5Category) s.cmi5 = true;
          return;
        }
        if (i == 3) return;
        const xapi::ActivityRole role = xapi::classify_activity_type(type).role;
        if (role == xapi::ActivityRole::course) {
          if (s.course.empty()) s.course = id, s.course_name = name;
        } else if (i == 0 && role != xapi::ActivityRole::container && s.grouping.empty()) {
          s.grouping = id, s.grouping_name = name;
        }
      });
      if (!ok) return false;
    }
  }
  if (seen & 4) {
    if (exts.type() != element_type::OBJECT) return fail(pb, "context.extensions", "must be a JSON object");
    bool have_count = false;
    for (const auto& kv : as_obj(exts)) {
      if (kv.key == kXapiCountExtension) {
        if (have_count) return fail(pb, ext_path("context.extensions", kv.key), "property appears more than once");
        have_count = true;
        std::uint64_t n = 0;
        if (kv.value.type() == element_type::INT64) {
          const std::int64_t v = kv.value.get_int64().value_unsafe();
          n = v < 1 ? 0 : static_cast<std::uint64_t>(v);
        } else if (kv.value.type() == element_type::UINT64) {
          n = kv.value.get_uint64().value_unsafe();
        }
        if (n < 1 || n > 0xFFFFFFFFull)
          return fail(pb, ext_path("context.extensions", kv.key), "count must be a JSON integer from 1 to 4294967295");
        s.count = static_cast<std::uint32_t>(n);
      } else if (kv.key == kXapiLearnerExtension) {
        if (s.has_learner) return fail(pb, ext_path("context.extensions", kv.key), "property appears more than once");
        bool group = false, identified = false;
        // The path view must outlive the statement: the extension path is a constant.
        static const std::string kLearnerPath = ext_path("context.extensions", kXapiLearnerExtension);
        if (!parse_agent(kv.value, kLearnerPath, s.learner, group, false, identified, pb)) return false;
        s.has_learner = true;
      }
    }
  }
  return true;
}

bool parse_time(element e, const char* field, const Calendar& cal, Time& out, Problem& pb) {
  std::string_view t;
  ParsedTimestamp p;
  const char* why = nullptr;
  if (!get_string(e, t)) return fail(pb, field, "must be an ISO 8601 timestamp string");
  if (!parse_timestamp(t, p, &why)) {
    pb.field = field;
    pb.reason = std::string("not an ISO 8601 timestamp: ") + (why ? why : "unreadable");
    return false;
  }
  if (p.date_only) return fail(pb, field, "must carry a time of day, not only a date");
  out = cal.to_instant(p);
  const Day d = utc_day(out);
  if (d < kMinDay || d > kMaxDay) return fail(pb, field, "instant outside 1970-2199");
  return true;
}

/// Checks every field lien reads and fills `s`; false with the first rule broken.
bool parse_statement(object root, const Calendar& cal, const HotCache& known_regs, Statement& s, Problem& pb) {
  enum { kId, kActor, kVerb, kObject, kResult, kContext, kTimestamp, kStored, kCount };
  element el[kCount];
  unsigned seen = 0;
  for (const auto& kv : root) {
    const std::string_view k = kv.key;
    int i = -1;
    switch (k.size()) {
      case 2: i = is(k, "id") ? kId : -1; break;
      case 4: i = is(k, "verb") ? kVerb : -1; break;
      case 5: i = is(k, "actor") ? kActor : -1; break;
      case 6: i = is(k, "object") ? kObject : is(k, "result") ? kResult : is(k, "stored") ? kStored : -1; break;
      case 7: i = is(k, "context") ? kContext : -1; break;
      case 9: i = is(k, "timestamp") ? kTimestamp : -1; break;
      default: break;
    }
    if (i < 0) continue;
    if (seen & (1u << i)) return fail(pb, std::string(k), "property appears more than once");
    seen |= 1u << i;
    el[i] = kv.value;
  }
  auto has = [&](int i) { return (seen & (1u << i)) != 0; };
  if (has(kId)) {
    std::string_view id;
    if (!get_string(el[kId], id) || !xapi::parse_uuid(id, s.id)) return fail(pb, "id", "statement id must be a UUID");
    s.has_id = true;
  }
  // Actor.
  if (!has(kActor)) return fail(pb, "actor", "missing: every statement has an actor");
  bool group = false, identified = false;
  if (!parse_agent(el[kActor], "actor", s.actor, group, false, identified, pb)) return false;
  // Verb.
  if (!has(kVerb)) return fail(pb, "verb", "missing: every statement has a verb");
  if (el[kVerb].type() != element_type::OBJECT) return fail(pb, "verb", "must be a JSON object");
  {
    element vid;
    bool have = false;
    for (const auto& kv : as_obj(el[kVerb])) {
      if (!is(kv.key, "id")) continue;
      if (have) return fail(pb, "verb.id", "property appears more than once");
      have = true;
      vid = kv.value;
    }
    if (!have) return fail(pb, "verb.id", "missing: a verb has an id");
    if (!get_string(vid, s.verb) || !xapi::is_iri(s.verb)) return fail(pb, "verb.id", "verb id must be an IRI");
    s.voiding = s.verb == xapi::kVoidedVerb;
  }
  // Object.
  if (!has(kObject)) return fail(pb, "object", "missing: every statement has an object");
  const element obj = el[kObject];
  if (obj.type() != element_type::OBJECT) return fail(pb, "object", "must be a JSON object");
  {
    std::string_view type = "Activity";
    bool have_type = false;
    for (const auto& kv : as_obj(obj)) {
      if (!is(kv.key, "objectType")) continue;
      if (have_type) return fail(pb, "object.objectType", "property appears more than once");
      have_type = true;
      if (!get_string(kv.value, type)) type = {};
    }
    if (type == "Activity") s.object_type = ObjectType::activity;
    else if (type == "Agent") s.object_type = ObjectType::agent;
    else if (type == "Group") s.object_type = ObjectType::group;
    else if (type == "StatementRef") s.object_type = ObjectType::statement_ref;
    else if (type == "SubStatement") s.object_type = ObjectType::sub_statement;
    else
      return fail(pb, "object.objectType", "objectType must be Activity, Agent, Group, StatementRef or SubStatement");
    if (s.voiding && s.object_type != ObjectType::statement_ref)
      return fail(pb, "object.objectType", "a voiding statement (verb voided) must have a StatementRef object");
    switch (s.object_type) {
      case ObjectType::activity:
        if (!parse_activity(obj, JsonPath{"object"}, false, s.object_id, s.object_def_type, s.object_name, pb))
          return false;
        break;
      case ObjectType::agent:
      case ObjectType::group:
        if (!parse_agent(obj, "object", s.object_agent, group, true, s.object_identified, pb)) return false;
        break;
      case ObjectType::statement_ref: {
        element rid;
        bool have = false;
        for (const auto& kv : as_obj(obj)) {
          if (!is(kv.key, "id")) continue;
          if (have) return fail(pb, "object.id", "property appears more than once");
          have = true;
          rid = kv.value;
        }
        std::string_view t;
        if (!have) return fail(pb, "object.id", "missing: a StatementRef has the id of a statement");
        if (!get_string(rid, t) || !xapi::parse_uuid(t, s.ref)) return fail(pb, "object.id", "a StatementRef id must be a UUID");
        break;
      }
      case ObjectType::sub_statement: break;  // read by nothing in lien; strict mode checks its shape
    }
  }
  if (has(kResult) && !parse_result(el[kResult], s, pb)) return false;
  if (has(kContext) && !parse_context(el[kContext], known_regs, s, pb)) return false;
  // Time: timestamp, else the LRS's stored time (an LRS sets timestamp = stored when a statement lacks one).
  if (has(kTimestamp)) {
    if (!parse_time(el[kTimestamp], "timestamp", cal, s.time, pb)) return false;
    if (has(kStored)) {
      Time stored;
      if (!parse_time(el[kStored], "stored", cal, stored, pb)) return false;
    }
  } else if (has(kStored)) {
    if (!parse_time(el[kStored], "stored", cal, s.time, pb)) return false;
  } else if (!s.voiding) {
    return fail(pb, "timestamp", "missing, and no stored time to fall back on");
  }
  return true;
}

// ---- the reader ---------------------------------------------------------------------------------------------

enum class State : std::uint8_t { event, rejected, voiding, voided };

/// One statement after pass 1. Ids index the reader's own string table (`names_`).
struct Pending {
  std::uint64_t index = 0;
  Time time = 0;
  Id learner = kNoId;
  Id actor = kNoId;
  Id object = kNoId;
  Id aux = kNoId;       ///< rejected: problem; voiding: position in voids_; event: verb IRI in other_verbs_
  Id course = kNoId;    ///< inference: the statement's own course (a path id)
  Id reg = kNoId;       ///< inference: the registration (position in reg_ids_)
  Id fallback = kNoId;  ///< inference: first grouping activity (non-cmi5 statements)
  float score = kNaN;
  float duration = kNaN;
  std::uint32_t count = 1;
  Verb verb = Verb::other;
  ObjectKind kind = ObjectKind::none;
  Tri success = Tri::unknown, completion = Tri::unknown;
  State state = State::event;
};

class Reader {
 public:
  Reader(CohortBuilder& b, std::string_view text, const std::string& source, const ReadOptions& options)
      : b_(b), text_(text), source_name_(source), strict_(options.strict) {
    src_ = b_.source(source);
    stats_.mapping = b_.declared_person_count() > 0;
  }

  XapiReadStats run() {
    pending_.reserve(text_.size() / 600 + 16);  // statements are rarely shorter than 600 bytes
    split();
    apply_voiding();
    if (!stats_.mapping) infer();
    emit();
    return std::move(stats_);
  }

 private:
  // ---- pass 1: split and parse ------------------------------------------------------------------------------

  [[noreturn]] void parse_error(std::size_t offset, const std::string& what) const {
    throw ParseError(source_name_ + ": byte " + std::to_string(offset) + ": " + what);
  }

  static bool is_ws(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

  void split() {
    std::size_t p = 0;
    const std::size_t n = text_.size();
    if (n >= 3 && static_cast<unsigned char>(text_[0]) == 0xEF && static_cast<unsigned char>(text_[1]) == 0xBB &&
        static_cast<unsigned char>(text_[2]) == 0xBF)
      p = 3;
    std::size_t q = p;
    while (q < n && is_ws(text_[q])) ++q;
    if (q == n) return;  // nothing but blanks: no statement
    if (text_[q] == '[') split_array(q);
    else if (text_[q] == '{') split_ndjson(p);
    else parse_error(q, "not xAPI JSON: expected a JSON array of statements or one statement per line");
  }

  void split_ndjson(std::size_t start) {
    const std::size_t n = text_.size();
    std::uint64_t line = 1;
    bool first = true;
    for (std::size_t p = start; p < n;) {
      const void* nl = std::memchr(text_.data() + p, '\n', n - p);
      const std::size_t end = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - text_.data()) : n;
      std::size_t e = end;
      if (e > p && text_[e - 1] == '\r') --e;
      std::size_t b = p;
      while (b < e && (text_[b] == ' ' || text_[b] == '\t')) ++b;
      if (b < e) {
        if (first && single_document(b)) return;
        first = false;
        statement(b, e - b, line);
      }
      p = end + 1;
      ++line;
    }
  }

  /// A file holding one statement spread over several lines (a pretty-printed object) is one statement, not
  /// NDJSON: true when that is the case and the statement was read.
  bool single_document(std::size_t begin) {
    const std::size_t n = text_.size();
    const void* nl = std::memchr(text_.data() + begin, '\n', n - begin);
    if (!nl) return false;
    const std::size_t line_end = static_cast<std::size_t>(static_cast<const char*>(nl) - text_.data());
    element doc;
    if (!parse(begin, line_end - begin, doc)) {
      std::size_t e = n;
      while (e > begin && is_ws(text_[e - 1])) --e;
      if (parse(begin, e - begin, doc) && doc.type() == element_type::OBJECT) {
        statement(begin, e - begin, 1);
        return true;
      }
    }
    return false;
  }

  void split_array(std::size_t open) {
    array_ = true;
    const std::size_t n = text_.size();
    const char* t = text_.data();
    std::size_t p = open + 1;
    std::uint64_t position = 0;
    auto skip_ws = [&] {
      while (p < n && is_ws(t[p])) ++p;
    };
    skip_ws();
    if (p < n && t[p] == ']') {
      ++p;
      skip_ws();
      if (p < n) parse_error(p, "unexpected content after the JSON array");
      return;
    }
    std::vector<char> stack;
    for (;;) {
      skip_ws();
      ++position;
      if (p == n) {
        truncated(position, n, "the file ends before the JSON array is closed: statements may be missing");
        return;
      }
      // Find the end of this element: brackets matched, strings skipped.
      const std::size_t begin = p;
      bool complete = false;
      if (t[p] == '{' || t[p] == '[') {
        stack.clear();
        while (p < n) {
          const char c = t[p];
          if (c == '"') {
            p = skip_string(p);
            if (p == n) break;
            ++p;
            continue;
          }
          if (c == '{' || c == '[') {
            stack.push_back(c == '{' ? '}' : ']');
          } else if (c == '}' || c == ']') {
            const bool match = stack.back() == c;
            stack.pop_back();
            if (!match) stack.clear();  // mismatched bracket: the element ends here, malformed
            if (stack.empty()) {
              ++p;
              complete = true;
              break;
            }
          }
          ++p;
        }
      } else {
        while (p < n && t[p] != ',' && t[p] != ']' && !is_ws(t[p])) {
          if (t[p] == '"') {
            p = skip_string(p);
            if (p == n) break;
          }
          ++p;
        }
        complete = p < n;
      }
      if (!complete) {
        truncated(position, begin, "truncated: the file ends inside this statement");
        return;
      }
      statement(begin, p - begin, position);
      skip_ws();
      if (p == n) {
        truncated(position + 1, n, "the file ends before the JSON array is closed: statements may be missing");
        return;
      }
      if (t[p] == ',') {
        ++p;
        skip_ws();
        if (p < n && t[p] == ']') parse_error(p, "a ',' after the last statement of the array");
        continue;
      }
      if (t[p] == ']') {
        ++p;
        skip_ws();
        if (p < n) parse_error(p, "unexpected content after the JSON array");
        return;
      }
      parse_error(p, "expected ',' or ']' after statement " + std::to_string(position) + " of the array");
    }
  }

  /// Position of the quote closing the string that opens at `p` (n when the text ends first).
  std::size_t skip_string(std::size_t p) const {
    const char* t = text_.data();
    const std::size_t n = text_.size();
    ++p;
    for (;;) {
      const void* q = std::memchr(t + p, '"', n - p);
      if (!q) return n;
      std::size_t e = static_cast<std::size_t>(static_cast<const char*>(q) - t);
      std::size_t backslashes = 0;
      while (e - backslashes > p && t[e - 1 - backslashes] == '\\') ++backslashes;
      if (backslashes % 2 == 0) return e;
      p = e + 1;
    }
  }

  void truncated(std::uint64_t index, std::size_t offset, const char* what) {
    ++stats_.statements;
    Pending& r = pending_.emplace_back();
    r.index = index;
    r.state = State::rejected;
    r.aux = static_cast<Id>(problems_.size());
    problems_.push_back({"", std::string(what) + " (byte " + std::to_string(offset) + ")"});
  }

  /// Parses [begin, begin + len) of the text, in place when the padding simdjson reads past the end is part
  /// of the text, else from a padded copy.
  bool parse(std::size_t begin, std::size_t len, element& doc) {
    const char* p = text_.data() + begin;
    if (text_.size() - (begin + len) < simdjson::SIMDJSON_PADDING) {
      scratch_.assign(p, p + len);
      scratch_.resize(len + simdjson::SIMDJSON_PADDING, ' ');
      p = scratch_.data();
    }
    const auto r = parser_.parse(p, len, false);
    parse_error_ = r.error();
    if (parse_error_) return false;
    doc = r.value_unsafe();
    return true;
  }

  void reject(std::uint64_t index, Problem&& pb) {
    Pending& r = pending_.emplace_back();
    r.index = index;
    r.state = State::rejected;
    r.aux = static_cast<Id>(problems_.size());
    problems_.push_back(std::move(pb));
  }

  void statement(std::size_t begin, std::size_t len, std::uint64_t index) {
    ++stats_.statements;
    element doc;
    if (!parse(begin, len, doc)) {
      std::string why = parse_error_ == simdjson::UTF8_ERROR
                            ? std::string("not valid UTF-8")
                            : std::string("malformed JSON: ") + simdjson::error_message(parse_error_);
      // In an array, broken quotes or brackets may make one statement run into the next ones: say where it
      // was taken to end, so such a loss shows.
      if (array_)
        why += " (bytes " + std::to_string(begin) + "-" + std::to_string(begin + len) + ")";
      reject(index, {"", std::move(why)});
      return;
    }
    if (doc.type() != element_type::OBJECT) {
      reject(index, {"", "a statement must be a JSON object"});
      return;
    }
    const object root = xapi::as_obj(doc);
    Statement s;
    Problem pb;
    if (!parse_statement(root, b_.calendar(), hot_regs_, s, pb) || (strict_ && !xapi::strict_check_statement(root, pb))) {
      reject(index, std::move(pb));
      return;
    }
    Pending r;
    r.index = index;
    if (!map(s, r, pb)) {
      reject(index, std::move(pb));
      return;
    }
    const Id pos = static_cast<Id>(pending_.size());
    if (s.has_id) ids_.push_back({s.id, pos});
    if (s.voiding) {
      r.state = State::voiding;
      r.aux = static_cast<Id>(voids_.size());
      voids_.push_back({s.ref, pos});
    } else if (!stats_.mapping) {
      remember_definitions(s, r);
    }
    pending_.push_back(r);
  }

  // ---- mapping a checked statement onto ids --------------------------------------------------------------

  Id name(std::string_view s) { return names_.intern(s); }
  Id hot_name(HotCache& cache, std::string_view s) {
    std::size_t slot;
    Id id = cache.find(s, slot);
    if (id == kNoId) cache.put(slot, s, id = names_.intern(s));
    return id;
  }

  /// The person an agent denotes: in inference mode its derived learner id, in mapping mode the declared
  /// person it matches (kNoId when none does).
  Id person(const Agent& a) {
    std::size_t slot;
    const Id hot = hot_people_[static_cast<std::size_t>(a.kind)].find(a.value, slot);
    if (hot != kNoId) return hot;
    if (!stats_.mapping && a.kind == Ifi::account && a.value.find('@') == std::string_view::npos) {
      const Id out = name(a.value);  // the common case: the id is the account name, nothing to remember
      set_flag(out, kLearnerFlag, true);
      hot_people_[static_cast<std::size_t>(Ifi::account)].put(slot, a.value, out);
      return out;
    }
    const auto kind = static_cast<std::size_t>(a.kind);
    bool fresh = false;
    const Id k = memo_keys_[kind].intern(a.value, &fresh);
    if (!fresh) {
      if (memo_vals_[kind][k] != kNoId) hot_people_[kind].put(slot, a.value, memo_vals_[kind][k]);
      return memo_vals_[kind][k];
    }
    Id out = kNoId;
    if (stats_.mapping) {
      std::string_view found;
      switch (a.kind) {
        case Ifi::account:
          if (b_.has_person(a.value)) found = a.value;
          else if (a.value.find('@') != std::string_view::npos) found = b_.person_by_email(a.value);
          break;
        case Ifi::mbox: found = b_.person_by_email(a.value); break;
        case Ifi::mbox_sha1sum: found = b_.person_by_mbox_sha1(a.value); break;
        case Ifi::openid:
          if (b_.has_person(a.value)) found = a.value;
          break;
      }
      if (!found.empty()) {
        out = name(found);
        set_flag(out, kLearnerFlag, b_.is_learner(found));
      }
    } else {
      out = name(inferred_id(a));
      set_flag(out, kLearnerFlag, true);
    }
    memo_vals_[kind].push_back(out);
    if (out != kNoId) hot_people_[kind].put(slot, a.value, out);
    return out;
  }

  /// Inference-mode ids: never an e-mail address. mbox and mbox_sha1sum meet on the same id when the mbox
  /// hashes to the given sum (the address is lower-cased first).
  static std::string inferred_id(const Agent& a) {
    switch (a.kind) {
      case Ifi::account:
        if (a.value.find('@') != std::string_view::npos) return "account_sha1:" + to_hex(sha1(a.value));
        return std::string(a.value);
      case Ifi::mbox: return "mbox_sha1:" + to_hex(sha1("mailto:" + lower_ascii(a.value)));
      case Ifi::mbox_sha1sum: return "mbox_sha1:" + lower_ascii(a.value);
      case Ifi::openid: return std::string(a.value);
    }
    return {};
  }

  static const char* no_match_reason(Ifi kind) {
    switch (kind) {
      case Ifi::account: return "no declared learner or stakeholder has this account name as id";
      case Ifi::mbox: return "no declared learner or stakeholder has this e-mail address";
      case Ifi::mbox_sha1sum: return "no declared learner or stakeholder has an e-mail address with this SHA-1 sum";
      case Ifi::openid: return "no declared learner or stakeholder has this openid as id";
    }
    return "";
  }
  static const char* ifi_field(Ifi kind) {
    switch (kind) {
      case Ifi::account: return ".account.name";
      case Ifi::mbox: return ".mbox";
      case Ifi::mbox_sha1sum: return ".mbox_sha1sum";
      case Ifi::openid: return ".openid";
    }
    return "";
  }

  bool resolve(const Agent& a, Id& out, Problem& pb) {
    out = person(a);
    if (out != kNoId) return true;
    return fail(pb, join(a.path, ifi_field(a.kind)), no_match_reason(a.kind));
  }

  /// The path id a course activity names: the activity IRI, or the id inside one of lien's path IRIs.
  Id path_key(std::string_view iri) {
    if (!starts_with(iri, kXapiPathPrefix)) return hot_name(hot_courses_, iri);
    percent_decode(iri.substr(kXapiPathPrefix.size()), key_);
    return name(key_);
  }

  /// The step the builder already declares with this activity IRI (kNoId when none), asked once per IRI.
  Id declared_step(Id k) {
    if (step_memo_.size() <= k) step_memo_.resize(static_cast<std::size_t>(k) + 1, kUnknown);
    if (step_memo_[k] == kUnknown) {
      const std::string_view step = b_.step_by_iri(names_[k]);
      const Id v = step.empty() ? kNoId : name(step);
      if (step_memo_.size() <= k) step_memo_.resize(static_cast<std::size_t>(k) + 1, kUnknown);
      step_memo_[k] = v;
    }
    return step_memo_[k];
  }
  static constexpr Id kUnknown = kNoId - 1;

  /// The resource id of an identified Group object (no personal data: e-mail addresses are hashed).
  std::string group_resource(const Agent& a) const { return "group:" + inferred_id(a); }

  bool map(const Statement& s, Pending& r, Problem& pb) {
    r.time = s.time;
    if (s.voiding) {
      // Voiding statements carry nothing for the cohort: their actor (often the LRS's admin) is not mapped.
      return true;
    }
    std::size_t slot;
    Id v = hot_verbs_.find(s.verb, slot);
    if (v == kNoId) {
      // Verb codes are cached as code + 1 (0 is a valid code, kNoId is "absent"); `other` verbs as
      // kVerbNames.size() + their position in other_verbs_ so the statistics can count each IRI.
      const XapiVerbMapping vm = xapi_verb(s.verb);
      if (vm.verb == Verb::other) {
        bool fresh = false;
        const Id o = other_verbs_.intern(s.verb, &fresh);
        if (fresh) other_known_.push_back(vm.known);
        v = static_cast<Id>(kVerbNames.size()) + o;
      } else {
        v = static_cast<Id>(vm.verb);
      }
      hot_verbs_.put(slot, s.verb, v);
    }
    if (v >= kVerbNames.size()) {
      r.verb = Verb::other;
      r.aux = v - static_cast<Id>(kVerbNames.size());
    } else {
      r.verb = static_cast<Verb>(v);
    }
    r.score = s.score, r.duration = s.duration, r.success = s.success, r.completion = s.completion;
    r.count = s.count;
    // Who: the actor, or the learner the statement is about when the actor is someone else.
    Id actor;
    if (!resolve(s.actor, actor, pb)) return false;
    Id object_person = kNoId;
    if (s.object_type == ObjectType::agent && !resolve(s.object_agent, object_person, pb)) return false;
    if (s.has_learner) {
      Id learner;
      if (!resolve(s.learner, learner, pb)) return false;
      if (!has_flag(learner, kLearnerFlag)) return fail(pb, std::string(s.learner.path), "is not a declared learner");
      r.learner = learner;
      r.actor = actor == learner ? kNoId : actor;
    } else if (has_flag(actor, kLearnerFlag)) {
      r.learner = actor;
    } else if (object_person != kNoId && has_flag(object_person, kLearnerFlag)) {
      r.learner = object_person;
      r.actor = actor;
    } else {
      return fail(pb, "actor",
                  "the actor is a stakeholder, not a learner: name the learner as an Agent object or in the "
                  "lien learner extension");
    }
    // What.
    xapi::ActivityRole object_role = xapi::ActivityRole::step;
    switch (s.object_type) {
      case ObjectType::activity: {
        if (s.object_id == kXapiNoObject) break;
        if (starts_with(s.object_id, kXapiStepPrefix) || starts_with(s.object_id, kXapiResourcePrefix)) {
          const bool step = starts_with(s.object_id, kXapiStepPrefix);
          percent_decode(s.object_id.substr(step ? kXapiStepPrefix.size() : kXapiResourcePrefix.size()), key_);
          if (step && stats_.mapping && !b_.has_step(key_))
            return fail(pb, "object.id", "names a lien step that is not declared");
          r.kind = step ? ObjectKind::step : ObjectKind::resource;
          r.object = name(key_);
          if (step && !stats_.mapping) {
            set_flag(r.object, kActivityFlag, true);
            activity(r.object).iri = name(s.object_id);
          }
          break;
        }
        const Id iri = hot_name(hot_objects_, s.object_id);
        const Id step = declared_step(iri);
        if (step != kNoId) {
          r.kind = ObjectKind::step;
          r.object = step;
        } else if (stats_.mapping) {
          r.kind = ObjectKind::resource;
          r.object = iri;
        } else {
          object_role = xapi::classify_activity_type(s.object_def_type).role;
          const bool is_step = object_role == xapi::ActivityRole::step && s.object_id != s.course;
          r.kind = is_step ? ObjectKind::step : ObjectKind::resource;
          r.object = iri;
          if (is_step) set_flag(r.object, kActivityFlag, true);
        }
        break;
      }
      case ObjectType::agent:
        r.kind = ObjectKind::person;
        r.object = object_person;
        break;
      case ObjectType::group:
        if (s.object_identified) {
          r.kind = ObjectKind::resource;
          r.object = name(group_resource(s.object_agent));
        }
        break;
      case ObjectType::statement_ref:
      case ObjectType::sub_statement: break;
    }
    object_course_ = false;
    if (!stats_.mapping) {
      if (!s.course.empty()) r.course = path_key(s.course);
      if (s.has_registration) {
        r.reg = s.registration_slot;
        if (r.reg == kNoId) {
          r.reg = regs_.insert(s.registration_id, static_cast<Id>(reg_ids_.size()));
          if (r.reg == kNoId) {
            r.reg = static_cast<Id>(reg_ids_.size());
            reg_ids_.push_back(s.registration_id);
            reg_course_.push_back(kNoId);
            if ((r.reg & 63) == 0) reg_known_.push_back(0);
          }
          hot_regs_.put(s.registration_cache_slot, s.registration, r.reg);
        }
      }
      if (!s.cmi5 && !s.grouping.empty()) r.fallback = path_key(s.grouping);
      object_course_ = s.object_type == ObjectType::activity && object_role == xapi::ActivityRole::course;
      if (object_course_ && r.course == kNoId) r.course = path_key(s.object_id);
    }
    return true;
  }

  /// Inference mode: titles and types of activities and courses, and which course each registration
  /// belongs to, from the first accepted statement that says so.
  void remember_definitions(const Statement& s, const Pending& r) {
    // The flags (one byte per name, already in cache from map()) say when there is nothing left to learn,
    // which saves a cache miss on info_ for nearly every statement.
    if (r.kind == ObjectKind::step && !has_flag(r.object, kStepDefined)) {
      auto& info = activity(r.object);
      if (info.type == kNoId && !s.object_def_type.empty()) info.type = types_.intern(s.object_def_type);
      if (info.title == kNoId && !s.object_name.empty()) info.title = titles_.intern(s.object_name);
      if (info.type != kNoId && info.title != kNoId) set_flag(r.object, kStepDefined, true);
    }
    // A course's title: from the context activity, or from the object when the statement is about the course
    // itself (enrolled, satisfied).
    const std::string_view course_title = !s.course.empty() ? s.course_name : object_course_ ? s.object_name : "";
    if (r.course != kNoId && !course_title.empty() && !has_flag(r.course, kTitleDefined)) {
      auto& info = activity(r.course);
      if (info.title == kNoId) info.title = titles_.intern(course_title);
      set_flag(r.course, kTitleDefined, true);
    }
    if (r.fallback != kNoId && !s.grouping_name.empty() && !has_flag(r.fallback, kTitleDefined)) {
      auto& info = activity(r.fallback);
      if (info.title == kNoId) info.title = titles_.intern(s.grouping_name);
      set_flag(r.fallback, kTitleDefined, true);
    }
    if (r.reg != kNoId && r.course != kNoId && !(reg_known_[r.reg >> 6] >> (r.reg & 63) & 1)) {
      reg_course_[r.reg] = r.course;  // the first course named with this registration
      reg_known_[r.reg >> 6] |= std::uint64_t(1) << (r.reg & 63);
    }
  }

  struct ActivityInfo {
    Id iri = kNoId;    ///< the activity IRI when it differs from the step id (lien step IRIs)
    Id type = kNoId;   ///< types_
    Id title = kNoId;  ///< titles_
  };
  ActivityInfo& activity(Id k) {
    if (info_.size() <= k) info_.resize(static_cast<std::size_t>(k) + 1);
    return info_[k];
  }

  static constexpr std::uint8_t kLearnerFlag = 1, kActivityFlag = 2, kStepDefined = 4, kTitleDefined = 8;
  void set_flag(Id k, std::uint8_t f, bool on) {
    if (flags_.size() <= k) flags_.resize(static_cast<std::size_t>(k) + 1, 0);
    if (on) flags_[k] |= f;
    else flags_[k] &= static_cast<std::uint8_t>(~f);
  }
  bool has_flag(Id k, std::uint8_t f) const { return k < flags_.size() && (flags_[k] & f); }

  // ---- pass 2: voiding -------------------------------------------------------------------------------------

  /// Sorts the statement ids (buckets on the high bits, then each bucket) and rejects every statement that
  /// repeats the id of an earlier one. Sorting a list written in order beats a hash table probed at random
  /// for every statement.
  void index_ids() {
    const std::size_t n = ids_.size();
    if (n == 0) return;
    int bits = 0;
    while ((std::size_t(1) << bits) < n / 2 && bits < 24) ++bits;
    std::vector<std::uint32_t> start((std::size_t(1) << bits) + 1, 0);
    auto bucket = [&](const IdPos& x) { return bits == 0 ? std::size_t(0) : static_cast<std::size_t>(x.id.hi >> (64 - bits)); };
    for (const IdPos& x : ids_) ++start[bucket(x) + 1];
    for (std::size_t b = 1; b < start.size(); ++b) start[b] += start[b - 1];
    std::vector<IdPos> sorted(n);
    {
      std::vector<std::uint32_t> next(start.begin(), start.end() - 1);
      for (const IdPos& x : ids_) sorted[next[bucket(x)]++] = x;
    }
    const auto less = [](const IdPos& a, const IdPos& b) {
      return a.id.hi != b.id.hi ? a.id.hi < b.id.hi : a.id.lo != b.id.lo ? a.id.lo < b.id.lo : a.pos < b.pos;
    };
    for (std::size_t b = 0; b + 1 < start.size(); ++b)
      if (start[b + 1] - start[b] > 1) std::sort(sorted.begin() + start[b], sorted.begin() + start[b + 1], less);
    ids_.swap(sorted);
    for (std::size_t i = 1; i < n; ++i) {
      if (!(ids_[i].id == ids_[i - 1].id)) continue;
      std::size_t first = i - 1;
      while (first > 0 && ids_[first - 1].id == ids_[i].id) --first;
      Pending& dup = pending_[ids_[i].pos];
      dup.state = State::rejected;
      dup.aux = static_cast<Id>(problems_.size());
      problems_.push_back(
          {"id", "duplicate statement id (first at index " + std::to_string(pending_[ids_[first].pos].index) + ")"});
    }
  }

  /// The pending record of the first accepted statement with id `u` (kNoId when none).
  Id find_id(const Uuid& u) const {
    const auto it = std::lower_bound(ids_.begin(), ids_.end(), u, [](const IdPos& a, const Uuid& b) {
      return a.id.hi != b.hi ? a.id.hi < b.hi : a.id.lo < b.lo;
    });
    return it != ids_.end() && it->id == u ? it->pos : kNoId;
  }

  void apply_voiding() {
    index_ids();
    for (const auto& [target, pos] : voids_) {
      Pending& v = pending_[pos];
      if (v.state != State::voiding) continue;  // itself rejected (a duplicate id)
      const Id t = find_id(target);
      if (t == kNoId) continue;  // not in this text (voided elsewhere, or rejected here): nothing to remove
      if (pending_[t].state == State::voiding || t == pos) {
        v.state = State::rejected;
        v.aux = static_cast<Id>(problems_.size());
        problems_.push_back({"object.id", "a voiding statement cannot be voided"});
        continue;
      }
      pending_[t].state = State::voided;
    }
  }

  // ---- pass 3: inference and hand-over ---------------------------------------------------------------------

  /// The path of an event statement (inference mode): its own course, else the course its registration's
  /// statements name, else its first grouping activity, else its registration, else the default path.
  Id path_of(const Pending& r) {
    if (r.course != kNoId) return r.course;
    if (r.reg != kNoId && reg_course_[r.reg] != kNoId) return reg_course_[r.reg];
    if (r.fallback != kNoId) return r.fallback;
    if (r.reg != kNoId) {
      // "registration:" + the UUID in lower case.
      static constexpr char kHex[] = "0123456789abcdef";
      const Uuid& u = reg_ids_[r.reg];
      key_.assign(kRegistrationPrefix);
      for (int i = 0, nibble = 0; i < 36; ++i) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
          key_ += '-';
          continue;
        }
        const std::uint64_t half = nibble < 16 ? u.hi : u.lo;
        key_ += kHex[(half >> (60 - 4 * (nibble % 16))) & 15];
        ++nibble;
      }
      return name(key_);
    }
    return name(kDefaultPath);
  }

  void infer() {
    std::vector<Id> people, paths, steps;
    std::vector<std::uint64_t> person_ref, path_ref, step_ref;
    std::vector<Id> step_path;
    struct Enrol {
      Id learner, path;
      Time start;
      std::uint64_t ref;
    };
    std::vector<Enrol> enrolments;
    U64Map enrol_index;
    std::vector<char> seen(names_.size() + 1, 0);  // bit 1 person, 2 path, 4 step
    auto mark = [&](Id k, char bit) {
      if (seen.size() <= k) seen.resize(static_cast<std::size_t>(k) + 1, 0);
      const bool fresh = !(seen[k] & bit);
      seen[k] |= bit;
      return fresh;
    };
    for (Pending& r : pending_) {
      if (r.state != State::event) continue;
      const Id path = path_of(r);
      r.course = path;  // from here on, `course` holds the resolved path
      for (Id p : {r.learner, r.actor, r.kind == ObjectKind::person ? r.object : kNoId})
        if (p != kNoId && mark(p, 1)) people.push_back(p), person_ref.push_back(r.index);
      if (mark(path, 2)) paths.push_back(path), path_ref.push_back(r.index);
      if (r.kind == ObjectKind::step && has_flag(r.object, kActivityFlag) && mark(r.object, 4))
        steps.push_back(r.object), step_ref.push_back(r.index), step_path.push_back(path);
      const std::uint64_t key = (static_cast<std::uint64_t>(r.learner) << 32) | path;
      bool fresh = false;
      const std::uint32_t at = enrol_index.get_or_insert(key, static_cast<std::uint32_t>(enrolments.size()), fresh);
      if (fresh) {
        enrolments.push_back({r.learner, path, r.time, r.index});
      } else {
        Enrol& e = enrolments[at];
        e.start = std::min(e.start, r.time);
      }
    }
    auto ref = [&](std::uint64_t index) { return RecordRef{src_, index, true}; };
    for (std::size_t i = 0; i < people.size(); ++i) {
      const std::string_view id = names_[people[i]];
      if (b_.has_person(id)) continue;
      LearnerRecord rec;
      rec.id = id;
      if (b_.add_learner(rec, ref(person_ref[i]))) ++stats_.learners;
    }
    for (std::size_t i = 0; i < paths.size(); ++i) {
      const std::string_view id = names_[paths[i]];
      if (b_.has_path(id)) continue;
      PathRecord rec;
      rec.id = id;
      rec.title = title(paths[i]);
      if (b_.add_path(rec, ref(path_ref[i]))) ++stats_.paths;
    }
    for (std::size_t i = 0; i < steps.size(); ++i) {
      const std::string_view id = names_[steps[i]];
      if (b_.has_step(id)) continue;
      StepRecord rec;
      rec.path = names_[step_path[i]];
      rec.id = id;
      rec.title = title(steps[i]);
      const ActivityInfo* info = steps[i] < info_.size() ? &info_[steps[i]] : nullptr;
      rec.kind = info && info->type != kNoId ? xapi::classify_activity_type(types_[info->type]).kind
                                             : StepKind::elearning;
      rec.activity_iri = info && info->iri != kNoId ? names_[info->iri] : id;
      if (b_.add_step(rec, ref(step_ref[i]))) ++stats_.steps;
    }
    std::string eid;
    for (const Enrol& e : enrolments) {
      eid.assign(names_[e.learner]);
      eid += '@';
      eid.append(names_[e.path]);
      if (b_.has_enrolment(eid)) continue;
      EnrolmentRecord rec;
      rec.id = eid;
      rec.learner = names_[e.learner];
      rec.path = names_[e.path];
      rec.start = e.start;
      rec.outcome = Outcome::active;
      if (b_.add_enrolment(rec, ref(e.ref))) ++stats_.enrolments;
    }
  }

  std::string_view title(Id k) const {
    if (k < info_.size() && info_[k].title != kNoId) return titles_[info_[k].title];
    return {};
  }

  void emit() {
    std::vector<std::uint64_t> other_counts(other_verbs_.size(), 0);
    for (const Pending& r : pending_) {
      const RecordRef ref{src_, r.index};
      switch (r.state) {
        case State::rejected: {
          Problem& pb = problems_[r.aux];
          b_.reject(ref, std::move(pb.field), std::move(pb.reason));
          ++stats_.rejected;
          break;
        }
        case State::voiding:
          b_.accept_without_record(ref);
          ++stats_.accepted, ++stats_.voiding;
          break;
        case State::voided:
          b_.accept_without_record(ref);
          ++stats_.accepted, ++stats_.voided;
          break;
        case State::event: {
          EventRecord e;
          e.learner = names_[r.learner];
          e.time = r.time;
          e.verb = r.verb;
          e.object_kind = r.kind;
          if (r.object != kNoId) e.object = names_[r.object];
          if (r.actor != kNoId) e.actor = names_[r.actor];
          e.score = r.score;
          e.success = r.success;
          e.completion = r.completion;
          e.duration = r.duration;
          e.count = r.count;
          if (b_.add_event(e, ref)) {
            ++stats_.accepted, ++stats_.events;
            ++stats_.events_by_verb[static_cast<std::size_t>(r.verb)];
            if (r.verb == Verb::other && r.aux != kNoId) ++other_counts[r.aux];
          } else {
            ++stats_.rejected;
          }
          break;
        }
      }
    }
    if (stats_.voided) b_.count_voided(stats_.voided);
    for (Id v = 0; v < other_verbs_.size(); ++v)
      if (other_counts[v]) stats_.other_verbs.push_back({std::string(other_verbs_[v]), other_counts[v], other_known_[v] != 0});
    std::sort(stats_.other_verbs.begin(), stats_.other_verbs.end(), [](const auto& a, const auto& b) {
      return a.statements != b.statements ? a.statements > b.statements : a.iri < b.iri;
    });
  }

  CohortBuilder& b_;
  std::string_view text_;
  const std::string& source_name_;
  bool strict_;
  bool array_ = false;
  bool object_course_ = false;  // map(): the statement's object is a course activity
  std::uint32_t src_ = 0;
  XapiReadStats stats_;

  simdjson::dom::parser parser_;
  simdjson::error_code parse_error_ = simdjson::SUCCESS;
  std::vector<char> scratch_;

  std::vector<Pending> pending_;
  std::vector<Problem> problems_;
  struct IdPos {
    Uuid id;
    Id pos;
  };
  std::vector<IdPos> ids_;  // accepted statements' ids; sorted by index_ids() after pass 1
  std::vector<std::pair<Uuid, Id>> voids_;

  Interner names_;  // every id and IRI the statements name
  std::vector<std::uint8_t> flags_;
  std::vector<ActivityInfo> info_;
  StringTable types_, titles_;
  StringTable other_verbs_;
  std::vector<char> other_known_;
  HotCache hot_people_[4], hot_objects_, hot_courses_, hot_verbs_, hot_regs_;
  Interner memo_keys_[4];  // per kind of identifier: the value -> the person it denotes
  std::vector<Id> memo_vals_[4];
  std::vector<Id> step_memo_;
  UuidIndex regs_;                // registration -> position in reg_ids_
  std::vector<Uuid> reg_ids_;
  std::vector<Id> reg_course_;    // the course a registration's statements name (kNoId: none yet)
  std::vector<std::uint64_t> reg_known_;  // bit per registration: reg_course_ is set
  std::string key_;
};

std::string base_name(const std::string& path) {
  const std::size_t slash = path.find_last_of("/\\");
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string read_file_text(const std::string& file) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) throw NotFound("xAPI file not found: " + file);
  if (std::filesystem::is_directory(file, ec))
    throw InvalidArgument(file + " is a folder, not an xAPI file (read_data reads folders as CSV tables)");
  std::ifstream in(file, std::ios::binary);
  if (!in) throw IoError("cannot open " + file);
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size < 0) throw IoError("cannot read " + file);
  in.seekg(0, std::ios::beg);
  std::string text(static_cast<std::size_t>(size), '\0');
  if (size > 0 && !in.read(&text[0], size)) throw IoError("cannot read " + file);
  return text;
}

}  // namespace

XapiReadStats read_xapi(CohortBuilder& builder, std::string_view text, const std::string& source,
                        const ReadOptions& options) {
  Reader reader(builder, text, source, options);
  return reader.run();
}

void read_xapi_text(CohortBuilder& builder, const std::string& text, const std::string& source,
                    const ReadOptions& options) {
  read_xapi(builder, text, source, options);
}

ReadResult read_xapi_file(const std::string& file, const ReadOptions& options) {
  const std::string text = read_file_text(file);
  CohortBuilder builder;
  read_xapi(builder, text, base_name(file), options);
  ReadResult result;
  result.cohort = builder.build(result.report);
  return result;
}

LIEN_END_NAMESPACE
