// Feature extraction: one forward pass over each learner's events for all the instants asked of that learner.
//
// Compiled once: this is the hot loop of lien (every score and every training set goes through it), and it is
// large. The pass keeps running state that only ever grows with time — distinct active days with their event
// counts, contacts with people, the state of each step of each enrolment — and reads every feature off that
// state at each as_of in increasing order, so the events after an as_of are simply not read yet when its
// row is written. See docs/features.md for the definition of every value.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <tuple>

#include "lien/core/error.hpp"
#include "lien/features/extract.hpp"

LIEN_BEGIN_NAMESPACE

namespace {

constexpr Day kNever = std::numeric_limits<Day>::max();
constexpr Time kMinTime = std::numeric_limits<Time>::min();
constexpr Time kMaxTime = std::numeric_limits<Time>::max();
constexpr std::size_t kN = kFeatureCount;

constexpr std::size_t col(FeatureId f) noexcept { return static_cast<std::size_t>(f); }

// Step state bits.
constexpr std::uint8_t kDone = 1, kAttempted = 2, kAttended = 4, kAbsent = 8;

// The local day of instants, with the UTC offset of each UTC day looked up once and kept in a table that
// grows to cover the days seen. When the offset is the same at both ends of a UTC day no DST transition falls
// inside it (transitions are months apart), and the local day is a shift and a division away; the rare UTC
// days holding a transition ask the calendar for every instant.
class DayOf {
 public:
  explicit DayOf(const Calendar& cal) : cal_(cal) {}
  Day operator()(Time t) {
    const Day u = utc_day(t);
    if (LIEN_UNLIKELY(u < base_ || u >= base_ + static_cast<Day>(off_.size()))) grow(u);
    const Time off = off_[static_cast<std::size_t>(u - base_)];
    if (LIEN_UNLIKELY(off == kMixed)) return cal_.local_day(t);
    // |off| < 1 day, so the local day is u - 1, u or u + 1: no second division.
    const Time r = t - static_cast<Time>(u) * kMsPerDay + off;
    return u + (r >= kMsPerDay) - (r < 0);
  }

 private:
  static constexpr Time kMixed = std::numeric_limits<Time>::min();
  void grow(Day u) {
    // Geometric growth on the side that needs it, so a long range costs O(range) in total.
    const Day margin = std::max<Day>(64, static_cast<Day>(off_.size() / 2));
    const Day lo = off_.empty() ? u - margin : std::min(base_, u - margin);
    const Day hi = off_.empty() ? u + margin : std::max(base_ + static_cast<Day>(off_.size()), u + margin);
    std::vector<Time> next(static_cast<std::size_t>(hi - lo));
    for (Day d = lo; d < hi; ++d) {
      const std::size_t k = static_cast<std::size_t>(d - lo);
      if (!off_.empty() && d >= base_ && d < base_ + static_cast<Day>(off_.size())) {
        next[k] = off_[static_cast<std::size_t>(d - base_)];
        continue;
      }
      const Time a = static_cast<Time>(d) * kMsPerDay;
      const Time off = cal_.utc_offset(a);
      next[k] = off == cal_.utc_offset(a + kMsPerDay - 1) ? off : kMixed;
    }
    off_.swap(next);
    base_ = lo;
  }
  const Calendar& cal_;
  Day base_ = 0;
  std::vector<Time> off_;
};

// Distinct local days with learner activity, in increasing order, with cumulative event counts.
struct ActivityDays {
  std::vector<Day> day;
  std::vector<std::int64_t> cum;  // cum[k] = events on day[0..k]

