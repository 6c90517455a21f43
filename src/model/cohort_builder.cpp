// CohortBuilder: collects records with external ids from any source, then resolves and checks them.
//
// Ids referenced before they are declared (an event for a learner whose row comes later, from another table
// or another call) are interned as "undeclared" entries; build() keeps declared entries only, renumbers them
// densely in order of first appearance, and rejects every record that still points at an undeclared one.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <queue>
#include <unordered_map>

#include "lien/core/digest.hpp"
#include "lien/model/cohort.hpp"

LIEN_BEGIN_NAMESPACE

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string quote(std::string_view id) { return "'" + std::string(id) + "'"; }

constexpr int kSourceShift = 48;
constexpr std::uint64_t kIndexMask = (std::uint64_t(1) << kSourceShift) - 1;

}  // namespace

struct CohortBuilder::Impl {
  Calendar calendar;
  std::string pseudonymise_key;
  std::vector<std::string> sources;
  ReadReport report;

  struct PersonEntry {
    bool declared = false;
    Person person;
    Learner learner;  // role learner only (person field unset until build)
    std::vector<std::pair<std::string, std::string>> protected_attributes;
    RecordRef ref;
  };
  StringTable person_ids;
  std::vector<PersonEntry> people;
  std::size_t declared_people = 0;
  std::unordered_map<std::string, Id> person_by_email;
  std::unordered_map<std::string, Id> person_by_mbox_sha1;  // sha1("mailto:" + email), as written and lower-cased

  void index_email(std::string_view email, Id p) {
    if (email.empty()) return;
    const std::string low = lower(email);
    person_by_email.emplace(low, p);
    person_by_mbox_sha1.emplace(to_hex(sha1("mailto:" + low)), p);
    if (low != email) person_by_mbox_sha1.emplace(to_hex(sha1("mailto:" + std::string(email))), p);
  }

  struct PathEntry {
    bool declared = false;
    Path path;
    RecordRef ref;
  };
  StringTable path_ids;
  std::vector<PathEntry> paths;

  struct StepEntry {
    bool declared = false;
    std::string path;
    Step step;
    std::vector<std::string> competencies;
    RecordRef ref;
  };
  StringTable step_ids;
  std::vector<StepEntry> steps;
  std::unordered_map<std::string, Id> step_by_iri;

  struct PrerequisiteEntry {
    std::string step, requires_step;
    RecordRef ref;
  };
  std::vector<PrerequisiteEntry> prerequisites;

  struct RelationEntry {
    std::string source, target;
    RelationType type;
    Time from, to;
    RecordRef ref;
  };
  std::vector<RelationEntry> relations;

  struct EnrolmentEntry {
    std::string id, learner, path, instance;
    Time start, planned_end, outcome_time;
    Outcome outcome;
    std::int32_t prior_attempts;
    RecordRef ref;
  };
  StringTable enrolment_ids;
  std::vector<EnrolmentEntry> enrolments;

  EventLog::Columns ev;  // learner column holds person intern ids until build()
  std::vector<std::uint64_t> ev_ref;
  StringTable resources;

  std::vector<SourceCount*> counts;  // report.sources[sources[i]] (map nodes never move): no lookup per record

  const std::string& src(RecordRef r) const { return sources.at(r.source); }
  std::string where(RecordRef r) const { return src(r) + ":" + std::to_string(r.index); }
  void read(RecordRef r) {
    report.read += 1;
    counts.at(r.source)->read += 1;
  }
  bool accept(RecordRef r) {
    report.accepted += 1;
    counts[r.source]->accepted += 1;
    return true;
  }
  bool reject(RecordRef r, std::string field, std::string reason) {
    if (r.derived) report.count_read(src(r));  // a derived record counts once rejected (see RecordRef)
    report.reject(src(r), r.index, std::move(field), std::move(reason));
    return false;
  }
  void unaccept(RecordRef r, std::string field, std::string reason) {
    if (r.derived) {
      report.count_read(src(r));
      report.reject(src(r), r.index, std::move(field), std::move(reason));
    } else {
      report.unaccept(src(r), r.index, std::move(field), std::move(reason));
    }
  }
  // Records a reader may derive (RecordRef::derived) are neither read nor accepted: only rejected.
  void read_record(RecordRef r) {
    if (!r.derived) read(r);
  }
  bool accept_record(RecordRef r) { return r.derived || accept(r); }

  Id intern_person(std::string_view id) { return intern_person(id, hash_bytes(id.data(), id.size())); }
  Id intern_person(std::string_view id, std::uint64_t h) {
    bool fresh = false;
    const Id p = person_ids.intern_hashed(id, h, &fresh);
    if (fresh) people.emplace_back();
    return p;
  }
  Id intern_step(std::string_view id) { return intern_step(id, hash_bytes(id.data(), id.size())); }
  Id intern_step(std::string_view id, std::uint64_t h) {
    bool fresh = false;
    const Id s = step_ids.intern_hashed(id, h, &fresh);
    if (fresh) steps.emplace_back();
    return s;
  }
  bool add_event(const EventRecord& r, RecordRef ref, const std::uint64_t* hashes);
  Id intern_path(std::string_view id) {
    bool fresh = false;
    const Id p = path_ids.intern(id, &fresh);
    if (fresh) paths.emplace_back();
    return p;
  }
};

