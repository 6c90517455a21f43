// The simulator: plays a programme out day by day for every group, then hands the records to CohortBuilder.
//
// Work is split by group (path instance): the learners of a group interact (forum posts, replies, messages),
// so a group is simulated in lockstep, one day at a time, and groups are independent of each other. Every
// draw comes from a sub-stream keyed by (seed, learner) or (seed, manager), and interactions made on a day
// only become visible the next day, so the result depends neither on the order learners are visited in nor
// on how groups are spread over threads. Groups are generated in batches (in parallel when asked) and their
// events streamed into the builder batch by batch, so memory stays bounded by the cohort itself.

// Bit-exact floating point: no fused multiply-add contraction in this file (see lien/sim/random.hpp).
#if defined(__clang__)
#pragma clang fp contract(off)
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <exception>
#include <thread>

#include "lien/core/error.hpp"
#include "lien/sim/random.hpp"
#include "lien/sim/simulator.hpp"

LIEN_BEGIN_NAMESPACE

namespace sim {

namespace {

// Sub-stream domains.
constexpr std::uint64_t kLearnerStream = 1;
constexpr std::uint64_t kManagerStream = 2;

constexpr double kSessionMinutesPerUnit = 45.0;  // one self-paced work session covers ~45 min of planned effort

// Local hours a self-paced session starts at (07:00 .. 22:00): office hours, a lunch dip, a smaller evening.
constexpr double kHourWeights[16] = {2, 5, 8, 9, 8, 5, 6, 8, 8, 7, 6, 4, 3, 3, 2, 1};
constexpr int kFirstHour = 7;

const char* const kFemaleNames[] = {"Camille", "Léa",   "Manon",  "Chloé",   "Emma",   "Inès",  "Sarah",
                                    "Julie",   "Laura", "Claire", "Sophie",  "Nadia",  "Aïcha", "Marie",
                                    "Anne",    "Lucie", "Pauline", "Céline", "Fatima", "Élodie"};
const char* const kMaleNames[] = {"Thomas", "Nicolas", "Julien", "Antoine", "Karim",  "Maxime", "Hugo",
                                  "Lucas",  "Mehdi",   "Pierre", "Olivier", "Romain", "Yann",   "David",
                                  "Louis",  "Samuel",  "Arthur", "Vincent", "Omar",   "Sébastien"};
const char* const kLastNames[] = {"Martin",  "Bernard", "Dubois", "Thomas",  "Robert",  "Richard", "Petit",
                                  "Durand",  "Leroy",   "Moreau", "Simon",   "Laurent", "Lefebvre", "Michel",
                                  "Garcia",  "David",   "Bertrand", "Roux",  "Vincent", "Fournier", "Morel",
                                  "Girard",  "Andre",   "Mercier", "Dupont", "Lambert", "Bonnet",  "Francois",
                                  "Martinez", "Benali", "Nguyen",  "Haddad"};
const char* const kSites[] = {"Paris", "Lyon", "Lille", "Nantes", "Bordeaux", "Toulouse", "Marseille", "Strasbourg"};
const char* const kJobs[] = {"team leader", "project manager", "head of unit", "supervisor", "store manager"};
const char* const kAgeBands[] = {"<30", "30-39", "40-49", "50+"};
constexpr double kAgeWeights[] = {0.15, 0.40, 0.30, 0.15};
constexpr int kLibraryResources = 12;

// Sub-stream domains (continued): names and demographics have streams of their own, so that they change
// nothing else and can be drawn before the simulation (the learners table goes to the builder first).
constexpr std::uint64_t kDemographicStream = 8;
constexpr std::uint64_t kNameStream = 16;  // 16..20: learners, managers, tutors, trainers, HR and CM

template <class T, std::size_t N>
constexpr std::size_t count_of(const T (&)[N]) noexcept {
  return N;
}

std::string numbered(const std::string& prefix, char letter, std::size_t i, int width) {
  std::string digits = std::to_string(i);
  const auto w = static_cast<std::size_t>(width);
  if (digits.size() < w) digits.insert(0, w - digits.size(), '0');
  return prefix + letter + digits;
}

int width_for(std::size_t n) {
  int w = 1;
  for (std::size_t x = n; x >= 10; x /= 10) ++w;
  return std::max(w, 4);
}

// ASCII, lower case, for e-mail addresses.
std::string ascii_lower(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      out += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
      continue;
    }
    // Two-byte UTF-8 accented Latin letters used in the name lists.
    const unsigned char d = i + 1 < s.size() ? static_cast<unsigned char>(s[i + 1]) : 0;
    ++i;
    if (c == 0xC3) {
      if ((d >= 0xA8 && d <= 0xAB) || (d >= 0x88 && d <= 0x8B)) out += 'e';
      else if ((d >= 0xAC && d <= 0xAF) || (d >= 0x8C && d <= 0x8F)) out += 'i';
      else if (d == 0xA7 || d == 0x87) out += 'c';
      else out += 'a';
    }
  }
  return out;
}

// The planned end of an enrolment, and the instant it completes: the end of the programme's last day.
Time plan_end_time(const Calendar& cal, Day last_day) {
  return cal.local_to_utc(static_cast<std::int64_t>(last_day) * kMsPerDay + kMsPerDay - kMsPerSecond);
}

// ---- the compact event the simulator produces, before ids become strings -------------------------------

struct SimEvent {
  Time time = 0;
  float score = std::numeric_limits<float>::quiet_NaN();
  float duration = std::numeric_limits<float>::quiet_NaN();
  std::uint32_t object = kNoId;  // step index, person index or resource index, as `kind` says
  std::uint32_t actor = kNoId;   // person index
  Verb verb = Verb::other;
  ObjectKind kind = ObjectKind::none;
  Tri success = Tri::unknown;
  Tri completion = Tri::unknown;
};

// ---- the plan shared by every group -------------------------------------------------------------------------

struct Plan {
  const Params* p = nullptr;
  const Calendar* cal = nullptr;
  std::size_t n_learners = 0, n_groups = 0, n_managers = 0, n_tutors = 0, n_trainers = 0;
  // Person indices: learners [0, n), then managers, tutors, trainers, HR, community manager, academy, company.
  std::size_t first_manager = 0, first_tutor = 0, first_trainer = 0, hr = 0, cm = 0, academy = 0, company = 0,
              n_people = 0;
  std::vector<Day> group_start;
  std::vector<int> sessions_needed;  // per step: self-paced work sessions
  std::vector<std::vector<int>> gating;  // per step: self-paced prerequisites (sessions never gate)
  std::vector<char> self_paced;      // per step
  std::vector<int> open_of, due_of;  // per step
  std::vector<std::size_t> by_open;  // self-paced steps by opening day (then index): the daily scans stop early
  std::vector<std::size_t> required_by_due;  // required self-paced steps by due day (then index)
  std::vector<double> urgency;  // exp(-days left / 3), by days left
  std::vector<double> manager_log_rate;
  std::vector<std::uint32_t> manager_site;
  int length = 0;
  int first_during = 0, last_during = -1;  // day offsets of the first and last `during` steps
  double ln_rate_base = 0;
};

