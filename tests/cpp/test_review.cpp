// Progress reviews (bilans) of a hand-made enrolment: steps done, late and next, competencies, certification,
// risk and suggestions; the text in English and French checked for the learner's facts.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "lien/act/playbook.hpp"
#include "lien/act/recommend.hpp"
#include "lien/analytics/review.hpp"
#include "lien/core/error.hpp"
#include "lien/features/features.hpp"
#include "toolbox_fixture.hpp"

using namespace lien;
using toolbox::at;
using toolbox::day;

namespace {

// UTC, Monday to Friday. Ann Martin (L1) started path P "Leadership" on Monday 2027-01-04 in group G1, tutored by
// Tom (T1). The review is on Monday 2027-02-01 (day 28).
//   S1 "Kick-off quiz"   required, days 0-7,   negotiation          passed 2027-01-06, score 0.4
//   S2 "Listening module" required, days 7-14, listening, presenting completed 2027-01-12, score 0.9
//   S3 "Case study"      required, days 14-21, negotiation, listening   nothing: late since 2027-01-25
//   S4 "Workshop"        required, day 30 (classroom), after S3
//   S5 "Deep dive"       optional, undated, negotiation, after S1    launched, not done
//   S6 "Final review"    required, day 60, after S4
Cohort make_cohort() {
  toolbox::Builder b;
  b.learner("L1", "A", "Lyon", "Ann Martin").learner("L2", "A", "Lyon");
  b.stakeholder("T1", Role::tutor, "", "Tom").stakeholder("CM1", Role::community_manager);
  b.relation("T1", "G1", RelationType::tutors);
  b.path("P", "Leadership");
  b.step("P", "S1", StepKind::assessment, Phase::before, 0, 7, true, {"negotiation"}, "Kick-off quiz");
  b.step("P", "S2", StepKind::elearning, Phase::during, 7, 14, true, {"listening", "presenting"}, "Listening module");
  b.step("P", "S3", StepKind::assignment, Phase::during, 14, 21, true, {"negotiation", "listening"}, "Case study", 2);
  b.step("P", "S4", StepKind::classroom, Phase::during, 30, 30, true, {}, "Workshop");
  b.step("P", "S5", StepKind::elearning, Phase::during, kNoDay, kNoDay, false, {"negotiation"}, "Deep dive");
  b.step("P", "S6", StepKind::review, Phase::after, 60, 60, true, {}, "Final review");
  b.prerequisite("S2", "S1").prerequisite("S3", "S2").prerequisite("S4", "S3").prerequisite("S6", "S4");
  b.prerequisite("S5", "S1");
  b.enrol("E1", "L1", "P", "G1", "2027-01-04T08:00:00Z");
  b.enrol("E2", "L2", "P", "G1", "2027-01-04T08:00:00Z");
  b.did("L1", "2027-01-06T10:00:00Z", Verb::passed, "S1", 0.4f);
  b.did("L1", "2027-01-12T10:00:00Z", Verb::completed, "S2", 0.9f);
  b.did("L1", "2027-01-20T10:00:00Z", Verb::launched, "S5");
  return b.build();
}

const Cohort& cohort() {
  static const Cohort c = make_cohort();
  return c;
}

const Time kDate = at("2027-02-01T12:00:00Z");

RiskScore risk() {
  return toolbox::score(cohort(), "E1", 0.55,
                        {{"behind_schedule_working_days", 5, 0.6}, {"overdue_required_steps", 1, 0.3},
                         {"assessment_mean_score", 0.65, -0.2}},
                        kDate);
}

bool has(const std::string& text, const std::string& part) {
  INFO("looking for: " << part);
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("a review lists steps done, late and next, competencies and certification") {
  const Cohort& c = cohort();
  const EnrolmentId e = c.find_enrolment("E1");
  const RiskScore r = risk();
  ReviewOptions o;
  o.playbook = &Playbook::default_playbook();
  const Review rv = review(c, e, kDate, &r, {}, o);
  CHECK(rv.day == day("2027-02-01"));
  CHECK(rv.outcome == Outcome::active);
  CHECK(rv.working_days_enrolled == 20);
  REQUIRE(rv.done.size() == 2);
  CHECK(rv.done[0].step == c.find_step("S1"));
  CHECK(rv.done[0].done_day == day("2027-01-06"));
  CHECK(rv.done[0].has_score);
  CHECK(rv.done[0].score == 0.4f);
  CHECK(rv.done[1].step == c.find_step("S2"));
  REQUIRE(rv.late.size() == 1);
  CHECK(rv.late[0].step == c.find_step("S3"));
  CHECK(rv.late[0].due_day == day("2027-01-25"));
  CHECK(rv.late[0].working_days_late == 5);
  // Next: S5 only (S3 is late; S4 and S6 wait for S3).
  REQUIRE(rv.next.size() == 1);
  CHECK(rv.next[0].step == c.find_step("S5"));
  // Competencies by id: negotiation, listening, presenting (interned in that order).
  REQUIRE(rv.competencies.size() == 3);
  const ReviewCompetency& neg = rv.competencies[0];
  CHECK(c.competencies()[neg.competency] == "negotiation");
  CHECK(neg.scored);
  CHECK(neg.score == Approx(0.4));
  CHECK(neg.required_steps == 2);
  CHECK(neg.required_steps_done == 1);
  CHECK_FALSE(neg.covered);
  const ReviewCompetency& pres = rv.competencies[2];
  CHECK(c.competencies()[pres.competency] == "presenting");
  CHECK(pres.score == Approx(0.9));
  CHECK(pres.covered);
  CHECK(rv.required_steps == 5);
  CHECK(rv.required_steps_done == 2);
  CHECK(rv.certification_progress == Approx(0.4));
  CHECK(rv.competencies_required == 3);
  CHECK(rv.competencies_covered == 1);
  CHECK(rv.has_risk);
  CHECK(rv.band == Band::high);
  REQUIRE(rv.drivers.size() == 3);
  CHECK(rv.drivers[0].text_en == "5 working days behind schedule");
  CHECK(rv.drivers[0].text_fr == "5 jours ouvrés de retard sur le plan");
  // The default playbook suggests a progress review (behind schedule) by the tutor.
  REQUIRE_FALSE(rv.suggestions.empty());
  CHECK(std::any_of(rv.suggestions.begin(), rv.suggestions.end(), [&](const Action& a) {
    return a.type == ActionType::progress_review && a.performer == c.find_person("T1");
  }));
}

TEST_CASE("late steps agree with the feature layer's overdue_required_steps") {
  const Cohort& c = cohort();
  for (const char* when : {"2027-01-08T12:00:00Z", "2027-01-20T12:00:00Z", "2027-02-01T12:00:00Z", "2027-03-15T12:00:00Z"}) {
    INFO(when);
    const FeatureMatrix m = extract(c, at(when));
    for (std::size_t row = 0; row < m.rows(); ++row) {
      const Review rv = review(c, m.enrolments[row], at(when));
      CHECK(static_cast<double>(rv.late.size()) == m.at(row, "overdue_required_steps"));
      CHECK(static_cast<double>(rv.working_days_enrolled) == m.at(row, "enrolment_age_working_days"));
    }
  }
}

TEST_CASE("the review as text, in English and in French") {
  const Cohort& c = cohort();
  const RiskScore r = risk();
  ReviewOptions o;
  o.playbook = &Playbook::default_playbook();
  const Review rv = review(c, c.find_enrolment("E1"), kDate, &r, {}, o);
  const std::string en = render_review(c, rv, Lang::en);
  INFO(en);
  CHECK(en.rfind("Progress review: Ann Martin (L1) — path Leadership (P), group G1\n", 0) == 0);
  CHECK(has(en, "Date: 2027-02-01. Status: in progress, enrolled for 20 working days."));
  CHECK(has(en, "Done (2 of 6 steps):"));
  CHECK(has(en, "  - Kick-off quiz (S1), done on 2027-01-06, score 40%"));
  CHECK(has(en, "  - Listening module (S2), done on 2027-01-12, score 90%"));
  CHECK(has(en, "Late (1):\n  - Case study (S3), due 2027-01-25, 5 working days late"));
  CHECK(has(en, "Next:\n  - Deep dive (S5)\n"));
  CHECK(has(en, "  - negotiation: 40% (1 scored step); 1 of 2 required steps done"));
  CHECK(has(en, "  - presenting: 90% (1 scored step); covered"));
  CHECK(has(en, "Certification: 2 of 5 required steps done (40%); 1 of 3 competencies covered."));
  CHECK(has(en, "Risk: high (55%), mainly:\n  - 5 working days behind schedule\n  - 1 required step overdue\n"));
  CHECK(has(en, "Suggested next steps:"));
  CHECK(has(en, "Progress review for Ann Martin (L1), by Tom (T1) [tutor]"));
  const std::string fr = render_review(c, rv, Lang::fr);
  INFO(fr);
  CHECK(fr.rfind("Bilan de progression : Ann Martin (L1) — parcours Leadership (P), groupe G1\n", 0) == 0);
  CHECK(has(fr, "Date : 01/02/2027. Statut : en cours, inscription depuis 20 jours ouvrés."));
  CHECK(has(fr, "Fait (2 étapes sur 6) :"));
  CHECK(has(fr, "  - Kick-off quiz (S1), faite le 06/01/2027, score 40 %"));
  CHECK(has(fr, "En retard (1) :\n  - Case study (S3), échéance 25/01/2027, 5 jours ouvrés de retard"));
  CHECK(has(fr, "À venir :\n  - Deep dive (S5)\n"));
  CHECK(has(fr, "  - negotiation : 40 % (1 étape notée) ; 1 étape obligatoire faite sur 2"));
  CHECK(has(fr, "  - presenting : 90 % (1 étape notée) ; couverte"));
  CHECK(has(fr, "Certification : 2 étapes obligatoires faites sur 5 (40 %) ; 1 compétence couverte sur 3."));
  CHECK(has(fr, "Risque : élevé (55 %), principalement :\n  - 5 jours ouvrés de retard sur le plan\n"));
  CHECK(has(fr, "Actions suggérées :"));
  CHECK(has(fr, "Bilan de progression pour Ann Martin (L1), par Tom (T1) [tutorat]"));
}

TEST_CASE("a review without a score, with given actions, and of a learner who has done nothing") {
  const Cohort& c = cohort();
  // Actions computed elsewhere: only this enrolment's become suggestions.
  const std::vector<RiskScore> scores{risk(), toolbox::score(c, "E2", 0.6, {{"inactive_working_days", 20, 1.0}})};
  const std::vector<Action> actions = recommend(c, Playbook::default_playbook(), scores, kDate);
  const Review rv = review(c, c.find_enrolment("E2"), kDate, nullptr, actions);
  CHECK_FALSE(rv.has_risk);
  REQUIRE_FALSE(rv.suggestions.empty());
  for (const Action& a : rv.suggestions) CHECK(a.enrolment == c.find_enrolment("E2"));
  CHECK(rv.done.empty());
  // Everything due by the end of January is late: S1, S2, S3.
  CHECK(rv.late.size() == 3);
  REQUIRE(rv.next.empty());  // S1 is late; nothing else is open before it
  CHECK(rv.certification_progress == 0);
  const std::string en = render_review(c, rv, Lang::en);
  CHECK(has(en, "Progress review: L2 — path Leadership (P)"));
  CHECK(has(en, "Done: no step yet."));
  CHECK(has(en, "Next: none."));
  CHECK(has(en, "  - negotiation: no score yet; 0 of 2 required steps done"));
  CHECK(has(en, "Risk: not scored."));
  const std::string fr = render_review(c, rv, Lang::fr);
  CHECK(has(fr, "Fait : aucune étape pour l'instant."));
  CHECK(has(fr, "Risque : non évalué."));
  CHECK(has(fr, "  - negotiation : pas encore de score ; 0 étape obligatoire faite sur 2"));
  CHECK(has(fr, "Certification : 0 étape obligatoire faite sur 5 (0 %) ; 0 compétence couverte sur 3."));
  // A review with neither actions nor a playbook suggests nothing.
  const Review bare = review(c, c.find_enrolment("E1"), kDate);
  CHECK(bare.suggestions.empty());
  CHECK(has(render_review(c, bare, Lang::en), "Suggested next steps: none."));
  // On the second day, only S1 is open.
  ReviewOptions all;
  all.next_steps = 0;
  CHECK(review(c, c.find_enrolment("E1"), at("2027-01-05T12:00:00Z"), nullptr, {}, all).next.size() == 1);
}

TEST_CASE("a review refuses an unknown enrolment and another enrolment's score") {
  const Cohort& c = cohort();
  CHECK_THROWS_AS(review(c, 99, kDate), InvalidArgument);
  const RiskScore other = toolbox::score(c, "E2", 0.3);
  CHECK_THROWS_WITH(review(c, c.find_enrolment("E1"), kDate, &other), Catch::Contains("not 'E1'"));
  CHECK_THROWS_AS(review(c, c.find_enrolment("E1"), kNoTime), InvalidArgument);
  Review rv = review(c, c.find_enrolment("E1"), kDate);
  rv.late.push_back(ReviewStep{});  // step kNoId
  CHECK_THROWS_WITH(render_review(c, rv, Lang::en), Catch::Contains("unknown step"));
  rv = review(c, c.find_enrolment("E1"), kDate);
  rv.learner = c.find_learner("L2");
  CHECK_THROWS_AS(render_review(c, rv, Lang::fr), InvalidArgument);
}