CohortBuilder::CohortBuilder(Calendar calendar) : impl_(std::make_unique<Impl>()) {
  impl_->calendar = std::move(calendar);
}
CohortBuilder::~CohortBuilder() = default;
CohortBuilder::CohortBuilder(CohortBuilder&&) noexcept = default;
CohortBuilder& CohortBuilder::operator=(CohortBuilder&&) noexcept = default;

const Calendar& CohortBuilder::calendar() const noexcept { return impl_->calendar; }
void CohortBuilder::set_calendar(Calendar c) { impl_->calendar = std::move(c); }
void CohortBuilder::set_pseudonymise_key(std::string key) { impl_->pseudonymise_key = std::move(key); }

std::uint32_t CohortBuilder::source(const std::string& name) {
  for (std::uint32_t i = 0; i < impl_->sources.size(); ++i)
    if (impl_->sources[i] == name) return i;
  if (impl_->sources.size() >= (1u << 16)) throw InvalidArgument("cohort builder: more than 65536 sources");
  impl_->sources.push_back(name);
  impl_->counts.push_back(&impl_->report.sources[name]);  // a source with no record still shows in the report
  return static_cast<std::uint32_t>(impl_->sources.size() - 1);
}

const std::string& CohortBuilder::source_name(std::uint32_t s) const { return impl_->sources.at(s); }
const ReadReport& CohortBuilder::report() const noexcept { return impl_->report; }

void CohortBuilder::reject(RecordRef ref, std::string field, std::string reason) {
  impl_->read(ref);
  impl_->reject(ref, std::move(field), std::move(reason));
}

void CohortBuilder::accept_without_record(RecordRef ref) {
  impl_->read(ref);
  impl_->accept(ref);
}

void CohortBuilder::reserve_events(std::size_t n) {
  impl_->ev.reserve(impl_->ev.size() + n);
  impl_->ev_ref.reserve(impl_->ev_ref.size() + n);
}

void CohortBuilder::count_voided(std::uint64_t n) { impl_->report.voided += n; }

bool CohortBuilder::add_learner(const LearnerRecord& r, RecordRef ref) {
  Impl& m = *impl_;
  m.read_record(ref);
  if (r.id.empty()) return m.reject(ref, "learner_id", "empty id");
  const Id p = m.intern_person(r.id);
  auto& e = m.people[p];
  if (e.declared) return m.reject(ref, "learner_id", "duplicate person id " + quote(r.id) + " (first at " + m.where(e.ref) + ")");
  for (const auto& [name, value] : r.protected_attributes)
    if (!is_protected_attribute(name))
      return m.reject(ref, name, "column is not a protected attribute (gender, age_band, disability, protected_*)");
  e.declared = true;
  e.ref = ref;
  e.person.id = std::string(r.id);
  e.person.role = Role::learner;
  e.person.display_name = std::string(r.display_name);
  e.person.email = std::string(r.email);
  e.learner.team = std::string(r.team);
  e.learner.site = std::string(r.site);
  e.learner.job = std::string(r.job);
  e.protected_attributes = r.protected_attributes;
  m.index_email(r.email, p);
  ++m.declared_people;
  return m.accept_record(ref);
}

bool CohortBuilder::add_stakeholder(const StakeholderRecord& r, RecordRef ref) {
  Impl& m = *impl_;
  m.read(ref);
  if (r.id.empty()) return m.reject(ref, "stakeholder_id", "empty id");
  if (r.role == Role::learner)
    return m.reject(ref, "role", "learners are declared in the learners table, not as stakeholders");
  const Id p = m.intern_person(r.id);
  auto& e = m.people[p];
  if (e.declared)
    return m.reject(ref, "stakeholder_id", "duplicate person id " + quote(r.id) + " (first at " + m.where(e.ref) + ")");
  e.declared = true;
  e.ref = ref;
  e.person.id = std::string(r.id);
  e.person.role = r.role;
  e.person.display_name = std::string(r.display_name);
  e.person.email = std::string(r.email);
  e.person.organisation = std::string(r.organisation);
  m.index_email(r.email, p);
  ++m.declared_people;
  return m.accept(ref);
}

bool CohortBuilder::add_relation(const RelationRecord& r, RecordRef ref) {
  Impl& m = *impl_;
  m.read(ref);
  if (r.source.empty()) return m.reject(ref, "source_id", "empty id");
  if (r.target.empty()) return m.reject(ref, "target_id", "empty id");
  if (r.type == RelationType::interacts)
    return m.reject(ref, "type", "interactions are derived from events (replied, messaged, met), not declared");
  if (r.source == r.target) return m.reject(ref, "target_id", "a relation from a person to themselves");
  if (r.valid_from != kNoTime && r.valid_to != kNoTime && r.valid_to < r.valid_from)
    return m.reject(ref, "valid_to", "ends before it starts");
  m.relations.push_back({std::string(r.source), std::string(r.target), r.type, r.valid_from, r.valid_to, ref});
  return m.accept(ref);
}

bool CohortBuilder::add_path(const PathRecord& r, RecordRef ref) {
  Impl& m = *impl_;
  m.read_record(ref);
  if (r.id.empty()) return m.reject(ref, "path_id", "empty id");
  const Id p = m.intern_path(r.id);
  auto& e = m.paths[p];
  if (e.declared) return m.reject(ref, "path_id", "duplicate path id " + quote(r.id) + " (first at " + m.where(e.ref) + ")");
  e.declared = true;
  e.ref = ref;
  e.path.id = std::string(r.id);
  e.path.title = std::string(r.title);
  e.path.course = r.course.empty() ? std::string(r.id) : std::string(r.course);
  return m.accept_record(ref);
}

