// Events from typed columns (a pandas DataFrame's, through the Python face) into a CohortBuilder.
//
// Each distinct string of a dictionary-coded column is resolved once (an id to a builder handle, a verb to its
// enum, a timestamp to an instant, or a reason it cannot be), so the per-row loop only looks up small tables and
// fills the builder's event columns, which go in by CohortBuilder::add_event_columns. A row the reader refuses
// (unknown verb, bad timestamp...) flushes the rows before it and is rejected with the field and reason the CSV
// reader would give, so the report lists rows in order.
#include <cmath>
#include <limits>

#include "csv_parser.hpp"
#include "lien/io/frames.hpp"

LIEN_BEGIN_NAMESPACE

namespace {

constexpr Id kUnresolved = kNoId - 1;  // an object handle not looked up yet

/// A value safe to echo in a message: short, printable ASCII (enum names, not free text).
std::string echo(std::string_view s) {
  if (s.size() > 32) return "";
  for (char c : s)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7F) return "";
  return " '" + std::string(s) + "'";
}

template <std::size_t N>
std::string expected_names(const std::array<std::string_view, N>& names) {
  std::string out;
  for (std::size_t i = 0; i < N; ++i) out += (i ? ", " : "") + std::string(names[i]);
  return out;
}

/// A per-unique parse result: a value, or the reason the text is refused.
template <class T>
struct Parsed {
  std::vector<T> value;
  std::vector<std::string> error;  // "" = fine
};

class EventFrameReader {
 public:
  EventFrameReader(CohortBuilder& b, const EventFrame& f, const std::string& source, std::uint64_t first)
      : b_(b), f_(f), src_(b.source(source)), first_(first), cal_(b.calendar()) {}

  std::size_t run() {
    for (auto [col, name] : {std::pair{&f_.learner_id, "learner_id"}, {&f_.time, "time"}, {&f_.verb, "verb"}})
      if (col->kind == FrameColumn::Kind::absent)
        throw ParseError(std::string("events frame: missing required column '") + name + "' in the events table");
    check_codes(f_.learner_id, "learner_id");
    check_codes(f_.time, "time");
    check_codes(f_.verb, "verb");
    check_codes(f_.object_type, "object_type");
    check_codes(f_.object_id, "object_id");
    check_codes(f_.actor_id, "actor_id");
    check_codes(f_.score, "score");
    check_codes(f_.success, "success");
    check_codes(f_.completion, "completion");
    check_codes(f_.duration, "duration");
    check_codes(f_.count, "count");
    prepare();
    b_.reserve_events(f_.rows);
    cols_.reserve(std::min<std::size_t>(f_.rows, kBatch));
    for (std::size_t i = 0; i < f_.rows; ++i) {
      if (!row(i)) continue;
      if (cols_.size() == kBatch) flush(i + 1);
    }
    flush(f_.rows);
    return accepted_;
  }

 private:
  static constexpr std::size_t kBatch = std::size_t(1) << 16;
  using K = FrameColumn::Kind;

  void check_codes(const FrameColumn& c, const char* name) {
    if (c.kind != K::strings) return;
    if (!c.codes) throw InvalidArgument(std::string("events frame: column ") + name + " has no codes");
    const auto n = static_cast<std::int32_t>(c.uniques.size());
    for (std::size_t i = 0; i < f_.rows; ++i)
      if (c.codes[i] >= n)
        throw InvalidArgument(std::string("events frame: column ") + name + ", row " + std::to_string(i) +
                              ": code outside the column's values");
  }

  // The text of row i of a string column ("" when missing).
  static std::string_view text(const FrameColumn& c, std::size_t i) {
    const std::int32_t k = c.codes[i];
    return k < 0 ? std::string_view() : c.uniques[static_cast<std::size_t>(k)];
  }

