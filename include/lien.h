/* lien.h — the stable C ABI of lien, the learning-community engine.
 *
 * C99, no dependency beyond <stddef.h> and <stdint.h>; also compiles as C++. docs/c-api.md is the reference
 * (ownership, errors, threads, versioning, every function); this header states the rules next to each call.
 *
 * Rules that hold for every function:
 *  - It returns a lien_status: LIEN_OK (0) or a negative code. On failure it leaves a message saying what and
 *    where in a thread-local buffer read by lien_last_error(), and its outputs are left untouched.
 *  - No C++ exception ever crosses this boundary; bad input gives a status, never a crash.
 *  - A NULL handle or a NULL output pointer is LIEN_ERR_INVALID_ARGUMENT naming the argument; an index past
 *    the end is LIEN_ERR_INVALID_ARGUMENT naming the index and the count; an unknown id is LIEN_ERR_NOT_FOUND.
 *  - Handles are opaque. Each lien_X_create / read / train / load has a lien_X_destroy(lien_X**) that frees the
 *    handle and sets the caller's pointer to NULL; destroying NULL (or a pointer to NULL) does nothing.
 *  - Strings and arrays reached through a handle ("const char*" outputs, struct fields) are owned by that
 *    handle and stay valid until it is destroyed. Memory returned through "char**" outputs is the caller's and
 *    is released with lien_free().
 *  - Handles that read a cohort (scores, queue, review, summary, funnel) keep it alive: destroying the cohort
 *    handle first is allowed.
 *  - Instants (lien_time) are milliseconds since 1970-01-01T00:00:00Z; days (int32_t) are days since
 *    1970-01-01 in the cohort's time zone. Supported years: 1970-2199.
 */
#ifndef LIEN_H
#define LIEN_H

#include <stddef.h>
#include <stdint.h>

/* Release version, and ABI version (the SOVERSION of liblien.so: it changes only when the ABI breaks). */
#define LIEN_VERSION_MAJOR 0
#define LIEN_VERSION_MINOR 1
#define LIEN_VERSION_PATCH 0
#define LIEN_ABI_VERSION 1
#define LIEN_VERSION_NUMBER (LIEN_VERSION_MAJOR * 10000 + LIEN_VERSION_MINOR * 100 + LIEN_VERSION_PATCH)
#define LIEN_VERSION_STRING "0.1.0"

#if defined(_WIN32)
#if defined(LIEN_BUILDING_LIBRARY)
#define LIEN_API __declspec(dllexport)
#else
#define LIEN_API __declspec(dllimport)
#endif
#elif defined(__GNUC__) || defined(__clang__)
#define LIEN_API __attribute__((visibility("default")))
#else
#define LIEN_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ======================================================================================================== */
/* Status, errors, memory, version                                                                          */
/* ======================================================================================================== */

typedef enum lien_status {
  LIEN_OK = 0,
  LIEN_ERR_INVALID_ARGUMENT = -1,   /* a NULL pointer, a bad option, an out-of-range index, a bad instant */
  LIEN_ERR_NOT_FOUND = -2,          /* an unknown id or a missing file */
  LIEN_ERR_PARSE = -3,              /* input that could not be read at all (not per-record rejections) */
  LIEN_ERR_MODEL_INCOMPATIBLE = -4, /* a model file from another version, corrupt, truncated, unknown features */
  LIEN_ERR_IO = -5,                 /* the operating system refused a read or a write */
  LIEN_ERR_OUT_OF_MEMORY = -6,
  LIEN_ERR_INTERNAL = -7            /* a bug in lien: please report it with the message */
} lien_status;

/* The version of the library actually loaded (compare with LIEN_VERSION_NUMBER / LIEN_VERSION_STRING). */
LIEN_API int lien_version_number(void);
LIEN_API const char* lien_version_string(void);

/* The message of the last failure on this thread ("" after a success). Owned by lien; valid until the next
 * lien call on the same thread. Never NULL. */
LIEN_API const char* lien_last_error(void);

/* The name of a status ("LIEN_OK", "LIEN_ERR_PARSE", ...; "LIEN_ERR_UNKNOWN" for any other value). Static
 * storage, never NULL. */
LIEN_API const char* lien_status_name(lien_status status);

/* Releases memory that lien returned through a char** output. NULL is a no-op. */
LIEN_API void lien_free(void* p);

/* ======================================================================================================== */
/* Vocabularies. The numeric values are part of the ABI: new values are only ever appended.                  */
/* ======================================================================================================== */

typedef int64_t lien_time;                /* milliseconds since the Unix epoch, UTC */
#define LIEN_NO_TIME INT64_MIN           /* "no instant" in optional time columns */
#define LIEN_NO_DAY INT32_MIN            /* "no day" in optional day columns and outputs */

