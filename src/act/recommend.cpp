// Running the playbook: signals per enrolment, rules, merging of the actions a learner gets, buddies, who does
// what (fallback chains), why, and by when.
#include "lien/act/recommend.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <string>
#include <utility>

#include "lien/act/progress.hpp"
#include "lien/core/error.hpp"
#include "lien/features/registry.hpp"
#include "lien/graph/buddy.hpp"
#include "lien/graph/interaction_graph.hpp"
#include "lien/graph/learner_signals.hpp"
#include "lien/model/cohort.hpp"
#include "instant_check.hpp"

LIEN_BEGIN_NAMESPACE

namespace {

void sort_unique(std::vector<PersonId>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

// People with a declared relation (not an aggregated interaction) with p, valid at t.
std::vector<PersonId> declared_neighbours(const Cohort& c, PersonId p, Time t) {
  std::vector<PersonId> out;
  for (const Link& l : c.graph().links(p))
    if (l.relation.type != RelationType::interacts && l.relation.valid_at(t)) out.push_back(l.other);
  sort_unique(out);
  return out;
}

bool contains(const std::vector<PersonId>& sorted, PersonId p) {
  return std::binary_search(sorted.begin(), sorted.end(), p);
}

Role role_of(Performer p) {
  switch (p) {
    case Performer::hr: return Role::hr;
    case Performer::training_org: return Role::training_org;
    default: return Role::community_manager;
  }
}

// The people of each role and their declared relations at one date, gathered once: resolving a role for many
// enrolments must not scan every person each time.
class Directory {
 public:
  Directory(const Cohort& c, Time t)
      : c_(c), t_(t), cached_(c.person_count(), 0), neighbours_(c.person_count()), attached_(c.instances().size()) {
    for (PersonId p = 0; p < c.person_count(); ++p) by_role_[static_cast<std::size_t>(c.person(p).role)].push_back(p);
    for (const InstanceRelation& r : c.graph().instance_relations())
      if (r.instance < attached_.size() && r.valid_at(t)) attached_[r.instance].push_back(r.person);
  }
  /// The learner's circle: people linked to the learner, and people attached to the enrolment's path instance.
  std::vector<PersonId> circle(EnrolmentId e) {
    const Enrolment& en = c_.enrolment(e);
    std::vector<PersonId> out = declared(c_.learner(en.learner).person);
    if (en.instance < attached_.size()) out.insert(out.end(), attached_[en.instance].begin(), attached_[en.instance].end());
    sort_unique(out);
    return out;
  }
  const Cohort& cohort() const noexcept { return c_; }
  Time date() const noexcept { return t_; }
  const std::vector<PersonId>& with_role(Role r) const { return by_role_[static_cast<std::size_t>(r)]; }
  const std::vector<PersonId>& declared(PersonId p) {
    if (!cached_[p]) {
      neighbours_[p] = declared_neighbours(c_, p, t_);
      cached_[p] = 1;
    }
    return neighbours_[p];
  }

 private:
  const Cohort& c_;
  Time t_;
  std::array<std::vector<PersonId>, kRoleNames.size()> by_role_;
  std::vector<char> cached_;
  std::vector<std::vector<PersonId>> neighbours_;
  std::vector<std::vector<PersonId>> attached_;  // by instance
};

// hr, training_org, community_manager: by closeness to the learner (docs/actions.md, "Who").
std::vector<PersonId> people_by_role(Directory& dir, EnrolmentId e, Performer performer) {
  const Cohort& c = dir.cohort();
  const Time t = dir.date();
  const Role role = role_of(performer);
  const Enrolment& en = c.enrolment(e);
  const PersonId me = c.learner(en.learner).person;
  const std::vector<PersonId> near = dir.circle(e);
  std::vector<std::string> orgs;
  auto add_org = [&](PersonId p) {
    const std::string& o = c.person(p).organisation;
    if (!o.empty()) orgs.push_back(o);
  };
  if (performer == Performer::training_org) {
    for (PersonId p : c.trainers(e, t)) add_org(p);
  } else if (performer == Performer::hr) {
    add_org(me);
    for (PersonId p : c.managers(en.learner, t)) add_org(p);
  }
  std::vector<std::pair<int, PersonId>> ranked;
  for (PersonId p : dir.with_role(role)) {
    int rank = 4;
    if (contains(near, p)) {
      rank = 0;
    } else {
      for (PersonId q : dir.declared(p))
        if (q != me && contains(near, q)) {
          rank = 1;
          break;
        }
      if (rank == 4 && std::find(orgs.begin(), orgs.end(), c.person(p).organisation) != orgs.end()) rank = 2;
      // Anyone in the role is acceptable only for the programme's community managers: HR and training
      // organisations of another company must not hear about this learner.
      if (rank == 4 && performer == Performer::community_manager) rank = 3;
    }
    if (rank < 4) ranked.push_back({rank, p});
  }
  std::sort(ranked.begin(), ranked.end());
  std::vector<PersonId> out;
  for (const auto& r : ranked) out.push_back(r.second);
  return out;
}

std::vector<PersonId> people_in(Directory& dir, EnrolmentId e, Performer role, PersonId buddy) {
  const Cohort& c = dir.cohort();
  const Enrolment& en = c.enrolment(e);
  switch (role) {
    case Performer::learner: return {c.learner(en.learner).person};
    case Performer::manager: return c.managers(en.learner, dir.date());
    case Performer::tutor: return c.tutors(e, dir.date());
    case Performer::trainer: return c.trainers(e, dir.date());
    case Performer::buddy: return buddy == kNoId ? std::vector<PersonId>{} : std::vector<PersonId>{buddy};
    case Performer::hr:
    case Performer::training_org:
    case Performer::community_manager: return people_by_role(dir, e, role);
    case Performer::nobody: return {};
  }
  return {};
}

Resolution resolve(Directory& dir, EnrolmentId e, Performer role, PersonId buddy) {
  Resolution r;
  for (Performer p = role; p != Performer::nobody; p = fallback_of(p)) {
    const std::vector<PersonId> people = people_in(dir, e, p, buddy);
    if (!people.empty()) {
      r.role = p;
      r.person = people.front();
      return r;
    }
    r.tried.push_back(p);
  }
  r.role = Performer::nobody;
  return r;
}

std::string percent(double p, Lang lang) { return format_value(ValueFormat::percent, p, lang); }

std::string step_name(const Cohort& c, StepId s) {
  const Step& st = c.step(s);
  return st.title.empty() ? st.id : st.title;
}

std::string count_text(double v, Lang lang) { return format_value(ValueFormat::count, v, lang); }

bool singular(double shown, Lang lang) { return lang == Lang::fr ? std::fabs(shown) < 2 : std::fabs(shown) == 1; }

// The sentence of a signal's value.
std::string signal_sentence(const Cohort& c, Signal s, const SignalValues& sv, int window_days, Lang lang) {
  const double v = sv[s];
  const bool fr = lang == Lang::fr;
  const std::string w = std::to_string(window_days);
  switch (s) {
    case Signal::isolated:
      if (v != 0 && sv.has(Signal::peer_silence_working_days))
        return describe(FeatureId::peer_silence_working_days, sv[Signal::peer_silence_working_days], lang);
      return describe(FeatureId::isolated_from_peers, v != 0 ? 1.0 : 0.0, lang);
    case Signal::peer_silence_working_days: return describe(FeatureId::peer_silence_working_days, v, lang);
    case Signal::peer_degree: {
      const std::string n = count_text(v, lang);
      if (std::round(v) == 0)
        return fr ? "aucun échange avec les pairs sur les " + w + " derniers jours"
                  : "no contact with peers over the last " + w + " days";
      if (singular(std::round(v), lang))
        return fr ? "en lien avec " + n + " pair sur les " + w + " derniers jours"
                  : "in touch with " + n + " peer over the last " + w + " days";
      return fr ? "en lien avec " + n + " pairs sur les " + w + " derniers jours"
                : "in touch with " + n + " peers over the last " + w + " days";
    }
    case Signal::core_distance: {
      if (std::isinf(v)) return fr ? "hors de portée du noyau actif du groupe" : "out of reach of the group's active core";
      if (v == 0) return fr ? "dans le noyau actif du groupe" : "in the group's active core";
      const std::string n = count_text(v, lang);
      if (singular(v, lang))
        return fr ? "à " + n + " pas du noyau actif du groupe" : n + " step away from the group's active core";
      return fr ? "à " + n + " pas du noyau actif du groupe" : n + " steps away from the group's active core";
    }
    case Signal::has_manager: return describe(FeatureId::has_manager, v, lang);
    case Signal::manager_silence_working_days: return describe(FeatureId::manager_silence_working_days, v, lang);
    case Signal::has_tutor: return describe(FeatureId::has_tutor, v, lang);
    case Signal::tutor_silence_working_days: return describe(FeatureId::tutor_silence_working_days, v, lang);
    case Signal::manager_contacts_per_month:
    case Signal::tutor_contacts_per_month: {
      const bool manager = s == Signal::manager_contacts_per_month;
      const std::string who_en = manager ? "the manager" : "the tutor", who_fr = manager ? "sa hiérarchie" : "le tutorat";
      const double shown = std::round(v * 10) / 10;
      if (shown == 0)
        return fr ? "aucun contact avec " + who_fr + " sur les " + w + " derniers jours"
                  : "no contact with " + who_en + " over the last " + w + " days";
      const std::string n = format_value(ValueFormat::ratio, v, lang);
      if (singular(shown, lang)) return fr ? n + " contact par mois avec " + who_fr : n + " contact a month with " + who_en;
      return fr ? n + " contacts par mois avec " + who_fr : n + " contacts a month with " + who_en;
    }
    case Signal::weakest_competency_score: {
      const std::string name = sv.weakest_competency == kNoId ? "?" : std::string(c.competencies()[sv.weakest_competency]);
      const std::string n = format_value(ValueFormat::score, v, lang);
      return fr ? "compétence la plus faible « " + name + " » : " + n : "weakest competency '" + name + "': " + n;
    }
    case Signal::next_session_working_days:
    case Signal::next_community_event_working_days: {
      const bool session = s == Signal::next_session_working_days;
      const StepId st = session ? sv.next_session : sv.next_community_event;
      const std::string name = st == kNoId ? "?" : step_name(c, st);
      const std::string what_en = session ? "next session '" + name + "'" : "next community event '" + name + "'";
      const std::string what_fr =
          session ? "prochaine session « " + name + " »" : "prochain événement de la communauté « " + name + " »";
      const std::string n = count_text(v, lang);
      if (std::round(v) == 0) return fr ? what_fr + " aujourd'hui" : what_en + " today";
      if (singular(std::round(v), lang))
        return fr ? what_fr + " dans " + n + " jour ouvré" : what_en + " in " + n + " working day";
      return fr ? what_fr + " dans " + n + " jours ouvrés" : what_en + " in " + n + " working days";
    }
    case Signal::risk: return (fr ? "risque de décrochage " : "risk of dropping out ") + percent(v, lang);
  }
  return std::string(to_string(s));
}

std::string driver_sentence(const Driver& d, Lang lang) {
  if (find_feature(d.feature) && std::isfinite(d.value)) return describe(d.feature, d.value, lang);
  if (!std::isfinite(d.value)) return d.feature;
  return d.feature + (lang == Lang::fr ? " : " : ": ") + format_value(ValueFormat::decimal, d.value, lang);
}

const char* band_words(Band b, Lang lang) {
  if (lang == Lang::fr) return b == Band::high ? "Risque élevé" : b == Band::medium ? "Risque moyen" : "Risque faible";
  return b == Band::high ? "High risk" : b == Band::medium ? "Medium risk" : "Low risk";
}

std::string why_sentence(const Action& a, Lang lang) {
  std::string s = band_words(a.band, lang);
  s += " (" + percent(a.probability, lang) + (lang == Lang::fr ? ") : " : "): ");
  for (std::size_t i = 0; i < a.reasons.size(); ++i) {
    if (i) s += lang == Lang::fr ? " ; " : "; ";
    s += lang == Lang::fr ? a.reasons[i].text_fr : a.reasons[i].text_en;
  }
  s += ".";
  return s;
}

bool is_active(const Enrolment& en, Time date) {
  return en.start != kNoTime && en.start <= date && en.outcome_at(date) == Outcome::active;
}

std::int32_t due_for(const Rule& r, const PlaybookSettings& s, Band b) {
  const std::size_t i = static_cast<std::size_t>(b);
  return r.due_in_working_days[i] >= 0 ? r.due_in_working_days[i] : s.due_in_working_days[i];
}

struct Candidate {
  Action action;
  std::size_t first_rule = 0;  // playbook position of the first rule that asked for it
};

}  // namespace

std::vector<PersonId> people_for(const Cohort& c, EnrolmentId e, Performer role, Time date, PersonId buddy) {
  detail::check_instant("people_for", "the date", date);
  if (e >= c.enrolment_count()) throw InvalidArgument("people_for: unknown enrolment (id " + std::to_string(e) + ")");
  Directory dir(c, date);
  return people_in(dir, e, role, buddy);
}

Resolution resolve_performer(const Cohort& c, EnrolmentId e, Performer role, Time date, PersonId buddy) {
  detail::check_instant("resolve_performer", "the date", date);
  if (e >= c.enrolment_count())
    throw InvalidArgument("resolve_performer: unknown enrolment (id " + std::to_string(e) + ")");
  Directory dir(c, date);
  return resolve(dir, e, role, buddy);
}

namespace {

void check_scores(const Cohort& c, Span<RiskScore> scores, const char* fn) {
  std::vector<char> seen(c.enrolment_count(), 0);
  for (std::size_t i = 0; i < scores.size(); ++i) {
    const EnrolmentId e = scores[i].enrolment;
    if (e >= c.enrolment_count())
      throw InvalidArgument(std::string(fn) + ": score " + std::to_string(i) + " names an unknown enrolment (id " +
                            std::to_string(e) + ")");
    if (seen[e]) throw InvalidArgument(std::string(fn) + ": two scores for enrolment '" + c.enrolment(e).id + "'");
    seen[e] = 1;
    if (!std::isfinite(scores[i].probability) || scores[i].probability < 0 || scores[i].probability > 1)
      throw InvalidArgument(std::string(fn) + ": score of enrolment '" + c.enrolment(e).id +
                            "' has a probability outside [0, 1]");
  }
}

// Graphs and learner signals of the instances that have scored, active enrolments.
struct InstanceSignals {
  InteractionGraph graph;
  std::vector<LearnerSignals> signals;  // by vertex
};

std::map<InstanceId, InstanceSignals> instance_signals(const Cohort& c, const PlaybookSettings& s,
                                                       Span<RiskScore> scores, Time date) {
  std::map<InstanceId, InstanceSignals> out;
  const TimeWindow window{date - static_cast<Time>(s.signal_window_days) * kMsPerDay, date};
  SignalOptions so;
  so.isolation_working_days = s.isolation_working_days;
  for (const RiskScore& r : scores) {
    const Enrolment& en = c.enrolment(r.enrolment);
    if (!is_active(en, date) || out.count(en.instance)) continue;
    InstanceSignals is;
    is.graph = InteractionGraph::of_instance(c, en.instance, window);
    is.signals = learner_signals(c, is.graph, so);
    out.emplace(en.instance, std::move(is));
  }
  return out;
}

std::int64_t silence(const Cohort& c, EnrolmentId e, Time last_contact, Day day) {
  const Calendar& cal = c.calendar();
  Day ref = c.start_day(e);
  if (last_contact != kNoTime) ref = std::max(ref, cal.local_day(last_contact));
  return std::max<std::int64_t>(0, cal.working_days_between(ref, day));
}

SignalValues compute_signals(const Cohort& c, const RiskScore& r, const LearnerSignals* ls, Time date) {
  SignalValues sv;
  auto set = [&](Signal s, double v) {
    sv.value[static_cast<std::size_t>(s)] = v;
    sv.known[static_cast<std::size_t>(s)] = true;
  };
  const Calendar& cal = c.calendar();
  const Day day = cal.local_day(date);
  const EnrolmentId e = r.enrolment;
  const Enrolment& en = c.enrolment(e);
  if (ls) {
    set(Signal::isolated, ls->isolated ? 1.0 : 0.0);
    if (ls->working_days_without_peers >= 0)
      set(Signal::peer_silence_working_days, static_cast<double>(ls->working_days_without_peers));
    set(Signal::peer_degree, ls->peer_degree);
    set(Signal::core_distance, ls->core_distance == kUnreachable ? std::numeric_limits<double>::infinity()
                                                                  : static_cast<double>(ls->core_distance));
    set(Signal::manager_silence_working_days, static_cast<double>(silence(c, e, ls->manager.last_contact, day)));
    set(Signal::manager_contacts_per_month, ls->manager.contacts_per_month);
    set(Signal::tutor_silence_working_days, static_cast<double>(silence(c, e, ls->tutor.last_contact, day)));
    set(Signal::tutor_contacts_per_month, ls->tutor.contacts_per_month);
  }
  set(Signal::has_manager, c.managers(en.learner, date).empty() ? 0.0 : 1.0);
  set(Signal::has_tutor, c.tutors(e, date).empty() ? 0.0 : 1.0);
  const EnrolmentProgress progress = enrolment_progress(c, e, date);
  const std::vector<CompetencyScore> comp = competency_scores(c, progress);
  for (const CompetencyScore& cs : comp)
    if (sv.weakest_competency == kNoId || cs.score < sv[Signal::weakest_competency_score]) {
      sv.weakest_competency = cs.competency;
      set(Signal::weakest_competency_score, cs.score);
    }
  sv.next_session = next_planned_step(c, progress, kSessionKinds, day, &sv.next_session_day);
  if (sv.next_session != kNoId)
    set(Signal::next_session_working_days, static_cast<double>(cal.working_days_between(day, sv.next_session_day)));
  sv.next_community_event =
      next_planned_step(c, progress, kind_bit(StepKind::community_event), day, &sv.next_community_event_day);
  if (sv.next_community_event != kNoId)
    set(Signal::next_community_event_working_days,
        static_cast<double>(cal.working_days_between(day, sv.next_community_event_day)));
  set(Signal::risk, r.probability);
  return sv;
}

}  // namespace

std::vector<SignalValues> signal_values(const Cohort& c, const PlaybookSettings& s, Span<RiskScore> scores, Time date) {
  detail::check_instant("signal_values", "the date", date);
  check_scores(c, scores, "signal_values");
  const auto graphs = instance_signals(c, s, scores, date);
  std::vector<SignalValues> out;
  out.reserve(scores.size());
  for (const RiskScore& r : scores) {
    const Enrolment& en = c.enrolment(r.enrolment);
    const LearnerSignals* ls = nullptr;
    const auto it = graphs.find(en.instance);
    if (it != graphs.end()) {
      const Vertex v = it->second.graph.vertex_of(en.learner);
      if (v != kNoVertex) ls = &it->second.signals[v];
    }
    out.push_back(compute_signals(c, r, ls, date));
  }
  return out;
}

std::vector<Action> recommend(const Cohort& c, const Playbook& pb, Span<RiskScore> scores, Time date) {
  detail::check_instant("recommend", "the date", date);
  check_scores(c, scores, "recommend");
  const PlaybookSettings& s = pb.settings();
  const Calendar& cal = c.calendar();
  const Day day = cal.local_day(date);
  const auto graphs = instance_signals(c, s, scores, date);

  // Scores in enrolment order, so the output order never depends on the caller's.
  std::vector<const RiskScore*> order;
  for (const RiskScore& r : scores)
    if (is_active(c.enrolment(r.enrolment), date)) order.push_back(&r);
  std::sort(order.begin(), order.end(), [](const RiskScore* a, const RiskScore* b) { return a->enrolment < b->enrolment; });

  std::vector<Action> actions;
  for (const RiskScore* rp : order) {
    const RiskScore& r = *rp;
    const EnrolmentId e = r.enrolment;
    const Enrolment& en = c.enrolment(e);
    const LearnerSignals* ls = nullptr;
    const auto git = graphs.find(en.instance);
    if (git != graphs.end()) {
      const Vertex v = git->second.graph.vertex_of(en.learner);
      if (v != kNoVertex) ls = &git->second.signals[v];
    }
    const SignalValues sv = compute_signals(c, r, ls, date);

    std::vector<Candidate> candidates;
    for (std::size_t ri = 0; ri < pb.rules().size(); ++ri) {
      const Rule& rule = pb.rules()[ri];
      if (!rule.bands[static_cast<std::size_t>(r.band)]) continue;
      if (rule.action == ActionType::extra_content && sv.weakest_competency == kNoId) continue;
      if (rule.action == ActionType::session_challenge && sv.next_session == kNoId) continue;
      std::vector<Reason> reasons;
      bool ok = true;
      for (const Condition& cond : rule.when) {
        if (cond.kind == Condition::Kind::driver) {
          const auto d = std::find_if(r.drivers.begin(), r.drivers.end(),
                                      [&](const Driver& x) { return x.feature == cond.feature; });
          if (d == r.drivers.end() || !cond.value.holds(d->value) || !cond.contribution.holds(d->contribution) ||
              !cond.rank.holds(static_cast<double>(d->rank))) {
            ok = false;
            break;
          }
          reasons.push_back({Reason::Kind::driver, d->feature, d->value, d->contribution, d->rank,
                             driver_sentence(*d, Lang::en), driver_sentence(*d, Lang::fr)});
        } else {
          if (!sv.has(cond.signal) || !cond.value.holds(sv[cond.signal])) {
            ok = false;
            break;
          }
          reasons.push_back({Reason::Kind::signal, std::string(to_string(cond.signal)), sv[cond.signal], 0, 0,
                             signal_sentence(c, cond.signal, sv, s.signal_window_days, Lang::en),
                             signal_sentence(c, cond.signal, sv, s.signal_window_days, Lang::fr)});
        }
      }
      if (!ok) continue;
      const std::int32_t due = due_for(rule, s, r.band);
      const std::int32_t cooling =
          rule.cooling_off_working_days >= 0 ? rule.cooling_off_working_days : s.cooling_off_working_days;
      auto it = std::find_if(candidates.begin(), candidates.end(),
                             [&](const Candidate& x) { return x.action.type == rule.action; });
      if (it == candidates.end()) {
        Candidate cand;
        Action& a = cand.action;
        cand.first_rule = ri;
        a.type = rule.action;
        a.rule = rule.id;
        a.priority = rule.priority;
        a.requested = rule.performer();
        a.target = Playbook::effective_target(rule);
        a.due_in_working_days = due;
        a.cooling_off_working_days = cooling;
        candidates.push_back(std::move(cand));
        it = candidates.end() - 1;
      } else if (rule.priority > it->action.priority) {
        // The highest-priority rule speaks for the action: its role and target.
        it->action.rule = rule.id;
        it->action.priority = rule.priority;
        it->action.requested = rule.performer();
        it->action.target = Playbook::effective_target(rule);
      }
      Action& a = it->action;
      a.rules.push_back(rule.id);
      a.due_in_working_days = std::min(a.due_in_working_days, due);
      a.cooling_off_working_days = std::max(a.cooling_off_working_days, cooling);
      for (Reason& rs : reasons) {
        const bool dup = std::any_of(a.reasons.begin(), a.reasons.end(),
                                     [&](const Reason& x) { return x.kind == rs.kind && x.id == rs.id; });
        if (!dup) a.reasons.push_back(std::move(rs));
      }
    }
    std::stable_sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
      if (a.action.priority != b.action.priority) return a.action.priority > b.action.priority;
      return a.first_rule < b.first_rule;
    });
    if (s.max_actions_per_enrolment > 0 && candidates.size() > s.max_actions_per_enrolment)
      candidates.resize(s.max_actions_per_enrolment);
    for (Candidate& cand : candidates) {
      Action& a = cand.action;
      a.enrolment = e;
      a.learner = en.learner;
      a.band = r.band;
      a.probability = r.probability;
      std::stable_sort(a.reasons.begin(), a.reasons.end(), [](const Reason& x, const Reason& y) {
        if (x.kind != y.kind) return x.kind == Reason::Kind::driver;
        if (x.kind == Reason::Kind::driver) return x.rank < y.rank;
        return parse_signal(x.id) < parse_signal(y.id);
      });
      if (a.type == ActionType::extra_content) {
        a.competency = sv.weakest_competency;
        a.competency_score = sv[Signal::weakest_competency_score];
        // The content: an optional step of the path that trains this competency and is not done yet.
        const EnrolmentProgress progress = enrolment_progress(c, e, date);
        for (StepId st : c.path(en.path).topo_order) {
          const Step& step = c.step(st);
          if (step.required || progress.steps[step.position].is_done()) continue;
          const auto& comps = step.competencies;
          if (std::find(comps.begin(), comps.end(), a.competency) == comps.end()) continue;
          a.step = st;
          a.step_day = planned_day(c, st, e);
          break;
        }
      } else if (a.type == ActionType::session_challenge) {
        a.step = sv.next_session;
        a.step_day = sv.next_session_day;
      } else if (a.type == ActionType::community_event) {
        a.step = sv.next_community_event;
        a.step_day = sv.next_community_event_day;
      }
      actions.push_back(std::move(a));
    }
  }

  // Buddies: one assignment per path instance over every learner who should get one.
  std::map<InstanceId, std::vector<EnrolmentId>> seekers;
  for (const Action& a : actions)
    if (a.type == ActionType::buddy_pairing) seekers[c.enrolment(a.enrolment).instance].push_back(a.enrolment);
  std::map<EnrolmentId, BuddyPair> buddy_of;
  BuddyOptions bo;
  bo.cap = s.buddy_cap;
  bo.active_within_working_days = s.buddy_active_within_working_days;
  for (const auto& [instance, list] : seekers) {
    const auto git = graphs.find(instance);
    if (git == graphs.end()) continue;
    const BuddyPlan plan = match_buddies(c, git->second.graph, list, date, bo);
    for (const BuddyPair& p : plan.pairs) buddy_of[p.seeker] = p;
  }

  Directory dir(c, date);
  for (Action& a : actions) {
    if (a.type == ActionType::buddy_pairing) {
      const auto it = buddy_of.find(a.enrolment);
      if (it != buddy_of.end()) {
        a.buddy_enrolment = it->second.buddy;
        a.buddy = c.learner(c.enrolment(it->second.buddy).learner).person;
        a.buddy_score = it->second.score;
      }
    }
    const Resolution res = resolve(dir, a.enrolment, a.requested, a.buddy);
    a.resolved = res.role;
    a.performer = res.person;
    a.fallbacks = res.tried;

    a.due = cal.add_working_days(day, a.due_in_working_days);
    if (a.type == ActionType::session_challenge && a.step_day != kNoDay) {
      // A challenge is only useful before the session: at the latest the working day before it, never
      // earlier than today.
      const Day today = cal.add_working_days(day, 0);
      const Day before = a.step_day > today ? cal.add_working_days(a.step_day, -1) : today;
      a.due = std::max(today, std::min(a.due, before));
      a.due_in_working_days = static_cast<std::int32_t>(std::max<std::int64_t>(0, cal.working_days_between(day, a.due)));
    }
    a.why_en = why_sentence(a, Lang::en);
    a.why_fr = why_sentence(a, Lang::fr);
  }
  return actions;
}

LIEN_END_NAMESPACE
