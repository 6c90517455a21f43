// The simulator's ground truth as CSV tables, the form tests in other languages (pandas) read.
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "lien/core/error.hpp"
#include "lien/sim/simulator.hpp"

LIEN_BEGIN_NAMESPACE

namespace sim {

namespace {

// Shortest text that reads back as the same double (17 significant digits at most).
void put_double(std::string& out, double x) {
  char buf[40];
  for (int precision = 6; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, x);
    if (std::strtod(buf, nullptr) == x) break;
  }
  out += buf;
}

void put_day(std::string& out, Day d) {
  if (d != kNoDay) out += format_date(d);
}

}  // namespace

std::string ground_truth_csv(const GroundTruth& truth) {
  std::string out =
      "enrolment_id,learner_id,instance_id,manager_id,group,motivation,sociability,manager_log_rate,gender,age_band,"
      "disability,prior_attempts,start_day,planned_end_day,outcome,outcome_day,observed_outcome,events\n";
  out.reserve(out.size() + truth.enrolments.size() * 160);
  for (const EnrolmentTruth& t : truth.enrolments) {
    // Ids are generated ([A-Za-z0-9-] plus the caller's prefix); they are written as they are.
    out += t.enrolment_id, out += ',';
    out += t.learner_id, out += ',';
    out += t.instance_id, out += ',';
    out += t.manager_id, out += ',';
    out += std::to_string(t.group), out += ',';
    put_double(out, t.motivation), out += ',';
    put_double(out, t.sociability), out += ',';
    put_double(out, t.manager_log_rate), out += ',';
    out += t.gender, out += ',';
    out += t.age_band, out += ',';
    out += t.disability, out += ',';
    out += std::to_string(t.prior_attempts), out += ',';
    put_day(out, t.start_day), out += ',';
    put_day(out, t.planned_end_day), out += ',';
    out += to_string(t.outcome), out += ',';
    put_day(out, t.outcome_day), out += ',';
    out += to_string(t.observed_outcome), out += ',';
    out += std::to_string(t.events), out += '\n';
  }
  return out;
}

std::string covariates_csv(const GroundTruth& truth) {
  std::string out =
      "enrolment_id,day,inactive_days,overdue_steps,absences,failed_attempts,manager_contact,peers,prior_attempt,"
      "phase,motivation,logit,withdrew\n";
  for (const CovariateRow& c : truth.covariates) {
    out += c.enrolment < truth.enrolments.size() ? truth.enrolments[c.enrolment].enrolment_id : std::string();
    out += ',';
    put_day(out, c.day), out += ',';
    for (std::int32_t v : {c.inactive_days, c.overdue_steps, c.absences, c.failed_attempts, c.manager_contact, c.peers,
                           c.prior_attempt})
      out += std::to_string(v), out += ',';
    out += to_string(c.phase), out += ',';
    put_double(out, c.motivation), out += ',';
    put_double(out, c.logit), out += ',';
    out += c.withdrew ? "1\n" : "0\n";
  }
  return out;
}

void write_ground_truth_csv(const GroundTruth& truth, const std::string& file) {
  std::ofstream f(file, std::ios::binary | std::ios::trunc);
  if (!f) throw IoError("cannot open '" + file + "' for writing the simulator's ground truth");
  const std::string text = ground_truth_csv(truth);
  f.write(text.data(), static_cast<std::streamsize>(text.size()));
  f.close();
  if (!f) throw IoError("cannot write the simulator's ground truth to '" + file + "'");
}

}  // namespace sim

LIEN_END_NAMESPACE
