// xapi_strict.cpp — strict mode: the whole statement checked against xAPI 1.0.3 (ReadOptions::strict).
//
// The default reader checks the fields lien reads; strict mode adds the rest of the data model: no property
// outside the specification, every object's shape (Agents, Groups, Activities and their definitions,
// interaction components, StatementRefs, SubStatements, attachments), language maps keyed by RFC 5646 tags,
// extension keys as IRIs, the version, and the context properties only an Activity object may carry. It runs
// after the default checks, so a statement breaking both gets the default check's reason. docs/xapi.md
// lists the scope; what strict mode does not check is written there too.
#include <algorithm>
#include <cstring>
#include <initializer_list>
#include <string>
#include <vector>

#include "xapi_internal.hpp"

LIEN_BEGIN_NAMESPACE
namespace xapi {
namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

class Strict {
 public:
  explicit Strict(Problem& out) : out_(out) {}

  bool statement(object st) {
    if (!only(st, {"id", "actor", "verb", "object", "result", "context", "timestamp", "stored", "authority",
                   "version", "attachments"}))
      return false;
    bool object_is_activity = true;
    for (const auto& kv : st) {
      Scope s(*this, kv.key, true);
      const std::string_view k = kv.key;
      if (k == "actor") {
        if (!agent_or_group(kv.value, false)) return false;
      } else if (k == "verb") {
        if (!verb(kv.value)) return false;
      } else if (k == "object") {
        if (!statement_object(kv.value, false, object_is_activity)) return false;
      } else if (k == "result") {
        if (!result(kv.value)) return false;
      } else if (k == "timestamp" || k == "stored") {
        if (!timestamp(kv.value)) return false;
      } else if (k == "authority") {
        if (!agent_or_group(kv.value, true)) return false;
      } else if (k == "version") {
        std::string_view v;
        if (!str(kv.value, v) || !version(v)) return fail("version must be 1.0 or 1.0.x");
      } else if (k == "attachments") {
        if (!attachments(kv.value)) return false;
      }
    }
    for (const auto& kv : st) {
      if (kv.key != "context") continue;
      Scope s(*this, kv.key, true);
      if (!context(kv.value, object_is_activity)) return false;
    }
    return true;
  }

 private:
  /// Appends a path segment for the lifetime of the scope (".key", or "[i]").
  struct Scope {
    Scope(Strict& s, std::string_view key, bool dot) : s_(s), size_(s.path_.size()) {
      if (dot && !s.path_.empty()) s.path_ += '.';
      s.path_.append(key);
    }
    Scope(Strict& s, std::size_t index) : s_(s), size_(s.path_.size()) {
      s.path_ += '[';
      s.path_ += std::to_string(index);
      s.path_ += ']';
    }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;
    ~Scope() { s_.path_.resize(size_); }
    Strict& s_;
    std::size_t size_;
  };
  struct KeyScope {  // ["key"] for extension keys and language tags
    KeyScope(Strict& s, std::string_view key) : s_(s), size_(s.path_.size()) {
      s.path_ += "[\"";
      s.path_.append(key);
      s.path_ += "\"]";
    }
    KeyScope(const KeyScope&) = delete;
    KeyScope& operator=(const KeyScope&) = delete;
    ~KeyScope() { s_.path_.resize(size_); }
    Strict& s_;
    std::size_t size_;
  };

  bool fail(const char* reason) {
    out_.field = path_;
    out_.reason = reason;
    return false;
  }

  static bool str(element e, std::string_view& out) {
    if (e.type() != element_type::STRING) return false;
    out = e.get_string().value_unsafe();
    return true;
  }

  /// Every key of `o` is in `keys` (and appears once).
  bool only(object o, std::initializer_list<std::string_view> keys) {
    std::uint64_t seen = 0;
    for (const auto& kv : o) {
      std::size_t i = 0;
      for (std::string_view k : keys) {
        if (k == kv.key) break;
        ++i;
      }
      if (i == keys.size()) {
        Scope s(*this, kv.key, true);
        return fail("property not defined by xAPI 1.0.3");
      }
      if (seen & (std::uint64_t(1) << i)) {
        Scope s(*this, kv.key, true);
        return fail("property appears more than once");
      }
      seen |= std::uint64_t(1) << i;
    }
    return true;
  }