// Teams are spread over groups: each block of team_size consecutive groups holds group_size teams, and a
// manager's team is the learners at one position of each group of the block. The assignment depends on the
// learner's index only, so a cohort's first learners are the same whatever its size.
std::size_t manager_of(const Params& p, std::size_t learner) {
  const std::size_t block = p.group_size * p.team_size;
  return learner / block * p.group_size + learner % p.group_size;
}
std::size_t manager_of(const Plan& plan, std::size_t learner) { return manager_of(*plan.p, learner); }

struct Demographics {
  const char* gender;
  const char* age_band;
  const char* disability;
};

Demographics demographics(const Params& p, std::size_t learner) {
  Rng r = Rng::stream(p.seed, kDemographicStream, learner);
  Demographics d;
  d.gender = r.bernoulli(p.mechanics.female_share) ? "F" : "M";
  d.age_band = kAgeBands[r.categorical(kAgeWeights, 4)];
  d.disability = r.bernoulli(p.mechanics.disability_share) ? "Y" : "N";
  return d;
}

// ---- one group, one day at a time ---------------------------------------------------------------------------

struct LearnerState {
  Rng rng{0};
  std::size_t index = 0;  // global learner index
  double motivation = 0, sociability = 0, engagement = 0, bias = 0;
  bool prior = false;
  std::uint32_t manager = 0;  // person index
  double manager_daily = 0;    // contact probability per working day
  Day start = 0;
  Day last_active = 0;
  Day last_manager = kNoDay;
  Day shock_until = kNoDay;  // in a shock on days < shock_until
  Day seen_posts_until = kNoDay;
  int absences = 0, failed = 0;
  std::vector<Day> peer_last;  // per member of the group
  std::vector<std::uint8_t> done, launched, attempts, blocked;  // per step
  std::vector<std::uint16_t> sessions;                          // per step: work sessions so far
  std::vector<std::pair<Day, std::size_t>> agenda;  // sessions: (day, step), by day then step
  std::size_t next_session = 0;
  bool withdrawn = false;
  Time outcome_time = kNoTime;
  Outcome outcome = Outcome::active;
  std::vector<SimEvent> events;  // observed events, sorted by time

  /// Back to a fresh learner, keeping the vectors' capacity (they are re-sized by init_learner).
  void reset() {
    motivation = sociability = engagement = bias = 0;
    prior = false;
    last_manager = shock_until = seen_posts_until = kNoDay;
    absences = failed = 0;
    withdrawn = false;
    outcome_time = kNoTime;
    outcome = Outcome::active;
    events.clear();
  }
};

struct Post {
  Day day;
  std::uint32_t member;  // index within the group
};

// One group's output. Buffers keep their capacity from one group to the next (no allocation per group).
struct GroupResult {
  std::vector<SimEvent> events;        // the group's learners one after the other
  std::vector<std::size_t> offsets;    // learner i's events are [offsets[i], offsets[i + 1])
  std::vector<EnrolmentTruth> truth;   // filled partly here (latent traits, outcomes)
  std::vector<CovariateRow> covariates;
  void clear() {
    events.clear(), offsets.clear(), truth.clear(), covariates.clear();
  }
};

class GroupSim {
 public:
  explicit GroupSim(const Plan& plan) : plan_(plan), p_(*plan.p), cal_(*plan.cal) {}

  /// Simulates group `group` into `out` (cleared first). A GroupSim is reused from group to group.
  void run(std::size_t group, GroupResult& out);
  double busy = 0;  // seconds spent in run()

 private:
  void init_learner(LearnerState& s);
  bool hazard_withdraws(LearnerState& s, Day d, std::vector<CovariateRow>* rows);
  void live_day(LearnerState& s, std::size_t member, Day d, bool working);
  void attend_session(LearnerState& s, std::size_t step, Day d);
  void work(LearnerState& s, Day d, bool working);
  void emit(LearnerState& s, const SimEvent& e, Day d, bool learner_acted);
  Time at(Day d, int hour, int minute, int second = 0) const {
    return cal_.local_to_utc(static_cast<std::int64_t>(d) * kMsPerDay + hour * kMsPerHour + minute * kMsPerMinute +
                             second * kMsPerSecond);
  }
  // Draws are sequenced one statement each: the order function arguments are evaluated in is unspecified
  // (GCC and Clang differ), and the stream must be consumed in the same order everywhere.
  Time office_time(Rng& r, Day d) const {
    const int hour = r.between(9, 17);
    const int minute = r.between(0, 59);
    const int second = r.between(0, 59);
    return at(d, hour, minute, second);
  }
  int pending_earliest(const LearnerState& s, Day d) const;

  const Plan& plan_;
  const Params& p_;
  const Calendar& cal_;
  std::size_t group_ = 0;
  std::vector<LearnerState> members_;
  std::vector<SimEvent> today_;  // one learner's events of the current day, before sorting
  std::vector<Post> posts_;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> ties_today_;
};

void GroupSim::init_learner(LearnerState& s) {
  const Mechanics& mech = p_.mechanics;
  const Programme& prog = p_.programme;
  Rng& r = s.rng;
  s.motivation = r.normal();
  s.sociability = mech.sociability_motivation * s.motivation +
                  std::sqrt(1.0 - mech.sociability_motivation * mech.sociability_motivation) * r.normal();
  const double stationary = mech.engagement_noise /
                            std::sqrt(std::max(1e-9, 1.0 - mech.engagement_persistence * mech.engagement_persistence));
  s.engagement = stationary * r.normal();
  s.prior = r.bernoulli(mech.prior_attempt_share);
  const std::size_t mgr = manager_of(plan_, s.index);
  s.manager = static_cast<std::uint32_t>(plan_.first_manager + mgr);
  s.manager_daily = std::min(0.9, det_exp(plan_.manager_log_rate[mgr]) / 5.0);
  s.start = plan_.group_start[group_];
  s.last_active = s.start;  // inactivity counts working days after the start day
  s.peer_last.assign(members_.size(), kNoDay);
  const std::size_t n = prog.steps.size();
  s.done.assign(n, 0), s.launched.assign(n, 0), s.sessions.assign(n, 0), s.attempts.assign(n, 0);
  s.blocked.assign(n, 0);
  s.agenda.clear();
  for (std::size_t k = 0; k < n; ++k) {
    const StepSpec& st = prog.steps[k];
    if (!is_session(st.kind)) continue;
    if (st.open == st.due) {
      s.agenda.emplace_back(s.start + st.due, k);
      continue;
    }
    // Coaching and reviews are booked on a working day of their window.
    Day days[366 * 3 + 1];
    std::uint32_t count = 0;
    for (Day d = s.start + st.open; d <= s.start + st.due; ++d)
      if (cal_.is_working_day(d)) days[count++] = d;
    s.agenda.emplace_back(count == 0 ? s.start + st.due : days[r.below(count)], k);
  }
  std::sort(s.agenda.begin(), s.agenda.end());
  s.next_session = 0;
}

