// Actions as words: labels of action types and roles, and the one-line description a person reads.
#include "lien/act/action.hpp"

#include <cctype>
#include <cstdio>
#include <string>

#include "lien/core/error.hpp"
#include "lien/model/cohort.hpp"

LIEN_BEGIN_NAMESPACE

std::string_view action_label(ActionType t, Lang lang) noexcept {
  const bool fr = lang == Lang::fr;
  switch (t) {
    case ActionType::nudge: return fr ? "relance" : "nudge";
    case ActionType::manager_check_in: return fr ? "point avec la hiérarchie" : "manager check-in";
    case ActionType::tutor_call: return fr ? "appel du tutorat" : "tutor call";
    case ActionType::buddy_pairing: return fr ? "binôme avec un pair" : "buddy pairing";
    case ActionType::extra_content: return fr ? "contenu complémentaire" : "extra content";
    case ActionType::session_challenge: return fr ? "défi avant la prochaine session" : "challenge before the next session";
    case ActionType::community_event:
      return fr ? "invitation à un événement de la communauté" : "community event invitation";
    case ActionType::progress_review: return fr ? "bilan de progression" : "progress review";
    case ActionType::escalation: return fr ? "alerte RH / service formation" : "escalation to HR / training department";
    case ActionType::training_org_contact:
      return fr ? "contact avec l'organisme de formation" : "contact with the training organisation";
  }
  return "?";
}

std::string_view performer_label(Performer p, Lang lang) noexcept {
  const bool fr = lang == Lang::fr;
  switch (p) {
    case Performer::learner: return fr ? "la personne en formation" : "learner";
    case Performer::manager: return fr ? "hiérarchie" : "manager";
    case Performer::tutor: return fr ? "tutorat" : "tutor";
    case Performer::trainer: return fr ? "formation (animation)" : "trainer";
    case Performer::hr: return fr ? "RH / service formation" : "HR / training department";
    case Performer::community_manager: return fr ? "animation de la communauté" : "community manager";
    case Performer::training_org: return fr ? "organisme de formation" : "training organisation";
    case Performer::buddy: return fr ? "binôme" : "buddy";
    case Performer::nobody: return fr ? "personne d'assigné" : "nobody assigned";
  }
  return "?";
}

namespace {

std::string person_text(const Cohort& c, PersonId p) {
  const Person& person = c.person(p);
  return person.display_name.empty() ? person.id : person.display_name + " (" + person.id + ")";
}

std::string date_text(Day d, Lang lang) {
  if (lang == Lang::en) return format_date(d);
  const CivilDate cd = civil_from_days(d);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%02d/%02d/%04d", cd.day, cd.month, cd.year);
  return buf;
}

}  // namespace

std::string describe_action(const Cohort& c, const Action& a, Lang lang) {
  auto bad = [](const char* what, std::uint32_t id) {
    throw InvalidArgument(std::string("describe_action: unknown ") + what + " (id " + std::to_string(id) + ")");
  };
  if (a.learner >= c.learner_count()) bad("learner", a.learner);
  if (a.performer != kNoId && a.performer >= c.person_count()) bad("performer", a.performer);
  if (a.buddy != kNoId && a.buddy >= c.person_count()) bad("buddy", a.buddy);
  if (a.competency != kNoId && a.competency >= c.competencies().size()) bad("competency", a.competency);
  if (a.step != kNoId && a.step >= c.step_count()) bad("step", a.step);
  const bool fr = lang == Lang::fr;
  std::string label(action_label(a.type, lang));
  if (!label.empty()) label[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(label[0])));
  std::string s = label + (fr ? " pour " : " for ") + person_text(c, c.learner(a.learner).person);
  if (a.performer != kNoId) {
    s += fr ? ", par " : ", by ";
    s += person_text(c, a.performer);
    s += " [" + std::string(performer_label(a.resolved, lang));
    if (a.resolved != a.requested)
      s += (fr ? ", faute de " : ", instead of the ") + std::string(performer_label(a.requested, lang));
    s += "]";
  } else {
    s += fr ? ", personne d'assigné (à traiter par l'animation de la communauté)"
            : ", nobody assigned (for the community manager)";
  }
  if (a.due != kNoDay) s += (fr ? ", avant le " : ", due ") + date_text(a.due, lang);
  s += ". " + a.why(lang);
  if (a.buddy != kNoId) s += (fr ? " Binôme proposé : " : " Buddy: ") + person_text(c, a.buddy) + ".";
  if (a.competency != kNoId) {
    s += (fr ? " Compétence : " : " Competency: ") + std::string(c.competencies()[a.competency]) + " (" +
         format_value(ValueFormat::score, a.competency_score, lang) + ")";
    s += ".";
  }
  if (a.step != kNoId) {
    const Step& st = c.step(a.step);
    s += fr ? " Étape : " : " Step: ";
    s += st.title.empty() ? st.id : st.title;
    if (a.step_day != kNoDay) s += (fr ? " le " : " on ") + date_text(a.step_day, lang);
    s += ".";
  }
  return s;
}

LIEN_END_NAMESPACE