  void clear() {
    day.clear();
    cum.clear();
  }
  void add(Day d, std::int64_t n) {
    if (!day.empty() && day.back() == d) {
      cum.back() += n;
      return;
    }
    if (day.empty() || day.back() < d) {
      day.push_back(d);
      cum.push_back((cum.empty() ? 0 : cum.back()) + n);
      return;
    }
    // A local day going backwards (a DST change across midnight in some zones): insert in order.
    const auto it = std::lower_bound(day.begin(), day.end(), d);
    const std::size_t k = static_cast<std::size_t>(it - day.begin());
    if (*it != d) {
      day.insert(it, d);
      cum.insert(cum.begin() + static_cast<std::ptrdiff_t>(k), k == 0 ? 0 : cum[k - 1]);
    }
    for (std::size_t j = k; j < cum.size(); ++j) cum[j] += n;
  }
};

struct Contact {
  Time time;
  PersonId person;
};
struct Touch {
  Time time;
  std::uint32_t count;
};
struct DatedRelation {
  PersonId person;
  Time from, to;
  bool valid_at(Time t) const noexcept { return (from == kNoTime || from <= t) && (to == kNoTime || t < to); }
};

// The few fields of a Step the snapshot reads, packed (Step itself holds strings and vectors).
struct StepBrief {
  StepKind kind;
  Phase phase;
  bool required;
};

// The event log's columns as raw pointers: the hot loop then keeps them in registers instead of reloading
// each vector's data pointer after every store into the running state.
struct Columns {
  const Time* time;
  const Verb* verb;
  const std::uint8_t* flags;
  const PersonId* actor;
  const Id* object;
  const float* score;
  const std::uint32_t* count;
};

struct EnrolState {
  EnrolmentId e = kNoId;
  PathId path = kNoId;
  Day start_day = 0;
  Time from = kMinTime, to = kMaxTime;  // step events in [from, to) belong to this enrolment
  std::vector<Day> due, eff;            // per step position: own due day, effective due day of required steps
  std::vector<std::uint8_t> state;      // per step position: kDone | kAttempted | kAttended | kAbsent
  std::vector<StepBrief> brief;         // per step position: what the snapshot reads of the step
  bool any_dated = false;
  double score_sum = 0;
  std::int64_t score_n = 0;
  double last_score = 0;
  std::int64_t failed = 0;
};

// Attending a classroom or virtual session is what doing that step means.
bool is_done(Verb v, Tri success, Tri completion) noexcept {
  return v == Verb::completed || v == Verb::passed || v == Verb::attended || success == Tri::yes ||
         completion == Tri::yes;
}
bool is_attempt(Verb v, float score, Tri success) noexcept {
  return v == Verb::attempted || v == Verb::answered || v == Verb::completed || v == Verb::passed ||
         v == Verb::failed || !std::isnan(score) || success != Tri::unknown;
}
bool is_assessment(StepKind k) noexcept { return k == StepKind::assessment || k == StepKind::assignment; }
bool is_session(StepKind k) noexcept { return k == StepKind::classroom || k == StepKind::virtual_class; }

double median(std::vector<double>& v) {
  if (v.empty()) return 0;
  const std::size_t m = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(m), v.end());
  const double hi = v[m];
  if (v.size() % 2 == 1) return hi;
  const double lo = *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(m));
  return (lo + hi) / 2;
}

std::string when(Time t) { return format_timestamp_utc(t); }

// The activity features read off the active-day table at local day d, for an enrolment starting on start_day.
void activity_features(const ActivityDays& a, const Calendar& cal, Day d, Day start_day, double* f) {
  const std::size_t n = a.day.size();
  Day last = n ? std::min(a.day.back(), d) : kNoDay;
  const Day ref = last == kNoDay ? start_day : std::max(last, start_day);
  f[col(FeatureId::inactive_working_days)] = static_cast<double>(cal.working_days_between(ref, d));

  int a7 = 0, a14 = 0, a28 = 0;
  std::int64_t ev28 = 0;
  double week[4] = {0, 0, 0, 0};  // oldest .. newest
  Day recent[28];
  int m = 0;
  for (std::size_t k = n; k-- > 0;) {
    const Day dd = std::min(a.day[k], d);
    const int age = d - dd;
    if (age >= 28) break;
    const std::int64_t cnt = a.cum[k] - (k ? a.cum[k - 1] : 0);
    a7 += age < 7;
    a14 += age < 14;
    ++a28;
    ev28 += cnt;
    week[3 - age / 7] += static_cast<double>(cnt);
    if (m < 28) recent[m++] = dd;
  }
  f[col(FeatureId::active_days_7d)] = a7;
  f[col(FeatureId::active_days_14d)] = a14;
  f[col(FeatureId::active_days_28d)] = a28;
  f[col(FeatureId::activity_events_28d)] = static_cast<double>(ev28);
  const auto first = std::lower_bound(a.day.begin(), a.day.end(), start_day - 28) - a.day.begin();
  const std::int64_t before = first > 0 ? a.cum[static_cast<std::size_t>(first) - 1] : 0;
  f[col(FeatureId::activity_events_total)] = static_cast<double>((n ? a.cum.back() : 0) - before);
  f[col(FeatureId::activity_trend)] = (-1.5 * week[0] - 0.5 * week[1] + 0.5 * week[2] + 1.5 * week[3]) / 5.0;
  f[col(FeatureId::active_weeks_4w)] = (week[0] > 0) + (week[1] > 0) + (week[2] > 0) + (week[3] > 0);
  double cv = 0;
  if (m >= 3) {  // recent[] is newest first; gaps between consecutive distinct active days
    const int g = m - 1;
    double sum = 0;
    for (int i = 0; i < g; ++i) sum += recent[i] - recent[i + 1];
    const double mean = sum / g;
    double ss = 0;
    for (int i = 0; i < g; ++i) {
      const double x = (recent[i] - recent[i + 1]) - mean;
      ss += x * x;
    }
    cv = std::sqrt(ss / g) / mean;
  }
  f[col(FeatureId::activity_gap_cv)] = cv;
}

