// C ABI: cohorts built from column arrays. Each add call turns one struct of parallel arrays into typed
// records for the CohortBuilder; a row with a bad enum code is a rejection (a bad record), a NULL required
// column an error (a bug in the caller).
#include <cmath>
#include <limits>

#include "../io/csv_parser.hpp"
#include "c_api_internal.hpp"
#include "lien/io/read.hpp"

using lien_capi::guard;

namespace {

std::string_view sv(const char* const* column, std::size_t i) {
  return column != nullptr && column[i] != nullptr ? std::string_view(column[i]) : std::string_view();
}

template <class T, class U>
T value_or(const U* column, std::size_t i, T fallback) {
  return column != nullptr ? static_cast<T>(column[i]) : fallback;
}

/// Checks the struct itself: not NULL, a known version, required columns present.
template <class C>
void check_columns(const C* columns, const char* type) {
  if (columns == nullptr) throw lien::InvalidArgument("argument 'columns' is NULL");
  if (columns->version == 0 || columns->version > LIEN_COLUMNS_VERSION)
    throw lien::InvalidArgument(std::string(type) + ": version " + std::to_string(columns->version) +
                                " unknown to this lien (set it to LIEN_COLUMNS_VERSION)");
}

void require_column(const void* column, const char* type, const char* name, std::size_t count) {
  if (column == nullptr && count > 0)
    throw lien::InvalidArgument(std::string(type) + "." + name + " is NULL (a required column)");
}

/// The source and the record number of each row of a batch, continuing the numbering of earlier batches.
struct Rows {
  std::uint32_t source;
  std::uint64_t first;
  lien::RecordRef ref(std::size_t i) const { return {source, first + i, false}; }
};

Rows rows_of(lien_builder& b, const char* source, const char* fallback, std::size_t count) {
  const std::string name = source != nullptr ? source : fallback;
  Rows r{b.builder.source(name), 0};
  std::uint64_t& next = b.next_row.emplace(name, 1).first->second;
  r.first = next;
  next += count;
  return r;
}

/// An enum code within [0, n) as E; otherwise rejects the row naming the field and returns false.
template <class E>
bool enum_code(lien_builder& b, lien::RecordRef ref, std::int32_t code, std::size_t n, const char* field, E& out) {
  if (code < 0 || static_cast<std::size_t>(code) >= n) {
    b.builder.reject(ref, field,
                     "unknown " + std::string(field) + " code " + std::to_string(code) + " (expected 0 to " +
                         std::to_string(n - 1) + ", see lien.h)");
    return false;
  }
  out = static_cast<E>(code);
  return true;
}

bool tri_code(lien_builder& b, lien::RecordRef ref, const std::int32_t* column, std::size_t i, const char* field,
              lien::Tri& out) {
  out = lien::Tri::unknown;
  return column == nullptr || enum_code(b, ref, column[i], 3, field, out);
}

}  // namespace