bool CohortBuilder::add_step(const StepRecord& r, RecordRef ref) {
  Impl& m = *impl_;
  m.read_record(ref);
  if (r.id.empty()) return m.reject(ref, "step_id", "empty id");
  if (r.path.empty()) return m.reject(ref, "path_id", "empty id: every step belongs to a path");
  const StepWindow& w = r.window;
  if (w.open != kNoDay && w.due != kNoDay && w.due < w.open) return m.reject(ref, "due", "due before the step opens");
  if (!(r.effort_hours >= 0) || !std::isfinite(r.effort_hours))
    return m.reject(ref, "effort_hours", "must be a finite number >= 0");
  if (!(r.weight >= 0) || !std::isfinite(r.weight)) return m.reject(ref, "weight", "must be a finite number >= 0");
  if (!r.activity_iri.empty()) {
    auto it = m.step_by_iri.find(std::string(r.activity_iri));
    if (it != m.step_by_iri.end())
      return m.reject(ref, "activity_iri", "activity IRI already used by step " + quote(m.step_ids[it->second]));
  }
  const Id s = m.intern_step(r.id);
  auto& e = m.steps[s];
  if (e.declared) return m.reject(ref, "step_id", "duplicate step id " + quote(r.id) + " (first at " + m.where(e.ref) + ")");
  e.declared = true;
  e.ref = ref;
  e.path = std::string(r.path);
  e.step.id = std::string(r.id);
  e.step.title = std::string(r.title);
  e.step.kind = r.kind;
  e.step.phase = r.phase;
  e.step.window = r.window;
  e.step.effort_hours = r.effort_hours;
  e.step.required = r.required;
  e.step.weight = r.weight;
  e.step.activity_iri = std::string(r.activity_iri);
  e.competencies.clear();
  for (auto c : r.competencies) e.competencies.emplace_back(c);
  if (!r.activity_iri.empty()) m.step_by_iri.emplace(std::string(r.activity_iri), s);
  return m.accept_record(ref);
}

bool CohortBuilder::add_prerequisite(const PrerequisiteRecord& r, RecordRef ref) {
  Impl& m = *impl_;
  m.read(ref);
  if (r.step.empty()) return m.reject(ref, "step_id", "empty id");
  if (r.requires_step.empty()) return m.reject(ref, "requires_step_id", "empty id");
  if (r.step == r.requires_step) return m.reject(ref, "requires_step_id", "a step cannot require itself");
  m.prerequisites.push_back({std::string(r.step), std::string(r.requires_step), ref});
  return m.accept(ref);
}

bool CohortBuilder::add_enrolment(const EnrolmentRecord& r, RecordRef ref) {
  Impl& m = *impl_;
  m.read_record(ref);
  if (r.id.empty()) return m.reject(ref, "enrolment_id", "empty id");
  if (r.learner.empty()) return m.reject(ref, "learner_id", "empty id");
  if (r.path.empty()) return m.reject(ref, "path_id", "empty id");
  if (r.start == kNoTime) return m.reject(ref, "start", "missing: every enrolment has a start");
  if (r.planned_end != kNoTime && r.planned_end < r.start) return m.reject(ref, "planned_end", "before the start");
  if (r.outcome == Outcome::active && r.outcome_time != kNoTime)
    return m.reject(ref, "outcome_time", "given for an active enrolment");
  if (r.outcome != Outcome::active && r.outcome_time == kNoTime)
    return m.reject(ref, "outcome_time", std::string("missing: a ") + std::string(to_string(r.outcome)) +
                                             " enrolment needs the date it ended");
  if (r.outcome_time != kNoTime && r.outcome_time < r.start) return m.reject(ref, "outcome_time", "before the start");
  if (r.prior_attempts < -1) return m.reject(ref, "prior_attempts", "must be >= 0");
  bool fresh = false;
  m.enrolment_ids.intern(r.id, &fresh);
  if (!fresh) {
    for (const auto& e : m.enrolments)
      if (e.id == r.id)
        return m.reject(ref, "enrolment_id", "duplicate enrolment id " + quote(r.id) + " (first at " + m.where(e.ref) + ")");
  }
  m.enrolments.push_back({std::string(r.id), std::string(r.learner), std::string(r.path), std::string(r.instance),
                          r.start, r.planned_end, r.outcome_time, r.outcome, r.prior_attempts, ref});
  return m.accept_record(ref);
}

namespace {
// The checks an event passes on its own, shared by add_event and add_event_columns. Returns the field at
// fault (and sets `reason`), or nullptr.
const char* check_event(float score, float duration, std::uint32_t count, ObjectKind kind, bool has_object, Time time,
                        std::uint64_t index, const char*& reason) {
  auto fail = [&](const char* field, const char* why) {
    reason = why;
    return field;
  };
  if (!std::isnan(score) && !(score >= -1.0f && score <= 1.0f))
    return fail("score", "scaled score must lie in [-1, 1]");
  if (!std::isnan(duration) && !(duration >= 0.0f && std::isfinite(duration)))
    return fail("duration", "must be a finite number of seconds >= 0");
  if (count == 0) return fail("count", "must be at least 1");
  if (kind == ObjectKind::none && has_object) return fail("object_type", "an object id is given without its type");
  if (kind != ObjectKind::none && !has_object) return fail("object_id", "empty id");
  const Day d = utc_day(time);
  if (d < kMinDay || d > kMaxDay) return fail("time", "instant outside 1970-2199");
  if (index > kIndexMask) return fail("", "record index too large");
  return nullptr;
}
}  // namespace