  bool as_object(element e, object& o) {
    if (e.type() != element_type::OBJECT) return fail("must be a JSON object");
    o = as_obj(e);
    return true;
  }

  static bool version(std::string_view v) {
    if (v.size() < 3 || v.compare(0, 3, "1.0") != 0) return false;
    if (v.size() == 3) return true;
    if (v[3] != '.' || v.size() == 4) return false;
    for (std::size_t i = 4; i < v.size(); ++i)
      if (v[i] < '0' || v[i] > '9') return false;
    return true;
  }

  bool timestamp(element e) {
    std::string_view t;
    if (!str(e, t)) return fail("must be an ISO 8601 timestamp string");
    if (t.size() > 10 && t[10] != 'T') return fail("date and time must be separated by 'T'");
    return true;
  }

  bool language_map(element e) {
    object o;
    if (!as_object(e, o)) return false;
    if (!only_unique(o)) return false;
    for (const auto& kv : o) {
      KeyScope s(*this, kv.key);
      if (!is_language_tag(kv.key)) return fail("language map keys must be RFC 5646 language tags");
      if (kv.value.type() != element_type::STRING) return fail("must be a string");
    }
    return true;
  }

  bool only_unique(object o) {
    // Keys of maps (language maps, extensions): no key twice.
    std::vector<std::string_view>& keys = keys_buffer_;
    keys.clear();
    for (const auto& kv : o) keys.push_back(kv.key);
    std::sort(keys.begin(), keys.end());
    for (std::size_t i = 1; i < keys.size(); ++i)
      if (keys[i] == keys[i - 1]) {
        KeyScope s(*this, keys[i]);
        return fail("property appears more than once");
      }
    return true;
  }

  bool extensions(element e) {
    object o;
    if (!as_object(e, o)) return false;
    if (!only_unique(o)) return false;
    for (const auto& kv : o) {
      KeyScope s(*this, kv.key);
      if (!is_iri(kv.key)) return fail("extension keys must be IRIs");
    }
    return true;
  }

  bool agent(element e) {
    object o;
    if (!as_object(e, o)) return false;
    if (!only(o, {"objectType", "name", "mbox", "mbox_sha1sum", "openid", "account"})) return false;
    int ifis = 0;
    for (const auto& kv : o) {
      Scope s(*this, kv.key, true);
      std::string_view v, address;
      const std::string_view k = kv.key;
      if (k == "objectType") {
        if (!str(kv.value, v) || v != "Agent") return fail("objectType must be Agent");
      } else if (k == "name") {
        if (!str(kv.value, v)) return fail("must be a string");
      } else if (k == "mbox") {
        ++ifis;
        if (!str(kv.value, v) || !parse_mailto(v, address)) return fail("mbox must be a mailto: IRI with one e-mail address");
      } else if (k == "mbox_sha1sum") {
        ++ifis;
        if (!str(kv.value, v) || !is_sha1_hex(v)) return fail("mbox_sha1sum must be 40 hexadecimal digits");
      } else if (k == "openid") {
        ++ifis;
        if (!str(kv.value, v) || !is_iri(v)) return fail("openid must be an IRI");
      } else if (k == "account") {
        ++ifis;
        if (!account(kv.value)) return false;
      }
    }
    if (ifis != 1) return fail("an Agent has exactly one of mbox, mbox_sha1sum, openid or account");
    return true;
  }

  bool account(element e) {
    object o;
    if (!as_object(e, o)) return false;
    if (!only(o, {"homePage", "name"})) return false;
    int n = 0;
    for (const auto& kv : o) {
      Scope s(*this, kv.key, true);
      std::string_view v;
      if (!str(kv.value, v)) return fail("must be a string");
      if (kv.key == "homePage" && !is_iri(v)) return fail("homePage must be an IRI");
      if (kv.key == "name" && v.empty()) return fail("account name must be a non-empty string");
      ++n;
    }
    if (n != 2) return fail("an account has a homePage and a name");
    return true;
  }