extern "C" {

LIEN_API lien_status lien_builder_create(const char* calendar_json, lien_builder** out) {
  return guard("lien_builder_create", [&] {
    LIEN_REQUIRE_ARG(out);
    lien::Calendar cal = calendar_json != nullptr ? lien::csv::parse_calendar_json(calendar_json, "calendar_json")
                                                  : lien::Calendar();
    auto* b = new lien_builder{lien::CohortBuilder(std::move(cal)), {}};
    *out = b;
    return LIEN_OK;
  });
}

LIEN_API void lien_builder_destroy(lien_builder** builder) { lien_capi::destroy(builder); }

LIEN_API lien_status lien_builder_add_learners(lien_builder* builder, const lien_learner_columns* columns,
                                               size_t* accepted) {
  return guard("lien_builder_add_learners", [&] {
    LIEN_REQUIRE_ARG(builder);
    LIEN_REQUIRE_ARG(accepted);
    check_columns(columns, "lien_learner_columns");
    const std::size_t n = columns->count;
    require_column(columns->id, "lien_learner_columns", "id", n);
    const Rows rows = rows_of(*builder, columns->source, "learners", n);
    std::size_t ok = 0;
    for (std::size_t i = 0; i < n; ++i) {
      lien::LearnerRecord r;
      r.id = sv(columns->id, i);
      r.display_name = sv(columns->display_name, i);
      r.email = sv(columns->email, i);
      r.team = sv(columns->team, i);
      r.site = sv(columns->site, i);
      r.job = sv(columns->job, i);
      ok += builder->builder.add_learner(r, rows.ref(i));
    }
    *accepted = ok;
    return LIEN_OK;
  });
}

LIEN_API lien_status lien_builder_add_stakeholders(lien_builder* builder, const lien_stakeholder_columns* columns,
                                                   size_t* accepted) {
  return guard("lien_builder_add_stakeholders", [&] {
    LIEN_REQUIRE_ARG(builder);
    LIEN_REQUIRE_ARG(accepted);
    check_columns(columns, "lien_stakeholder_columns");
    const std::size_t n = columns->count;
    require_column(columns->id, "lien_stakeholder_columns", "id", n);
    require_column(columns->role, "lien_stakeholder_columns", "role", n);
    const Rows rows = rows_of(*builder, columns->source, "stakeholders", n);
    std::size_t ok = 0;
    for (std::size_t i = 0; i < n; ++i) {
      lien::StakeholderRecord r;
      r.id = sv(columns->id, i);
      if (!enum_code(*builder, rows.ref(i), columns->role[i], lien::kRoleNames.size(), "role", r.role)) continue;
      r.display_name = sv(columns->display_name, i);
      r.email = sv(columns->email, i);
      r.organisation = sv(columns->organisation, i);
      ok += builder->builder.add_stakeholder(r, rows.ref(i));
    }
    *accepted = ok;
    return LIEN_OK;
  });
}

LIEN_API lien_status lien_builder_add_relations(lien_builder* builder, const lien_relation_columns* columns,
                                                size_t* accepted) {
  return guard("lien_builder_add_relations", [&] {
    LIEN_REQUIRE_ARG(builder);
    LIEN_REQUIRE_ARG(accepted);
    check_columns(columns, "lien_relation_columns");
    const std::size_t n = columns->count;
    require_column(columns->source_id, "lien_relation_columns", "source_id", n);
    require_column(columns->type, "lien_relation_columns", "type", n);
    require_column(columns->target_id, "lien_relation_columns", "target_id", n);
    const Rows rows = rows_of(*builder, columns->source, "relations", n);
    std::size_t ok = 0;
    for (std::size_t i = 0; i < n; ++i) {
      lien::RelationRecord r;
      r.source = sv(columns->source_id, i);
      r.target = sv(columns->target_id, i);
      // interacts (the last relation type) is derived from events, never declared
      if (!enum_code(*builder, rows.ref(i), columns->type[i], lien::kRelationNames.size() - 1, "type", r.type))
        continue;
      r.valid_from = value_or<lien::Time>(columns->valid_from, i, lien::kNoTime);
      r.valid_to = value_or<lien::Time>(columns->valid_to, i, lien::kNoTime);
      ok += builder->builder.add_relation(r, rows.ref(i));
    }
    *accepted = ok;
    return LIEN_OK;
  });
}

LIEN_API lien_status lien_builder_add_paths(lien_builder* builder, const lien_path_columns* columns, size_t* accepted) {
  return guard("lien_builder_add_paths", [&] {
    LIEN_REQUIRE_ARG(builder);
    LIEN_REQUIRE_ARG(accepted);
    check_columns(columns, "lien_path_columns");
    const std::size_t n = columns->count;
    require_column(columns->id, "lien_path_columns", "id", n);
    const Rows rows = rows_of(*builder, columns->source, "paths", n);
    std::size_t ok = 0;
    for (std::size_t i = 0; i < n; ++i) {
      lien::PathRecord r;
      r.id = sv(columns->id, i);
      r.title = sv(columns->title, i);
      r.course = sv(columns->course, i);
      ok += builder->builder.add_path(r, rows.ref(i));
    }
    *accepted = ok;
    return LIEN_OK;
  });
}

LIEN_API lien_status lien_builder_add_steps(lien_builder* builder, const lien_step_columns* columns, size_t* accepted) {
  return guard("lien_builder_add_steps", [&] {
    LIEN_REQUIRE_ARG(builder);
    LIEN_REQUIRE_ARG(accepted);
    check_columns(columns, "lien_step_columns");
    const std::size_t n = columns->count;
    require_column(columns->path_id, "lien_step_columns", "path_id", n);
    require_column(columns->id, "lien_step_columns", "id", n);
    const Rows rows = rows_of(*builder, columns->source, "steps", n);
    std::size_t ok = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const lien::RecordRef ref = rows.ref(i);
      lien::StepRecord r;
      r.path = sv(columns->path_id, i);
      r.id = sv(columns->id, i);
      r.title = sv(columns->title, i);
      if (columns->kind && !enum_code(*builder, ref, columns->kind[i], lien::kStepKindNames.size(), "kind", r.kind))
        continue;
      if (columns->phase && !enum_code(*builder, ref, columns->phase[i], lien::kPhaseNames.size(), "phase", r.phase))
        continue;
      r.window.relative = value_or<std::int32_t>(columns->relative, i, 0) != 0;
      r.window.open = value_or<lien::Day>(columns->open_day, i, lien::kNoDay);
      r.window.due = value_or<lien::Day>(columns->due_day, i, lien::kNoDay);
      r.effort_hours = value_or<float>(columns->effort_hours, i, 0.0f);
      r.required = value_or<std::int32_t>(columns->required, i, 1) != 0;
      r.weight = value_or<float>(columns->weight, i, 1.0f);
      const std::string_view comps = sv(columns->competencies, i);
      for (std::size_t p = 0; p < comps.size();) {
        std::size_t q = comps.find(';', p);
        if (q == std::string_view::npos) q = comps.size();
        if (q > p) r.competencies.push_back(comps.substr(p, q - p));
        p = q + 1;
      }
      r.activity_iri = sv(columns->activity_iri, i);
      ok += builder->builder.add_step(r, ref);
    }
    *accepted = ok;
    return LIEN_OK;
  });
}