// The planted hazard (HazardParams), from the state at the end of day d - 1.
bool GroupSim::hazard_withdraws(LearnerState& s, Day d, std::vector<CovariateRow>* rows) {
  const HazardParams& h = p_.hazard;
  const Day y = d - 1;
  CovariateRow c;
  c.inactive_days = static_cast<std::int32_t>(cal_.working_days_between(s.last_active, y));
  for (std::size_t k : plan_.required_by_due) {
    if (s.start + plan_.due_of[k] > y) break;
    c.overdue_steps += !s.done[k];
  }
  c.absences = s.absences;
  c.failed_attempts = s.failed;
  c.manager_contact =
      s.last_manager != kNoDay && cal_.working_days_between(s.last_manager, y) < h.manager_window ? 1 : 0;
  for (Day t : s.peer_last)
    if (t != kNoDay && t >= d - h.peer_window_days) ++c.peers;
  c.prior_attempt = s.prior ? 1 : 0;
  const int offset = d - s.start;
  c.phase = plan_.last_during < 0 ? Phase::during
            : offset < plan_.first_during ? Phase::before
            : offset > plan_.last_during  ? Phase::after
                                          : Phase::during;
  c.motivation = s.motivation;
  c.logit = h.intercept + h.per_inactive_day * std::min(c.inactive_days, h.inactive_cap) +
            h.per_overdue_step * std::min(c.overdue_steps, h.overdue_cap) + h.per_absence * c.absences +
            h.per_failed_attempt * c.failed_attempts + h.manager_contact * c.manager_contact +
            h.per_peer * std::min(c.peers, h.peer_cap) + h.prior_attempt * c.prior_attempt +
            (c.phase == Phase::before ? h.phase_before : c.phase == Phase::after ? h.phase_after : 0.0) +
            h.motivation * s.motivation + s.bias;
  c.withdrew = s.rng.bernoulli(sigmoid(c.logit));
  if (rows) {
    c.enrolment = static_cast<std::uint32_t>(s.index);
    c.day = d;
    rows->push_back(c);
  }
  return c.withdrew;
}

void GroupSim::emit(LearnerState& s, const SimEvent& e, Day d, bool learner_acted) {
  today_.push_back(e);
  if (learner_acted) s.last_active = d;
}

void GroupSim::attend_session(LearnerState& s, std::size_t k, Day d) {
  const Mechanics& mech = p_.mechanics;
  const StepSpec& st = p_.programme.steps[k];
  Rng& r = s.rng;
  const bool shock = d < s.shock_until;
  const Time start = (st.kind == StepKind::coaching || st.kind == StepKind::review) ? office_time(r, d)
                                                                                    : at(d, st.session_hour, 0);
  SimEvent e;
  e.kind = ObjectKind::step;
  e.object = static_cast<std::uint32_t>(k);
  if (!st.required) {
    // Optional community events: the sociable come, nobody is marked absent.
    if (!r.bernoulli(sigmoid(-0.8 + mech.peer_sociability * s.sociability + (shock ? mech.attend_shock : 0.0))))
      return;
  } else {
    const double inactive = static_cast<double>(cal_.working_days_between(s.last_active, d - 1));
    const double logit = mech.attend_base + mech.attend_motivation * s.motivation + (shock ? mech.attend_shock : 0.0) +
                         mech.attend_inactive * inactive;
    if (!r.bernoulli(sigmoid(logit))) {
      // The register is kept by the trainer (classroom, virtual class) or the tutor (coaching, review), so
      // that every event with the manager as actor is a contact.
      e.verb = Verb::absent;
      e.time = start + r.between(0, 30) * kMsPerMinute;
      const bool tutor = st.kind == StepKind::coaching || st.kind == StepKind::review;
      e.actor = static_cast<std::uint32_t>(tutor ? plan_.first_tutor + group_ / p_.groups_per_tutor
                                                 : plan_.first_trainer + group_ / p_.groups_per_trainer);
      emit(s, e, d, false);
      ++s.absences;
      return;
    }
  }
  e.verb = Verb::attended;
  e.time = start + r.between(0, 15) * kMsPerMinute;
  e.duration = static_cast<float>(st.session_minutes * 60);
  e.completion = Tri::yes;
  emit(s, e, d, true);
  s.done[k] = 1;
  SimEvent m;
  m.verb = Verb::met;
  m.time = e.time + st.session_minutes * kMsPerMinute;
  if (st.kind == StepKind::coaching) {
    m.actor = static_cast<std::uint32_t>(plan_.first_tutor + group_ / p_.groups_per_tutor);
    emit(s, m, d, false);
  } else if (st.kind == StepKind::review) {
    m.actor = s.manager;  // the review is held with the manager: a manager contact
    emit(s, m, d, false);
    s.last_manager = d;
  }
}

// The pending self-paced step due first (open, prerequisites done, not done, not given up), or -1.
int GroupSim::pending_earliest(const LearnerState& s, Day d) const {
  int best = -1;
  for (std::size_t k : plan_.by_open) {
    if (s.start + plan_.open_of[k] > d) break;
    if (s.done[k] || s.blocked[k]) continue;
    bool ready = true;
    for (int q : plan_.gating[k]) ready &= s.done[static_cast<std::size_t>(q)] != 0;
    if (!ready) continue;
    const int due = plan_.due_of[k];
    if (best < 0 || due < plan_.due_of[static_cast<std::size_t>(best)] ||
        (due == plan_.due_of[static_cast<std::size_t>(best)] && static_cast<int>(k) < best))
      best = static_cast<int>(k);
  }
  return best;
}