bool CohortBuilder::add_event(const EventRecord& r, RecordRef ref) { return impl_->add_event(r, ref, nullptr); }

// `h`: the hash_bytes() of the learner, object and actor ids when the caller computed them (add_events), or null.
bool CohortBuilder::Impl::add_event(const EventRecord& r, RecordRef ref, const std::uint64_t* h) {
  Impl& m = *this;
  m.read(ref);
  if (r.learner.empty()) return m.reject(ref, "learner_id", "empty id");
  const char* reason = nullptr;
  if (const char* field =
          check_event(r.score, r.duration, r.count, r.object_kind, !r.object.empty(), r.time, ref.index, reason))
    return m.reject(ref, field, reason);
  auto hash = [h](int k, std::string_view id) { return h ? h[k] : hash_bytes(id.data(), id.size()); };
  Event e;
  e.learner = m.intern_person(r.learner, hash(0, r.learner));
  e.time = r.time;
  e.verb = r.verb;
  e.object_kind = r.object_kind;
  switch (r.object_kind) {
    case ObjectKind::none: e.object = kNoId; break;
    case ObjectKind::step: e.object = m.intern_step(r.object, hash(1, r.object)); break;
    case ObjectKind::resource: e.object = m.resources.intern_hashed(r.object, hash(1, r.object)); break;
    case ObjectKind::person: e.object = m.intern_person(r.object, hash(1, r.object)); break;
  }
  e.actor = r.actor.empty() ? kNoId : m.intern_person(r.actor, hash(2, r.actor));
  e.score = r.score;
  e.success = r.success;
  e.completion = r.completion;
  e.duration = r.duration;
  e.count = r.count;
  m.ev.push_back(e);
  m.ev_ref.push_back((static_cast<std::uint64_t>(ref.source) << kSourceShift) | ref.index);
  return m.accept(ref);
}

Id CohortBuilder::person_handle(std::string_view id) {
  if (id.empty()) throw InvalidArgument("cohort builder: empty person id for a handle");
  return impl_->intern_person(id);
}
Id CohortBuilder::step_handle(std::string_view id) {
  if (id.empty()) throw InvalidArgument("cohort builder: empty step id for a handle");
  return impl_->intern_step(id);
}
Id CohortBuilder::resource_handle(std::string_view id) {
  if (id.empty()) throw InvalidArgument("cohort builder: empty resource id for a handle");
  return impl_->resources.intern(id);
}

std::size_t CohortBuilder::add_event_columns(EventLog::Columns& c, std::uint32_t source, std::uint64_t first_index) {
  Impl& m = *impl_;
  if (source >= m.sources.size()) throw InvalidArgument("cohort builder: unknown source " + std::to_string(source));
  const std::string& src = m.sources[source];
  const std::size_t n = c.size();
  if (c.learner.size() != n || c.object.size() != n || c.actor.size() != n || c.score.size() != n ||
      c.duration.size() != n || c.count.size() != n || c.verb.size() != n || c.flags.size() != n)
    throw InvalidArgument("cohort builder: event columns of different lengths");
  const std::size_t people = m.people.size(), steps = m.steps.size(), resources = m.resources.size();
  for (std::size_t i = 0; i < n; ++i) {
    const auto kind = static_cast<ObjectKind>(c.flags[i] & 3u);
    const Id obj = c.object[i];  // kNoId (no object) is a record's fault, checked below; any other must be a handle
    const bool bad_object = obj != kNoId && ((kind == ObjectKind::person && obj >= people) ||
                                             (kind == ObjectKind::step && obj >= steps) ||
                                             (kind == ObjectKind::resource && obj >= resources));
    if (c.learner[i] >= people || (c.actor[i] != kNoId && c.actor[i] >= people) || bad_object)
      throw InvalidArgument("cohort builder: event " + std::to_string(first_index + i) + " of " + src +
                            " carries a handle that was never issued");
  }
  m.report.count_read(src, n);
  // Check every record first; the accepted ones are then appended a column at a time (a memcpy each when
  // nothing was rejected, the usual case), which costs far less than a push_back per column per event.
  std::vector<std::size_t> rejected;
  for (std::size_t i = 0; i < n; ++i) {
    const auto kind = static_cast<ObjectKind>(c.flags[i] & 3u);
    const char* reason = nullptr;
    if (const char* field = check_event(c.score[i], c.duration[i], c.count[i], kind, c.object[i] != kNoId, c.time[i],
                                        first_index + i, reason)) {
      m.report.reject(src, first_index + i, field, reason);
      rejected.push_back(i);
    }
  }
  EventLog::Columns& ev = m.ev;
  const std::size_t base = ev.size();
  auto append = [&](auto& dst, const auto& from) {
    if (rejected.empty()) {
      dst.insert(dst.end(), from.begin(), from.end());
      return;
    }
    std::size_t r = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (r < rejected.size() && rejected[r] == i) {
        ++r;
        continue;
      }
      dst.push_back(from[i]);
    }
  };
  for (std::size_t i = 0; i < n; ++i)  // an object given with kind `none` is rejected above; keep the log clean
    if ((c.flags[i] & 3u) == 0) c.object[i] = kNoId;
  append(ev.learner, c.learner), append(ev.time, c.time), append(ev.object, c.object), append(ev.actor, c.actor);
  append(ev.score, c.score), append(ev.duration, c.duration), append(ev.count, c.count), append(ev.verb, c.verb);
  append(ev.flags, c.flags);
  std::size_t r = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (r < rejected.size() && rejected[r] == i) {
      ++r;
      continue;
    }
    m.ev_ref.push_back((static_cast<std::uint64_t>(source) << kSourceShift) | (first_index + i));
  }
  const std::size_t accepted = ev.size() - base;
  m.report.accept(src, accepted);
  c.learner.clear(), c.time.clear(), c.object.clear(), c.actor.clear(), c.score.clear();
  c.duration.clear(), c.count.clear(), c.verb.clear(), c.flags.clear();
  return accepted;
}

