// Playbook files: parsing (simdjson DOM), every check with a message naming the rule and the field, merging.
//
// Shape problems (not JSON, missing or repeated field, unknown field, wrong type) are ParseErrors; values lien
// cannot use (unknown action type, feature, signal or role, a condition that can never hold, a duplicate id,
// a number out of range) are InvalidArguments. Both name the playbook, the rule (by id, with its position)
// and the field as a path inside the rule.
#include "lien/act/playbook.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>

#include "lien/core/error.hpp"
#include "lien/features/registry.hpp"
#include "lien/model/people.hpp"

LIEN_BEGIN_NAMESPACE

std::string_view signal_target(Signal s) noexcept {
  switch (s) {
    case Signal::isolated: return "isolated_from_peers";
    case Signal::peer_silence_working_days: return "peer_silence_working_days";
    case Signal::peer_degree:
    case Signal::core_distance:
    case Signal::next_community_event_working_days: return "peer_interactions_28d";
    case Signal::has_manager:
    case Signal::manager_silence_working_days:
    case Signal::manager_contacts_per_month: return "manager_silence_working_days";
    case Signal::has_tutor:
    case Signal::tutor_silence_working_days:
    case Signal::tutor_contacts_per_month: return "tutor_silence_working_days";
    case Signal::weakest_competency_score: return "assessment_mean_score";
    case Signal::next_session_working_days: return "attendance_rate";
    case Signal::risk: return "";
  }
  return "";
}

namespace {

bool is_flag_signal(Signal s) noexcept {
  return s == Signal::isolated || s == Signal::has_manager || s == Signal::has_tutor;
}

bool valid_rule_id(std::string_view id) noexcept {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
          c == '.'))
      return false;
  return true;
}

bool valid_feature_id(std::string_view id) noexcept {
  if (id.empty() || id.size() > 64 || !(id[0] >= 'a' && id[0] <= 'z')) return false;
  for (char c : id)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

// Whether some number in `domain` passes every comparison of `t`: the comparisons define an interval,
// `!=` punches a point out of it.
bool satisfiable(const Test& t, double domain_lo, double domain_hi, bool flag) {
  if (flag) return t.holds(0.0) || t.holds(1.0);
  double lo = domain_lo, hi = domain_hi;
  bool lo_in = std::isfinite(lo), hi_in = std::isfinite(hi);
  for (const Comparison& c : t.all) {
    const double v = c.operand;
    const bool lt = c.op == Comparison::Op::lt, le = c.op == Comparison::Op::le || c.op == Comparison::Op::eq;
    const bool gt = c.op == Comparison::Op::gt, ge = c.op == Comparison::Op::ge || c.op == Comparison::Op::eq;
    if (lt && (v < hi || (v == hi && hi_in))) hi = v, hi_in = false;
    if (le && v < hi) hi = v, hi_in = true;
    if (gt && (v > lo || (v == lo && lo_in))) lo = v, lo_in = false;
    if (ge && v > lo) lo = v, lo_in = true;
  }
  if (lo > hi || (lo == hi && !(lo_in && hi_in))) return false;
  if (lo == hi)
    for (const Comparison& c : t.all)
      if (c.op == Comparison::Op::ne && c.operand == lo) return false;
  return true;
}

const char* type_name(simdjson::dom::element_type t) {
  using T = simdjson::dom::element_type;
  switch (t) {
    case T::ARRAY: return "an array";
    case T::OBJECT: return "an object";
    case T::INT64:
    case T::UINT64:
    case T::DOUBLE: return "a number";
    case T::STRING: return "a string";
    case T::BOOL: return "a boolean";
    case T::NULL_VALUE: return "null";
  }
  return "a value";
}

}  // namespace

// Parses one document into a Playbook. `where` strings name the rule ("rule 'x' (rules[3])") or the document.
struct PlaybookParser {
  using element = simdjson::dom::element;
  using object = simdjson::dom::object;
  using array = simdjson::dom::array;

  std::string source;
  Playbook pb;

  std::string prefix(const std::string& where, const std::string& field) const {
    std::string s = "playbook '" + source + "': ";
    if (!where.empty()) s += where + ": ";
    if (!field.empty()) s += "field '" + field + "': ";
    return s;
  }
  [[noreturn]] void shape(const std::string& where, const std::string& field, const std::string& why) const {
    throw ParseError(prefix(where, field) + why);
  }
  [[noreturn]] void invalid(const std::string& where, const std::string& field, const std::string& why) const {
    throw InvalidArgument(prefix(where, field) + why);
  }