  bool group(object o) {
    if (!only(o, {"objectType", "name", "member", "mbox", "mbox_sha1sum", "openid", "account"})) return false;
    int ifis = 0;
    bool members = false;
    for (const auto& kv : o) {
      Scope s(*this, kv.key, true);
      std::string_view v, address;
      const std::string_view k = kv.key;
      if (k == "name") {
        if (!str(kv.value, v)) return fail("must be a string");
      } else if (k == "member") {
        members = true;
        if (kv.value.type() != element_type::ARRAY) return fail("must be an array of Agents");
        std::size_t i = 0;
        for (element m : as_arr(kv.value)) {
          Scope si(*this, i++);
          if (!agent(m)) return false;
        }
      } else if (k == "mbox") {
        ++ifis;
        if (!str(kv.value, v) || !parse_mailto(v, address)) return fail("mbox must be a mailto: IRI with one e-mail address");
      } else if (k == "mbox_sha1sum") {
        ++ifis;
        if (!str(kv.value, v) || !is_sha1_hex(v)) return fail("mbox_sha1sum must be 40 hexadecimal digits");
      } else if (k == "openid") {
        ++ifis;
        if (!str(kv.value, v) || !is_iri(v)) return fail("openid must be an IRI");
      } else if (k == "account") {
        ++ifis;
        if (!account(kv.value)) return false;
      }
    }
    if (ifis > 1) return fail("a Group has at most one of mbox, mbox_sha1sum, openid or account");
    if (ifis == 0 && !members) return fail("an anonymous Group must list its members");
    return true;
  }

  /// Actor, authority, instructor: an Agent or a Group. `authority`: a Group must be the two-agent OAuth form.
  bool agent_or_group(element e, bool authority) {
    object o;
    if (!as_object(e, o)) return false;
    std::string_view type = "Agent";
    for (const auto& kv : o)
      if (kv.key == "objectType" && !str(kv.value, type)) type = {};
    if (type == "Group") {
      if (!group(o)) return false;
      if (authority) {
        for (const auto& kv : o)
          if (kv.key == "member" && as_arr(kv.value).size() != 2)
            return fail("an authority Group has exactly two members (OAuth consumer and user)");
      }
      return true;
    }
    if (type != "Agent") {
      Scope s(*this, "objectType", true);
      return fail("objectType must be Agent or Group");
    }
    return agent(e);
  }

  bool verb(element e) {
    object o;
    if (!as_object(e, o)) return false;
    if (!only(o, {"id", "display"})) return false;
    bool id = false;
    for (const auto& kv : o) {
      Scope s(*this, kv.key, true);
      std::string_view v;
      if (kv.key == "id") {
        id = true;
        if (!str(kv.value, v) || !is_iri(v)) return fail("verb id must be an IRI");
      } else if (!language_map(kv.value)) {
        return false;
      }
    }
    if (!id) return fail("a verb has an id");
    return true;
  }

  bool statement_ref(object o) {
    if (!only(o, {"objectType", "id"})) return false;
    for (const auto& kv : o) {
      if (kv.key != "id") continue;
      Scope s(*this, kv.key, true);
      std::string_view v;
      Uuid u;
      if (!str(kv.value, v) || !parse_uuid(v, u)) return fail("a StatementRef id must be a UUID");
      return true;
    }
    return fail("a StatementRef has the id of a statement");
  }

  bool interaction_components(element e) {
    if (e.type() != element_type::ARRAY) return fail("must be an array of interaction components");
    std::size_t i = 0;
    for (element c : as_arr(e)) {
      Scope si(*this, i++);
      object o;
      if (!as_object(c, o)) return false;
      if (!only(o, {"id", "description"})) return false;
      bool id = false;
      for (const auto& kv : o) {
        Scope s(*this, kv.key, true);
        std::string_view v;
        if (kv.key == "id") {
          id = true;
          if (!str(kv.value, v) || v.empty()) return fail("an interaction component id is a non-empty string");
        } else if (!language_map(kv.value)) {
          return false;
        }
      }
      if (!id) return fail("an interaction component has an id");
    }
    return true;
  }