std::size_t CohortBuilder::declared_person_count() const noexcept { return impl_->declared_people; }

std::size_t CohortBuilder::add_events(const EventRecord* records, const RecordRef* refs, std::size_t n) {
  Impl& m = *impl_;
  // A software pipeline over batches of events: hash the ids of batch b + 2 and prefetch their slots, prefetch
  // the names the slots of batch b + 1 point at, add the events of batch b (the same add_event). Each memory
  // read then has two batches' worth of work to arrive in, instead of stalling one lookup at a time.
  constexpr std::size_t kBatch = 16;
  std::uint64_t h[3][kBatch][3] = {};
  auto table = [&m](ObjectKind k) -> const StringTable& {
    return k == ObjectKind::step ? m.step_ids : k == ObjectKind::resource ? m.resources : m.person_ids;
  };
  auto hash_and_prefetch = [&](std::size_t b) {
    if (b >= n) return;
    auto& hb = h[(b / kBatch) % 3];
    for (std::size_t i = 0; i < kBatch && b + i < n; ++i) {
      const EventRecord& r = records[b + i];
      hb[i][0] = hash_bytes(r.learner.data(), r.learner.size());
      m.person_ids.prefetch_slot(hb[i][0]);
      if (r.object_kind != ObjectKind::none) {
        hb[i][1] = hash_bytes(r.object.data(), r.object.size());
        table(r.object_kind).prefetch_slot(hb[i][1]);
      }
      if (!r.actor.empty()) {
        hb[i][2] = hash_bytes(r.actor.data(), r.actor.size());
        m.person_ids.prefetch_slot(hb[i][2]);
      }
    }
  };
  auto prefetch_names = [&](std::size_t b) {
    if (b >= n) return;
    auto& hb = h[(b / kBatch) % 3];
    for (std::size_t i = 0; i < kBatch && b + i < n; ++i) {
      const EventRecord& r = records[b + i];
      m.person_ids.prefetch_name(hb[i][0]);
      if (r.object_kind != ObjectKind::none) table(r.object_kind).prefetch_name(hb[i][1]);
      if (!r.actor.empty()) m.person_ids.prefetch_name(hb[i][2]);
    }
  };
  hash_and_prefetch(0);
  hash_and_prefetch(kBatch);
  prefetch_names(0);
  std::size_t accepted = 0;
  for (std::size_t b = 0; b < n; b += kBatch) {
    hash_and_prefetch(b + 2 * kBatch);
    prefetch_names(b + kBatch);
    auto& hb = h[(b / kBatch) % 3];
    for (std::size_t i = 0; i < kBatch && b + i < n; ++i) accepted += m.add_event(records[b + i], refs[b + i], hb[i]);
  }
  return accepted;
}

bool CohortBuilder::has_person(std::string_view id) const noexcept {
  const Id p = impl_->person_ids.find(id);
  return p != kNoId && impl_->people[p].declared;
}
bool CohortBuilder::is_learner(std::string_view id) const noexcept {
  const Id p = impl_->person_ids.find(id);
  return p != kNoId && impl_->people[p].declared && impl_->people[p].person.role == Role::learner;
}
bool CohortBuilder::has_path(std::string_view id) const noexcept {
  const Id p = impl_->path_ids.find(id);
  return p != kNoId && impl_->paths[p].declared;
}
bool CohortBuilder::has_step(std::string_view id) const noexcept {
  const Id s = impl_->step_ids.find(id);
  return s != kNoId && impl_->steps[s].declared;
}
bool CohortBuilder::has_enrolment(std::string_view id) const noexcept { return impl_->enrolment_ids.find(id) != kNoId; }

std::string_view CohortBuilder::step_by_iri(std::string_view iri) const noexcept {
  auto it = impl_->step_by_iri.find(std::string(iri));
  return it == impl_->step_by_iri.end() ? std::string_view() : impl_->step_ids[it->second];
}

std::string_view CohortBuilder::person_by_email(std::string_view email) const noexcept {
  auto it = impl_->person_by_email.find(lower(email));
  return it == impl_->person_by_email.end() ? std::string_view() : impl_->person_ids[it->second];
}

std::string_view CohortBuilder::person_by_mbox_sha1(std::string_view sha1_hex) const {
  auto it = impl_->person_by_mbox_sha1.find(lower(sha1_hex));
  return it == impl_->person_by_mbox_sha1.end() ? std::string_view() : impl_->person_ids[it->second];
}

// ---- build ----------------------------------------------------------------------------------------------------