LIEN_API lien_status lien_builder_add_prerequisites(lien_builder* builder, const lien_prerequisite_columns* columns,
                                                    size_t* accepted) {
  return guard("lien_builder_add_prerequisites", [&] {
    LIEN_REQUIRE_ARG(builder);
    LIEN_REQUIRE_ARG(accepted);
    check_columns(columns, "lien_prerequisite_columns");
    const std::size_t n = columns->count;
    require_column(columns->step_id, "lien_prerequisite_columns", "step_id", n);
    require_column(columns->requires_step_id, "lien_prerequisite_columns", "requires_step_id", n);
    const Rows rows = rows_of(*builder, columns->source, "prerequisites", n);
    std::size_t ok = 0;
    for (std::size_t i = 0; i < n; ++i) {
      lien::PrerequisiteRecord r;
      r.step = sv(columns->step_id, i);
      r.requires_step = sv(columns->requires_step_id, i);
      ok += builder->builder.add_prerequisite(r, rows.ref(i));
    }
    *accepted = ok;
    return LIEN_OK;
  });
}

LIEN_API lien_status lien_builder_add_enrolments(lien_builder* builder, const lien_enrolment_columns* columns,
                                                 size_t* accepted) {
  return guard("lien_builder_add_enrolments", [&] {
    LIEN_REQUIRE_ARG(builder);
    LIEN_REQUIRE_ARG(accepted);
    check_columns(columns, "lien_enrolment_columns");
    const std::size_t n = columns->count;
    require_column(columns->id, "lien_enrolment_columns", "id", n);
    require_column(columns->learner_id, "lien_enrolment_columns", "learner_id", n);
    require_column(columns->path_id, "lien_enrolment_columns", "path_id", n);
    require_column(columns->start, "lien_enrolment_columns", "start", n);
    const Rows rows = rows_of(*builder, columns->source, "enrolments", n);
    std::size_t ok = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const lien::RecordRef ref = rows.ref(i);
      lien::EnrolmentRecord r;
      r.id = sv(columns->id, i);
      r.learner = sv(columns->learner_id, i);
      r.path = sv(columns->path_id, i);
      r.instance = sv(columns->instance_id, i);
      r.start = columns->start[i];
      r.planned_end = value_or<lien::Time>(columns->planned_end, i, lien::kNoTime);
      if (columns->outcome &&
          !enum_code(*builder, ref, columns->outcome[i], lien::kOutcomeNames.size(), "outcome", r.outcome))
        continue;
      r.outcome_time = value_or<lien::Time>(columns->outcome_time, i, lien::kNoTime);
      r.prior_attempts = value_or<std::int32_t>(columns->prior_attempts, i, -1);
      ok += builder->builder.add_enrolment(r, ref);
    }
    *accepted = ok;
    return LIEN_OK;
  });
}