  bool definition(element e) {
    object o;
    if (!as_object(e, o)) return false;
    if (!only(o, {"name", "description", "type", "moreInfo", "extensions", "interactionType",
                  "correctResponsesPattern", "choices", "scale", "source", "target", "steps"}))
      return false;
    for (const auto& kv : o) {
      Scope s(*this, kv.key, true);
      const std::string_view k = kv.key;
      std::string_view v;
      if (k == "name" || k == "description") {
        if (!language_map(kv.value)) return false;
      } else if (k == "type" || k == "moreInfo") {
        if (!str(kv.value, v) || !is_iri(v)) return fail("must be an IRI");
      } else if (k == "extensions") {
        if (!extensions(kv.value)) return false;
      } else if (k == "interactionType") {
        static constexpr std::string_view kTypes[] = {"true-false", "choice",     "fill-in", "long-fill-in",
                                                      "matching",   "performance", "sequencing", "likert",
                                                      "numeric",    "other"};
        bool ok = str(kv.value, v);
        if (ok) {
          ok = false;
          for (std::string_view t : kTypes) ok |= t == v;
        }
        if (!ok) return fail("interactionType must be one of the xAPI interaction types");
      } else if (k == "correctResponsesPattern") {
        if (kv.value.type() != element_type::ARRAY) return fail("must be an array of strings");
        for (element x : as_arr(kv.value))
          if (x.type() != element_type::STRING) return fail("must be an array of strings");
      } else if (!interaction_components(kv.value)) {
        return false;
      }
    }
    return true;
  }

  bool activity(element e) {
    object o;
    if (!as_object(e, o)) return false;
    if (!only(o, {"objectType", "id", "definition"})) return false;
    bool id = false;
    for (const auto& kv : o) {
      Scope s(*this, kv.key, true);
      std::string_view v;
      if (kv.key == "objectType") {
        if (!str(kv.value, v) || v != "Activity") return fail("objectType must be Activity");
      } else if (kv.key == "id") {
        id = true;
        if (!str(kv.value, v) || !is_iri(v)) return fail("activity id must be an IRI");
      } else if (!definition(kv.value)) {
        return false;
      }
    }
    if (!id) return fail("an Activity has an id");
    return true;
  }

  bool sub_statement(object o) {
    if (!only(o, {"objectType", "actor", "verb", "object", "result", "context", "timestamp", "attachments"}))
      return false;
    int required = 0;
    bool object_is_activity = true;
    for (const auto& kv : o) {
      Scope s(*this, kv.key, true);
      const std::string_view k = kv.key;
      if (k == "actor") {
        ++required;
        if (!agent_or_group(kv.value, false)) return false;
      } else if (k == "verb") {
        ++required;
        if (!verb(kv.value)) return false;
      } else if (k == "object") {
        ++required;
        if (!statement_object(kv.value, true, object_is_activity)) return false;
      } else if (k == "result") {
        if (!result(kv.value)) return false;
      } else if (k == "timestamp") {
        if (!timestamp(kv.value)) return false;
      } else if (k == "attachments") {
        if (!attachments(kv.value)) return false;
      }
    }
    for (const auto& kv : o) {
      if (kv.key != "context") continue;
      Scope s(*this, kv.key, true);
      if (!context(kv.value, object_is_activity)) return false;
    }
    if (required != 3) return fail("a SubStatement has an actor, a verb and an object");
    return true;
  }

  bool statement_object(element e, bool nested, bool& is_activity) {
    object o;
    if (!as_object(e, o)) return false;
    std::string_view type = "Activity";
    for (const auto& kv : o)
      if (kv.key == "objectType" && !str(kv.value, type)) type = {};
    is_activity = type == "Activity";
    if (type == "Activity") return activity(e);
    if (type == "Agent") return agent(e);
    if (type == "Group") return group(o);
    if (type == "StatementRef") return statement_ref(o);
    if (type == "SubStatement") {
      if (nested) {
        Scope s(*this, "objectType", true);
        return fail("a SubStatement cannot contain a SubStatement");
      }
      return sub_statement(o);
    }
    Scope s(*this, "objectType", true);
    return fail("objectType must be Activity, Agent, Group, StatementRef or SubStatement");
  }

  bool result(element e) {
    object o;
    if (!as_object(e, o)) return false;
    if (!only(o, {"score", "success", "completion", "response", "duration", "extensions"})) return false;
    for (const auto& kv : o) {
      Scope s(*this, kv.key, true);
      const std::string_view k = kv.key;
      if (k == "score") {
        object sc;
        if (!as_object(kv.value, sc)) return false;
        if (!only(sc, {"scaled", "raw", "min", "max"})) return false;
      } else if (k == "response") {
        if (kv.value.type() != element_type::STRING) return fail("must be a string");
      } else if (k == "extensions") {
        if (!extensions(kv.value)) return false;
      }
    }
    return true;
  }