class Extractor {
 public:
  Extractor(const Cohort& c, const FeatureOptions& o)
      : c_(c), cal_(c.calendar()), log_(c.events()), o_(o), day_of_(cal_),
        ev_{log_.times(), log_.verbs(), log_.flags(), log_.actors(), log_.objects(), log_.scores(), log_.counts()} {
    inst_tutors_.resize(c.instances().size());
    for (const InstanceRelation& r : c.graph().instance_relations())
      if (r.type == RelationType::tutors && r.instance < inst_tutors_.size())
        inst_tutors_[r.instance].push_back({r.person, r.valid_from, r.valid_to});
    // Compact copies of what the event loop looks up, so that it stays in cache (Person and Step hold strings).
    person_learner_.resize(c.person_count());
    for (PersonId p = 0; p < c.person_count(); ++p)
      person_learner_[p] = c.person(p).role == Role::learner ? c.person(p).learner : kNoId;
    step_path_.resize(c.step_count());
    step_pos_.resize(c.step_count());
    for (StepId st = 0; st < c.step_count(); ++st) {
      step_path_[st] = c.step(st).path;
      step_pos_[st] = c.step(st).position;
    }
  }

  // Fills `out` (rows x kN) for `rows`.
  void run(Span<Landmark> rows, FeatureValues& out) {
    const std::size_t n = rows.size();
    out.resize(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(kN));
    if (n == 0) return;
    Time max_as_of = kMinTime;
    for (const Landmark& r : rows) max_as_of = std::max(max_as_of, r.as_of);
    std::vector<char> wanted(c_.learner_count(), 0);
    for (const Landmark& r : rows) wanted[c_.enrolment(r.enrolment).learner] = 1;
    index_incoming_interactions(max_as_of, wanted);
    index_relations();

    const std::vector<std::uint32_t> order = sorted_rows(rows, c_.learner_count(), [&](EnrolmentId e) { return c_.enrolment(e).learner; });
    auto learner = [&](std::uint32_t r) { return key_[r]; };
    for (std::size_t g = 0; g < n;) {
      const LearnerId l = learner(order[g]);
      std::size_t h = g;
      while (h < n && learner(order[h]) == l) ++h;
      start_learner(l, rows, order.data() + g, order.data() + h);
      EventLog::Index i = log_.begin(l);
      const EventLog::Index end = log_.end(l);
      for (std::size_t k = g; k < h; ++k) {
        const Landmark& row = rows[order[k]];
        while (i < end && ev_.time[i] <= row.as_of) process(i++);
        snapshot(row, out.row(static_cast<Eigen::Index>(order[k])).data());
      }
      g = h;
    }
    relative_features(rows, out);
  }

  // Row indices ordered by (key(enrolment), as_of, enrolment, row); key_ keeps each row's key. Keys are dense
  // ids below `keys`, so a counting sort places the rows and only each key's few rows are compared; the keys
  // are gathered once, because comparing through the cohort's Enrolment records would miss the cache.
  template <class Key>
  std::vector<std::uint32_t> sorted_rows(Span<Landmark> rows, std::size_t keys, Key&& key) {
    const std::size_t n = rows.size();
    key_.resize(n);
    std::vector<std::size_t> offsets(keys + 1, 0);
    for (std::uint32_t r = 0; r < n; ++r) {
      key_[r] = key(rows[r].enrolment);
      ++offsets[key_[r] + 1];
    }
    for (std::size_t k = 0; k < keys; ++k) offsets[k + 1] += offsets[k];
    std::vector<std::uint32_t> order(n);
    {
      std::vector<std::size_t> next(offsets.begin(), offsets.end() - 1);
      for (std::uint32_t r = 0; r < n; ++r) order[next[key_[r]]++] = r;
    }
    for (std::size_t k = 0; k < keys; ++k) {
      if (offsets[k + 1] - offsets[k] < 2) continue;
      std::sort(order.begin() + static_cast<std::ptrdiff_t>(offsets[k]),
                order.begin() + static_cast<std::ptrdiff_t>(offsets[k + 1]), [&](std::uint32_t a, std::uint32_t b) {
                  return std::tie(rows[a].as_of, rows[a].enrolment, a) < std::tie(rows[b].as_of, rows[b].enrolment, b);
                });
    }
    return order;
  }

  // For each learner with a row (`wanted`), the interactions recorded in other learners' logs with them, up to
  // the latest as_of, by time.
  void index_incoming_interactions(Time max_as_of, const std::vector<char>& wanted) {
    const std::size_t learners = c_.learner_count();
    const Verb* verbs = log_.verbs();
    const Time* times = log_.times();
    struct Found {
      LearnerId target;
      Touch touch;
    };
    std::vector<Found> found;
    // A scan of the verb column with the time checked on interactions only: a binary search per learner for
    // the end of its range would miss the cache at every step.
    for (LearnerId src = 0; src < learners; ++src) {
      const EventLog::Index e = log_.end(src);
      for (EventLog::Index i = log_.begin(src); i < e; ++i) {
        if (!is_interaction(verbs[i]) || times[i] > max_as_of) continue;
        const LearnerId other = peer_of(src, i);
        if (other != kNoId && wanted[other]) found.push_back({other, Touch{times[i], ev_.count[i]}});
      }
    }
    incoming_offsets_.assign(learners + 1, 0);
    for (const Found& x : found) ++incoming_offsets_[x.target + 1];
    for (std::size_t l = 0; l < learners; ++l) incoming_offsets_[l + 1] += incoming_offsets_[l];
    incoming_.resize(found.size());
    std::vector<std::size_t> next(incoming_offsets_.begin(), incoming_offsets_.end() - 1);
    for (const Found& x : found) incoming_[next[x.target]++] = x.touch;
    // Only sums and the latest instant are read from these, so the order among equal instants is immaterial.
    for (std::size_t l = 0; l < learners; ++l) {
      Touch* b = incoming_.data() + incoming_offsets_[l];
      Touch* e = incoming_.data() + incoming_offsets_[l + 1];
      if (e - b < 2) continue;
      if (e - b > 32) {
        std::sort(b, e, [](const Touch& x, const Touch& y) { return x.time < y.time; });
        continue;
      }
      for (Touch* p = b + 1; p < e; ++p)  // insertion sort: a learner's incoming list is short
        for (Touch* q = p; q > b && (q - 1)->time > q->time; --q) std::swap(*(q - 1), *q);
    }
  }