  void prepare() {
    const Calendar& cal = cal_;
    // Ids: one builder handle per distinct id.
    auto handles = [&](const FrameColumn& c, std::vector<Id>& out) {
      if (c.kind != K::strings) return;
      out.resize(c.uniques.size());
      for (std::size_t u = 0; u < c.uniques.size(); ++u)
        out[u] = c.uniques[u].empty() ? kNoId : b_.person_handle(c.uniques[u]);
    };
    if (f_.learner_id.kind != K::strings) throw InvalidArgument("events frame: learner_id must be text");
    handles(f_.learner_id, learner_);
    handles(f_.actor_id, actor_);
    if (f_.object_id.kind == K::strings)
      for (auto& v : object_) v.assign(f_.object_id.uniques.size(), kUnresolved);
    // Enumerations.
    if (f_.verb.kind != K::strings) throw InvalidArgument("events frame: verb must be text");
    verb_.resize(f_.verb.uniques.size());
    for (std::size_t u = 0; u < verb_.size(); ++u) {
      const auto v = parse_enum<Verb>(f_.verb.uniques[u]);
      verb_[u] = v ? static_cast<int>(*v) : -1;
    }
    if (f_.object_type.kind == K::strings) {
      otype_.resize(f_.object_type.uniques.size());
      for (std::size_t u = 0; u < otype_.size(); ++u) {
        const std::string_view s = f_.object_type.uniques[u];
        const auto k = parse_enum<ObjectKind>(s);
        otype_[u] = s.empty() ? 0 : k ? static_cast<int>(*k) : -1;
      }
    } else if (f_.object_type.kind != K::absent) {
      throw InvalidArgument("events frame: object_type must be text");
    }
    // Timestamps given as text: parsed once per distinct value.
    if (f_.time.kind == K::strings) {
      time_.value.resize(f_.time.uniques.size());
      time_.error.resize(f_.time.uniques.size());
      for (std::size_t u = 0; u < time_.value.size(); ++u) {
        const std::string_view s = f_.time.uniques[u];
        if (s.empty()) continue;
        ParsedTimestamp p;
        const char* why = "bad timestamp";
        if (!parse_timestamp(s, p, &why)) time_.error[u] = why;
        else time_.value[u] = cal.to_instant(p);
      }
    } else if (f_.time.kind != K::instants) {
      throw InvalidArgument("events frame: time must be instants or text");
    }
    floats(f_.score, score_, false);
    floats(f_.duration, duration_, true);
    bools(f_.success, success_);
    bools(f_.completion, completion_);
    if (f_.count.kind == K::strings) {
      count_.value.resize(f_.count.uniques.size());
      count_.error.resize(f_.count.uniques.size());
      for (std::size_t u = 0; u < count_.value.size(); ++u) {
        const std::string_view s = f_.count.uniques[u];
        count_.value[u] = 1;
        const char* why = "";
        if (!s.empty() && !csv::parse_u32(s, count_.value[u], why)) count_.error[u] = why;
      }
    }
  }

  void floats(const FrameColumn& c, Parsed<float>& out, bool iso_duration) {
    if (c.kind != K::strings) return;
    out.value.assign(c.uniques.size(), std::numeric_limits<float>::quiet_NaN());
    out.error.resize(c.uniques.size());
    for (std::size_t u = 0; u < c.uniques.size(); ++u) {
      const std::string_view s = c.uniques[u];
      if (s.empty()) continue;
      const char* why = "";
      if (iso_duration && s[0] == 'P') {
        double seconds = 0;
        if (!parse_iso_duration(s, seconds, &why)) out.error[u] = why;
        else if (!(seconds <= 3.0e38)) out.error[u] = "duration out of range";
        else out.value[u] = static_cast<float>(seconds);
      } else if (!csv::parse_float(s, out.value[u], why)) {
        out.error[u] = why;
      }
    }
  }

  void bools(const FrameColumn& c, Parsed<Tri>& out) {
    if (c.kind != K::strings) return;
    out.value.assign(c.uniques.size(), Tri::unknown);
    out.error.resize(c.uniques.size());
    for (std::size_t u = 0; u < c.uniques.size(); ++u) {
      const std::string_view s = c.uniques[u];
      if (s.empty()) continue;
      bool v = false;
      const char* why = "";
      if (!csv::parse_bool(s, v, why)) out.error[u] = why;
      else out.value[u] = v ? Tri::yes : Tri::no;
    }
  }