/* Parses an ISO 8601 instant ("2026-11-27T18:00:00Z", "2026-11-27T18:00:00+01:00", or "2026-11-27" for
 * midnight UTC). A timestamp without an offset is refused (its instant depends on a time zone).
 * INVALID_ARGUMENT with the reason for anything else. */
LIEN_API lien_status lien_time_parse(const char* text, lien_time* out);
/* Writes day `day` as "YYYY-MM-DD" and a NUL into the caller's buffer of `size` bytes (at least 11).
 * INVALID_ARGUMENT for LIEN_NO_DAY, a day outside 1970-2199, or a buffer too small. */
LIEN_API lien_status lien_day_format(int32_t day, char* buffer, size_t size);

typedef enum lien_verb {
  LIEN_VERB_LAUNCHED = 0, LIEN_VERB_INITIALIZED, LIEN_VERB_EXPERIENCED, LIEN_VERB_ATTEMPTED, LIEN_VERB_ANSWERED,
  LIEN_VERB_COMPLETED, LIEN_VERB_PASSED, LIEN_VERB_FAILED, LIEN_VERB_ATTENDED, LIEN_VERB_ABSENT, LIEN_VERB_POSTED,
  LIEN_VERB_REPLIED, LIEN_VERB_MESSAGED, LIEN_VERB_MET, LIEN_VERB_OTHER
} lien_verb;

typedef enum lien_object_kind {
  LIEN_OBJECT_NONE = 0, LIEN_OBJECT_STEP, LIEN_OBJECT_RESOURCE, LIEN_OBJECT_PERSON
} lien_object_kind;

typedef enum lien_step_kind {
  LIEN_STEP_ELEARNING = 0, LIEN_STEP_CLASSROOM, LIEN_STEP_VIRTUAL_CLASS, LIEN_STEP_ASSESSMENT, LIEN_STEP_ASSIGNMENT,
  LIEN_STEP_COACHING, LIEN_STEP_COMMUNITY_EVENT, LIEN_STEP_REVIEW
} lien_step_kind;

typedef enum lien_phase {
  LIEN_PHASE_BEFORE = 0, LIEN_PHASE_DURING, LIEN_PHASE_INTERSESSION, LIEN_PHASE_AFTER
} lien_phase;

/* Stakeholder roles (LIEN_ROLE_LEARNER is not a stakeholder role: learners are declared as learners). */
typedef enum lien_role {
  LIEN_ROLE_LEARNER = 0, LIEN_ROLE_MANAGER, LIEN_ROLE_HR, LIEN_ROLE_TRAINER, LIEN_ROLE_TUTOR,
  LIEN_ROLE_COMMUNITY_MANAGER, LIEN_ROLE_TRAINING_ORG, LIEN_ROLE_COMPANY
} lien_role;

/* Declared relations (interactions are derived from events, never declared). */
typedef enum lien_relation {
  LIEN_RELATION_REPORTS_TO = 0, LIEN_RELATION_TUTORS, LIEN_RELATION_TRAINS, LIEN_RELATION_EMPLOYS,
  LIEN_RELATION_MEMBER_OF
} lien_relation;

typedef enum lien_outcome { LIEN_OUTCOME_ACTIVE = 0, LIEN_OUTCOME_COMPLETED, LIEN_OUTCOME_WITHDRAWN } lien_outcome;

/* A boolean that may be unknown (xAPI result.success / result.completion). */
typedef enum lien_tri { LIEN_TRI_UNKNOWN = 0, LIEN_TRI_NO, LIEN_TRI_YES } lien_tri;

typedef enum lien_band { LIEN_BAND_LOW = 0, LIEN_BAND_MEDIUM, LIEN_BAND_HIGH } lien_band;

/* ======================================================================================================== */
/* Handles                                                                                                  */
/* ======================================================================================================== */

typedef struct lien_cohort lien_cohort;     /* an immutable cohort and the report of how it was read */
typedef struct lien_builder lien_builder;   /* collects records from column arrays, then builds a cohort */
typedef struct lien_model lien_model;       /* a fitted, immutable dropout-risk model */
typedef struct lien_scores lien_scores;     /* the scores of a cohort's enrolments at one instant */
typedef struct lien_playbook lien_playbook; /* rules turning drivers and signals into actions */
typedef struct lien_queue lien_queue;       /* the prioritised action queue for a date */
typedef struct lien_review lien_review;     /* the progress review (bilan) of one enrolment */
typedef struct lien_summary lien_summary;   /* the cohort at a glance, in total and by group */
typedef struct lien_funnel lien_funnel;     /* where a path loses people, step by step */