  // The other learner of interaction event i in learner l's log, or kNoId when it is not with a peer.
  LearnerId peer_of(LearnerId l, EventLog::Index i) const {
    PersonId other = ev_.actor[i];
    if (other == kNoId && static_cast<ObjectKind>(ev_.flags[i] & 3u) == ObjectKind::person) other = ev_.object[i];
    if (other == kNoId || other >= person_learner_.size()) return kNoId;
    const LearnerId o = person_learner_[other];
    return o == l ? kNoId : o;
  }

  void start_learner(LearnerId l, Span<Landmark> rows, const std::uint32_t* b, const std::uint32_t* e) {
    learner_ = l;
    activity_.clear();
    contacts_n_ = 0;
    const std::size_t events = log_.end(l) - log_.begin(l);
    if (contacts_.size() < 2 * events + 2) contacts_.resize(2 * events + 2);
    peer_own_.clear();
    incoming_pos_ = incoming_offsets_[l];
    incoming_end_ = incoming_offsets_[l + 1];
    managers_.clear();
    tutors_of_learner_.clear();
    for (std::size_t k = relations_offsets_[l]; k < relations_offsets_[l + 1]; ++k)
      (relations_[k].second ? tutors_of_learner_ : managers_).push_back(relations_[k].first);

    // One state per distinct enrolment asked of this learner.
    states_used_ = 0;
    for (const std::uint32_t* r = b; r != e; ++r) {
      const EnrolmentId en = rows[*r].enrolment;
      bool seen = false;
      for (std::size_t k = 0; k < states_used_; ++k) seen |= states_[k].e == en;
      if (!seen) init_state(en);
    }
  }

  // Managers (the learner reports_to m) and personal tutors (t tutors the learner), dated, grouped by learner.
  // One walk over the graph's edge list (stored in insertion order, so read mostly sequentially) costs less
  // than visiting each learner's own edges, which are mostly interactions scattered in memory.
  void index_relations() {
    const std::size_t learners = c_.learner_count();
    const auto& g = c_.graph().boost_graph();
    std::vector<std::pair<LearnerId, std::pair<DatedRelation, bool>>> found;
    for (auto [it, end] = boost::edges(g); it != end; ++it) {
      const Relation& r = g[*it];
      if (r.type == RelationType::reports_to) {
        const PersonId src = static_cast<PersonId>(boost::source(*it, g));
        if (person_learner_[src] != kNoId)
          found.push_back({person_learner_[src],
                           {{static_cast<PersonId>(boost::target(*it, g)), r.valid_from, r.valid_to}, false}});
      } else if (r.type == RelationType::tutors) {
        const PersonId dst = static_cast<PersonId>(boost::target(*it, g));
        if (person_learner_[dst] != kNoId)
          found.push_back({person_learner_[dst],
                           {{static_cast<PersonId>(boost::source(*it, g)), r.valid_from, r.valid_to}, true}});
      }
    }
    relations_offsets_.assign(learners + 1, 0);
    for (const auto& x : found) ++relations_offsets_[x.first + 1];
    for (std::size_t l = 0; l < learners; ++l) relations_offsets_[l + 1] += relations_offsets_[l];
    relations_.resize(found.size());
    std::vector<std::size_t> next(relations_offsets_.begin(), relations_offsets_.end() - 1);
    for (const auto& x : found) relations_[next[x.first]++] = x.second;
  }