  bool reject(std::size_t i, const char* field, std::string why) {
    flush(i);
    b_.reject(RecordRef{src_, first_ + i}, field, std::move(why));
    next_ = i + 1;
    return false;
  }

  // A float column's value at row i: true and `out` set, or false after rejecting the row.
  bool float_at(const FrameColumn& c, const Parsed<float>& p, std::size_t i, const char* field, float& out) {
    out = std::numeric_limits<float>::quiet_NaN();
    if (c.kind == K::numbers) {
      const double v = c.numbers[i];
      if (std::isnan(v)) return true;
      if (!std::isfinite(v)) return reject(i, field, "expected a number");
      out = static_cast<float>(v);
      return true;
    }
    if (c.kind != K::strings) return true;
    const std::int32_t k = c.codes[i];
    if (k < 0) return true;
    if (!p.error[static_cast<std::size_t>(k)].empty()) return reject(i, field, p.error[static_cast<std::size_t>(k)]);
    out = p.value[static_cast<std::size_t>(k)];
    return true;
  }

  bool tri_at(const FrameColumn& c, const Parsed<Tri>& p, std::size_t i, const char* field, Tri& out) {
    out = Tri::unknown;
    if (c.kind == K::numbers) {
      const double v = c.numbers[i];
      if (std::isnan(v)) return true;
      if (v != 0 && v != 1) return reject(i, field, "expected true or false (or 1 or 0)");
      out = v == 1 ? Tri::yes : Tri::no;
      return true;
    }
    if (c.kind != K::strings) return true;
    const std::int32_t k = c.codes[i];
    if (k < 0) return true;
    if (!p.error[static_cast<std::size_t>(k)].empty()) return reject(i, field, p.error[static_cast<std::size_t>(k)]);
    out = p.value[static_cast<std::size_t>(k)];
    return true;
  }

