// Progress reviews (bilans): the structured review of an enrolment, and its text in English and French.
#include "lien/analytics/review.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "lien/act/playbook.hpp"
#include "lien/act/progress.hpp"
#include "lien/act/recommend.hpp"
#include "lien/core/error.hpp"
#include "lien/model/cohort.hpp"
#include "../act/instant_check.hpp"

LIEN_BEGIN_NAMESPACE

Review review(const Cohort& c, EnrolmentId e, Time as_of, const RiskScore* risk, Span<Action> actions,
              const ReviewOptions& o) {
  detail::check_instant("review", "as_of", as_of);
  if (e >= c.enrolment_count()) throw InvalidArgument("review: unknown enrolment (id " + std::to_string(e) + ")");
  if (risk && risk->enrolment != e)
    throw InvalidArgument("review: the risk score is for enrolment id " + std::to_string(risk->enrolment) +
                          ", not '" + c.enrolment(e).id + "'");
  const Calendar& cal = c.calendar();
  const Enrolment& en = c.enrolment(e);
  const Path& path = c.path(en.path);
  Review r;
  r.enrolment = e;
  r.learner = en.learner;
  r.as_of = as_of;
  r.day = cal.local_day(as_of);
  r.outcome = en.outcome_at(as_of);
  r.working_days_enrolled = std::max<std::int64_t>(0, cal.working_days_between(c.start_day(e), r.day));

  const EnrolmentProgress p = enrolment_progress(c, e, as_of);
  std::vector<std::size_t> topo_index(path.steps.size());
  for (std::size_t k = 0; k < path.topo_order.size(); ++k) topo_index[c.step(path.topo_order[k]).position] = k;

  for (StepId s : path.topo_order) {
    const StepProgress& sp = p.steps[c.step(s).position];
    if (!sp.is_done()) continue;
    ReviewStep rs;
    rs.step = s;
    rs.done_day = cal.local_day(sp.done);
    rs.has_score = sp.has_score();
    rs.score = sp.has_score() ? sp.last_score : 0.0f;
    r.done.push_back(rs);
  }
  std::vector<char> late(path.steps.size(), 0);
  for (StepId s : c.required_due_by(e, r.day - 1)) {
    const Step& st = c.step(s);
    if (p.steps[st.position].is_done()) continue;
    late[st.position] = 1;
    ReviewStep rs;
    rs.step = s;
    rs.due_day = c.due_day(s, e);
    if (rs.due_day != kNoDay) rs.working_days_late = std::max<std::int64_t>(0, cal.working_days_between(rs.due_day, r.day));
    r.late.push_back(rs);
  }
  for (StepId s : path.topo_order) {
    const Step& st = c.step(s);
    if (p.steps[st.position].is_done() || late[st.position]) continue;
    bool ready = true;
    for (StepId q : path.prerequisites_of(st))
      if (!p.steps[c.step(q).position].is_done()) ready = false;
    if (!ready) continue;
    ReviewStep rs;
    rs.step = s;
    rs.due_day = c.due_day(s, e);
    rs.planned_day = planned_day(c, s, e);
    r.next.push_back(rs);
  }
  std::stable_sort(r.next.begin(), r.next.end(), [&](const ReviewStep& a, const ReviewStep& b) {
    if ((a.planned_day == kNoDay) != (b.planned_day == kNoDay)) return b.planned_day == kNoDay;
    if (a.planned_day != b.planned_day) return a.planned_day < b.planned_day;
    return topo_index[c.step(a.step).position] < topo_index[c.step(b.step).position];
  });
  if (o.next_steps > 0 && r.next.size() > o.next_steps) r.next.resize(o.next_steps);

  // Competencies: every one the path's steps carry, with its score and its coverage by required steps.
  std::vector<CompetencyId> ids;
  for (StepId s : path.steps)
    for (CompetencyId k : c.step(s).competencies) ids.push_back(k);
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  const std::vector<CompetencyScore> scores = competency_scores(c, p);
  for (CompetencyId k : ids) {
    ReviewCompetency rc;
    rc.competency = k;
    for (const CompetencyScore& cs : scores)
      if (cs.competency == k) rc.scored = true, rc.score = cs.score, rc.steps_scored = cs.steps_scored;
    for (StepId s : path.steps) {
      const Step& st = c.step(s);
      if (!st.required || std::find(st.competencies.begin(), st.competencies.end(), k) == st.competencies.end()) continue;
      ++rc.required_steps;
      if (p.steps[st.position].is_done()) ++rc.required_steps_done;
    }
    rc.covered = rc.required_steps > 0 && rc.required_steps_done == rc.required_steps;
    if (rc.required_steps > 0) ++r.competencies_required;
    if (rc.covered) ++r.competencies_covered;
    r.competencies.push_back(rc);
  }
  r.required_steps = p.required;
  r.required_steps_done = p.required_done;
  r.certification_progress = p.required ? static_cast<double>(p.required_done) / p.required : 1.0;

  if (risk) {
    r.has_risk = true;
    r.probability = risk->probability;
    r.band = risk->band;
    std::vector<Driver> drivers = risk->drivers;
    std::stable_sort(drivers.begin(), drivers.end(), [](const Driver& a, const Driver& b) { return a.rank < b.rank; });
    for (const Driver& d : drivers) {
      ReviewDriver rd;
      rd.driver = d;
      const bool builtin = find_feature(d.feature) != nullptr && std::isfinite(d.value);
      const bool finite = std::isfinite(d.value);
      rd.text_en = builtin ? describe(d.feature, d.value, Lang::en)
                           : finite ? d.feature + ": " + format_value(ValueFormat::decimal, d.value, Lang::en) : d.feature;
      rd.text_fr = builtin ? describe(d.feature, d.value, Lang::fr)
                           : finite ? d.feature + " : " + format_value(ValueFormat::decimal, d.value, Lang::fr) : d.feature;
      r.drivers.push_back(std::move(rd));
    }
  }
  for (const Action& a : actions)
    if (a.enrolment == e) r.suggestions.push_back(a);
  if (actions.empty() && o.playbook && risk) {
    const std::vector<RiskScore> one{*risk};
    r.suggestions = recommend(c, *o.playbook, one, as_of);
  }
  return r;
}