  void init_state(EnrolmentId e) {
    if (states_used_ == states_.size()) states_.emplace_back();
    EnrolState& s = states_[states_used_++];
    const Enrolment& en = c_.enrolment(e);
    const Path& path = c_.path(en.path);
    s.e = e;
    s.path = en.path;
    s.start_day = c_.start_day(e);
    // Attribution of step events when the learner has several enrolments on this path: each enrolment owns
    // the events from its start to the next one's start; the earliest also owns what came before.
    s.from = kMinTime;
    s.to = kMaxTime;
    bool earliest = true;
    for (EnrolmentId o : c_.enrolments_of(en.learner)) {
      if (o == e || c_.enrolment(o).path != en.path) continue;
      const Time os = c_.enrolment(o).start;
      if (os < en.start || (os == en.start && o < e)) earliest = false;
      if ((os > en.start || (os == en.start && o > e)) && os < s.to) s.to = os;
    }
    if (!earliest) s.from = en.start;
    const std::size_t n = path.steps.size();
    s.due.assign(n, kNoDay);
    s.eff.assign(n, kNever);
    s.state.assign(n, 0);
    s.brief.resize(n);
    for (std::size_t p = 0; p < n; ++p) {
      const Step& st = c_.step(path.steps[p]);
      s.brief[p] = {st.kind, st.phase, st.required};
    }
    s.any_dated = false;
    for (std::size_t p = 0; p < n; ++p) {
      s.due[p] = c_.step(path.steps[p]).window.due_day(s.start_day);
      s.any_dated |= s.due[p] != kNoDay;
    }
    // Effective due day of a required step: its own, or the earliest of the required steps that (through
    // required steps) depend on it — exactly the steps Cohort::required_due_by(e, d) returns for d >= it.
    for (auto it = path.topo_order.rbegin(); it != path.topo_order.rend(); ++it) {
      const Step& st = c_.step(*it);
      if (!st.required) continue;
      Day best = s.due[st.position] == kNoDay ? kNever : s.due[st.position];
      for (auto [oe, oend] = boost::out_edges(st.position, path.prerequisites); oe != oend; ++oe) {
        const std::size_t v = boost::target(*oe, path.prerequisites);
        if (c_.step(path.steps[v]).required) best = std::min(best, s.eff[v]);
      }
      s.eff[st.position] = best;
    }
    s.score_sum = 0;
    s.score_n = 0;
    s.last_score = 0;
    s.failed = 0;
  }

  void process(EventLog::Index i) {
    const Time t = ev_.time[i];
    const Verb v = ev_.verb[i];
    const std::uint8_t fl = ev_.flags[i];
    const PersonId actor = ev_.actor[i];
    const std::uint32_t count = ev_.count[i];
    const auto kind = static_cast<ObjectKind>(fl & 3u);
    const auto success = static_cast<Tri>((fl >> 2) & 3u);
    if (actor == kNoId && v != Verb::absent) activity_.add(day_of_(t), count);
    // Contacts are written unconditionally and kept by advancing the count: the conditions are unpredictable
    // in real logs, and start_learner sized the buffer for two contacts per event.
    contacts_[contacts_n_] = {t, actor};
    contacts_n_ += actor != kNoId;
    contacts_[contacts_n_] = {t, ev_.object[i]};
    contacts_n_ += kind == ObjectKind::person;
    if (LIEN_UNLIKELY(is_interaction(v)) && peer_of(learner_, i) != kNoId) peer_own_.push_back({t, count});

    const float score = ev_.score[i];
    const bool failed = v == Verb::failed || success == Tri::no;
    if (kind == ObjectKind::step) {
      const StepId sid = ev_.object[i];
      const PathId sp = step_path_[sid];
      for (std::size_t k = 0; k < states_used_; ++k) {
        EnrolState& s = states_[k];
        if (s.path != sp || t < s.from || t >= s.to) continue;
        std::uint8_t& bits = s.state[step_pos_[sid]];
        if (is_done(v, success, static_cast<Tri>((fl >> 4) & 3u))) bits |= kDone;
        if (is_attempt(v, score, success)) bits |= kAttempted;
        if (v == Verb::attended) bits |= kAttended;
        if (v == Verb::absent) bits |= kAbsent;
        score_into(s, score, failed, count);
      }
    } else if (!std::isnan(score) || failed) {
      for (std::size_t k = 0; k < states_used_; ++k) score_into(states_[k], score, failed, count);
    }
  }

  static void score_into(EnrolState& s, float score, bool failed, std::uint32_t count) {
    if (!std::isnan(score)) {
      s.score_sum += score;
      ++s.score_n;
      s.last_score = score;
    }
    if (failed) s.failed += count;
  }

  EnrolState& state_of(EnrolmentId e) {
    for (std::size_t k = 0; k < states_used_; ++k)
      if (states_[k].e == e) return states_[k];
    throw InternalError("feature extraction: no state for enrolment " + std::to_string(e));
  }

  // Working days since the later of `last` (an instant, or kNoTime) and the enrolment's start day.
  std::int64_t silence(Time last, Day start_day, Day d) {
    Day ref = start_day;
    if (last != kNoTime) ref = std::max(ref, std::min(day_of_(last), d));
    return cal_.working_days_between(ref, d);
  }

  // The last contact (at or before the current instant) with anyone in `people` valid at as_of.
  Time last_contact(const std::vector<DatedRelation>& a, const std::vector<DatedRelation>* b, Time as_of,
                    bool& any) const {
    any = false;
    auto member = [&](PersonId p) {
      for (const auto& r : a)
        if (r.person == p && r.valid_at(as_of)) return true;
      if (b)
        for (const auto& r : *b)
          if (r.person == p && r.valid_at(as_of)) return true;
      return false;
    };
    for (const auto& r : a) any |= r.valid_at(as_of);
    if (b)
      for (const auto& r : *b) any |= r.valid_at(as_of);
    if (!any) return kNoTime;
    for (std::size_t k = contacts_n_; k-- > 0;)
      if (member(contacts_[k].person)) return contacts_[k].time;
    return kNoTime;
  }