  bool row(std::size_t i) {
    // Required values, in column order (as the CSV reader checks them).
    const std::int32_t lk = f_.learner_id.codes[i];
    const Id learner = lk < 0 ? kNoId : learner_[static_cast<std::size_t>(lk)];
    if (learner == kNoId) return reject(i, "learner_id", "missing required value");
    Time t = kNoTime;
    const char* time_error = nullptr;
    bool has_time = false;
    if (f_.time.kind == K::instants) {
      t = f_.time.instants[i];
      has_time = t != kNoTime;
      if (has_time && f_.time.local) t = cal_.local_to_utc(t);
    } else {
      const std::int32_t k = f_.time.codes[i];
      if (k >= 0 && !f_.time.uniques[static_cast<std::size_t>(k)].empty()) {
        has_time = true;
        if (!time_.error[static_cast<std::size_t>(k)].empty()) time_error = time_.error[static_cast<std::size_t>(k)].c_str();
        t = time_.value[static_cast<std::size_t>(k)];
      }
    }
    const std::int32_t vk = f_.verb.codes[i];
    const std::string_view verb_text = vk < 0 ? std::string_view() : f_.verb.uniques[static_cast<std::size_t>(vk)];
    if (!has_time) return reject(i, "time", "missing required value");
    if (verb_text.empty()) return reject(i, "verb", "missing required value");
    if (time_error) return reject(i, "time", time_error);
    const int verb = verb_[static_cast<std::size_t>(vk)];
    if (verb < 0)
      return reject(i, "verb", "unknown verb" + echo(verb_text) + " (expected one of " + expected_names(kVerbNames) + ")");
    int kind = 0;
    if (f_.object_type.kind == K::strings) {
      const std::int32_t k = f_.object_type.codes[i];
      if (k >= 0) {
        kind = otype_[static_cast<std::size_t>(k)];
        if (kind < 0)
          return reject(i, "object_type", "unknown object type" + echo(f_.object_type.uniques[static_cast<std::size_t>(k)]) +
                                              " (expected one of " + expected_names(kObjectKindNames) + ")");
      }
    }
    float score, duration;
    Tri success, completion;
    if (!float_at(f_.score, score_, i, "score", score)) return false;
    if (!tri_at(f_.success, success_, i, "success", success)) return false;
    if (!tri_at(f_.completion, completion_, i, "completion", completion)) return false;
    if (!float_at(f_.duration, duration_, i, "duration", duration)) return false;
    std::uint32_t count = 1;
    if (f_.count.kind == K::numbers) {
      const double v = f_.count.numbers[i];
      if (!std::isnan(v)) {
        if (v < 0) return reject(i, "count", "must not be negative");
        if (v != std::floor(v)) return reject(i, "count", "expected an integer");
        if (v > 4294967295.0) return reject(i, "count", "integer out of range");
        count = static_cast<std::uint32_t>(v);
      }
    } else if (f_.count.kind == K::strings) {
      const std::int32_t k = f_.count.codes[i];
      if (k >= 0) {
        if (!count_.error[static_cast<std::size_t>(k)].empty())
          return reject(i, "count", count_.error[static_cast<std::size_t>(k)]);
        count = count_.value[static_cast<std::size_t>(k)];
      }
    }
    // Object: a handle of the kind the row says, looked up once per (value, kind).
    Id object = kNoId;
    if (f_.object_id.kind == K::strings) {
      const std::int32_t k = f_.object_id.codes[i];
      if (k >= 0 && !f_.object_id.uniques[static_cast<std::size_t>(k)].empty()) {
        if (kind == 0) {
          object = 0;  // any value but kNoId: the builder rejects an object given without its type
        } else {
          Id& h = object_[kind - 1][static_cast<std::size_t>(k)];
          if (h == kUnresolved) {
            const std::string_view id = f_.object_id.uniques[static_cast<std::size_t>(k)];
            h = kind == static_cast<int>(ObjectKind::step)       ? b_.step_handle(id)
                : kind == static_cast<int>(ObjectKind::resource) ? b_.resource_handle(id)
                                                                 : b_.person_handle(id);
          }
          object = h;
        }
      }
    }
    Id actor = kNoId;
    if (f_.actor_id.kind == K::strings) {
      const std::int32_t k = f_.actor_id.codes[i];
      if (k >= 0) actor = actor_[static_cast<std::size_t>(k)];
    }
    cols_.learner.push_back(learner);
    cols_.time.push_back(t);
    cols_.object.push_back(object);
    cols_.actor.push_back(actor);
    cols_.score.push_back(score);
    cols_.duration.push_back(duration);
    cols_.count.push_back(count);
    cols_.verb.push_back(static_cast<Verb>(verb));
    cols_.flags.push_back(EventLog::pack_flags(static_cast<ObjectKind>(kind), success, completion));
    return true;
  }

  // Hands rows next_ .. end - 1 (all of them good, in cols_) to the builder.
  void flush(std::size_t end) {
    if (!cols_.size()) {
      next_ = end;
      return;
    }
    accepted_ += b_.add_event_columns(cols_, src_, first_ + next_);
    next_ = end;
  }

  CohortBuilder& b_;
  const EventFrame& f_;
  std::uint32_t src_;
  std::uint64_t first_;
  const Calendar& cal_;
  std::vector<Id> learner_, actor_;
  std::array<std::vector<Id>, 3> object_;  // by object kind - 1: step, resource, person
  std::vector<int> verb_, otype_;
  Parsed<Time> time_;
  Parsed<float> score_, duration_;
  Parsed<Tri> success_, completion_;
  Parsed<std::uint32_t> count_;
  EventLog::Columns cols_;
  std::size_t next_ = 0;  // first row not yet handed to the builder
  std::size_t accepted_ = 0;
};

}  // namespace

std::size_t read_event_frame(CohortBuilder& builder, const EventFrame& frame, const std::string& source,
                             std::uint64_t first_index) {
  return EventFrameReader(builder, frame, source, first_index).run();
}

LIEN_END_NAMESPACE