Cohort CohortBuilder::build(ReadReport& out_report) {
  Impl& m = *impl_;
  Cohort c;
  c.calendar_ = m.calendar;
  c.sources_ = m.sources;

  // People: keep declared ones, renumbered in order of first appearance.
  std::vector<PersonId> person_map(m.people.size(), kNoId);
  for (Id p = 0; p < m.people.size(); ++p) {
    auto& e = m.people[p];
    if (!e.declared) continue;
    const PersonId np = static_cast<PersonId>(c.people_.size());
    person_map[p] = np;
    if (!m.pseudonymise_key.empty()) {
      e.person.id = pseudonym(m.pseudonymise_key, e.person.id);
      e.person.display_name.clear();
      e.person.email.clear();
    }
    c.person_ids_.intern(e.person.id);
    if (e.person.role == Role::learner) {
      e.person.learner = static_cast<LearnerId>(c.learners_.size());
      e.learner.person = np;
      for (auto& [name, value] : e.protected_attributes)
        c.protected_.set(e.person.learner, name, std::move(value));
      c.learners_.push_back(std::move(e.learner));
    }
    c.people_.push_back(std::move(e.person));
  }
  c.protected_.resize(c.learners_.size());
  auto learner_of_person = [&](Id p) -> LearnerId {
    const PersonId np = person_map[p];
    return np == kNoId ? kNoId : c.people_[np].learner;
  };

  // Paths.
  std::vector<PathId> path_map(m.paths.size(), kNoId);
  for (Id p = 0; p < m.paths.size(); ++p) {
    if (!m.paths[p].declared) continue;
    path_map[p] = static_cast<PathId>(c.paths_.size());
    c.path_ids_.intern(m.paths[p].path.id);
    c.paths_.push_back(std::move(m.paths[p].path));
  }

  // Steps: each must belong to a declared path.
  std::vector<StepId> step_map(m.steps.size(), kNoId);
  for (Id s = 0; s < m.steps.size(); ++s) {
    auto& e = m.steps[s];
    if (!e.declared) continue;
    const Id p = m.path_ids.find(e.path);
    if (p == kNoId || !m.paths[p].declared) {
      m.unaccept(e.ref, "path_id", "step in no path: path " + quote(e.path) + " is not declared");
      continue;
    }
    const StepId ns = static_cast<StepId>(c.steps_.size());
    step_map[s] = ns;
    Path& path = c.paths_[path_map[p]];
    e.step.path = path_map[p];
    e.step.position = static_cast<std::uint32_t>(path.steps.size());
    path.steps.push_back(ns);
    for (const auto& comp : e.competencies) e.step.competencies.push_back(c.competencies_.intern(comp));
    c.step_ids_.intern(e.step.id);
    if (!e.step.activity_iri.empty()) {
      c.step_iris_.intern(e.step.activity_iri);
      c.step_by_iri_.push_back(ns);
    }
    c.steps_.push_back(std::move(e.step));
  }

  // Prerequisites: resolve, then keep the graph acyclic, rejecting the rows of every cycle found.
  {
    struct Edge {
      std::uint32_t from, to;  // positions
      std::size_t row;
    };
    std::vector<std::vector<Edge>> edges(c.paths_.size());
    for (std::size_t i = 0; i < m.prerequisites.size(); ++i) {
      const auto& r = m.prerequisites[i];
      const Id a = m.step_ids.find(r.requires_step), b = m.step_ids.find(r.step);
      const StepId sa = a == kNoId ? kNoId : step_map[a], sb = b == kNoId ? kNoId : step_map[b];
      if (sb == kNoId) {
        m.unaccept(r.ref, "step_id", "unknown step " + quote(r.step));
        continue;
      }
      if (sa == kNoId) {
        m.unaccept(r.ref, "requires_step_id", "unknown step " + quote(r.requires_step));
        continue;
      }
      if (c.steps_[sa].path != c.steps_[sb].path) {
        m.unaccept(r.ref, "requires_step_id",
                   "steps " + quote(r.requires_step) + " and " + quote(r.step) + " belong to different paths");
        continue;
      }
      auto& list = edges[c.steps_[sb].path];
      const Edge e{c.steps_[sa].position, c.steps_[sb].position, i};
      bool dup = false;
      for (const Edge& o : list) dup |= (o.from == e.from && o.to == e.to);
      if (dup) {
        m.unaccept(r.ref, "requires_step_id", "duplicate prerequisite");
        continue;
      }
      list.push_back(e);
    }
    for (PathId p = 0; p < c.paths_.size(); ++p) {
      Path& path = c.paths_[p];
      const std::size_t n = path.steps.size();
      std::vector<Edge>& list = edges[p];
      for (;;) {
        // Kahn's algorithm, smallest position first, so the order is deterministic and follows the table.
        std::vector<std::vector<std::size_t>> out(n);
        std::vector<int> indeg(n, 0);
        for (std::size_t k = 0; k < list.size(); ++k) {
          out[list[k].from].push_back(k);
          ++indeg[list[k].to];
        }
        std::priority_queue<std::uint32_t, std::vector<std::uint32_t>, std::greater<>> ready;
        for (std::uint32_t v = 0; v < n; ++v)
          if (indeg[v] == 0) ready.push(v);
        std::vector<std::uint32_t> order;
        while (!ready.empty()) {
          const std::uint32_t v = ready.top();
          ready.pop();
          order.push_back(v);
          for (std::size_t k : out[v])
            if (--indeg[list[k].to] == 0) ready.push(list[k].to);
        }
        if (order.size() == n) {
          path.topo_order.clear();
          for (std::uint32_t v : order) path.topo_order.push_back(path.steps[v]);
          break;
        }
        // A cycle remains among the vertices with indeg > 0: walk back along incoming edges until a vertex
        // repeats; that loop is a cycle. Reject its rows (naming the steps) and try again.
        std::vector<std::size_t> in_edge(n, SIZE_MAX);
        for (std::size_t k = 0; k < list.size(); ++k)
          if (indeg[list[k].to] > 0 && indeg[list[k].from] > 0) in_edge[list[k].to] = k;
        std::uint32_t v = 0;
        while (indeg[v] == 0 || in_edge[v] == SIZE_MAX) ++v;
        std::vector<int> seen(n, -1);
        std::vector<std::size_t> walk;
        while (seen[v] < 0) {
          seen[v] = static_cast<int>(walk.size());
          walk.push_back(in_edge[v]);
          v = list[in_edge[v]].from;
        }
        std::vector<std::size_t> cycle(walk.begin() + seen[v], walk.end());
        std::reverse(cycle.begin(), cycle.end());
        std::string names;
        for (std::size_t k : cycle) names += c.steps_[path.steps[list[k].from]].id + " -> ";
        names += c.steps_[path.steps[list[cycle.front()].from]].id;
        std::vector<char> drop(list.size(), 0);
        for (std::size_t k : cycle) {
          drop[k] = 1;
          m.unaccept(m.prerequisites[list[k].row].ref, "requires_step_id", "prerequisites form a cycle: " + names);
        }
        std::vector<Edge> kept;
        for (std::size_t k = 0; k < list.size(); ++k)
          if (!drop[k]) kept.push_back(list[k]);
        list.swap(kept);
      }
      path.prerequisites = PrerequisiteGraph(n);
      for (const Edge& e : list) boost::add_edge(e.from, e.to, path.prerequisites);
    }
  }

  // Enrolments.
  for (auto& r : m.enrolments) {
    const Id p = m.person_ids.find(r.learner);
    const LearnerId l = p == kNoId ? kNoId : learner_of_person(p);
    if (l == kNoId) {
      const bool declared = p != kNoId && person_map[p] != kNoId;
      m.unaccept(r.ref, "learner_id",
                 declared ? quote(r.learner) + " is not a learner" : "unknown learner " + quote(r.learner));
      continue;
    }
    const Id pa = m.path_ids.find(r.path);
    if (pa == kNoId || path_map[pa] == kNoId) {
      m.unaccept(r.ref, "path_id", "unknown path " + quote(r.path));
      continue;
    }
    const PathId path = path_map[pa];
    const std::string& inst_name = r.instance.empty() ? r.path : r.instance;
    bool fresh = false;
    const InstanceId inst = c.instances_.intern(inst_name, &fresh);
    if (fresh) c.instance_path_.push_back(path);
    if (c.instance_path_[inst] != path) {
      m.unaccept(r.ref, "instance_id",
                 "instance " + quote(inst_name) + " already belongs to path " + quote(c.paths_[c.instance_path_[inst]].id));
      continue;
    }
    Enrolment e;
    e.id = r.id;
    e.learner = l;
    e.path = path;
    e.instance = inst;
    e.start = r.start;
    e.planned_end = r.planned_end;
    e.outcome = r.outcome;
    e.outcome_time = r.outcome_time;
    e.prior_attempts = r.prior_attempts;
    c.enrolment_ids_.intern(e.id);
    c.enrolments_.push_back(std::move(e));
  }
  auto index_by = [&](auto key, std::size_t groups, std::vector<EnrolmentId>& ids, std::vector<std::size_t>& offsets) {
    offsets.assign(groups + 1, 0);
    for (const auto& e : c.enrolments_) ++offsets[key(e) + 1];
    for (std::size_t g = 0; g < groups; ++g) offsets[g + 1] += offsets[g];
    ids.assign(c.enrolments_.size(), 0);
    std::vector<std::size_t> next(offsets.begin(), offsets.end() - 1);
    for (EnrolmentId i = 0; i < c.enrolments_.size(); ++i) ids[next[key(c.enrolments_[i])]++] = i;
    for (std::size_t g = 0; g < groups; ++g)
      std::stable_sort(ids.begin() + static_cast<std::ptrdiff_t>(offsets[g]),
                       ids.begin() + static_cast<std::ptrdiff_t>(offsets[g + 1]),
                       [&](EnrolmentId a, EnrolmentId b) { return c.enrolments_[a].start < c.enrolments_[b].start; });
  };
  index_by([](const Enrolment& e) { return e.learner; }, c.learners_.size(), c.by_learner_, c.by_learner_offsets_);
  index_by([](const Enrolment& e) { return e.instance; }, c.instances_.size(), c.by_instance_, c.by_instance_offsets_);

  // Declared relations.
  c.graph_ = StakeholderGraph(c.people_.size());
  for (const auto& r : m.relations) {
    const Id a = m.person_ids.find(r.source);
    const PersonId pa = a == kNoId ? kNoId : person_map[a];
    if (pa == kNoId) {
      m.unaccept(r.ref, "source_id", "unknown person " + quote(r.source));
      continue;
    }
    const Id b = m.person_ids.find(r.target);
    const PersonId pb = b == kNoId ? kNoId : person_map[b];
    if (pb != kNoId) {
      c.graph_.add_relation(pa, pb, Relation{r.type, r.from, r.to, 0, kNoTime});
      continue;
    }
    const InstanceId inst = c.instances_.find(r.target);
    if (inst != kNoId && (r.type == RelationType::tutors || r.type == RelationType::trains)) {
      c.graph_.add_instance_relation(InstanceRelation{pa, r.type, inst, r.from, r.to});
      continue;
    }
    m.unaccept(r.ref, "target_id",
               (r.type == RelationType::tutors || r.type == RelationType::trains)
                   ? "unknown person or path instance " + quote(r.target)
                   : "unknown person " + quote(r.target));
  }

  // Events: resolve learners, objects and actors; reject what does not resolve.
  {
    // One small array rather than a Person looked up per event (cache misses once there are many learners).
    std::vector<LearnerId> learner_map(m.people.size());
    for (Id p = 0; p < m.people.size(); ++p) learner_map[p] = learner_of_person(p);
    const std::size_t n = m.ev.size();
    std::vector<char> keep(n, 1);
    std::size_t dropped = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const RecordRef ref{static_cast<std::uint32_t>(m.ev_ref[i] >> kSourceShift), m.ev_ref[i] & kIndexMask};
      const Id p = m.ev.learner[i];
      const LearnerId l = learner_map[p];
      const char* field = nullptr;
      std::string reason;
      if (l == kNoId) {
        field = "learner_id";
        reason = person_map[p] == kNoId ? "unknown learner " + quote(m.person_ids[p])
                                        : quote(m.person_ids[p]) + " is not a learner";
      } else {
        m.ev.learner[i] = l;
        const auto kind = static_cast<ObjectKind>(m.ev.flags[i] & 3u);
        Id& obj = m.ev.object[i];
        if (kind == ObjectKind::step) {
          if (step_map[obj] == kNoId) field = "object_id", reason = "unknown step " + quote(m.step_ids[obj]);
          else obj = step_map[obj];
        } else if (kind == ObjectKind::person) {
          if (person_map[obj] == kNoId) field = "object_id", reason = "unknown person " + quote(m.person_ids[obj]);
          else obj = person_map[obj];
        }
        PersonId& actor = m.ev.actor[i];
        if (!field && actor != kNoId) {
          if (person_map[actor] == kNoId) field = "actor_id", reason = "unknown person " + quote(m.person_ids[actor]);
          else actor = person_map[actor];
        }
      }
      if (field) {
        keep[i] = 0;
        ++dropped;
        m.unaccept(ref, field, std::move(reason));
      }
    }
    if (dropped) m.ev.filter(keep);
    m.ev_ref.clear();
    m.ev_ref.shrink_to_fit();
    c.resources_ = std::move(m.resources);
    c.events_ = EventLog::from_columns(std::move(m.ev), c.learners_.size());
  }

  // Interaction edges, aggregated per unordered pair of people (sorted by pair, then summed: no node per pair).
  {
    struct Touch {
      std::uint64_t key;
      std::uint32_t count;
      Time time;
    };
    std::vector<Touch> touches;
    const EventLog& log = c.events_;
    for (LearnerId l = 0; l < c.learners_.size(); ++l) {
      const PersonId self = c.learners_[l].person;
      for (std::size_t i = log.begin(l); i < log.end(l); ++i) {
        if (!is_interaction(log.verb(i))) continue;
        PersonId other = kNoId;
        if (log.actor(i) != kNoId) other = log.actor(i);
        else if (log.object_kind(i) == ObjectKind::person) other = log.object(i);
        if (other == kNoId || other == self) continue;
        const std::uint64_t key = (static_cast<std::uint64_t>(std::min(self, other)) << 32) | std::max(self, other);
        touches.push_back({key, log.count(i), log.time(i)});
      }
    }
    std::sort(touches.begin(), touches.end(), [](const Touch& x, const Touch& y) { return x.key < y.key; });
    std::vector<std::pair<std::uint64_t, std::pair<std::uint32_t, Time>>> sorted;
    for (const Touch& t : touches) {
      if (sorted.empty() || sorted.back().first != t.key) sorted.push_back({t.key, {0u, kNoTime}});
      sorted.back().second.first += t.count;
      sorted.back().second.second = std::max(sorted.back().second.second, t.time);
    }
    for (const auto& [key, v] : sorted)
      c.graph_.add_relation(static_cast<PersonId>(key >> 32), static_cast<PersonId>(key & 0xFFFFFFFFu),
                            Relation{RelationType::interacts, kNoTime, kNoTime, v.first, v.second});
  }

  if (!m.pseudonymise_key.empty()) {
    // Reasons quote ids as 'id': the person ids among them (declared or only referenced) become pseudonyms.
    for (Rejection& r : m.report.rejected) {
      std::string out;
      std::size_t at = 0;
      for (;;) {
        const std::size_t open = r.reason.find('\'', at);
        const std::size_t close = open == std::string::npos ? open : r.reason.find('\'', open + 1);
        if (close == std::string::npos) break;
        const std::string_view inner(r.reason.data() + open + 1, close - open - 1);
        out.append(r.reason, at, open + 1 - at);
        if (m.person_ids.find(inner) != kNoId) out += pseudonym(m.pseudonymise_key, inner);
        else out.append(inner);
        out += '\'';
        at = close + 1;
      }
      out.append(r.reason, at, std::string::npos);
      r.reason = std::move(out);
    }
  }
  out_report = std::move(m.report);
  const std::string key = std::move(m.pseudonymise_key);
  impl_ = std::make_unique<Impl>();
  impl_->pseudonymise_key = key;
  impl_->calendar = c.calendar_;
  return c;
}

LIEN_END_NAMESPACE