/* ======================================================================================================== */
/* Options. Each struct starts with its version; initialise it with its _INIT macro (or _init function) and   */
/* then set the fields you need: a later lien adds fields at the end and bumps the version, and still reads   */
/* structs of every earlier version. Passing NULL for an options pointer means "all defaults".               */
/* ======================================================================================================== */

#define LIEN_READ_OPTIONS_VERSION 2
typedef struct lien_read_options {
  uint32_t version;
  int32_t strict; /* xAPI: validate each statement against all of xAPI 1.0.3 (default 0) */
  /* Version 2. Pseudonymise person ids on input: with a key (any bytes, read during the call), every learner
   * and stakeholder id becomes the hex of its keyed hash (HMAC-SHA-256, first 128 bits) and names and e-mails
   * are dropped, so the cohort, its rejections and everything derived hold no real id. NULL or size 0: off. */
  const uint8_t* pseudonymise_key;
  size_t pseudonymise_key_size;
} lien_read_options;
#define LIEN_READ_OPTIONS_INIT {LIEN_READ_OPTIONS_VERSION, 0, NULL, 0}

typedef enum lien_calibration {
  LIEN_CALIBRATION_PLATT = 0, LIEN_CALIBRATION_ISOTONIC, LIEN_CALIBRATION_NONE
} lien_calibration;

#define LIEN_TRAIN_OPTIONS_VERSION 1
typedef struct lien_train_options {
  uint32_t version;
  int32_t horizon_days;     /* risk of withdrawing within this many days (default 28) */
  int32_t folds;            /* cross-validation folds, split by learner (default 5, >= 2) */
  double l2;                /* L2 penalty on standardised features (default 1e-3) */
  int32_t calibration;      /* a lien_calibration (default LIEN_CALIBRATION_PLATT) */
  int32_t top_k;            /* drivers kept per score by default (default 5; 0 = every feature) */
  int32_t survival;         /* fit the discrete-time survival part (default 1) */
  int32_t threads;          /* worker threads; never changes a bit of the model (default 1) */
  lien_time observed_until; /* the instant the data run to; LIEN_NO_TIME = latest event or outcome */
} lien_train_options;
#define LIEN_TRAIN_OPTIONS_INIT {LIEN_TRAIN_OPTIONS_VERSION, 28, 5, 1e-3, LIEN_CALIBRATION_PLATT, 5, 1, 1, LIEN_NO_TIME}

#define LIEN_SCORE_OPTIONS_VERSION 1
typedef struct lien_score_options {
  uint32_t version;
  int32_t top_k;                /* drivers per score; -1 = the model's default (default), 0 = every feature */
  const int32_t* horizons_days; /* survival horizons in days (> 0), read during the call; NULL = the model's */
  size_t horizon_count;         /* entries of horizons_days */
  const char* lang;             /* "en" or "fr": write each driver's sentence; NULL = no sentences (default) */
} lien_score_options;
#define LIEN_SCORE_OPTIONS_INIT {LIEN_SCORE_OPTIONS_VERSION, -1, NULL, 0, NULL}

typedef enum lien_cap_policy { LIEN_CAP_DEFER = 0, LIEN_CAP_DROP } lien_cap_policy;

#define LIEN_QUEUE_OPTIONS_VERSION 1
typedef struct lien_queue_options {
  uint32_t version;
  uint32_t weekly_cap;              /* actions per performer per ISO week (default 10, >= 1) */
  int32_t over_cap;                 /* a lien_cap_policy (default LIEN_CAP_DEFER) */
  int32_t cooling_off_working_days; /* -1 = each action's own (default) */
} lien_queue_options;
#define LIEN_QUEUE_OPTIONS_INIT {LIEN_QUEUE_OPTIONS_VERSION, 10, LIEN_CAP_DEFER, -1}

#define LIEN_REVIEW_OPTIONS_VERSION 1
typedef struct lien_review_options {
  uint32_t version;
  uint32_t next_steps; /* how many next steps to list (default 3; 0 = all) */
} lien_review_options;
#define LIEN_REVIEW_OPTIONS_INIT {LIEN_REVIEW_OPTIONS_VERSION, 3}

/* The same defaults as the _INIT macros, for languages without C macros. */
LIEN_API lien_status lien_read_options_init(lien_read_options* options);
LIEN_API lien_status lien_train_options_init(lien_train_options* options);
LIEN_API lien_status lien_score_options_init(lien_score_options* options);
LIEN_API lien_status lien_queue_options_init(lien_queue_options* options);
LIEN_API lien_status lien_review_options_init(lien_review_options* options);