  bool context(element e, bool object_is_activity) {
    object o;
    if (!as_object(e, o)) return false;
    if (!only(o, {"registration", "instructor", "team", "contextActivities", "revision", "platform", "language",
                  "statement", "extensions"}))
      return false;
    for (const auto& kv : o) {
      Scope s(*this, kv.key, true);
      const std::string_view k = kv.key;
      std::string_view v;
      if (k == "instructor") {
        if (!agent_or_group(kv.value, false)) return false;
      } else if (k == "team") {
        object t;
        if (!as_object(kv.value, t)) return false;
        std::string_view type;
        for (const auto& x : t)
          if (x.key == "objectType" && !str(x.value, type)) type = {};
        if (type != "Group") return fail("team must be a Group");
        if (!group(t)) return false;
      } else if (k == "contextActivities") {
        object a;
        if (!as_object(kv.value, a)) return false;
        if (!only(a, {"parent", "grouping", "category", "other"})) return false;
        for (const auto& list : a) {
          Scope sl(*this, list.key, true);
          if (list.value.type() == element_type::OBJECT) {
            if (!activity(list.value)) return false;
            continue;
          }
          if (list.value.type() != element_type::ARRAY) return fail("must be an array of Activities");
          std::size_t i = 0;
          for (element x : as_arr(list.value)) {
            Scope si(*this, i++);
            if (!activity(x)) return false;
          }
        }
      } else if (k == "revision" || k == "platform") {
        if (!str(kv.value, v)) return fail("must be a string");
        if (!object_is_activity) return fail("only a statement whose object is an Activity may carry this property");
      } else if (k == "language") {
        if (!str(kv.value, v) || !is_language_tag(v)) return fail("language must be an RFC 5646 language tag");
      } else if (k == "statement") {
        object r;
        if (!as_object(kv.value, r)) return false;
        std::string_view type;
        for (const auto& x : r)
          if (x.key == "objectType" && !str(x.value, type)) type = {};
        if (type != "StatementRef") return fail("context.statement must be a StatementRef");
        if (!statement_ref(r)) return false;
      } else if (k == "extensions") {
        if (!extensions(kv.value)) return false;
      }
    }
    return true;
  }

  bool attachments(element e) {
    if (e.type() != element_type::ARRAY) return fail("must be an array of attachments");
    std::size_t i = 0;
    for (element a : as_arr(e)) {
      Scope si(*this, i++);
      object o;
      if (!as_object(a, o)) return false;
      if (!only(o, {"usageType", "display", "description", "contentType", "length", "sha2", "fileUrl"})) return false;
      unsigned have = 0;
      for (const auto& kv : o) {
        Scope s(*this, kv.key, true);
        const std::string_view k = kv.key;
        std::string_view v;
        if (k == "usageType" || k == "fileUrl") {
          if (!str(kv.value, v) || !is_iri(v)) return fail("must be an IRI");
          if (k == "usageType") have |= 1;
        } else if (k == "display" || k == "description") {
          if (!language_map(kv.value)) return false;
          if (k == "display") have |= 2;
        } else if (k == "contentType") {
          if (!str(kv.value, v) || v.find('/') == std::string_view::npos) return fail("must be an Internet media type");
          have |= 4;
        } else if (k == "length") {
          const auto t = kv.value.type();
          const bool ok = t == element_type::UINT64 || (t == element_type::INT64 && kv.value.get_int64().value_unsafe() >= 0);
          if (!ok) return fail("must be a non-negative JSON integer");
          have |= 8;
        } else if (k == "sha2") {
          if (!str(kv.value, v) || v.empty()) return fail("must be the SHA-2 hash of the attachment, in hexadecimal");
          for (char c : v)
            if (hex_value(c) < 0) return fail("must be the SHA-2 hash of the attachment, in hexadecimal");
          have |= 16;
        }
      }
      if (have != 31) return fail("an attachment has usageType, display, contentType, length and sha2");
    }
    return true;
  }

  Problem& out_;
  std::string path_;
  std::vector<std::string_view> keys_buffer_;
};

}  // namespace

bool strict_check_statement(simdjson::dom::object statement, Problem& out) {
  Strict s(out);
  return s.statement(statement);
}

}  // namespace xapi
LIEN_END_NAMESPACE