void GroupSim::work(LearnerState& s, Day d, bool working) {
  const Mechanics& mech = p_.mechanics;
  const Programme& prog = p_.programme;
  Rng& r = s.rng;
  // Urgency: the nearest due date among pending steps; overdue work adds a catching-up push.
  double urgency = 0;
  bool overdue = false, pending = false;
  for (std::size_t k : plan_.by_open) {
    if (s.start + plan_.open_of[k] > d) break;
    if (s.done[k] || s.blocked[k]) continue;
    pending = true;
    const int left = s.start + plan_.due_of[k] - d;
    if (left < 0) overdue = true;
    else urgency = std::max(urgency, plan_.urgency[static_cast<std::size_t>(left)]);
  }
  const bool shock = d < s.shock_until;
  const double logit = mech.activity_base + mech.activity_motivation * s.motivation + s.engagement +
                       mech.activity_urgency * urgency + (overdue ? mech.activity_overdue : 0.0) +
                       (pending ? 0.0 : mech.activity_nothing_to_do) + (working ? 0.0 : mech.activity_weekend) +
                       (shock ? mech.activity_shock : 0.0);
  if (!r.bernoulli(sigmoid(logit))) return;

  const int n_sessions = 1 + static_cast<int>(r.poisson(mech.sessions_per_active_day));
  const int hour = kFirstHour + static_cast<int>(r.categorical(kHourWeights, count_of(kHourWeights)));
  const int minute = r.between(0, 59);
  const int second = r.between(0, 59);
  Time t = at(d, hour, minute, second);
  // A session that would run past 23:30 does not start: a day's events stay on that local day.
  const Time day_end = at(d, 23, 30);
  for (int i = 0; i < n_sessions; ++i) {
    const int k = pending_earliest(s, d);
    const double minutes = mech.session_minutes * (0.5 + r.uniform());
    const int questions = k < 0 ? 0 : prog.steps[static_cast<std::size_t>(k)].questions;
    if (t + static_cast<Time>(minutes * 60.0 + 60.0 + questions * 150.0) * kMsPerSecond > day_end) break;
    SimEvent e;
    if (k < 0) {
      // Nothing to work on: the resource library.
      e.verb = Verb::experienced;
      e.kind = ObjectKind::resource;
      e.object = static_cast<std::uint32_t>(r.below(kLibraryResources));
      e.time = t;
      e.duration = static_cast<float>(std::floor(minutes * 30.0));  // skimming: half the time, in seconds
      emit(s, e, d, true);
      t += static_cast<Time>(minutes * 30.0) * kMsPerSecond;
    } else {
      const auto ks = static_cast<std::size_t>(k);
      const StepSpec& st = prog.steps[ks];
      e.kind = ObjectKind::step;
      e.object = static_cast<std::uint32_t>(k);
      if (!s.launched[ks]) {
        e.verb = Verb::launched;
        e.time = t;
        emit(s, e, d, true);
        s.launched[ks] = 1;
        t += r.between(2, 20) * kMsPerSecond;
      }
      const bool last = s.sessions[ks] + 1 >= plan_.sessions_needed[ks];
      double score = std::numeric_limits<double>::quiet_NaN();
      if (last && st.questions > 0) {
        // The attempt: `attempted`, one `answered` per question, then the result.
        e.verb = Verb::attempted;
        e.time = t;
        emit(s, e, d, true);
        t += r.between(5, 20) * kMsPerSecond;
        const double ability = std::min(
            1.0, std::max(0.0, r.normal(mech.score_mean + mech.score_motivation * s.motivation, mech.score_sd)));
        int correct = 0;
        for (int q = 0; q < st.questions; ++q) {
          const int secs = r.between(20, 150);
          const bool ok = r.bernoulli(ability);
          correct += ok;
          e.verb = Verb::answered;
          e.time = t;
          e.duration = static_cast<float>(secs);
          e.success = ok ? Tri::yes : Tri::no;
          emit(s, e, d, true);
          t += secs * kMsPerSecond;
        }
        e.success = Tri::unknown;
        score = static_cast<double>(correct) / st.questions;
      } else {
        // Reading: a few pages (`experienced`), the session's time spread over them.
        const int pages = 1 + static_cast<int>(r.poisson(mech.pages_per_session));
        const double page_seconds = std::floor(minutes * 60.0 / pages);
        for (int g = 0; g < pages; ++g) {
          e.verb = Verb::experienced;
          e.time = t;
          e.duration = static_cast<float>(page_seconds);
          emit(s, e, d, true);
          t += static_cast<Time>(page_seconds) * kMsPerSecond;
        }
        if (last && st.graded) {
          const double sc = r.normal(mech.score_mean + mech.score_motivation * s.motivation, mech.score_sd);
          score = std::floor(std::min(1.0, std::max(0.0, sc)) * 100.0 + 0.5) / 100.0;
        }
      }
      if (++s.sessions[ks] >= plan_.sessions_needed[ks]) {
        SimEvent c;
        c.kind = ObjectKind::step;
        c.object = e.object;
        c.time = t;
        c.completion = Tri::yes;
        if (!std::isnan(score)) c.score = static_cast<float>(score);
        if (st.graded) {
          const bool pass = score >= st.pass_mark;
          c.verb = pass ? Verb::passed : Verb::failed;
          c.success = pass ? Tri::yes : Tri::no;
          ++s.attempts[ks];
          if (pass) {
            s.done[ks] = 1;
          } else {
            ++s.failed;
            if (s.attempts[ks] >= mech.max_attempts) s.blocked[ks] = 1;
            else s.sessions[ks] = static_cast<std::uint16_t>(plan_.sessions_needed[ks] - 1);  // one revision session
          }
        } else {
          c.verb = Verb::completed;
          s.done[ks] = 1;
        }
        emit(s, c, d, true);
        t += r.between(1, 5) * kMsPerSecond;
      }
    }
    t += r.between(5, 90) * kMsPerMinute;
  }
}

void GroupSim::live_day(LearnerState& s, std::size_t member, Day d, bool working) {
  const Mechanics& mech = p_.mechanics;
  Rng& r = s.rng;
  // Workload shocks and the engagement state move first: they colour the whole day.
  if (working && d >= s.shock_until && r.bernoulli(mech.shock_rate))
    s.shock_until = d + 1 + static_cast<Day>(r.geometric(1.0 / std::max(1.0, mech.shock_mean_days)));
  s.engagement = mech.engagement_persistence * s.engagement + mech.engagement_noise * r.normal_approx();

  while (s.next_session < s.agenda.size() && s.agenda[s.next_session].first == d)
    attend_session(s, s.agenda[s.next_session++].second, d);

  if (working) {
    if (r.bernoulli(s.manager_daily)) {
      SimEvent e;
      e.verb = r.bernoulli(0.6) ? Verb::met : Verb::messaged;
      e.actor = s.manager;
      e.time = office_time(r, d);
      emit(s, e, d, false);
      s.last_manager = d;
    }
    if (r.bernoulli(mech.tutor_rate / 5.0)) {
      SimEvent e;
      e.verb = Verb::messaged;
      e.actor = static_cast<std::uint32_t>(plan_.first_tutor + group_ / p_.groups_per_tutor);
      e.time = office_time(r, d);
      emit(s, e, d, false);
    }
  }

  const std::size_t before = today_.size();
  const Day last_active_before = s.last_active;
  work(s, d, working);
  const bool active = s.last_active == d && (today_.size() > before || last_active_before == d);
  if (!active) return;

  // The group's forum and direct messages, on active days only. Posts of earlier days are answered.
  const double soc = mech.peer_sociability * s.sociability;
  const Time base = at(d, kFirstHour + static_cast<int>(r.categorical(kHourWeights, count_of(kHourWeights))), 0);
  if (r.bernoulli(sigmoid(mech.post_base + soc))) {
    SimEvent e;
    e.verb = Verb::posted;
    e.kind = ObjectKind::resource;
    e.object = static_cast<std::uint32_t>(kLibraryResources + group_);
    e.time = base + r.between(0, 3599) * kMsPerSecond;
    emit(s, e, d, true);
    posts_.push_back({d, static_cast<std::uint32_t>(member)});
  }
  int replies = 0;
  for (const Post& post : posts_) {
    if (replies >= 2) break;
    if (post.day >= d || post.day < d - 3 || (s.seen_posts_until != kNoDay && post.day <= s.seen_posts_until) ||
        post.member == member || members_[post.member].withdrawn)
      continue;
    if (!r.bernoulli(sigmoid(mech.reply_base + soc))) continue;
    SimEvent e;
    e.verb = Verb::replied;
    e.kind = ObjectKind::person;
    e.object = static_cast<std::uint32_t>(members_[post.member].index);
    e.time = base + r.between(0, 3599) * kMsPerSecond;
    emit(s, e, d, true);
    ties_today_.emplace_back(static_cast<std::uint32_t>(member), post.member);
    ++replies;
  }
  s.seen_posts_until = d - 1;
  if (members_.size() > 1 && r.bernoulli(sigmoid(mech.message_base + soc))) {
    const auto other = static_cast<std::uint32_t>(
        (member + 1 + r.below(static_cast<std::uint32_t>(members_.size() - 1))) % members_.size());
    if (!members_[other].withdrawn) {
      SimEvent e;
      e.verb = Verb::messaged;
      e.kind = ObjectKind::person;
      e.object = static_cast<std::uint32_t>(members_[other].index);
      e.time = base + r.between(0, 3599) * kMsPerSecond;
      emit(s, e, d, true);
      ties_today_.emplace_back(static_cast<std::uint32_t>(member), other);
    }
  }
}