namespace {

std::string date_text(Day d, Lang lang) {
  if (lang == Lang::en) return format_date(d);
  const CivilDate cd = civil_from_days(d);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%02d/%02d/%04d", cd.day, cd.month, cd.year);
  return buf;
}

std::string step_text(const Cohort& c, StepId s) {
  const Step& st = c.step(s);
  return st.title.empty() ? st.id : st.title + " (" + st.id + ")";
}

// "n word" with the language's plural rule (French: singular below 2).
std::string counted(std::int64_t n, const char* one, const char* many, Lang lang) {
  const bool single = lang == Lang::fr ? n < 2 : n == 1;
  return std::to_string(n) + " " + (single ? one : many);
}

std::string days_text(std::int64_t n, Lang lang) {
  const std::string v = std::to_string(n);
  if (lang == Lang::fr) return v + (n < 2 ? " jour ouvré" : " jours ouvrés");
  return v + (n == 1 ? " working day" : " working days");
}

}  // namespace

std::string render_review(const Cohort& c, const Review& r, Lang lang) {
  if (r.enrolment >= c.enrolment_count() || r.learner != c.enrolment(r.enrolment).learner)
    throw InvalidArgument("render_review: the review's enrolment and learner do not belong to this cohort");
  for (const auto* list : {&r.done, &r.late, &r.next})
    for (const ReviewStep& st : *list)
      if (st.step >= c.step_count()) throw InvalidArgument("render_review: unknown step (id " + std::to_string(st.step) + ")");
  for (const ReviewCompetency& k : r.competencies)
    if (k.competency >= c.competencies().size())
      throw InvalidArgument("render_review: unknown competency (id " + std::to_string(k.competency) + ")");
  const bool fr = lang == Lang::fr;
  const Enrolment& en = c.enrolment(r.enrolment);
  const Person& who = c.person(c.learner(r.learner).person);
  const Path& path = c.path(en.path);
  const std::string colon = fr ? " : " : ": ";
  const std::string head = fr ? " :\n" : ":\n";  // a heading before a list
  auto pct = [&](double v) { return format_value(ValueFormat::percent, v, lang); };
  std::string s;
  s += fr ? "Bilan de progression" : "Progress review";
  s += colon + (who.display_name.empty() ? who.id : who.display_name + " (" + who.id + ")");
  s += fr ? " — parcours " : " — path ";
  s += path.title.empty() ? path.id : path.title + " (" + path.id + ")";
  s += fr ? ", groupe " : ", group ";
  s += std::string(c.instances()[en.instance]) + "\n";

  const char* status = r.outcome == Outcome::completed ? (fr ? "terminé" : "completed")
                       : r.outcome == Outcome::withdrawn ? (fr ? "abandon" : "withdrawn")
                                                         : (fr ? "en cours" : "in progress");
  s += (fr ? "Date" : "Date") + colon + date_text(r.day, lang) + ". ";
  s += (fr ? "Statut" : "Status") + colon + status + (fr ? ", inscription depuis " : ", enrolled for ") +
       days_text(r.working_days_enrolled, lang) + ".\n";

  const std::size_t total = path.steps.size();
  if (r.done.empty()) {
    s += fr ? "Fait : aucune étape pour l'instant.\n" : "Done: no step yet.\n";
  } else {
    s += fr ? "Fait (" + std::to_string(r.done.size()) + " étape" + (r.done.size() < 2 ? "" : "s") + " sur " +
                  std::to_string(total) + ")" + head
            : "Done (" + std::to_string(r.done.size()) + " of " + std::to_string(total) + " steps)" + head;
    for (const ReviewStep& d : r.done) {
      s += "  - " + step_text(c, d.step) + (fr ? ", faite le " : ", done on ") + date_text(d.done_day, lang);
      if (d.has_score) s += ", score " + format_value(ValueFormat::score, d.score, lang);
      s += "\n";
    }
  }
  if (r.late.empty()) {
    s += fr ? "En retard : aucune étape.\n" : "Late: none.\n";
  } else {
    s += (fr ? "En retard (" : "Late (") + std::to_string(r.late.size()) + ")" + head;
    for (const ReviewStep& d : r.late) {
      s += "  - " + step_text(c, d.step);
      if (d.due_day != kNoDay)
        s += (fr ? ", échéance " : ", due ") + date_text(d.due_day, lang) + ", " + days_text(d.working_days_late, lang) +
             (fr ? " de retard" : " late");
      else
        s += fr ? ", prérequis d'une étape échue" : ", a prerequisite of a step already due";
      s += "\n";
    }
  }
  if (r.next.empty()) {
    s += fr ? "À venir : aucune étape.\n" : "Next: none.\n";
  } else {
    s += (fr ? "À venir" : "Next") + head;
    for (const ReviewStep& d : r.next) {
      s += "  - " + step_text(c, d.step);
      if (d.due_day != kNoDay) s += (fr ? ", échéance " : ", due ") + date_text(d.due_day, lang);
      s += "\n";
    }
  }
  if (!r.competencies.empty()) {
    s += (fr ? "Compétences" : "Competencies") + head;
    for (const ReviewCompetency& k : r.competencies) {
      s += "  - " + std::string(c.competencies()[k.competency]) + colon;
      if (k.scored) {
        s += format_value(ValueFormat::score, k.score, lang) + " (" + std::to_string(k.steps_scored) +
             (fr ? (k.steps_scored < 2 ? " étape notée)" : " étapes notées)")
                 : (k.steps_scored == 1 ? " scored step)" : " scored steps)"));
      } else {
        s += fr ? "pas encore de score" : "no score yet";
      }
      if (k.required_steps > 0 && k.covered) {
        s += fr ? " ; couverte" : "; covered";
      } else if (k.required_steps > 0) {
        s += fr ? " ; " + counted(k.required_steps_done, "étape obligatoire faite", "étapes obligatoires faites", lang) +
                      " sur " + std::to_string(k.required_steps)
                : "; " + std::to_string(k.required_steps_done) + " of " + std::to_string(k.required_steps) +
                      " required steps done";
      }
      s += "\n";
    }
  }
  s += "Certification" + colon;
  s += fr ? counted(r.required_steps_done, "étape obligatoire faite", "étapes obligatoires faites", lang) + " sur " +
                std::to_string(r.required_steps) + " (" + pct(r.certification_progress) + ") ; " +
                counted(r.competencies_covered, "compétence couverte", "compétences couvertes", lang) + " sur " +
                std::to_string(r.competencies_required) + ".\n"
          : std::to_string(r.required_steps_done) + " of " + std::to_string(r.required_steps) +
                " required steps done (" + pct(r.certification_progress) + "); " +
                std::to_string(r.competencies_covered) + " of " + std::to_string(r.competencies_required) +
                " competencies covered.\n";
  if (!r.has_risk) {
    s += fr ? "Risque : non évalué.\n" : "Risk: not scored.\n";
  } else {
    const char* band = r.band == Band::high ? (fr ? "élevé" : "high") : r.band == Band::medium ? (fr ? "moyen" : "medium")
                                                                                                : (fr ? "faible" : "low");
    s += (fr ? "Risque" : "Risk") + colon + band + " (" + pct(r.probability) + ")";
    s += r.drivers.empty() ? ".\n" : (fr ? ", principalement :\n" : ", mainly:\n");
    for (const ReviewDriver& d : r.drivers) s += "  - " + (fr ? d.text_fr : d.text_en) + "\n";
  }
  if (r.suggestions.empty()) {
    s += fr ? "Actions suggérées : aucune.\n" : "Suggested next steps: none.\n";
  } else {
    s += (fr ? "Actions suggérées" : "Suggested next steps") + head;
    for (const Action& a : r.suggestions) s += "  - " + describe_action(c, a, lang) + "\n";
  }
  return s;
}

LIEN_END_NAMESPACE
