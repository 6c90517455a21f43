// C ABI: cohorts read from files, and what a cohort holds (report, rejections, counts, ids).
#include "c_api_internal.hpp"
#include "lien/io/read.hpp"
#include "lien/model/counts.hpp"

using lien_capi::check_index;
using lien_capi::guard;

namespace {

lien::ReadOptions read_options(const lien_read_options* p) {
  lien::ReadOptions r;
  if (p == nullptr) return r;
  // Check the version, then read only the fields the caller's version has (a version 1 struct is shorter).
  lien_capi::check_version(p->version, LIEN_READ_OPTIONS_VERSION, "lien_read_options");
  r.strict = p->strict != 0;
  if (p->version >= 2 && p->pseudonymise_key_size > 0) {
    if (p->pseudonymise_key == nullptr)
      throw lien::InvalidArgument("lien_read_options: pseudonymise_key is NULL but pseudonymise_key_size is " +
                                  std::to_string(p->pseudonymise_key_size));
    r.pseudonymise_key.assign(reinterpret_cast<const char*>(p->pseudonymise_key), p->pseudonymise_key_size);
  }
  return r;
}

lien_cohort* wrap(lien::ReadResult&& r) {
  auto* c = new lien_cohort;
  c->cohort = std::make_shared<const lien::Cohort>(std::move(r.cohort));
  c->report = std::move(r.report);
  return c;
}

}  // namespace