void GroupSim::run(std::size_t group, GroupResult& out) {
  group_ = group;
  out.clear();
  posts_.clear();
  const std::size_t first = group_ * p_.group_size;
  const std::size_t size = std::min(p_.group_size, plan_.n_learners - first);
  const HazardParams& h = p_.hazard;
  members_.resize(size);
  out.truth.resize(size);
  for (std::size_t i = 0; i < size; ++i) {
    LearnerState& s = members_[i];
    s.reset();
    s.index = first + i;
    s.rng = Rng::stream(p_.seed, kLearnerStream, s.index);
    init_learner(s);
    const Demographics dem = demographics(p_, s.index);
    EnrolmentTruth& t = out.truth[i];
    t.gender = dem.gender;
    t.age_band = dem.age_band;
    t.disability = dem.disability;
    s.bias = (t.gender == "F" ? h.gender_f_bias : 0.0) + (t.age_band == "50+" ? h.age_50_plus_bias : 0.0) +
             (t.disability == "Y" ? h.disability_bias : 0.0);
  }
  std::vector<CovariateRow>* rows = p_.record_covariates ? &out.covariates : nullptr;
  const Time observe = p_.observe_until;
  const Day start = plan_.group_start[group_], end = start + plan_.length;
  for (Day d = start; d <= end; ++d) {
    const bool working = cal_.is_working_day(d);
    ties_today_.clear();
    for (std::size_t i = 0; i < size; ++i) {
      LearnerState& s = members_[i];
      if (s.withdrawn) continue;
      if (working && d > start && hazard_withdraws(s, d, rows)) {
        s.withdrawn = true;
        s.outcome = Outcome::withdrawn;
        s.outcome_time = office_time(s.rng, d);
        continue;
      }
      today_.clear();
      live_day(s, i, d, working);
      // A stable insertion sort: a day holds a few events, mostly in order already.
      for (std::size_t a = 1; a < today_.size(); ++a)
        for (std::size_t b = a; b > 0 && today_[b].time < today_[b - 1].time; --b) std::swap(today_[b], today_[b - 1]);
      for (const SimEvent& e : today_)
        if (observe == kNoTime || e.time <= observe) s.events.push_back(e);
      if (d == end) {
        s.outcome = Outcome::completed;
        s.outcome_time = plan_end_time(cal_, end);
      }
    }
    // Interactions become ties at the end of the day, for both people: visible to tomorrow's hazard.
    for (const auto& [a, b] : ties_today_) {
      members_[a].peer_last[b] = d;
      members_[b].peer_last[a] = d;
    }
    // Forget posts nobody can answer any more.
    if (!posts_.empty() && posts_.front().day < d - 3) {
      std::size_t keep = 0;
      while (keep < posts_.size() && posts_[keep].day < d - 3) ++keep;
      posts_.erase(posts_.begin(), posts_.begin() + static_cast<std::ptrdiff_t>(keep));
    }
  }
  for (std::size_t i = 0; i < size; ++i) {
    LearnerState& s = members_[i];
    EnrolmentTruth& t = out.truth[i];
    t.group = static_cast<std::uint32_t>(group_);
    t.motivation = s.motivation;
    t.sociability = s.sociability;
    t.manager_log_rate = plan_.manager_log_rate[manager_of(plan_, s.index)];
    t.prior_attempts = s.prior ? 1 : 0;
    t.start_day = start;
    t.planned_end_day = end;
    t.outcome = s.outcome;
    t.outcome_time = s.outcome_time;
    t.outcome_day = cal_.local_day(s.outcome_time);
    t.observed_outcome = (observe == kNoTime || s.outcome_time <= observe) ? s.outcome : Outcome::active;
    t.events = static_cast<std::uint32_t>(s.events.size());
    out.offsets.push_back(out.events.size());
    out.events.insert(out.events.end(), s.events.begin(), s.events.end());
  }
  out.offsets.push_back(out.events.size());
}

// ---- the cohort as records ----------------------------------------------------------------------------------