/* ======================================================================================================== */
/* Cohorts from files                                                                                       */
/* ======================================================================================================== */

/* Reads `path`: a folder of canonical CSV tables (docs/formats.md), or an xAPI file (JSON array or NDJSON).
 * Records that break a rule are not errors: they are rejected and listed (lien_cohort_rejection). Errors:
 * NOT_FOUND (no such path, missing required table), PARSE (a table or file that cannot be read at all, e.g. an
 * unknown column), IO. On success *out is a new cohort the caller destroys. */
LIEN_API lien_status lien_cohort_read(const char* path, const lien_read_options* options, lien_cohort** out);
/* Reads a folder of CSV tables (as lien_cohort_read on a folder). */
LIEN_API lien_status lien_cohort_read_csv_dir(const char* dir, const lien_read_options* options, lien_cohort** out);
/* Reads an xAPI file; with `tables_dir` (may be NULL) its actors, activities and registrations are matched to
 * the learners, steps and enrolments declared in that CSV folder (every table but events.csv). */
LIEN_API lien_status lien_cohort_read_xapi(const char* file, const char* tables_dir, const lien_read_options* options,
                                           lien_cohort** out);
/* Frees a cohort and sets *cohort to NULL. Handles derived from it stay valid. */
LIEN_API void lien_cohort_destroy(lien_cohort** cohort);

/* ======================================================================================================== */
/* Cohorts from column arrays                                                                               */
/*                                                                                                          */
/* Each add call takes one struct of columns (parallel arrays of `count` entries). Columns marked "required"  */
/* must not be NULL; an optional column left NULL takes its default for every row; a NULL string in a string  */
/* column is "". Arrays are read during the call only (lien copies what it keeps). A row that breaks a rule   */
/* (duplicate id, bad enum code, unknown reference, impossible dates...) is rejected, not an error: it is      */
/* counted and listed in the built cohort's rejections, with `source` and its 1-based row number (numbers     */
/* continue across calls with the same source). References between tables are resolved by build, so tables   */
/* may come in any order.                                                                                   */
/* ======================================================================================================== */

#define LIEN_COLUMNS_VERSION 1

typedef struct lien_learner_columns {
  uint32_t version; size_t count;
  const char* source;                 /* name in rejections; NULL = "learners" */
  const char* const* id;              /* required */
  const char* const* display_name;    /* personal: reports only */
  const char* const* email;           /* personal: matches xAPI actors */
  const char* const* team;
  const char* const* site;
  const char* const* job;
} lien_learner_columns;

typedef struct lien_stakeholder_columns {
  uint32_t version; size_t count;
  const char* source;                 /* NULL = "stakeholders" */
  const char* const* id;              /* required */
  const int32_t* role;                /* required: a lien_role other than LIEN_ROLE_LEARNER */
  const char* const* display_name;
  const char* const* email;
  const char* const* organisation;
} lien_stakeholder_columns;

typedef struct lien_relation_columns {
  uint32_t version; size_t count;
  const char* source;                 /* NULL = "relations" */
  const char* const* source_id;       /* required: a person id */
  const int32_t* type;                /* required: a lien_relation */
  const char* const* target_id;       /* required: a person id (or a path instance for tutors / trains) */
  const lien_time* valid_from;        /* LIEN_NO_TIME = always */
  const lien_time* valid_to;          /* LIEN_NO_TIME = open */
} lien_relation_columns;

typedef struct lien_path_columns {
  uint32_t version; size_t count;
  const char* source;                 /* NULL = "paths" */
  const char* const* id;              /* required */
  const char* const* title;
  const char* const* course;
} lien_path_columns;

typedef struct lien_step_columns {
  uint32_t version; size_t count;
  const char* source;                 /* NULL = "steps" */
  const char* const* path_id;         /* required */
  const char* const* id;              /* required */
  const char* const* title;
  const int32_t* kind;                /* a lien_step_kind (default LIEN_STEP_ELEARNING) */
  const int32_t* phase;               /* a lien_phase (default LIEN_PHASE_DURING) */
  const int32_t* relative;            /* 1: open_day / due_day count from the enrolment's start day (default 0) */
  const int32_t* open_day;            /* LIEN_NO_DAY when none (default) */
  const int32_t* due_day;             /* LIEN_NO_DAY when none (default) */
  const float* effort_hours;          /* default 0 (unknown) */
  const int32_t* required;            /* default 1 */
  const float* weight;                /* default 1 */
  const char* const* competencies;    /* competency ids separated by ';' (default none) */
  const char* const* activity_iri;    /* the xAPI activity id of the step */
} lien_step_columns;