extern "C" {

LIEN_API lien_status lien_cohort_read(const char* path, const lien_read_options* options, lien_cohort** out) {
  return guard("lien_cohort_read", [&] {
    LIEN_REQUIRE_ARG(path);
    LIEN_REQUIRE_ARG(out);
    *out = wrap(lien::read_data(path, read_options(options)));
    return LIEN_OK;
  });
}

LIEN_API lien_status lien_cohort_read_csv_dir(const char* dir, const lien_read_options* options, lien_cohort** out) {
  return guard("lien_cohort_read_csv_dir", [&] {
    LIEN_REQUIRE_ARG(dir);
    LIEN_REQUIRE_ARG(out);
    *out = wrap(lien::read_csv_dir(dir, read_options(options)));
    return LIEN_OK;
  });
}

LIEN_API lien_status lien_cohort_read_xapi(const char* file, const char* tables_dir, const lien_read_options* options,
                                           lien_cohort** out) {
  return guard("lien_cohort_read_xapi", [&] {
    LIEN_REQUIRE_ARG(file);
    LIEN_REQUIRE_ARG(out);
    const lien::ReadOptions o = read_options(options);
    *out = wrap(tables_dir ? lien::read_xapi_file_with_tables(file, tables_dir, o) : lien::read_xapi_file(file, o));
    return LIEN_OK;
  });
}

LIEN_API void lien_cohort_destroy(lien_cohort** cohort) { lien_capi::destroy(cohort); }

LIEN_API lien_status lien_cohort_read_report(const lien_cohort* cohort, lien_read_report* out) {
  return guard("lien_cohort_read_report", [&] {
    LIEN_REQUIRE_ARG(cohort);
    LIEN_REQUIRE_ARG(out);
    out->read = cohort->report.read;
    out->accepted = cohort->report.accepted;
    out->rejected = cohort->report.rejected.size();
    out->voided = cohort->report.voided;
    return LIEN_OK;
  });
}

LIEN_API lien_status lien_cohort_rejection_count(const lien_cohort* cohort, size_t* out) {
  return guard("lien_cohort_rejection_count", [&] {
    LIEN_REQUIRE_ARG(cohort);
    LIEN_REQUIRE_ARG(out);
    *out = cohort->report.rejected.size();
    return LIEN_OK;
  });
}

LIEN_API lien_status lien_cohort_rejection(const lien_cohort* cohort, size_t index, lien_rejection* out) {
  return guard("lien_cohort_rejection", [&] {
    LIEN_REQUIRE_ARG(cohort);
    LIEN_REQUIRE_ARG(out);
    check_index(index, cohort->report.rejected.size(), "rejections");
    const lien::Rejection& r = cohort->report.rejected[index];
    out->source = r.source.c_str();
    out->index = r.index;
    out->field = r.field.c_str();
    out->reason = r.reason.c_str();
    return LIEN_OK;
  });
}

LIEN_API lien_status lien_cohort_counts(const lien_cohort* cohort, lien_counts* out) {
  return guard("lien_cohort_counts", [&] {
    LIEN_REQUIRE_ARG(cohort);
    LIEN_REQUIRE_ARG(out);
    const lien::CohortCounts n = lien::count_records(*cohort->cohort);
    out->learners = n.learners;
    out->stakeholders = n.stakeholders;
    out->paths = n.paths;
    out->steps = n.steps;
    out->instances = n.instances;
    out->enrolments = n.enrolments;
    out->events = n.events;
    out->relations = n.relations;
    out->interactions = n.interactions;
    return LIEN_OK;
  });
}

LIEN_API lien_status lien_cohort_enrolment_count(const lien_cohort* cohort, size_t* out) {
  return guard("lien_cohort_enrolment_count", [&] {
    LIEN_REQUIRE_ARG(cohort);
    LIEN_REQUIRE_ARG(out);
    *out = cohort->cohort->enrolment_count();
    return LIEN_OK;
  });
}

LIEN_API lien_status lien_cohort_enrolment(const lien_cohort* cohort, size_t index, lien_enrolment* out) {
  return guard("lien_cohort_enrolment", [&] {
    LIEN_REQUIRE_ARG(cohort);
    LIEN_REQUIRE_ARG(out);
    const lien::Cohort& c = *cohort->cohort;
    check_index(index, c.enrolment_count(), "enrolments");
    const lien::Enrolment& e = c.enrolment(static_cast<lien::EnrolmentId>(index));
    out->id = e.id.c_str();
    out->learner_id = c.learner_id(e.learner).c_str();
    out->path_id = c.path(e.path).id.c_str();
    out->instance_id = c.instances().names()[e.instance].c_str();
    out->start = e.start;
    out->planned_end = e.planned_end;
    out->outcome = static_cast<int32_t>(e.outcome);
    out->outcome_time = e.outcome_time;
    return LIEN_OK;
  });
}

LIEN_API lien_status lien_cohort_find_enrolment(const lien_cohort* cohort, const char* id, size_t* out) {
  return guard("lien_cohort_find_enrolment", [&] {
    LIEN_REQUIRE_ARG(cohort);
    LIEN_REQUIRE_ARG(id);
    LIEN_REQUIRE_ARG(out);
    const lien::EnrolmentId e = cohort->cohort->find_enrolment(id);
    if (e == lien::kNoId) throw lien::NotFound(std::string("no enrolment '") + id + "' in the cohort");
    *out = e;
    return LIEN_OK;
  });
}

LIEN_API lien_status lien_cohort_learner_count(const lien_cohort* cohort, size_t* out) {
  return guard("lien_cohort_learner_count", [&] {
    LIEN_REQUIRE_ARG(cohort);
    LIEN_REQUIRE_ARG(out);
    *out = cohort->cohort->learner_count();
    return LIEN_OK;
  });
}

LIEN_API lien_status lien_cohort_learner_id(const lien_cohort* cohort, size_t index, const char** out) {
  return guard("lien_cohort_learner_id", [&] {
    LIEN_REQUIRE_ARG(cohort);
    LIEN_REQUIRE_ARG(out);
    check_index(index, cohort->cohort->learner_count(), "learners");
    *out = cohort->cohort->learner_id(static_cast<lien::LearnerId>(index)).c_str();
    return LIEN_OK;
  });
}

LIEN_API lien_status lien_cohort_path_count(const lien_cohort* cohort, size_t* out) {
  return guard("lien_cohort_path_count", [&] {
    LIEN_REQUIRE_ARG(cohort);
    LIEN_REQUIRE_ARG(out);
    *out = cohort->cohort->path_count();
    return LIEN_OK;
  });
}

LIEN_API lien_status lien_cohort_path_id(const lien_cohort* cohort, size_t index, const char** out) {
  return guard("lien_cohort_path_id", [&] {
    LIEN_REQUIRE_ARG(cohort);
    LIEN_REQUIRE_ARG(out);
    check_index(index, cohort->cohort->path_count(), "paths");
    *out = cohort->cohort->path(static_cast<lien::PathId>(index)).id.c_str();
    return LIEN_OK;
  });
}

LIEN_API lien_status lien_cohort_step_count(const lien_cohort* cohort, size_t* out) {
  return guard("lien_cohort_step_count", [&] {
    LIEN_REQUIRE_ARG(cohort);
    LIEN_REQUIRE_ARG(out);
    *out = cohort->cohort->step_count();
    return LIEN_OK;
  });
}

LIEN_API lien_status lien_cohort_step_id(const lien_cohort* cohort, size_t index, const char** out) {
  return guard("lien_cohort_step_id", [&] {
    LIEN_REQUIRE_ARG(cohort);
    LIEN_REQUIRE_ARG(out);
    check_index(index, cohort->cohort->step_count(), "steps");
    *out = cohort->cohort->step(static_cast<lien::StepId>(index)).id.c_str();
    return LIEN_OK;
  });
}

}