Plan make_plan(const Params& p) {
  if (p.learners == 0) throw InvalidArgument("simulator: learners must be at least 1");
  if (p.learners > 100000000) throw InvalidArgument("simulator: learners must be at most 100000000");
  if (p.group_size == 0) throw InvalidArgument("simulator: group_size must be at least 1");
  if (p.group_size > 1000) throw InvalidArgument("simulator: group_size must be at most 1000");
  if (p.waves == 0) throw InvalidArgument("simulator: waves must be at least 1");
  if (p.wave_spacing_days < 0) throw InvalidArgument("simulator: wave_spacing_days must be >= 0");
  if (p.team_size == 0) throw InvalidArgument("simulator: team_size must be at least 1");
  if (p.groups_per_tutor == 0) throw InvalidArgument("simulator: groups_per_tutor must be at least 1");
  if (p.groups_per_trainer == 0) throw InvalidArgument("simulator: groups_per_trainer must be at least 1");
  if (p.start < kMinDay || p.start > kMaxDay - 3 * 366)
    throw InvalidArgument("simulator: start must fall between 1970 and 2196");
  const Mechanics& m = p.mechanics;
  auto probability = [](double x, const char* name) {
    if (!(x >= 0 && x <= 1)) throw InvalidArgument(std::string("simulator: mechanics.") + name + " must lie in [0, 1]");
  };
  probability(m.shock_rate, "shock_rate");
  probability(m.female_share, "female_share");
  probability(m.disability_share, "disability_share");
  probability(m.prior_attempt_share, "prior_attempt_share");
  if (!(m.sociability_motivation > -1 && m.sociability_motivation < 1))
    throw InvalidArgument("simulator: mechanics.sociability_motivation must lie in (-1, 1)");
  if (!(m.engagement_persistence >= 0 && m.engagement_persistence < 1))
    throw InvalidArgument("simulator: mechanics.engagement_persistence must lie in [0, 1)");
  if (!(m.sessions_per_active_day >= 0 && m.sessions_per_active_day < 20))
    throw InvalidArgument("simulator: mechanics.sessions_per_active_day must lie in [0, 20)");
  if (!(m.manager_rate > 0) || !(m.tutor_rate >= 0) || !(m.manager_rate_sd >= 0))
    throw InvalidArgument("simulator: mechanics.manager_rate must be > 0, tutor_rate and manager_rate_sd >= 0");
  if (m.max_attempts < 1 || m.max_attempts > 100)
    throw InvalidArgument("simulator: mechanics.max_attempts must lie in 1..100");
  const HazardParams& h = p.hazard;
  if (h.inactive_cap < 0 || h.overdue_cap < 0 || h.peer_cap < 0 || h.manager_window < 1 || h.peer_window_days < 1)
    throw InvalidArgument("simulator: hazard caps must be >= 0 and windows >= 1");
  validate(p.programme);
  if (p.programme.length_days() > 3 * 365) throw InvalidArgument("simulator: a programme may last at most 3 years");
  if (p.wave_spacing_days > 366) throw InvalidArgument("simulator: wave_spacing_days must be at most 366");
  // The last wave, moved by up to a year for holidays, must end within the supported range.
  const std::size_t waves = std::min(p.waves, (p.learners + p.group_size - 1) / p.group_size);
  const std::int64_t last_day = static_cast<std::int64_t>(p.start) +
                                static_cast<std::int64_t>(waves - 1) * p.wave_spacing_days + 52 * 7 +
                                p.programme.length_days();
  if (last_day > kMaxDay) throw InvalidArgument("simulator: the last wave would end after 2199 (start, waves)");

  Plan plan;
  plan.p = &p;
  plan.cal = &p.calendar;
  plan.n_learners = p.learners;
  plan.n_groups = (p.learners + p.group_size - 1) / p.group_size;
  {
    const std::size_t block = p.group_size * p.team_size;
    plan.n_managers = p.learners / block * p.group_size + std::min(p.group_size, p.learners % block);
  }
  plan.n_tutors = (plan.n_groups + p.groups_per_tutor - 1) / p.groups_per_tutor;
  plan.n_trainers = (plan.n_groups + p.groups_per_trainer - 1) / p.groups_per_trainer;
  plan.first_manager = plan.n_learners;
  plan.first_tutor = plan.first_manager + plan.n_managers;
  plan.first_trainer = plan.first_tutor + plan.n_tutors;
  plan.hr = plan.first_trainer + plan.n_trainers;
  plan.cm = plan.hr + 1;
  plan.academy = plan.cm + 1;
  plan.company = plan.academy + 1;
  plan.n_people = plan.company + 1;
  plan.length = p.programme.length_days();
  plan.first_during = plan.length + 1;
  for (const StepSpec& st : p.programme.steps)
    if (st.phase == Phase::during) {
      plan.first_during = std::min(plan.first_during, st.open);
      plan.last_during = std::max(plan.last_during, st.due);
    }
  for (int left = 0; left <= plan.length; ++left) plan.urgency.push_back(det_exp(-left / 3.0));

  const Programme& prog = p.programme;
  const std::size_t n = prog.steps.size();
  plan.sessions_needed.resize(n);
  plan.gating.resize(n);
  plan.self_paced.resize(n);
  plan.open_of.resize(n);
  plan.due_of.resize(n);
  for (std::size_t k = 0; k < n; ++k) {
    const StepSpec& st = prog.steps[k];
    plan.self_paced[k] = !is_session(st.kind);
    plan.open_of[k] = st.open;
    plan.due_of[k] = st.due;
    if (plan.self_paced[k]) {
      plan.by_open.push_back(k);
      if (st.required) plan.required_by_due.push_back(k);
    }
    plan.sessions_needed[k] =
        std::max(1, static_cast<int>(std::floor(st.effort_hours * 60.0 / kSessionMinutesPerUnit + 0.5)));
    for (const std::string& q : st.prerequisites) {
      const int qi = prog.find(q);
      if (!is_session(prog.steps[static_cast<std::size_t>(qi)].kind)) plan.gating[k].push_back(qi);
    }
  }
  std::stable_sort(plan.by_open.begin(), plan.by_open.end(),
                   [&](std::size_t a, std::size_t b) { return plan.open_of[a] < plan.open_of[b]; });
  std::stable_sort(plan.required_by_due.begin(), plan.required_by_due.end(),
                   [&](std::size_t a, std::size_t b) { return plan.due_of[a] < plan.due_of[b]; });

  // Group starts: waves, moved on by whole weeks while a one-day session would fall on a day off.
  std::vector<int> fixed_days{0};
  for (const StepSpec& st : prog.steps)
    if (is_session(st.kind) && st.open == st.due) fixed_days.push_back(st.due);
  std::vector<Day> wave_start(std::min(p.waves, plan.n_groups));
  for (std::size_t w = 0; w < wave_start.size(); ++w) {
    Day s = p.start + static_cast<Day>(w) * p.wave_spacing_days;
    for (int tries = 0;; ++tries) {
      bool ok = true;
      for (int f : fixed_days) ok &= p.calendar.is_working_day(s + f);
      if (ok) break;
      if (tries == 52) throw InvalidArgument("simulator: no start within a year puts every session on a working day");
      s += 7;
    }
    wave_start[w] = s;
  }
  plan.group_start.resize(plan.n_groups);
  for (std::size_t g = 0; g < plan.n_groups; ++g) plan.group_start[g] = wave_start[g % wave_start.size()];

  plan.manager_log_rate.resize(plan.n_managers);
  plan.manager_site.resize(plan.n_managers);
  for (std::size_t k = 0; k < plan.n_managers; ++k) {
    Rng r = Rng::stream(p.seed, kManagerStream, k);
    plan.manager_log_rate[k] = det_log(m.manager_rate) + m.manager_rate_sd * r.normal();
    plan.manager_site[k] = r.below(static_cast<std::uint32_t>(count_of(kSites)));
  }
  return plan;
}

struct Ids {
  std::vector<std::string> person, group, enrolment, step, resource;
};

Ids make_ids(const Plan& plan) {
  const Params& p = *plan.p;
  Ids ids;
  ids.person.resize(plan.n_people);
  const int wl = width_for(plan.n_learners), wm = width_for(plan.n_managers), wt = width_for(plan.n_tutors),
            wr = width_for(plan.n_trainers), wg = width_for(plan.n_groups);
  for (std::size_t i = 0; i < plan.n_learners; ++i) ids.person[i] = numbered(p.id_prefix, 'L', i + 1, wl);
  for (std::size_t i = 0; i < plan.n_managers; ++i)
    ids.person[plan.first_manager + i] = numbered(p.id_prefix, 'M', i + 1, wm);
  for (std::size_t i = 0; i < plan.n_tutors; ++i)
    ids.person[plan.first_tutor + i] = numbered(p.id_prefix, 'T', i + 1, wt);
  for (std::size_t i = 0; i < plan.n_trainers; ++i)
    ids.person[plan.first_trainer + i] = numbered(p.id_prefix, 'R', i + 1, wr);
  ids.person[plan.hr] = p.id_prefix + "HR";
  ids.person[plan.cm] = p.id_prefix + "CM";
  ids.person[plan.academy] = p.id_prefix + "ACADEMY";
  ids.person[plan.company] = p.id_prefix + "COMPANY";
  ids.group.resize(plan.n_groups);
  for (std::size_t g = 0; g < plan.n_groups; ++g) ids.group[g] = numbered(p.id_prefix, 'G', g + 1, wg);
  ids.enrolment.resize(plan.n_learners);
  for (std::size_t i = 0; i < plan.n_learners; ++i) ids.enrolment[i] = numbered(p.id_prefix, 'E', i + 1, wl);
  for (const StepSpec& st : p.programme.steps) ids.step.push_back(st.id);
  for (int r = 0; r < kLibraryResources; ++r) {
    ids.resource.push_back(p.programme.iri_base + "resources/toolkit-" + (r < 9 ? "0" : "") + std::to_string(r + 1));
  }
  for (std::size_t g = 0; g < plan.n_groups; ++g)
    ids.resource.push_back(p.programme.iri_base + "forum/" + ids.group[g]);
  return ids;
}

std::string display_name(Rng& r, bool female) {
  const char* first = female ? kFemaleNames[r.below(static_cast<std::uint32_t>(count_of(kFemaleNames)))]
                             : kMaleNames[r.below(static_cast<std::uint32_t>(count_of(kMaleNames)))];
  return std::string(first) + " " + kLastNames[r.below(static_cast<std::uint32_t>(count_of(kLastNames)))];
}