typedef struct lien_prerequisite_columns {
  uint32_t version; size_t count;
  const char* source;                 /* NULL = "prerequisites" */
  const char* const* step_id;         /* required */
  const char* const* requires_step_id; /* required */
} lien_prerequisite_columns;

typedef struct lien_enrolment_columns {
  uint32_t version; size_t count;
  const char* source;                 /* NULL = "enrolments" */
  const char* const* id;              /* required */
  const char* const* learner_id;      /* required */
  const char* const* path_id;         /* required */
  const char* const* instance_id;     /* "" = the path itself (default) */
  const lien_time* start;             /* required */
  const lien_time* planned_end;       /* LIEN_NO_TIME = open-ended (default) */
  const int32_t* outcome;             /* a lien_outcome (default LIEN_OUTCOME_ACTIVE) */
  const lien_time* outcome_time;      /* required with a completed / withdrawn outcome */
  const int32_t* prior_attempts;      /* -1 = unknown (default) */
} lien_enrolment_columns;

typedef struct lien_event_columns {
  uint32_t version; size_t count;
  const char* source;                 /* NULL = "events" */
  const char* const* learner_id;      /* required */
  const lien_time* time;              /* required */
  const int32_t* verb;                /* required: a lien_verb */
  const int32_t* object_kind;         /* a lien_object_kind (default LIEN_OBJECT_NONE) */
  const char* const* object_id;       /* step id, resource id or person id, as object_kind says */
  const char* const* actor_id;        /* "" = the learner acted (default); else a person id */
  const float* score;                 /* scaled score in [-1, 1]; NaN = none (default) */
  const int32_t* success;             /* a lien_tri (default unknown) */
  const int32_t* completion;          /* a lien_tri (default unknown) */
  const float* duration;              /* seconds; NaN = none (default) */
  const uint32_t* repeat;             /* how many times it happened (default 1) */
} lien_event_columns;

/* A new, empty builder. `calendar_json` is a calendar.json document ({"time_zone": "<POSIX TZ>",
 * "working_days": "Mon-Fri", "holidays": ["fr", "2027-05-14"]}); NULL = UTC, Monday to Friday, no holidays.
 * PARSE for a bad document. */
LIEN_API lien_status lien_builder_create(const char* calendar_json, lien_builder** out);
LIEN_API void lien_builder_destroy(lien_builder** builder);
/* Each adds `columns->count` rows and sets *accepted to how many passed the checks that need no other table. */
LIEN_API lien_status lien_builder_add_learners(lien_builder* builder, const lien_learner_columns* columns,
                                               size_t* accepted);
LIEN_API lien_status lien_builder_add_stakeholders(lien_builder* builder, const lien_stakeholder_columns* columns,
                                                   size_t* accepted);
LIEN_API lien_status lien_builder_add_relations(lien_builder* builder, const lien_relation_columns* columns,
                                                size_t* accepted);
LIEN_API lien_status lien_builder_add_paths(lien_builder* builder, const lien_path_columns* columns, size_t* accepted);
LIEN_API lien_status lien_builder_add_steps(lien_builder* builder, const lien_step_columns* columns, size_t* accepted);
LIEN_API lien_status lien_builder_add_prerequisites(lien_builder* builder, const lien_prerequisite_columns* columns,
                                                    size_t* accepted);
LIEN_API lien_status lien_builder_add_enrolments(lien_builder* builder, const lien_enrolment_columns* columns,
                                                 size_t* accepted);
LIEN_API lien_status lien_builder_add_events(lien_builder* builder, const lien_event_columns* columns,
                                             size_t* accepted);
/* One canonical CSV table as text (`table`: "learners", "events", ... as in docs/formats.md; `size` bytes of
 * `text`). Bad rows are rejections; INVALID_ARGUMENT for an unknown table, PARSE for a bad header. */
LIEN_API lien_status lien_builder_add_csv(lien_builder* builder, const char* table, const char* text, size_t size);
/* Resolves the references, rejects what does not resolve, and returns the cohort. The builder is left empty
 * (it can be filled again) and must still be destroyed. */
LIEN_API lien_status lien_builder_build(lien_builder* builder, lien_cohort** out);

/* ======================================================================================================== */
/* What a cohort holds                                                                                      */
/* ======================================================================================================== */

/* How the cohort was read: read == accepted + rejected always. */
typedef struct lien_read_report {
  uint64_t read, accepted, rejected;
  uint64_t voided; /* accepted xAPI statements removed by a voiding statement */
} lien_read_report;
LIEN_API lien_status lien_cohort_read_report(const lien_cohort* cohort, lien_read_report* out);

