// lien/features/extract.hpp — feature extraction: what is known about each enrolment at an instant as_of.
//
// Only data up to as_of is read: events with time <= as_of, outcomes as known at as_of
// (Enrolment::outcome_at), relations valid at as_of. Step windows are plan data, known in advance, and are
// used freely. Protected attributes are never read. Every value is defined when there is no event at all
// (docs/features.md gives each fill value), so the matrix holds no NaN.
//
// Speed: the work is grouped by learner. A learner's event range is scanned once, forward, for all the
// as_of instants asked of that learner (landmarking asks several), and every feature is read off running
// state at each instant. Two cohort-wide passes remain per call: over the verbs of the events up to the
// latest as_of (to index the interactions other learners recorded with each learner) and over the
// stakeholder graph's relation list (managers and tutors).
#pragma once

#include <string>
#include <vector>

#include "lien/core/config.hpp"
#include "lien/core/span.hpp"
#include "lien/core/time.hpp"
#include "lien/features/matrix.hpp"
#include "lien/features/registry.hpp"
#include "lien/model/cohort.hpp"

LIEN_BEGIN_NAMESPACE

/// Settings that change feature values; a model file records them with its spec.
struct FeatureOptions {
  /// Built-in features to return, in this column order; empty = all, in registry order.
  std::vector<std::string> features;
  /// isolated_from_peers = 1 when peer_silence_working_days >= this.
  int isolation_working_days = 20;
  /// next_deadline_working_days is capped at this, and takes it when there is no deadline ahead.
  int deadline_horizon_working_days = 60;
};

/// One row to extract: an enrolment seen at an instant.
struct Landmark {
  EnrolmentId enrolment = kNoId;
  Time as_of = kNoTime;
};

/// True when enrolment e is in the population at as_of: started at or before as_of and neither completed nor
/// withdrawn at or before as_of.
inline bool in_population(const Cohort& c, EnrolmentId e, Time as_of) {
  const Enrolment& en = c.enrolment(e);
  return en.start <= as_of && en.outcome_at(as_of) == Outcome::active;
}

/// The enrolments in the population at as_of, by id.
std::vector<EnrolmentId> population(const Cohort& c, Time as_of);

/// For each instant (in the order given), one Landmark per enrolment of the population at that instant.
std::vector<Landmark> landmarks(const Cohort& c, const std::vector<Time>& instants);

/// The spec `options` selects (throws NotFound for an unknown feature id, InvalidArgument for a duplicate).
FeatureSpec builtin_spec(const FeatureOptions& options = {});

/// Features of every enrolment in the population at as_of, rows ordered by enrolment id.
FeatureMatrix extract(const Cohort& c, Time as_of, const FeatureOptions& options = {});

/// Features of each (enrolment, as_of) pair, rows in the order given. Throws InvalidArgument naming the row
/// when an enrolment id is unknown, an as_of is kNoTime, or the enrolment is not in the population at its as_of.
FeatureMatrix extract(const Cohort& c, Span<Landmark> rows, const FeatureOptions& options = {});

LIEN_END_NAMESPACE
