// lien/model/cohort.hpp — the whole picture of a training programme, and the builder that checks it.
//
// A Cohort owns learners, stakeholders, paths and steps, enrolments, the event log, the stakeholder graph and
// the calendar. It is immutable once built, so it can be read from many threads at once. Every source (CSV
// folder, xAPI file, DataFrames, C arrays) feeds a CohortBuilder with typed records that still carry external
// string ids; build() resolves the ids, checks referential integrity, and reports every record it had to
// refuse — with its source, index, field and reason — instead of stopping at the first problem.
#pragma once

#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lien/core/calendar.hpp"
#include "lien/core/config.hpp"
#include "lien/core/intern.hpp"
#include "lien/core/rejection.hpp"
#include "lien/core/span.hpp"
#include "lien/model/enrolment.hpp"
#include "lien/model/event_log.hpp"
#include "lien/model/path.hpp"
#include "lien/model/people.hpp"
#include "lien/model/stakeholder_graph.hpp"
#include "lien/model/types.hpp"

LIEN_BEGIN_NAMESPACE

class Cohort {
 public:
  Cohort() = default;

  const Calendar& calendar() const noexcept { return calendar_; }

  // ---- people ---------------------------------------------------------------------------------------------
  std::size_t person_count() const noexcept { return people_.size(); }
  const Person& person(PersonId p) const { return people_[p]; }
  PersonId find_person(std::string_view id) const noexcept { return person_ids_.find(id); }

  std::size_t learner_count() const noexcept { return learners_.size(); }
  const Learner& learner(LearnerId l) const { return learners_[l]; }
  /// The external id of learner l.
  const std::string& learner_id(LearnerId l) const { return people_[learners_[l].person].id; }
  LearnerId find_learner(std::string_view id) const noexcept {
    const PersonId p = person_ids_.find(id);
    return p == kNoId ? kNoId : people_[p].learner;
  }
  /// Protected attributes: for the fairness audit only, never for features.
  const ProtectedAttributes& protected_attributes() const noexcept { return protected_; }

  // ---- paths and steps -------------------------------------------------------------------------------------
  std::size_t path_count() const noexcept { return paths_.size(); }
  const Path& path(PathId p) const { return paths_[p]; }
  PathId find_path(std::string_view id) const noexcept { return path_ids_.find(id); }

  std::size_t step_count() const noexcept { return steps_.size(); }
  const Step& step(StepId s) const { return steps_[s]; }
  StepId find_step(std::string_view id) const noexcept { return step_ids_.find(id); }
  StepId find_step_by_iri(std::string_view iri) const noexcept {
    const Id i = step_iris_.find(iri);
    return i == kNoId ? kNoId : step_by_iri_[i];
  }

  const StringTable& competencies() const noexcept { return competencies_; }
  const StringTable& instances() const noexcept { return instances_; }
  const StringTable& resources() const noexcept { return resources_; }
  /// The path an instance belongs to.
  PathId instance_path(InstanceId i) const { return instance_path_[i]; }

  // ---- enrolments ------------------------------------------------------------------------------------------
  std::size_t enrolment_count() const noexcept { return enrolments_.size(); }
  const Enrolment& enrolment(EnrolmentId e) const { return enrolments_[e]; }
  EnrolmentId find_enrolment(std::string_view id) const noexcept { return enrolment_ids_.find(id); }
  /// A learner's enrolments, by start.
  Span<EnrolmentId> enrolments_of(LearnerId l) const {
    return {by_learner_.data() + by_learner_offsets_[l], by_learner_offsets_[l + 1] - by_learner_offsets_[l]};
  }
  /// The enrolments of a path instance (its group of peers), by start.
  Span<EnrolmentId> enrolments_in(InstanceId i) const {
    return {by_instance_.data() + by_instance_offsets_[i], by_instance_offsets_[i + 1] - by_instance_offsets_[i]};
  }
  /// Local day an enrolment starts on (day 0 of relative windows).
  Day start_day(EnrolmentId e) const { return calendar_.local_day(enrolments_[e].start); }
  /// The local day step s is due for enrolment e (kNoDay if undated).
  Day due_day(StepId s, EnrolmentId e) const { return steps_[s].window.due_day(start_day(e)); }
  /// Required steps enrolment e should have done by local day d (see required_due_by in path.hpp).
  std::vector<StepId> required_due_by(EnrolmentId e, Day d) const {
    const Enrolment& en = enrolments_[e];
    return lien::required_due_by(paths_[en.path], [this](StepId s) -> const Step& { return steps_[s]; },
                                 start_day(e), d);
  }

  // ---- events and people around the learners -------------------------------------------------------------
  const EventLog& events() const noexcept { return events_; }
  const StakeholderGraph& graph() const noexcept { return graph_; }