/* One refused record. Strings owned by the cohort. */
typedef struct lien_rejection {
  const char* source;  /* file or table name */
  uint64_t index;      /* 1-based line (CSV, NDJSON), position (JSON array) or row (column arrays) */
  const char* field;   /* the column or JSON path at fault ("" = the record as a whole) */
  const char* reason;  /* the rule it breaks, in English; never personal data */
} lien_rejection;
LIEN_API lien_status lien_cohort_rejection_count(const lien_cohort* cohort, size_t* out);
LIEN_API lien_status lien_cohort_rejection(const lien_cohort* cohort, size_t index, lien_rejection* out);

typedef struct lien_counts {
  uint64_t learners, stakeholders, paths, steps, instances, enrolments, events;
  uint64_t relations;    /* declared relations */
  uint64_t interactions; /* interaction edges derived from events */
} lien_counts;
LIEN_API lien_status lien_cohort_counts(const lien_cohort* cohort, lien_counts* out);

/* Enrolments by index 0 .. count-1 (the index scores and queues refer to). Strings owned by the cohort. */
typedef struct lien_enrolment {
  const char* id;
  const char* learner_id;
  const char* path_id;
  const char* instance_id;
  lien_time start;
  lien_time planned_end;  /* LIEN_NO_TIME when open-ended */
  int32_t outcome;        /* a lien_outcome, as finally recorded */
  lien_time outcome_time; /* LIEN_NO_TIME while active */
} lien_enrolment;
LIEN_API lien_status lien_cohort_enrolment_count(const lien_cohort* cohort, size_t* out);
LIEN_API lien_status lien_cohort_enrolment(const lien_cohort* cohort, size_t index, lien_enrolment* out);
/* The index of enrolment `id` (NOT_FOUND when there is none). */
LIEN_API lien_status lien_cohort_find_enrolment(const lien_cohort* cohort, const char* id, size_t* out);

/* Learners, paths and steps by index; ids owned by the cohort. */
LIEN_API lien_status lien_cohort_learner_count(const lien_cohort* cohort, size_t* out);
LIEN_API lien_status lien_cohort_learner_id(const lien_cohort* cohort, size_t index, const char** out);
LIEN_API lien_status lien_cohort_path_count(const lien_cohort* cohort, size_t* out);
LIEN_API lien_status lien_cohort_path_id(const lien_cohort* cohort, size_t index, const char** out);
LIEN_API lien_status lien_cohort_step_count(const lien_cohort* cohort, size_t* out);
LIEN_API lien_status lien_cohort_step_id(const lien_cohort* cohort, size_t index, const char** out);

/* ======================================================================================================== */
/* Risk model                                                                                               */
/* ======================================================================================================== */

/* Trains on the cohort's history at weekly landmarks (docs/models.md). INVALID_ARGUMENT for bad options, no
 * labelled row or a single class (the message says which). */
LIEN_API lien_status lien_model_train(const lien_cohort* history, const lien_train_options* options, lien_model** out);
/* Writes the model file atomically (IO names the path on failure; the old file is then left as it was). */
LIEN_API lien_status lien_model_save(const lien_model* model, const char* path);
/* NOT_FOUND for a missing file, MODEL_INCOMPATIBLE for a corrupt, truncated or foreign file (saying why). */
LIEN_API lien_status lien_model_load(const char* path, lien_model** out);
/* The model file as JSON text: *out (NUL-terminated, freed with lien_free) and its length without the NUL. */
LIEN_API lien_status lien_model_to_json(const lien_model* model, char** out, size_t* size);
/* A model from `size` bytes of model-file JSON (errors as lien_model_load). */
LIEN_API lien_status lien_model_from_json(const char* text, size_t size, lien_model** out);
LIEN_API void lien_model_destroy(lien_model** model);

typedef struct lien_model_info {
  size_t feature_count;
  int32_t horizon_days;
  int32_t has_survival;
  uint64_t training_rows;
  double cv_roc_auc;      /* cross-validated ROC AUC (NaN when undefined) */
} lien_model_info;
LIEN_API lien_status lien_model_get_info(const lien_model* model, lien_model_info* out);
/* Feature ids in the model's column order; owned by the model. */
LIEN_API lien_status lien_model_feature_id(const lien_model* model, size_t index, const char** out);

/* ======================================================================================================== */
/* Scores                                                                                                   */
/* ======================================================================================================== */

/* Scores every enrolment in the population at `as_of` (started at or before it, not completed or withdrawn
 * at it), in enrolment index order. INVALID_ARGUMENT for an as_of outside 1970-2199, bad options or horizons.
 * The model and the cohort are only read: any number of threads may score them at once. */
LIEN_API lien_status lien_model_score(const lien_model* model, const lien_cohort* cohort, lien_time as_of,
                                      const lien_score_options* options, lien_scores** out);