  static std::string join(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : path + "." + std::string(key);
  }

  // The fields of an object, checked against the allowed names and for repetitions.
  std::vector<std::pair<std::string_view, element>> fields(element e, const std::string& where, const std::string& path,
                                                           std::initializer_list<std::string_view> allowed) const {
    if (e.type() != simdjson::dom::element_type::OBJECT)
      shape(where, path, std::string("expected an object, got ") + type_name(e.type()));
    std::vector<std::pair<std::string_view, element>> out;
    for (auto kv : object(e)) {
      for (const auto& seen : out)
        if (seen.first == kv.key) shape(where, join(path, kv.key), "appears twice");
      if (std::find(allowed.begin(), allowed.end(), kv.key) == allowed.end())
        shape(where, join(path, kv.key), "unknown field");
      out.emplace_back(kv.key, kv.value);
    }
    return out;
  }
  static const element* get(const std::vector<std::pair<std::string_view, element>>& f, std::string_view key) {
    for (const auto& kv : f)
      if (kv.first == key) return &kv.second;
    return nullptr;
  }

  std::string text(element e, const std::string& where, const std::string& field) const {
    if (e.type() != simdjson::dom::element_type::STRING)
      shape(where, field, std::string("expected a string, got ") + type_name(e.type()));
    return std::string(std::string_view(e));
  }
  double number(element e, const std::string& where, const std::string& field) const {
    using T = simdjson::dom::element_type;
    switch (e.type()) {
      case T::INT64: return static_cast<double>(int64_t(e));
      case T::UINT64: return static_cast<double>(uint64_t(e));
      case T::DOUBLE: return double(e);
      default: shape(where, field, std::string("expected a number, got ") + type_name(e.type()));
    }
  }
  std::int64_t integer(element e, const std::string& where, const std::string& field, std::int64_t lo,
                       std::int64_t hi) const {
    using T = simdjson::dom::element_type;
    double v;
    if (e.type() == T::INT64) {
      v = static_cast<double>(int64_t(e));
    } else if (e.type() == T::UINT64) {
      v = static_cast<double>(uint64_t(e));
    } else if (e.type() == T::DOUBLE && std::floor(double(e)) == double(e)) {
      v = double(e);
    } else {
      shape(where, field,
            std::string("expected an integer, got ") +
                (e.type() == T::DOUBLE ? "a fractional number" : type_name(e.type())));
    }
    if (v < static_cast<double>(lo) || v > static_cast<double>(hi))
      invalid(where, field, "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
    return static_cast<std::int64_t>(v);
  }
  array list(element e, const std::string& where, const std::string& field) const {
    if (e.type() != simdjson::dom::element_type::ARRAY)
      shape(where, field, std::string("expected an array, got ") + type_name(e.type()));
    return array(e);
  }

  Test test(element e, const std::string& where, const std::string& field) const {
    if (e.type() != simdjson::dom::element_type::OBJECT)
      shape(where, field, std::string("expected an object of comparisons such as {\">=\": 5}, got ") + type_name(e.type()));
    Test t;
    std::vector<std::string_view> seen;
    for (auto kv : object(e)) {
      const std::string f = field + "." + std::string(kv.key);
      if (std::find(seen.begin(), seen.end(), kv.key) != seen.end()) shape(where, f, "appears twice");
      seen.push_back(kv.key);
      const auto op = std::find(kComparisonOps.begin(), kComparisonOps.end(), kv.key);
      if (op == kComparisonOps.end())
        invalid(where, field,
                "bad condition: unknown operator '" + std::string(kv.key) + "' (expected <, <=, >, >=, == or !=)");
      t.all.push_back({static_cast<Comparison::Op>(op - kComparisonOps.begin()), number(kv.value, where, f)});
    }
    if (t.all.empty()) invalid(where, field, "bad condition: no comparison (write e.g. {\">=\": 5})");
    return t;
  }

  Condition condition(element e, const std::string& where, const std::string& path) const {
    const auto f = fields(e, where, path, {"driver", "signal", "value", "contribution", "rank"});
    const element* driver = get(f, "driver");
    const element* signal = get(f, "signal");
    if (driver && signal) invalid(where, path, "bad condition: names both a driver and a signal");
    if (!driver && !signal) shape(where, path, "missing field 'driver' or 'signal'");
    Condition c;
    const element* value = get(f, "value");
    if (driver) {
      c.kind = Condition::Kind::driver;
      c.feature = text(*driver, where, path + ".driver");
      const FeatureInfo* info = find_feature(c.feature);
      const auto& custom = pb.custom_features();
      if (!info && std::find(custom.begin(), custom.end(), c.feature) == custom.end())
        invalid(where, path + ".driver",
                "unknown feature id '" + c.feature + "' (not built in, not listed in custom_features)");
      if (value) c.value = test(*value, where, path + ".value");
      if (const element* x = get(f, "contribution")) {
        c.contribution = test(*x, where, path + ".contribution");
      } else {
        c.contribution.all.push_back({Comparison::Op::gt, 0.0});
      }
      if (const element* x = get(f, "rank")) c.rank = test(*x, where, path + ".rank");
      const bool flag = info && info->format == ValueFormat::flag;
      const double inf = std::numeric_limits<double>::infinity();
      if (!satisfiable(c.value, -inf, inf, flag)) invalid(where, path + ".value", "bad condition: can never hold");
      if (!satisfiable(c.contribution, -inf, inf, false))
        invalid(where, path + ".contribution", "bad condition: can never hold");
      if (!satisfiable(c.rank, 1, inf, false))
        invalid(where, path + ".rank", "bad condition: can never hold (ranks start at 1)");
    } else {
      c.kind = Condition::Kind::signal;
      const std::string name = text(*signal, where, path + ".signal");
      const auto s = parse_signal(name);
      if (!s) invalid(where, path + ".signal", "unknown signal '" + name + "'");
      c.signal = *s;
      if (get(f, "contribution")) invalid(where, path + ".contribution", "bad condition: only drivers have a contribution");
      if (get(f, "rank")) invalid(where, path + ".rank", "bad condition: only drivers have a rank");
      if (value) {
        c.value = test(*value, where, path + ".value");
      } else {
        c.value.all.push_back({Comparison::Op::ne, 0.0});
      }
      const double inf = std::numeric_limits<double>::infinity();
      const bool ok = c.signal == Signal::risk ? satisfiable(c.value, 0, 1, false)
                                               : satisfiable(c.value, -inf, inf, is_flag_signal(c.signal));
      if (!ok) invalid(where, path + ".value", "bad condition: can never hold");
    }
    return c;
  }

  std::array<std::int32_t, 3> by_band(element e, const std::string& where, const std::string& path,
                                      std::array<std::int32_t, 3> base) const {
    const auto f = fields(e, where, path, {"low", "medium", "high"});
    if (f.empty()) invalid(where, path, "names no band (expected low, medium and/or high)");
    for (const auto& kv : f) {
      const std::size_t b = kv.first == "low" ? 0 : kv.first == "medium" ? 1 : 2;
      base[b] = static_cast<std::int32_t>(integer(kv.second, where, join(path, kv.first), 0, 250));
    }
    return base;
  }

  Rule rule(element e, std::size_t index) const {
    std::string where = "rules[" + std::to_string(index) + "]";
    if (e.type() != simdjson::dom::element_type::OBJECT)
      shape(where, "", std::string("expected an object, got ") + type_name(e.type()));
    // Name the rule by its id as early as possible, so every later message says which rule it is.
    {
      object o(e);
      element id;
      if (o["id"].get(id) == simdjson::SUCCESS && id.type() == simdjson::dom::element_type::STRING)
        where = "rule '" + std::string(std::string_view(id)) + "' (" + where + ")";
    }
    const auto f = fields(e, where, "",
                          {"id", "action", "when", "who", "bands", "priority", "targets", "due_in_working_days",
                           "cooling_off_working_days", "note"});
    Rule r;
    const element* id = get(f, "id");
    if (!id) shape(where, "id", "missing field");
    r.id = text(*id, where, "id");
    if (!valid_rule_id(r.id))
      invalid(where, "id", "a rule id is 1 to 64 characters among letters, digits, '_', '-' and '.'");
    const element* action = get(f, "action");
    if (!action) shape(where, "action", "missing field");
    const std::string type = text(*action, where, "action");
    const auto t = parse_action_type(type);
    if (!t) invalid(where, "action", "unknown action type '" + type + "'");
    r.action = *t;
    const element* when = get(f, "when");
    if (!when) shape(where, "when", "missing field");
    std::size_t k = 0;
    const array conditions = list(*when, where, "when");
    for (element c : conditions) r.when.push_back(condition(c, where, "when[" + std::to_string(k++) + "]"));
    if (r.when.empty()) invalid(where, "when", "bad condition: a rule needs at least one condition");
    if (const element* who = get(f, "who")) {
      const std::string role = text(*who, where, "who");
      const auto p = parse_performer(role);
      if (!p) invalid(where, "who", "unknown role '" + role + "'");
      r.who = *p;
    }
    if (const element* bands = get(f, "bands")) {
      r.bands = {false, false, false};
      std::size_t n = 0;
      const array band_list = list(*bands, where, "bands");
      for (element b : band_list) {
        const std::string field = "bands[" + std::to_string(n++) + "]";
        const std::string name = text(b, where, field);
        const std::size_t i = name == "low" ? 0 : name == "medium" ? 1 : name == "high" ? 2 : 3;
        if (i == 3) invalid(where, field, "unknown band '" + name + "' (expected low, medium or high)");
        if (r.bands[i]) invalid(where, field, "band '" + name + "' is listed twice");
        r.bands[i] = true;
      }
      if (n == 0) invalid(where, "bands", "lists no band: the rule could never fire");
    }
    if (const element* x = get(f, "priority"))
      r.priority = static_cast<std::int32_t>(integer(*x, where, "priority", -1000, 1000));
    if (const element* x = get(f, "targets")) r.target = text(*x, where, "targets");
    if (const element* x = get(f, "due_in_working_days"))
      r.due_in_working_days = by_band(*x, where, "due_in_working_days", r.due_in_working_days);
    if (const element* x = get(f, "cooling_off_working_days"))
      r.cooling_off_working_days = static_cast<std::int32_t>(integer(*x, where, "cooling_off_working_days", 0, 250));
    if (const element* x = get(f, "note")) r.note = text(*x, where, "note");
    pb.check_rule(r, prefix(where, ""));
    return r;
  }

  void settings(element e) {
    const std::string where;
    const auto f = fields(e, where, "settings",
                          {"due_in_working_days", "cooling_off_working_days", "signal_window_days",
                           "isolation_working_days", "max_actions_per_enrolment", "buddy_cap",
                           "buddy_active_within_working_days"});
    PlaybookSettings& s = pb.settings_;
    for (const auto& kv : f) {
      const std::string path = join("settings", kv.first);
      if (kv.first == "due_in_working_days") {
        s.due_in_working_days = by_band(kv.second, where, path, s.due_in_working_days);
      } else if (kv.first == "cooling_off_working_days") {
        s.cooling_off_working_days = static_cast<std::int32_t>(integer(kv.second, where, path, 0, 250));
      } else if (kv.first == "signal_window_days") {
        s.signal_window_days = static_cast<std::int32_t>(integer(kv.second, where, path, 1, 3660));
      } else if (kv.first == "isolation_working_days") {
        s.isolation_working_days = static_cast<std::int32_t>(integer(kv.second, where, path, 1, 250));
      } else if (kv.first == "max_actions_per_enrolment") {
        s.max_actions_per_enrolment = static_cast<std::uint32_t>(integer(kv.second, where, path, 0, 100));
      } else if (kv.first == "buddy_cap") {
        s.buddy_cap = static_cast<std::uint32_t>(integer(kv.second, where, path, 1, 100));
      } else {
        s.buddy_active_within_working_days = static_cast<std::int32_t>(integer(kv.second, where, path, 0, 250));
      }
      pb.explicit_settings_.emplace_back(kv.first);
    }
  }

  void document(std::string_view json) {
    simdjson::dom::parser parser;
    const simdjson::padded_string padded(json);
    element root;
    if (const auto err = parser.parse(padded).get(root))
      throw ParseError("playbook '" + source + "': not valid JSON: " + simdjson::error_message(err));
    const auto f =
        fields(root, "", "", {"format", "version", "description", "settings", "custom_features", "rules", "remove"});
    const element* format = get(f, "format");
    if (!format) shape("", "format", "missing field (expected \"lien.playbook\")");
    if (text(*format, "", "format") != "lien.playbook") invalid("", "format", "expected \"lien.playbook\"");
    const element* version = get(f, "version");
    if (!version) shape("", "version", "missing field (expected 1)");
    const std::int64_t v = integer(*version, "", "version", 0, 1000000);
    if (v != 1) invalid("", "version", "unsupported version " + std::to_string(v) + " (this lien reads version 1)");
    if (const element* d = get(f, "description")) pb.description_ = text(*d, "", "description");
    if (const element* c = get(f, "custom_features")) {
      std::size_t i = 0;
      const array ids = list(*c, "", "custom_features");
      for (element x : ids) {
        const std::string field = "custom_features[" + std::to_string(i++) + "]";
        const std::string id = text(x, "", field);
        try {
          pb.add_custom_feature(id);
        } catch (const InvalidArgument& e) {
          invalid("", field, e.what());
        }
      }
    }
    if (const element* s = get(f, "settings")) settings(*s);
    const element* rules = get(f, "rules");
    if (!rules && !get(f, "remove") && !get(f, "settings")) shape("", "rules", "missing field");
    if (rules) {
      std::size_t i = 0;
      const array rule_list = list(*rules, "", "rules");
      for (element r : rule_list) {
        Rule parsed = rule(r, i);
        for (std::size_t j = 0; j < pb.rules_.size(); ++j)
          if (pb.rules_[j].id == parsed.id)
            invalid("rule '" + parsed.id + "' (rules[" + std::to_string(i) + "])", "id",
                    "duplicate rule id (also rules[" + std::to_string(j) + "])");
        pb.rules_.push_back(std::move(parsed));
        ++i;
      }
    }
    if (const element* r = get(f, "remove")) {
      std::size_t i = 0;
      const array ids = list(*r, "", "remove");
      for (element x : ids) {
        const std::string field = "remove[" + std::to_string(i++) + "]";
        std::string id = text(x, "", field);
        if (pb.find(id)) invalid("", field, "rule '" + id + "' is both defined and removed");
        pb.removals_.push_back(std::move(id));
      }
    }
  }
};

const Rule* Playbook::find(std::string_view id) const noexcept {
  for (const Rule& r : rules_)
    if (r.id == id) return &r;
  return nullptr;
}

std::string Playbook::effective_target(const Rule& rule) {
  if (!rule.target.empty()) return rule.target;
  for (const Condition& c : rule.when)
    if (c.kind == Condition::Kind::driver) return c.feature;
  for (const Condition& c : rule.when)
    if (c.kind == Condition::Kind::signal && !signal_target(c.signal).empty()) return std::string(signal_target(c.signal));
  return "";
}

void Playbook::check_rule(const Rule& r, const std::string& where) const {
  auto fail = [&](const std::string& field, const std::string& why) {
    throw InvalidArgument(where + "field '" + field + "': " + why);
  };
  if (!valid_rule_id(r.id)) fail("id", "a rule id is 1 to 64 characters among letters, digits, '_', '-' and '.'");
  if (r.when.empty()) fail("when", "bad condition: a rule needs at least one condition");
  for (std::size_t i = 0; i < r.when.size(); ++i) {
    const Condition& c = r.when[i];
    if (c.kind != Condition::Kind::driver) continue;
    if (!find_feature(c.feature) &&
        std::find(custom_features_.begin(), custom_features_.end(), c.feature) == custom_features_.end())
      fail("when[" + std::to_string(i) + "].driver",
           "unknown feature id '" + c.feature + "' (not built in, not listed in custom_features)");
  }
  if (r.who == Performer::nobody) fail("who", "unknown role 'nobody'");
  if (r.who == Performer::buddy && r.action != ActionType::buddy_pairing)
    fail("who", "role 'buddy' only performs buddy_pairing (the buddy is found for that action)");
  if (!r.bands[0] && !r.bands[1] && !r.bands[2]) fail("bands", "lists no band: the rule could never fire");
  for (std::int32_t d : r.due_in_working_days)
    if (d < -1 || d > 250) fail("due_in_working_days", "must be between 0 and 250");
  if (r.cooling_off_working_days < -1 || r.cooling_off_working_days > 250)
    fail("cooling_off_working_days", "must be between 0 and 250");
  if (r.priority < -1000 || r.priority > 1000) fail("priority", "must be between -1000 and 1000");
  if (!r.target.empty() && !find_feature(r.target) &&
      std::find(custom_features_.begin(), custom_features_.end(), r.target) == custom_features_.end())
    fail("targets", "unknown feature id '" + r.target + "' (not built in, not listed in custom_features)");
  if (effective_target(r).empty())
    fail("targets",
         "missing field: the rule's conditions name no driver to move (signal 'risk' alone), so it must say which "
         "feature it targets");
}

void Playbook::add_custom_feature(const std::string& id) {
  if (!valid_feature_id(id))
    throw InvalidArgument("custom feature id '" + id + "' is not snake_case ([a-z][a-z0-9_]*, at most 64 characters)");
  if (find_feature(id)) throw InvalidArgument("custom feature id '" + id + "' is a built-in feature");
  if (is_protected_attribute(id)) throw InvalidArgument("custom feature id '" + id + "' names a protected attribute");
  if (std::find(custom_features_.begin(), custom_features_.end(), id) == custom_features_.end())
    custom_features_.push_back(id);
}

void Playbook::add_rule(Rule rule) {
  const std::string where = "playbook: rule '" + rule.id + "': ";
  check_rule(rule, where);
  if (find(rule.id)) throw InvalidArgument(where + "field 'id': duplicate rule id");
  rules_.push_back(std::move(rule));
}

bool Playbook::remove_rule(std::string_view id) {
  const auto it = std::find_if(rules_.begin(), rules_.end(), [&](const Rule& r) { return r.id == id; });
  if (it == rules_.end()) return false;
  rules_.erase(it);
  return true;
}

void Playbook::merge(const Playbook& ext) {
  for (const std::string& id : ext.removals_)
    if (!find(id)) throw InvalidArgument("playbook merge: rule '" + id + "' to remove does not exist");
  for (const std::string& id : ext.custom_features_) add_custom_feature(id);
  for (const std::string& id : ext.removals_) remove_rule(id);
  for (const Rule& r : ext.rules_) {
    const auto it = std::find_if(rules_.begin(), rules_.end(), [&](const Rule& x) { return x.id == r.id; });
    if (it != rules_.end()) {
      *it = r;
    } else {
      rules_.push_back(r);
    }
  }
  const PlaybookSettings& s = ext.settings_;
  for (const std::string& name : ext.explicit_settings_) {
    if (name == "due_in_working_days") settings_.due_in_working_days = s.due_in_working_days;
    else if (name == "cooling_off_working_days") settings_.cooling_off_working_days = s.cooling_off_working_days;
    else if (name == "signal_window_days") settings_.signal_window_days = s.signal_window_days;
    else if (name == "isolation_working_days") settings_.isolation_working_days = s.isolation_working_days;
    else if (name == "max_actions_per_enrolment") settings_.max_actions_per_enrolment = s.max_actions_per_enrolment;
    else if (name == "buddy_cap") settings_.buddy_cap = s.buddy_cap;
    else if (name == "buddy_active_within_working_days")
      settings_.buddy_active_within_working_days = s.buddy_active_within_working_days;
    if (std::find(explicit_settings_.begin(), explicit_settings_.end(), name) == explicit_settings_.end())
      explicit_settings_.push_back(name);
  }
}

Playbook Playbook::parse(std::string_view json, const std::string& source) {
  const std::string what = "playbook " + source;
  return out_of_memory_as_error(what.c_str(), [&] {
    PlaybookParser p;
    p.source = source;
    p.document(json);
    return std::move(p.pb);
  });
}

Playbook Playbook::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError("playbook: cannot open '" + path + "'");
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) throw IoError("playbook: cannot read '" + path + "'");
  const std::size_t slash = path.find_last_of("/\\");
  return parse(ss.str(), slash == std::string::npos ? path : path.substr(slash + 1));
}

const Playbook& Playbook::default_playbook() {
  static const Playbook pb = parse(default_playbook_json(), "default playbook");
  return pb;
}

LIEN_END_NAMESPACE