  /// Managers of learner l at instant t (reports_to).
  std::vector<PersonId> managers(LearnerId l, Time t) const {
    return graph_.out(learners_[l].person, RelationType::reports_to, t);
  }
  /// Tutors of the learner of enrolment e at t: tutors of the learner and tutors of the enrolment's instance.
  std::vector<PersonId> tutors(EnrolmentId e, Time t) const { return attached(e, RelationType::tutors, t); }
  /// Trainers of the learner of enrolment e at t, likewise.
  std::vector<PersonId> trainers(EnrolmentId e, Time t) const { return attached(e, RelationType::trains, t); }
  /// Learners of the same path instance as enrolment e (other enrolments, any outcome), by start.
  std::vector<LearnerId> peers(EnrolmentId e) const {
    std::vector<LearnerId> out;
    const Enrolment& en = enrolments_[e];
    for (EnrolmentId o : enrolments_in(en.instance))
      if (o != e && enrolments_[o].learner != en.learner) out.push_back(enrolments_[o].learner);
    return out;
  }

  /// Sources the cohort was read from (file names or table names).
  const std::vector<std::string>& sources() const noexcept { return sources_; }

 private:
  friend class CohortBuilder;

  std::vector<PersonId> attached(EnrolmentId e, RelationType type, Time t) const {
    const Enrolment& en = enrolments_[e];
    std::vector<PersonId> res = graph_.in(learners_[en.learner].person, type, t);
    for (PersonId p : graph_.in_instance(en.instance, type, t)) res.push_back(p);
    std::sort(res.begin(), res.end());
    res.erase(std::unique(res.begin(), res.end()), res.end());
    return res;
  }

  Calendar calendar_;
  StringTable person_ids_, path_ids_, step_ids_, step_iris_, enrolment_ids_;
  StringTable competencies_, instances_, resources_;
  std::vector<Person> people_;
  std::vector<Learner> learners_;
  ProtectedAttributes protected_;
  std::vector<Path> paths_;
  std::vector<Step> steps_;
  std::vector<StepId> step_by_iri_;
  std::vector<PathId> instance_path_;
  std::vector<Enrolment> enrolments_;
  std::vector<EnrolmentId> by_learner_, by_instance_;
  std::vector<std::size_t> by_learner_offsets_, by_instance_offsets_;
  EventLog events_;
  StakeholderGraph graph_;
  std::vector<std::string> sources_;
};

// ---- records: what a source hands to the builder ------------------------------------------------------------

/// Where a record came from: a source registered with CohortBuilder::source() and a 1-based index in it.
///
/// A `derived` record was not read as such but inferred by a reader from records it did read (the learners,
/// paths, steps and enrolments an xAPI file implies); `index` then names the record it was inferred from. A
/// derived record is not counted as read or accepted, so `read` keeps counting records of the input; if it is
/// rejected it is counted as read and rejected, so the report stays balanced.
struct RecordRef {
  std::uint32_t source = 0;
  std::uint64_t index = 0;
  bool derived = false;
};

struct LearnerRecord {
  std::string_view id;
  std::string_view display_name, email, team, site, job;
  std::vector<std::pair<std::string, std::string>> protected_attributes;  ///< e.g. {"gender", "F"}
};

struct StakeholderRecord {
  std::string_view id;
  Role role = Role::manager;
  std::string_view display_name, email, organisation;
};

/// A dated relation `source --type--> target`. For tutors and trains, the target may also be a path instance.
struct RelationRecord {
  std::string_view source, target;
  RelationType type = RelationType::reports_to;
  Time valid_from = kNoTime, valid_to = kNoTime;
};

struct PathRecord {
  std::string_view id, title, course;
};

struct StepRecord {
  std::string_view path, id, title;
  StepKind kind = StepKind::elearning;
  Phase phase = Phase::during;
  StepWindow window;
  float effort_hours = 0;
  bool required = true;
  float weight = 1;
  std::vector<std::string_view> competencies;
  std::string_view activity_iri;
};

struct PrerequisiteRecord {
  std::string_view step, requires_step;
};

struct EnrolmentRecord {
  std::string_view id, learner, path, instance;  ///< instance "" = the path itself
  Time start = kNoTime, planned_end = kNoTime;
  Outcome outcome = Outcome::active;
  Time outcome_time = kNoTime;
  std::int32_t prior_attempts = -1;
};

struct EventRecord {
  std::string_view learner;
  Time time = 0;
  Verb verb = Verb::other;
  ObjectKind object_kind = ObjectKind::none;
  std::string_view object;  ///< step id, resource id (any string, e.g. an IRI) or person id, as object_kind says
  std::string_view actor;   ///< "" when the learner acted; else a stakeholder's (or peer's) person id
  float score = std::numeric_limits<float>::quiet_NaN();
  Tri success = Tri::unknown;
  Tri completion = Tri::unknown;
  float duration = std::numeric_limits<float>::quiet_NaN();  ///< seconds
  std::uint32_t count = 1;
};