LIEN_API void lien_scores_destroy(lien_scores** scores);

LIEN_API lien_status lien_scores_count(const lien_scores* scores, size_t* out);
/* Drivers per row and survival horizons (the same for every row). */
LIEN_API lien_status lien_scores_driver_count(const lien_scores* scores, size_t* out);
LIEN_API lien_status lien_scores_horizon_count(const lien_scores* scores, size_t* out);
LIEN_API lien_status lien_scores_horizon(const lien_scores* scores, size_t index, int32_t* days);

typedef struct lien_score {
  size_t enrolment;           /* the enrolment's index in the cohort */
  const char* enrolment_id;   /* owned by the scores handle */
  const char* learner_id;
  lien_time as_of;
  double logit;               /* before calibration */
  double probability;         /* calibrated probability of withdrawing within the model's horizon */
  int32_t band;               /* a lien_band */
  const char* band_name;      /* "low", "medium", "high" */
  double withdraw_by_end;     /* survival: by the planned end (NaN without survival or planned end) */
} lien_score;
LIEN_API lien_status lien_scores_get(const lien_scores* scores, size_t row, lien_score* out);
/* Survival: probability of withdrawing within horizon `horizon` (an index below lien_scores_horizon_count). */
LIEN_API lien_status lien_scores_withdraw_within(const lien_scores* scores, size_t row, size_t horizon, double* out);

typedef struct lien_driver {
  const char* feature;    /* the feature id */
  double value;           /* the learner's value of it */
  double contribution;    /* signed contribution to the logit (> 0 raises the risk) */
  uint32_t rank;          /* 1 = largest |contribution| */
  const char* sentence;   /* in the language asked for; "" when lien_score_options.lang was NULL */
} lien_driver;
/* Driver `rank0` (0-based) of row `row`. */
LIEN_API lien_status lien_scores_driver(const lien_scores* scores, size_t row, size_t rank0, lien_driver* out);
/* The row of enrolment `enrolment_id` (NOT_FOUND when it was not scored, e.g. not active at as_of). */
LIEN_API lien_status lien_scores_find(const lien_scores* scores, const char* enrolment_id, size_t* row);

/* ======================================================================================================== */
/* Playbook and action queue                                                                                */
/* ======================================================================================================== */

/* The playbook shipped with lien (data/playbook.json), as a new handle. */
LIEN_API lien_status lien_playbook_default(lien_playbook** out);
/* A playbook from `size` bytes of JSON (docs/actions.md). PARSE for a document of the wrong shape,
 * INVALID_ARGUMENT for a rule lien cannot use; the message names the rule and the field. */
LIEN_API lien_status lien_playbook_parse(const char* json, size_t size, lien_playbook** out);
LIEN_API void lien_playbook_destroy(lien_playbook** playbook);
LIEN_API lien_status lien_playbook_rule_count(const lien_playbook* playbook, size_t* out);

/* Runs the playbook (NULL = the default one) on the scores and builds the queue for `date` (usually the
 * scores' as_of). The scores must come from this cohort (INVALID_ARGUMENT otherwise). */
LIEN_API lien_status lien_queue_build(const lien_cohort* cohort, const lien_scores* scores,
                                      const lien_playbook* playbook, lien_time date,
                                      const lien_queue_options* options, lien_queue** out);
LIEN_API void lien_queue_destroy(lien_queue** queue);
/* Entries in priority order, whatever their status. */
LIEN_API lien_status lien_queue_count(const lien_queue* queue, size_t* out);

typedef struct lien_action {
  uint32_t rank;               /* 1-based position in priority order */
  const char* status;          /* "scheduled", "deferred", "cooling_off", "duplicate", "over_cap" */
  const char* type;            /* "tutor_call", "manager_check_in", ... (docs/actions.md) */
  const char* rule;            /* the playbook rule that fired */
  const char* enrolment_id;
  const char* learner_id;
  const char* performer_id;    /* who does it; "" when nobody was found (the community manager's own queue) */
  const char* performer_role;  /* the role found after fallbacks ("manager", "tutor", ..., "nobody") */
  int32_t band;                /* a lien_band */
  double probability;
  int32_t day;                 /* the day to do it (days since 1970-01-01, local) */
  int32_t due_day;             /* the day by which it should be done */
  const char* target;          /* the feature the action aims to move */
  const char* why_en;          /* the reasons in one sentence */
  const char* why_fr;
  const char* note;            /* why it was not scheduled, in English ("" when scheduled) */
} lien_action;
LIEN_API lien_status lien_queue_get(const lien_queue* queue, size_t index, lien_action* out);
/* Entry `index` in one line for a person ("tutor_call for LRN-007 by TUT-01 (tutor) by 2026-11-20: ...") in
 * `lang` ("en" or "fr"); *out is freed with lien_free. */