std::string email_of(const std::string& name, const std::string& id) {
  std::string local = ascii_lower(name);
  for (char& c : local)
    if (c == ' ') c = '.';
  std::string lid = ascii_lower(id);
  return local + "." + lid + "@example.com";
}

// People, relations and the path: everything the events refer to, declared first so that the cohort's
// LearnerId i is the simulator's learner i.
void add_people_and_path(CohortBuilder& b, const Plan& plan, const Ids& ids) {
  const Params& p = *plan.p;
  const Programme& prog = p.programme;

  const std::uint32_t src_learners = b.source("learners");
  std::uint64_t row = 0;
  for (std::size_t i = 0; i < plan.n_learners; ++i) {
    // Names come from a stream of their own, so that they change nothing else.
    Rng r = Rng::stream(p.seed, kNameStream, i);
    const Demographics dem = demographics(p, i);
    const std::string name = display_name(r, dem.gender[0] == 'F');
    const std::string email = email_of(name, ids.person[i]);
    const std::size_t mgr = manager_of(plan, i);
    const std::string team = "team-" + ids.person[plan.first_manager + mgr];
    LearnerRecord lr;
    lr.id = ids.person[i];
    lr.display_name = name;
    lr.email = email;
    lr.team = team;
    lr.site = kSites[plan.manager_site[mgr]];
    lr.job = kJobs[r.below(static_cast<std::uint32_t>(count_of(kJobs)))];
    lr.protected_attributes = {{"gender", dem.gender}, {"age_band", dem.age_band}, {"disability", dem.disability}};
    b.add_learner(lr, {src_learners, ++row});
  }

  const std::uint32_t src_st = b.source("stakeholders");
  row = 0;
  auto stakeholder = [&](std::size_t person, Role role, const std::string& name, const char* org) {
    StakeholderRecord s;
    s.id = ids.person[person];
    s.role = role;
    s.display_name = name;
    const std::string email = name.empty() ? std::string() : email_of(name, ids.person[person]);
    s.email = email;
    s.organisation = org;
    b.add_stakeholder(s, {src_st, ++row});
  };
  for (std::size_t k = 0; k < plan.n_managers; ++k) {
    Rng r = Rng::stream(p.seed, kNameStream + 1, k);
    stakeholder(plan.first_manager + k, Role::manager, display_name(r, r.bernoulli(0.45)), "Client company");
  }
  for (std::size_t k = 0; k < plan.n_tutors; ++k) {
    Rng r = Rng::stream(p.seed, kNameStream + 2, k);
    stakeholder(plan.first_tutor + k, Role::tutor, display_name(r, r.bernoulli(0.6)), "Academy");
  }
  for (std::size_t k = 0; k < plan.n_trainers; ++k) {
    Rng r = Rng::stream(p.seed, kNameStream + 3, k);
    stakeholder(plan.first_trainer + k, Role::trainer, display_name(r, r.bernoulli(0.5)), "Academy");
  }
  {
    Rng r = Rng::stream(p.seed, kNameStream + 4, 0);
    stakeholder(plan.hr, Role::hr, display_name(r, r.bernoulli(0.6)), "Client company");
    stakeholder(plan.cm, Role::community_manager, display_name(r, r.bernoulli(0.6)), "Client company");
    stakeholder(plan.academy, Role::training_org, "", "Academy");
    stakeholder(plan.company, Role::company, "", "Client company");
  }

  const std::uint32_t src_paths = b.source("paths");
  b.add_path({prog.path_id, prog.title, prog.course}, {src_paths, 1});
  const std::uint32_t src_steps = b.source("steps");
  row = 0;
  for (const StepSpec& st : prog.steps) {
    StepRecord s;
    s.path = prog.path_id;
    s.id = st.id;
    s.title = st.title;
    s.kind = st.kind;
    s.phase = st.phase;
    s.window = StepWindow{true, st.open, st.due};
    s.effort_hours = is_session(st.kind) ? static_cast<float>(st.session_minutes) / 60.0f : st.effort_hours;
    s.required = st.required;
    s.weight = st.weight;
    for (const auto& c : st.competencies) s.competencies.push_back(c);
    const std::string iri = prog.iri_base + st.id;
    s.activity_iri = iri;
    b.add_step(s, {src_steps, ++row});
  }
  const std::uint32_t src_pre = b.source("prerequisites");
  row = 0;
  for (const StepSpec& st : prog.steps)
    for (const std::string& q : st.prerequisites) b.add_prerequisite({st.id, q}, {src_pre, ++row});

  const std::uint32_t src_rel = b.source("relations");
  row = 0;
  auto relation = [&](const std::string& from, const std::string& to, RelationType type) {
    b.add_relation({from, to, type, kNoTime, kNoTime}, {src_rel, ++row});
  };
  for (std::size_t i = 0; i < plan.n_learners; ++i)
    relation(ids.person[i], ids.person[plan.first_manager + manager_of(plan, i)], RelationType::reports_to);
  for (std::size_t g = 0; g < plan.n_groups; ++g) {
    relation(ids.person[plan.first_tutor + g / p.groups_per_tutor], ids.group[g], RelationType::tutors);
    relation(ids.person[plan.first_trainer + g / p.groups_per_trainer], ids.group[g], RelationType::trains);
  }
  for (std::size_t k = 0; k < plan.n_tutors; ++k)
    relation(ids.person[plan.academy], ids.person[plan.first_tutor + k], RelationType::employs);
  for (std::size_t k = 0; k < plan.n_trainers; ++k)
    relation(ids.person[plan.academy], ids.person[plan.first_trainer + k], RelationType::employs);
  for (std::size_t k = 0; k < plan.n_managers; ++k)
    relation(ids.person[plan.company], ids.person[plan.first_manager + k], RelationType::employs);
  relation(ids.person[plan.company], ids.person[plan.hr], RelationType::employs);
  relation(ids.person[plan.company], ids.person[plan.cm], RelationType::employs);
}

// Enrolments, once their outcomes are known (the builder resolves references at build()).
void add_enrolments(CohortBuilder& b, const Plan& plan, const Ids& ids, const std::vector<EnrolmentTruth>& truth) {
  const Params& p = *plan.p;
  const Calendar& cal = p.calendar;
  const std::uint32_t src_enr = b.source("enrolments");
  std::uint64_t row = 0;
  for (std::size_t i = 0; i < plan.n_learners; ++i) {
    const EnrolmentTruth& t = truth[i];
    EnrolmentRecord e;
    e.id = ids.enrolment[i];
    e.learner = ids.person[i];
    e.path = p.programme.path_id;
    e.instance = ids.group[t.group];
    e.start = cal.start_of_day(t.start_day);
    e.planned_end = plan_end_time(cal, t.planned_end_day);
    e.outcome = t.observed_outcome;
    e.outcome_time = t.observed_outcome == Outcome::active ? kNoTime : t.outcome_time;
    e.prior_attempts = t.prior_attempts;
    b.add_enrolment(e, {src_enr, ++row});
  }
}

// Builder handles of every id events refer to, so events go to the builder as integer columns.
struct Handles {
  std::vector<Id> person, step, resource;
};

