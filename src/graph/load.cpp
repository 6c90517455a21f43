// Stakeholder load: at-risk learners per manager, tutor and trainer.
#include "lien/graph/load.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "lien/core/error.hpp"
#include "lien/model/cohort.hpp"

LIEN_BEGIN_NAMESPACE

namespace {

// (person, learner, at_risk) triples -> one load per person, a learner counted once (at risk if any of its
// enrolments under that person is).
std::vector<StakeholderLoad> tally(std::vector<std::pair<std::uint64_t, bool>> links) {
  std::sort(links.begin(), links.end());
  std::vector<StakeholderLoad> out;
  for (std::size_t i = 0; i < links.size();) {
    std::size_t j = i;
    bool risk = false;
    while (j < links.size() && links[j].first == links[i].first) risk = risk || links[j].second, ++j;
    const PersonId p = static_cast<PersonId>(links[i].first >> 32);
    if (out.empty() || out.back().person != p) out.push_back({p, 0, 0});
    ++out.back().learners;
    out.back().at_risk += risk;
    i = j;
  }
  std::sort(out.begin(), out.end(), [](const StakeholderLoad& a, const StakeholderLoad& b) {
    if (a.at_risk != b.at_risk) return a.at_risk > b.at_risk;
    if (a.learners != b.learners) return a.learners > b.learners;
    return a.person < b.person;
  });
  return out;
}

}  // namespace

LoadReport stakeholder_load(const Cohort& cohort, Span<std::uint8_t> band, std::uint8_t at_risk_from, Time as_of) {
  if (band.size() != cohort.enrolment_count())
    throw InvalidArgument("stakeholder_load: " + std::to_string(band.size()) + " risk bands for " +
                          std::to_string(cohort.enrolment_count()) + " enrolments");
  std::vector<std::pair<std::uint64_t, bool>> managers, tutors, trainers;
  auto key = [](PersonId p, LearnerId l) { return (static_cast<std::uint64_t>(p) << 32) | l; };
  for (EnrolmentId e = 0; e < cohort.enrolment_count(); ++e) {
    const Enrolment& en = cohort.enrolment(e);
    if (en.start > as_of || en.outcome_at(as_of) != Outcome::active) continue;
    const bool risk = band[e] >= at_risk_from;
    for (PersonId p : cohort.managers(en.learner, as_of)) managers.push_back({key(p, en.learner), risk});
    for (PersonId p : cohort.tutors(e, as_of)) tutors.push_back({key(p, en.learner), risk});
    for (PersonId p : cohort.trainers(e, as_of)) trainers.push_back({key(p, en.learner), risk});
  }
  return {tally(std::move(managers)), tally(std::move(tutors)), tally(std::move(trainers))};
}

LIEN_END_NAMESPACE
