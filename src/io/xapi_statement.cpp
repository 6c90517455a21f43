// xapi_statement.cpp — the checks of the fields lien reads in an xAPI statement (xapi_statement.hpp).
#include "xapi_statement.hpp"

#include <cmath>
#include <string>

#include "lien/core/time.hpp"
#include "lien/io/xapi.hpp"

LIEN_BEGIN_NAMESPACE
namespace xapi {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

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

}  // namespace

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

}  // namespace xapi
LIEN_END_NAMESPACE
