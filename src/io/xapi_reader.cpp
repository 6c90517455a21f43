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

#include "lien/core/digest.hpp"
#include "lien/core/error.hpp"
#include "lien/io/read.hpp"
#include "lien/io/xapi.hpp"
#include "csv_parser.hpp"
#include "xapi_internal.hpp"
#include "xapi_statement.hpp"
#include "xapi_tables.hpp"

LIEN_BEGIN_NAMESPACE

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;
using namespace xapi;
constexpr std::string_view kDefaultPath = "xapi";
constexpr std::string_view kRegistrationPrefix = "registration:";

// ---- small helpers ------------------------------------------------------------------------------------------

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
  const std::string what = "xapi: reading " + source;
  out_of_memory_as_error(what.c_str(), [&] { read_xapi(builder, text, source, options); });
}

ReadResult read_xapi_file(const std::string& file, const ReadOptions& options) {
  const std::string what = "xapi: reading " + file;
  return out_of_memory_as_error(what.c_str(), [&] {
    const std::string text = read_file_text(file);
    CohortBuilder builder;
    builder.set_pseudonymise_key(options.pseudonymise_key);
    read_xapi(builder, text, base_name(file), options);
    ReadResult result;
    result.cohort = builder.build(result.report);
    return result;
  });
}

ReadResult read_xapi_file_with_tables(const std::string& file, const std::string& tables_dir,
                                      const ReadOptions& options) {
  const std::string what = "xapi: reading " + file;
  return out_of_memory_as_error(what.c_str(), [&] {
    const std::string text = read_file_text(file);
    // The reference tables first: the reader then maps actors, activities and registrations onto them.
    CohortBuilder builder(csv::read_calendar_of(tables_dir));
    builder.set_pseudonymise_key(options.pseudonymise_key);
    csv::read_csv_tables(builder, tables_dir, false);
    read_xapi(builder, text, base_name(file), options);
    ReadResult result;
    result.cohort = builder.build(result.report);
    return result;
  });
}

LIEN_END_NAMESPACE