  void snapshot(const Landmark& row, double* f) {
    const Time as_of = row.as_of;
    const Day d = day_of_(as_of);
    EnrolState& s = state_of(row.enrolment);
    const Enrolment& en = c_.enrolment(row.enrolment);
    const Path& path = c_.path(en.path);

    activity_features(activity_, cal_, d, s.start_day, f);

    // Pace, assessments, attendance, phase.
    int due_n = 0, done_n = 0, overdue = 0, missed = 0, attended = 0, absent = 0, no_show = 0;
    Day oldest = kNever, next = kNever, phase_due = kNever;
    Phase phase = Phase::during;
    for (std::size_t p = 0; p < path.steps.size(); ++p) {
      const StepBrief& st = s.brief[p];
      const std::uint8_t bits = s.state[p];
      const Day due = s.due[p];
      if (st.required && s.eff[p] != kNever) {
        if (s.eff[p] < d) {
          ++due_n;
          if (bits & kDone) ++done_n;
          else ++overdue, oldest = std::min(oldest, s.eff[p]);
        } else if (!(bits & kDone)) {
          next = std::min(next, s.eff[p]);
        }
      }
      if (is_assessment(st.kind) && due != kNoDay && due < d && !(bits & kAttempted)) ++missed;
      if (is_session(st.kind)) {
        if (bits & kAttended) ++attended;
        else if (bits & kAbsent) ++absent;
        else if (due != kNoDay && due < d) ++no_show;
      }
      if (due != kNoDay && due >= d && due < phase_due) phase_due = due, phase = st.phase;
    }
    if (s.any_dated && phase_due == kNever) phase = Phase::after;
    const int horizon = o_.deadline_horizon_working_days;
    f[col(FeatureId::required_done_share)] = due_n ? static_cast<double>(done_n) / due_n : 1.0;
    f[col(FeatureId::behind_schedule_working_days)] =
        overdue ? static_cast<double>(cal_.working_days_between(oldest, d)) : 0.0;
    f[col(FeatureId::overdue_required_steps)] = overdue;
    f[col(FeatureId::next_deadline_working_days)] =
        next == kNever ? horizon : static_cast<double>(std::min<std::int64_t>(cal_.working_days_between(d, next), horizon));
    f[col(FeatureId::has_upcoming_deadline)] = next != kNever;
    f[col(FeatureId::has_assessment_score)] = s.score_n > 0;
    f[col(FeatureId::assessment_mean_score)] = s.score_n ? s.score_sum / static_cast<double>(s.score_n) : 0.0;
    f[col(FeatureId::assessment_last_score)] = s.score_n ? s.last_score : 0.0;
    f[col(FeatureId::assessment_failed_attempts)] = static_cast<double>(s.failed);
    f[col(FeatureId::assessment_missed)] = missed;
    const int sessions = attended + absent + no_show;
    f[col(FeatureId::attendance_rate)] = sessions ? static_cast<double>(attended) / sessions : 1.0;
    f[col(FeatureId::phase_before)] = phase == Phase::before;
    f[col(FeatureId::phase_during)] = phase == Phase::during;
    f[col(FeatureId::phase_intersession)] = phase == Phase::intersession;
    f[col(FeatureId::phase_after)] = phase == Phase::after;

    // Peers: interactions in this learner's log, and those other learners' logs record with this learner.
    while (incoming_pos_ < incoming_end_ && incoming_[incoming_pos_].time <= as_of) ++incoming_pos_;
    std::int64_t peer28 = 0;
    Time last_peer = kNoTime;
    auto scan = [&](const Touch* b, const Touch* e) {
      if (b != e) last_peer = std::max(last_peer, (e - 1)->time);
      for (const Touch* t = e; t != b;) {  // backwards; never steps before b (b may be null for an empty range)
        --t;
        if (d - std::min(day_of_(t->time), d) >= 28) break;
        peer28 += t->count;
      }
    };
    scan(peer_own_.data(), peer_own_.data() + peer_own_.size());
    scan(incoming_.data() + incoming_offsets_[learner_], incoming_.data() + incoming_pos_);
    f[col(FeatureId::peer_interactions_28d)] = static_cast<double>(peer28);
    const std::int64_t peer_silence = silence(last_peer, s.start_day, d);
    f[col(FeatureId::peer_silence_working_days)] = static_cast<double>(peer_silence);
    f[col(FeatureId::isolated_from_peers)] = peer_silence >= o_.isolation_working_days;

    // Manager and tutors valid at as_of, and the last contact with any of them.
    bool any = false;
    const Time last_manager = last_contact(managers_, nullptr, as_of, any);
    f[col(FeatureId::has_manager)] = any;
    f[col(FeatureId::manager_silence_working_days)] = static_cast<double>(silence(last_manager, s.start_day, d));
    const std::vector<DatedRelation>* inst = en.instance < inst_tutors_.size() ? &inst_tutors_[en.instance] : nullptr;
    const Time last_tutor = last_contact(tutors_of_learner_, inst, as_of, any);
    f[col(FeatureId::has_tutor)] = any;
    f[col(FeatureId::tutor_silence_working_days)] = static_cast<double>(silence(last_tutor, s.start_day, d));

    // The enrolment among the learner's others.
    f[col(FeatureId::enrolment_age_working_days)] = static_cast<double>(cal_.working_days_between(s.start_day, d));
    int earlier = 0, concurrent = 0;
    const std::string& course = path.course;
    for (EnrolmentId o : c_.enrolments_of(en.learner)) {
      if (o == row.enrolment) continue;
      const Enrolment& oe = c_.enrolment(o);
      if (oe.start < en.start && c_.path(oe.path).course == course) ++earlier;
      if (oe.start <= as_of && oe.outcome_at(as_of) == Outcome::active) ++concurrent;
    }
    f[col(FeatureId::prior_attempts)] = std::max(earlier, std::max(en.prior_attempts, 0));
    f[col(FeatureId::concurrent_enrolments)] = concurrent;
    f[col(FeatureId::active_days_28d_vs_instance)] = 1.0;  // set by relative_features
    f[col(FeatureId::activity_events_28d_vs_instance)] = 1.0;
    f[col(FeatureId::activity_events_total_vs_instance)] = 1.0;
  }