LIEN_API lien_status lien_builder_add_events(lien_builder* builder, const lien_event_columns* columns,
                                             size_t* accepted) {
  return guard("lien_builder_add_events", [&] {
    LIEN_REQUIRE_ARG(builder);
    LIEN_REQUIRE_ARG(accepted);
    check_columns(columns, "lien_event_columns");
    const std::size_t n = columns->count;
    require_column(columns->learner_id, "lien_event_columns", "learner_id", n);
    require_column(columns->time, "lien_event_columns", "time", n);
    require_column(columns->verb, "lien_event_columns", "verb", n);
    const Rows rows = rows_of(*builder, columns->source, "events", n);
    // Rows with good codes go to the builder in one bulk call (its id lookups are batched).
    std::vector<lien::EventRecord> records;
    std::vector<lien::RecordRef> refs;
    records.reserve(n);
    refs.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      const lien::RecordRef ref = rows.ref(i);
      lien::EventRecord r;
      r.learner = sv(columns->learner_id, i);
      r.time = columns->time[i];
      if (!enum_code(*builder, ref, columns->verb[i], lien::kVerbNames.size(), "verb", r.verb)) continue;
      if (columns->object_kind && !enum_code(*builder, ref, columns->object_kind[i], lien::kObjectKindNames.size(),
                                             "object_kind", r.object_kind))
        continue;
      r.object = sv(columns->object_id, i);
      r.actor = sv(columns->actor_id, i);
      r.score = value_or<float>(columns->score, i, std::numeric_limits<float>::quiet_NaN());
      if (!tri_code(*builder, ref, columns->success, i, "success", r.success)) continue;
      if (!tri_code(*builder, ref, columns->completion, i, "completion", r.completion)) continue;
      r.duration = value_or<float>(columns->duration, i, std::numeric_limits<float>::quiet_NaN());
      r.count = value_or<std::uint32_t>(columns->repeat, i, 1u);
      records.push_back(r);
      refs.push_back(ref);
    }
    *accepted = builder->builder.add_events(records.data(), refs.data(), records.size());
    return LIEN_OK;
  });
}

LIEN_API lien_status lien_builder_add_csv(lien_builder* builder, const char* table, const char* text, size_t size) {
  return guard("lien_builder_add_csv", [&] {
    LIEN_REQUIRE_ARG(builder);
    LIEN_REQUIRE_ARG(table);
    LIEN_REQUIRE_ARG(text);
    lien::read_csv_table(builder->builder, table, std::string(text, size), table);
    return LIEN_OK;
  });
}

LIEN_API lien_status lien_builder_build(lien_builder* builder, lien_cohort** out) {
  return guard("lien_builder_build", [&] {
    LIEN_REQUIRE_ARG(builder);
    LIEN_REQUIRE_ARG(out);
    auto c = std::make_unique<lien_cohort>();
    c->cohort = std::make_shared<const lien::Cohort>(builder->builder.build(c->report));
    builder->next_row.clear();
    *out = c.release();
    return LIEN_OK;
  });
}

}