/// Collects records from any number of sources, then builds a checked Cohort.
///
/// Each add_* call is one record read from `ref.source`; it returns false (and records the rejection) when the
/// record is wrong on its own (duplicate id, impossible dates, score out of range...). References between
/// records may arrive in any order and are resolved by build(), which rejects every record whose reference
/// never resolved. The invariant `report().read == accepted + rejected` holds after every call.
class CohortBuilder {
 public:
  explicit CohortBuilder(Calendar calendar = Calendar());
  ~CohortBuilder();
  CohortBuilder(CohortBuilder&&) noexcept;
  CohortBuilder& operator=(CohortBuilder&&) noexcept;

  const Calendar& calendar() const noexcept;
  void set_calendar(Calendar c);
  /// When not empty, build() replaces every person id by pseudonym(key, id) (lien/core/digest.hpp), drops
  /// display names and e-mails, and rewrites person ids quoted in rejection reasons. Records keep being added
  /// with the real ids (xAPI actors are matched on them and on e-mails first).
  void set_pseudonymise_key(std::string key);

  /// Registers a source (a file name, a table name) and returns its number for RecordRef.
  std::uint32_t source(const std::string& name);
  const std::string& source_name(std::uint32_t s) const;

  bool add_learner(const LearnerRecord& r, RecordRef ref);
  bool add_stakeholder(const StakeholderRecord& r, RecordRef ref);
  bool add_relation(const RelationRecord& r, RecordRef ref);
  bool add_path(const PathRecord& r, RecordRef ref);
  bool add_step(const StepRecord& r, RecordRef ref);
  bool add_prerequisite(const PrerequisiteRecord& r, RecordRef ref);
  bool add_enrolment(const EnrolmentRecord& r, RecordRef ref);
  bool add_event(const EventRecord& r, RecordRef ref);
  /// n events at once: the same checks and outcome as n calls to add_event, with the id lookups of a batch
  /// overlapped (what makes the difference once the learners no longer fit in the cache). Returns how many
  /// were accepted.
  std::size_t add_events(const EventRecord* records, const RecordRef* refs, std::size_t n);
  /// Room for n more events, for readers that can estimate their size (saves regrowing the columns).
  void reserve_events(std::size_t n);

  // Bulk events, for generators that hold ids as integers (the simulator: 100 million events without one
  // string lookup each). A handle is what add_event interns an id to; add_event_columns then takes events
  // whose `learner`, `object` and `actor` columns hold handles (object: a person, step or resource handle as
  // the event's object kind says, kNoId for none; actor: a person handle or kNoId), checks and counts each
  // one exactly as add_event would (record indices first_index, first_index + 1, ... in `source`), and
  // empties the columns (keeping their capacity, so a caller can refill them). Returns how many were
  // accepted. A handle that was never issued, columns of different lengths or an unknown source throw
  // InvalidArgument (a bug in the caller, not a bad record).
  Id person_handle(std::string_view id);
  Id step_handle(std::string_view id);
  Id resource_handle(std::string_view id);
  std::size_t add_event_columns(EventLog::Columns& columns, std::uint32_t source, std::uint64_t first_index);

  /// A record the reader could not turn into a typed record (bad field count, unparseable value...).
  void reject(RecordRef ref, std::string field, std::string reason);
  /// Records that were read and accepted by the reader but carry nothing for the cohort (xAPI voiding
  /// statements), and accepted records later removed by voiding.
  void accept_without_record(RecordRef ref);
  void count_voided(std::uint64_t n);

  // Lookups for readers that map outside ids (xAPI actors and activities) onto declared ones.
  /// Number of people (learners and stakeholders) declared so far.
  std::size_t declared_person_count() const noexcept;
  bool has_person(std::string_view id) const noexcept;
  bool is_learner(std::string_view id) const noexcept;
  bool has_path(std::string_view id) const noexcept;
  bool has_step(std::string_view id) const noexcept;
  bool has_enrolment(std::string_view id) const noexcept;
  /// The step id whose activity IRI is `iri`, or "" when none.
  std::string_view step_by_iri(std::string_view iri) const noexcept;
  /// The person id whose e-mail is `email` (case-insensitive), or "" when none.
  std::string_view person_by_email(std::string_view email) const noexcept;
  /// The person id whose sha1("mailto:" + email) is `sha1_hex`, or "" when none.
  std::string_view person_by_mbox_sha1(std::string_view sha1_hex) const;

  const ReadReport& report() const noexcept;

  /// Resolves every reference, rejects what does not resolve, and returns the cohort. `report` receives the
  /// whole account of the read. The builder is left empty.
  Cohort build(ReadReport& report);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// A cohort and the account of how it was read.
struct ReadResult {
  Cohort cohort;
  ReadReport report;
};

LIEN_END_NAMESPACE