  // Activity of enrolment e at as_of for the group comparison when that pair is not one of the rows.
  void activity_alone(EnrolmentId e, Time as_of, double* f) {
    const LearnerId l = c_.enrolment(e).learner;
    ActivityDays a;
    DayOf day_of(cal_);
    const EventLog::Index end = log_.upper_bound(l, as_of);
    for (EventLog::Index i = log_.begin(l); i < end; ++i)
      if (log_.actor(i) == kNoId && log_.verb(i) != Verb::absent) a.add(day_of(log_.time(i)), log_.count(i));
    activity_features(a, cal_, cal_.local_day(as_of), c_.start_day(e), f);
  }

  // The *_vs_instance ratios: (x + 1) / (median of x over the instance's population at the same as_of + 1).
  void relative_features(Span<Landmark> rows, FeatureValues& out) {
    const std::size_t n = rows.size();
    const std::vector<std::uint32_t> order = sorted_rows(rows, c_.instances().size(), [&](EnrolmentId e) { return c_.enrolment(e).instance; });
    auto inst = [&](std::uint32_t r) { return key_[r]; };
    constexpr FeatureId kBase[3] = {FeatureId::active_days_28d, FeatureId::activity_events_28d,
                                    FeatureId::activity_events_total};
    constexpr FeatureId kRel[3] = {FeatureId::active_days_28d_vs_instance, FeatureId::activity_events_28d_vs_instance,
                                   FeatureId::activity_events_total_vs_instance};
    std::vector<double> vals[3];
    double f[kN];
    for (std::size_t g = 0; g < n;) {
      const InstanceId i = inst(order[g]);
      const Time as_of = rows[order[g]].as_of;
      std::size_t h = g;
      while (h < n && inst(order[h]) == i && rows[order[h]].as_of == as_of) ++h;
      for (auto& v : vals) v.clear();
      for (EnrolmentId m : c_.enrolments_in(i)) {
        if (!in_population(c_, m, as_of)) continue;
        // Rows g..h are sorted by enrolment: find m among them, else compute its activity alone.
        const auto it = std::lower_bound(order.begin() + static_cast<std::ptrdiff_t>(g),
                                         order.begin() + static_cast<std::ptrdiff_t>(h), m,
                                         [&](std::uint32_t r, EnrolmentId x) { return rows[r].enrolment < x; });
        if (it != order.begin() + static_cast<std::ptrdiff_t>(h) && rows[*it].enrolment == m) {
          for (int q = 0; q < 3; ++q) vals[q].push_back(out(*it, static_cast<Eigen::Index>(col(kBase[q]))));
        } else {
          activity_alone(m, as_of, f);
          for (int q = 0; q < 3; ++q) vals[q].push_back(f[col(kBase[q])]);
        }
      }
      double med[3];
      for (int q = 0; q < 3; ++q) med[q] = median(vals[q]);
      for (std::size_t k = g; k < h; ++k)
        for (int q = 0; q < 3; ++q) {
          const Eigen::Index r = order[k];
          out(r, static_cast<Eigen::Index>(col(kRel[q]))) =
              (out(r, static_cast<Eigen::Index>(col(kBase[q]))) + 1.0) / (med[q] + 1.0);
        }
      g = h;
    }
  }

  const Cohort& c_;
  const Calendar& cal_;
  const EventLog& log_;
  const FeatureOptions& o_;
  DayOf day_of_;
  const Columns ev_;
  std::vector<std::vector<DatedRelation>> inst_tutors_;
  std::vector<Touch> incoming_;
  std::vector<std::size_t> incoming_offsets_;
  std::vector<std::size_t> relations_offsets_;
  std::vector<std::pair<DatedRelation, bool>> relations_;  // by learner; second: a tutor (else a manager)
  std::vector<Id> key_;  // per row: the learner (in run) or the instance (in relative_features)
  std::vector<LearnerId> person_learner_;  // kNoId for people who are not learners
  std::vector<PathId> step_path_;
  std::vector<std::uint32_t> step_pos_;