LIEN_API lien_status lien_queue_describe(const lien_queue* queue, size_t index, const char* lang, char** out);

/* ======================================================================================================== */
/* Review, summary, funnel                                                                                  */
/* ======================================================================================================== */

/* The progress review of enrolment `enrolment_id` at `as_of`. With `scores` (may be NULL) it holds the
 * enrolment's risk and drivers, and the suggestions of `playbook` (NULL = the default playbook). */
LIEN_API lien_status lien_review_create(const lien_cohort* cohort, const char* enrolment_id, lien_time as_of,
                                        const lien_scores* scores, const lien_playbook* playbook,
                                        const lien_review_options* options, lien_review** out);
LIEN_API void lien_review_destroy(lien_review** review);

typedef struct lien_review_info {
  const char* enrolment_id;
  const char* learner_id;
  int32_t outcome;                 /* a lien_outcome, at as_of */
  uint32_t required_steps, required_steps_done;
  uint32_t done_steps, late_steps, next_steps;
  uint32_t competencies_required, competencies_covered;
  double certification_progress;   /* required_steps_done / required_steps */
  int32_t has_risk;
  double probability;              /* when has_risk */
  int32_t band;
  size_t suggestion_count;
} lien_review_info;
LIEN_API lien_status lien_review_get_info(const lien_review* review, lien_review_info* out);
/* The review as text for a person to read, in "en" or "fr"; owned by the review. */
LIEN_API lien_status lien_review_text(const lien_review* review, const char* lang, const char** out);

/* The summary at `as_of`; `scores` and `queue` may be NULL (then nothing is at risk / open). */
LIEN_API lien_status lien_summary_create(const lien_cohort* cohort, lien_time as_of, const lien_scores* scores,
                                         const lien_queue* queue, lien_summary** out);
LIEN_API void lien_summary_destroy(lien_summary** summary);

typedef enum lien_grouping {
  LIEN_GROUP_TOTAL = 0, LIEN_GROUP_INSTANCE, LIEN_GROUP_TEAM, LIEN_GROUP_SITE
} lien_grouping;
typedef struct lien_group_summary {
  const char* key;  /* instance id, team or site ("" for the total, or an unknown team / site) */
  uint32_t enrolled, active, completed, withdrawn;
  uint32_t at_risk_low, at_risk_medium, at_risk_high; /* active and scored, by band */
  uint32_t unscored;
  uint32_t actions_open; /* scheduled or deferred queue entries */
} lien_group_summary;
/* Groups of a grouping (1 for LIEN_GROUP_TOTAL). */
LIEN_API lien_status lien_summary_group_count(const lien_summary* summary, int32_t grouping, size_t* out);
LIEN_API lien_status lien_summary_group(const lien_summary* summary, int32_t grouping, size_t index,
                                        lien_group_summary* out);

/* The funnel of path `path_id` at `as_of`: of every instance, or of one (`instance_id`, may be NULL). */
LIEN_API lien_status lien_funnel_create(const lien_cohort* cohort, const char* path_id, const char* instance_id,
                                        lien_time as_of, lien_funnel** out);
LIEN_API void lien_funnel_destroy(lien_funnel** funnel);

typedef struct lien_funnel_info {
  uint32_t enrolled, active, completed, withdrawn;
  uint32_t withdrew_before_first_step;
  size_t step_count;
} lien_funnel_info;
LIEN_API lien_status lien_funnel_get_info(const lien_funnel* funnel, lien_funnel_info* out);

typedef struct lien_funnel_step {
  const char* step_id;
  int32_t phase;       /* a lien_phase */
  int32_t required;
  uint32_t reached, completed;
  uint32_t withdrew_after;            /* withdrawn with this step as the last one reached */
  uint32_t withdrew_after_completing;
} lien_funnel_step;
/* Steps in the path's topological order. */
LIEN_API lien_status lien_funnel_get_step(const lien_funnel* funnel, size_t index, lien_funnel_step* out);

/* ======================================================================================================== */
/* Experimental: not covered by the ABI promise; may change or go in any release. Opt in with               */
/* #define LIEN_EXPERIMENTAL before including this header.                                                   */
/* ======================================================================================================== */
#ifdef LIEN_EXPERIMENTAL
/* The probability column of the scores: *out points at lien_scores_count doubles owned by the scores. */
LIEN_API lien_status lien_experimental_scores_probabilities(const lien_scores* scores, const double** out);
#endif

#ifdef __cplusplus
}
#endif

#endif /* LIEN_H */
