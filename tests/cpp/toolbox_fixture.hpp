// A terse builder for the small hand-made cohorts of the toolbox tests (playbook, queue, funnel, review,
// summary): one call per record, ids as strings, timestamps as ISO text.
#pragma once

#include <catch2/catch.hpp>

#include <initializer_list>
#include <stdexcept>
#include <string>
#include <vector>

#include "lien/model/cohort.hpp"
#include "lien/risk/score.hpp"

namespace toolbox {

// Also usable outside a test case (no REQUIRE).
inline lien::Time at(const char* s) {
  lien::ParsedTimestamp p;
  if (!lien::parse_timestamp(s, p)) throw std::runtime_error(std::string("bad timestamp in test: ") + s);
  return p.ms;
}

inline lien::Day day(const char* s) {
  lien::Day d;
  if (!lien::parse_date(s, d)) throw std::runtime_error(std::string("bad date in test: ") + s);
  return d;
}

class Builder {
 public:
  explicit Builder(lien::Calendar cal = lien::Calendar()) : b_(std::move(cal)), src_(b_.source("hand-made")) {}

  Builder& learner(const char* id, const char* team = "", const char* site = "", const char* name = "") {
    check(b_.add_learner({id, name, "", team, site, "", {}}, ref()), id);
    return *this;
  }
  Builder& stakeholder(const char* id, lien::Role role, const char* organisation = "", const char* name = "") {
    check(b_.add_stakeholder({id, role, name, "", organisation}, ref()), id);
    return *this;
  }
  /// Learner organisations are set through this (LearnerRecord has no organisation field): not needed so far.
  Builder& relation(const char* from, const char* to, lien::RelationType type, lien::Time valid_from = lien::kNoTime,
                    lien::Time valid_to = lien::kNoTime) {
    check(b_.add_relation({from, to, type, valid_from, valid_to}, ref()), from);
    return *this;
  }
  Builder& path(const char* id, const char* title = "") {
    check(b_.add_path({id, title, ""}, ref()), id);
    return *this;
  }
  /// A step with a window relative to the enrolment start (days; kNoDay for none).
  Builder& step(const char* path, const char* id, lien::StepKind kind, lien::Phase phase, lien::Day open, lien::Day due,
                bool required = true, std::initializer_list<const char*> competencies = {}, const char* title = "",
                float weight = 1) {
    lien::StepRecord r;
    r.path = path, r.id = id, r.kind = kind, r.phase = phase, r.window = {true, open, due};
    r.required = required, r.title = title, r.weight = weight;
    for (const char* c : competencies) r.competencies.push_back(c);
    check(b_.add_step(r, ref()), id);
    return *this;
  }
  Builder& prerequisite(const char* step, const char* requires_step) {
    check(b_.add_prerequisite({step, requires_step}, ref()), step);
    return *this;
  }
  Builder& enrol(const char* id, const char* learner, const char* path, const char* instance, const char* start,
                 lien::Outcome outcome = lien::Outcome::active, const char* outcome_time = nullptr) {
    lien::EnrolmentRecord r{id, learner, path, instance, at(start), lien::kNoTime, outcome,
                            outcome_time ? at(outcome_time) : lien::kNoTime, -1};
    check(b_.add_enrolment(r, ref()), id);
    return *this;
  }
  Builder& event(const char* learner, const char* when, lien::Verb verb, lien::ObjectKind kind = lien::ObjectKind::none,
                 const char* object = "", const char* actor = "", float score = std::numeric_limits<float>::quiet_NaN()) {
    lien::EventRecord e;
    e.learner = learner, e.time = at(when), e.verb = verb, e.object_kind = kind, e.object = object, e.actor = actor;
    e.score = score;
    check(b_.add_event(e, ref()), learner);
    return *this;
  }
  /// Shorthands for step events.
  Builder& did(const char* learner, const char* when, lien::Verb verb, const char* step, float score = std::numeric_limits<float>::quiet_NaN()) {
    return event(learner, when, verb, lien::ObjectKind::step, step, "", score);
  }
  lien::Cohort build() {
    lien::ReadReport report;
    lien::Cohort c = b_.build(report);
    if (!report.rejected.empty())
      throw std::runtime_error("test cohort rejected a record: " + report.rejected.front().field + ": " +
                               report.rejected.front().reason);
    return c;
  }

 private:
  lien::RecordRef ref() { return lien::RecordRef{src_, ++line_}; }
  static void check(bool ok, const char* what) {
    if (!ok) throw std::runtime_error(std::string("test cohort: record refused: ") + what);
  }
  lien::CohortBuilder b_;
  std::uint32_t src_;
  std::uint64_t line_ = 0;
};

/// A risk score built by hand: drivers given as (feature, value, contribution); ranks follow the order.
struct DriverSpec {
  const char* feature;
  double value;
  double contribution;
};
inline lien::RiskScore score(const lien::Cohort& c, const char* enrolment, double probability,
                             std::initializer_list<DriverSpec> drivers = {}, lien::Time as_of = lien::kNoTime) {
  lien::RiskScore r;
  r.enrolment = c.find_enrolment(enrolment);
  if (r.enrolment == lien::kNoId) throw std::runtime_error(std::string("unknown enrolment in test: ") + enrolment);
  r.as_of = as_of;
  r.probability = probability;
  r.band = lien::RiskBands{}.band(probability);
  std::uint32_t rank = 0;
  for (const DriverSpec& d : drivers) r.drivers.push_back({d.feature, d.value, d.contribution, ++rank, {}});
  return r;
}

inline lien::InstanceId instance(const lien::Cohort& c, const char* id) {
  for (lien::InstanceId i = 0; i < c.instances().size(); ++i)
    if (c.instances()[i] == id) return i;
  throw std::runtime_error(std::string("unknown instance in test: ") + id);
}

}  // namespace toolbox