  // Per learner.
  LearnerId learner_ = kNoId;
  ActivityDays activity_;
  std::vector<Contact> contacts_;  // the first contacts_n_ are this learner's contacts so far
  std::size_t contacts_n_ = 0;
  std::vector<Touch> peer_own_;
  std::size_t incoming_pos_ = 0, incoming_end_ = 0;
  std::vector<DatedRelation> managers_, tutors_of_learner_;
  std::vector<EnrolState> states_;
  std::size_t states_used_ = 0;
};

std::vector<std::size_t> selection(const FeatureOptions& o) {
  std::vector<std::size_t> sel;
  if (o.features.empty()) {
    for (std::size_t i = 0; i < kN; ++i) sel.push_back(i);
    return sel;
  }
  for (const std::string& id : o.features) {
    const FeatureInfo* f = find_feature(id);
    if (!f) throw NotFound("feature options: unknown feature '" + id + "'");
    const std::size_t i = col(f->id);
    if (std::find(sel.begin(), sel.end(), i) != sel.end())
      throw InvalidArgument("feature options: feature '" + id + "' is asked twice");
    sel.push_back(i);
  }
  return sel;
}

}  // namespace

std::vector<EnrolmentId> population(const Cohort& c, Time as_of) {
  std::vector<EnrolmentId> out;
  for (EnrolmentId e = 0; e < c.enrolment_count(); ++e)
    if (in_population(c, e, as_of)) out.push_back(e);
  return out;
}

std::vector<Landmark> landmarks(const Cohort& c, const std::vector<Time>& instants) {
  std::vector<Landmark> out;
  for (Time t : instants)
    for (EnrolmentId e : population(c, t)) out.push_back({e, t});
  return out;
}

FeatureSpec builtin_spec(const FeatureOptions& options) {
  FeatureSpec spec;
  for (std::size_t i : selection(options)) {
    const FeatureInfo& f = kFeatures[i];
    spec.push_back({std::string(f.name), std::string(f.unit), std::string(f.description_en), true});
  }
  return spec;
}

FeatureMatrix extract(const Cohort& c, Span<Landmark> rows, const FeatureOptions& options) {
  if (options.isolation_working_days < 1)
    throw InvalidArgument("feature options: isolation_working_days must be at least 1");
  if (options.deadline_horizon_working_days < 1)
    throw InvalidArgument("feature options: deadline_horizon_working_days must be at least 1");
  const std::vector<std::size_t> sel = selection(options);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const Landmark& x = rows[r];
    const std::string where = "extract: row " + std::to_string(r) + ": ";
    if (x.enrolment >= c.enrolment_count())
      throw InvalidArgument(where + "enrolment index " + std::to_string(x.enrolment) + " is not in the cohort");
    if (x.as_of == kNoTime) throw InvalidArgument(where + "as_of is missing");
    if (utc_day(x.as_of) < kMinDay || utc_day(x.as_of) > kMaxDay)
      throw InvalidArgument(where + "as_of " + std::to_string(x.as_of) + " ms is outside 1970-2199");
    const Enrolment& en = c.enrolment(x.enrolment);
    if (en.start > x.as_of)
      throw InvalidArgument(where + "enrolment '" + en.id + "' starts at " + when(en.start) + ", after as_of " +
                            when(x.as_of));
    if (en.outcome_at(x.as_of) != Outcome::active)
      throw InvalidArgument(where + "enrolment '" + en.id + "' was " + std::string(to_string(en.outcome)) + " at " +
                            when(en.outcome_time) + ", at or before as_of " + when(x.as_of));
  }
  FeatureMatrix m;
  m.spec = builtin_spec(options);
  m.enrolments.reserve(rows.size());
  m.as_of.reserve(rows.size());
  for (const Landmark& x : rows) {
    m.enrolments.push_back(x.enrolment);
    m.as_of.push_back(x.as_of);
  }
  FeatureValues all;
  Extractor(c, options).run(rows, all);
  if (sel.size() == kN && std::is_sorted(sel.begin(), sel.end())) {
    m.values = std::move(all);
  } else {
    m.values.resize(all.rows(), static_cast<Eigen::Index>(sel.size()));
    for (std::size_t j = 0; j < sel.size(); ++j)
      m.values.col(static_cast<Eigen::Index>(j)) = all.col(static_cast<Eigen::Index>(sel[j]));
  }
  return m;
}

FeatureMatrix extract(const Cohort& c, Time as_of, const FeatureOptions& options) {
  if (as_of == kNoTime) throw InvalidArgument("extract: as_of is missing");
  if (utc_day(as_of) < kMinDay || utc_day(as_of) > kMaxDay)
    throw InvalidArgument("extract: as_of " + std::to_string(as_of) + " ms is outside 1970-2199");
  std::vector<Landmark> rows;
  for (EnrolmentId e : population(c, as_of)) rows.push_back({e, as_of});
  return extract(c, Span<Landmark>(rows), options);
}

LIEN_END_NAMESPACE