Handles make_handles(CohortBuilder& b, const Ids& ids) {
  Handles h;
  h.person.reserve(ids.person.size());
  for (const auto& id : ids.person) h.person.push_back(b.person_handle(id));
  for (const auto& id : ids.step) h.step.push_back(b.step_handle(id));
  for (const auto& id : ids.resource) h.resource.push_back(b.resource_handle(id));
  return h;
}

void append_events(EventLog::Columns& c, const Handles& h, std::size_t learner, const SimEvent* events, std::size_t n) {
  const Id who = h.person[learner];
  for (const SimEvent* it = events; it != events + n; ++it) {
    const SimEvent& e = *it;
    c.learner.push_back(who);
    c.time.push_back(e.time);
    Id obj = kNoId;
    switch (e.kind) {
      case ObjectKind::none: break;
      case ObjectKind::step: obj = h.step[e.object]; break;
      case ObjectKind::resource: obj = h.resource[e.object]; break;
      case ObjectKind::person: obj = h.person[e.object]; break;
    }
    c.object.push_back(obj);
    c.actor.push_back(e.actor == kNoId ? kNoId : h.person[e.actor]);
    c.score.push_back(e.score);
    c.duration.push_back(e.duration);
    c.count.push_back(1);
    c.verb.push_back(e.verb);
    c.flags.push_back(EventLog::pack_flags(e.kind, e.success, e.completion));
  }
}

}  // namespace

Calendar Params::default_calendar() {
  static const Calendar paris("CET-1CEST,M3.5.0,M10.5.0/3", kMondayToFriday, Calendar::french_holidays(2000, 2099));
  return paris;
}

Simulation simulate(const Params& params) {
  const Plan plan = make_plan(params);
  const Ids ids = make_ids(plan);
  const unsigned threads =
      params.threads == 0 ? std::max(1u, std::thread::hardware_concurrency()) : std::max(1u, params.threads);

  Simulation out;
  out.truth.hazard = params.hazard;
  out.truth.seed = params.seed;
  out.truth.observe_until = params.observe_until;
  out.truth.enrolments.resize(plan.n_learners);

  using Clock = std::chrono::steady_clock;
  auto seconds_since = [](Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); };
  auto t0 = Clock::now();
  CohortBuilder b(params.calendar);
  add_people_and_path(b, plan, ids);
  const Handles handles = make_handles(b, ids);
  out.timings.records += seconds_since(t0);
  const std::uint32_t src_events = b.source("events");
  std::uint64_t row = 0;
  EventLog::Columns columns;

  // Groups are simulated in batches; a batch's events go to the builder, in learner order, before the next
  // batch is simulated, so the simulator holds at most two batches of events beside the builder. With more
  // than one thread, the workers simulate batch k + 1 while this thread hands batch k to the builder.
  const std::size_t batch = std::max<std::size_t>(64, 16 * static_cast<std::size_t>(threads));
  const std::size_t n_batches = (plan.n_groups + batch - 1) / batch;
  std::vector<GroupResult> results[2];
  results[0].resize(std::min(batch, plan.n_groups));
  results[1].resize(std::min(batch, plan.n_groups));
  std::vector<GroupSim> sims(threads, GroupSim(plan));

  auto generate = [&](std::size_t k) {  // simulates batch k with every worker
    const std::size_t g0 = k * batch, g1 = std::min(plan.n_groups, g0 + batch);
    std::vector<GroupResult>& res = results[k % 2];
    std::atomic<std::size_t> next{g0};
    std::vector<std::exception_ptr> failed(threads);
    auto worker = [&](unsigned w) {
      const auto w0 = Clock::now();
      try {
        for (std::size_t g = next.fetch_add(1); g < g1; g = next.fetch_add(1)) sims[w].run(g, res[g - g0]);
      } catch (...) {  // out of memory: handed to the caller, not std::terminate
        failed[w] = std::current_exception();
        next = g1;
      }
      sims[w].busy += seconds_since(w0);
    };
    if (threads == 1) {
      worker(0);
    } else {
      std::vector<std::thread> pool;
      for (unsigned w = 0; w < threads; ++w) pool.emplace_back(worker, w);
      for (auto& th : pool) th.join();
    }
    for (const auto& e : failed)
      if (e) std::rethrow_exception(e);
  };
  auto feed = [&](std::size_t k) {  // hands batch k to the builder
    const std::size_t g0 = k * batch, g1 = std::min(plan.n_groups, g0 + batch);
    std::vector<GroupResult>& res = results[k % 2];
    std::size_t batch_events = 0;
    for (std::size_t g = g0; g < g1; ++g) batch_events += res[g - g0].events.size();
    columns.reserve(batch_events);
    for (std::size_t g = g0; g < g1; ++g) {
      GroupResult& r = res[g - g0];
      const std::size_t first = g * params.group_size;
      for (std::size_t i = 0; i < r.truth.size(); ++i) {
        EnrolmentTruth& t = out.truth.enrolments[first + i];
        t = std::move(r.truth[i]);
        t.enrolment_id = ids.enrolment[first + i];
        t.learner_id = ids.person[first + i];
        t.instance_id = ids.group[g];
        t.manager_id = ids.person[plan.first_manager + manager_of(plan, first + i)];
        append_events(columns, handles, first + i, r.events.data() + r.offsets[i], r.offsets[i + 1] - r.offsets[i]);
      }
      out.truth.covariates.insert(out.truth.covariates.end(), r.covariates.begin(), r.covariates.end());
    }
    const std::size_t n = columns.size();
    if (k == 0 && n_batches > 1) {
      // The first batch tells how many events a learner makes here: room for all of them, with a margin,
      // saves the builder the copies of growing its columns batch after batch.
      const std::size_t done = std::min(plan.n_groups, batch) * params.group_size;
      b.reserve_events(static_cast<std::size_t>(1.1 * static_cast<double>(n) / static_cast<double>(done) *
                                                static_cast<double>(plan.n_learners)));
    }
    b.add_event_columns(columns, src_events, row + 1);
    row += n;
  };

  t0 = Clock::now();
  double feeding = 0;
  if (threads == 1 || n_batches == 1) {
    for (std::size_t k = 0; k < n_batches; ++k) {
      generate(k);
      const auto f0 = Clock::now();
      feed(k);
      feeding += seconds_since(f0);
    }
  } else {
    generate(0);
    for (std::size_t k = 0; k < n_batches; ++k) {
      std::exception_ptr ahead_failed;
      std::thread ahead;
      if (k + 1 < n_batches) ahead = std::thread([&, k] {
          try {
            generate(k + 1);
          } catch (...) {
            ahead_failed = std::current_exception();
          }
        });
      const auto f0 = Clock::now();
      try {
        feed(k);
      } catch (...) {
        if (ahead.joinable()) ahead.join();
        throw;
      }
      feeding += seconds_since(f0);
      if (ahead.joinable()) ahead.join();
      if (ahead_failed) std::rethrow_exception(ahead_failed);
    }
  }
  out.timings.wait = seconds_since(t0) - feeding;
  out.timings.feed = feeding;
  for (const GroupSim& g : sims) out.timings.simulate += g.busy;

  t0 = Clock::now();
  add_enrolments(b, plan, ids, out.truth.enrolments);
  out.timings.records += seconds_since(t0);
  t0 = Clock::now();
  out.cohort = b.build(out.report);
  out.timings.build = seconds_since(t0);
  return out;
}

}  // namespace sim

LIEN_END_NAMESPACE
