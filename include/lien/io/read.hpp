// lien/io/read.hpp — reading a cohort from outside data: a folder of canonical CSV tables, an xAPI file
// (JSON array or NDJSON, as LRSs export them), or either one picked by what the path is.
//
// Every reader feeds a CohortBuilder, so every record read is either accepted or reported as rejected with its
// source, index, field and reason (ReadReport). A ParseError / IoError / NotFound is thrown only when the
// input cannot be read at all (missing folder, missing required table, unreadable file, unknown column).
#pragma once

#include <string>

#include "lien/core/config.hpp"
#include "lien/model/cohort.hpp"

LIEN_BEGIN_NAMESPACE

/// Options shared by the readers.
struct ReadOptions {
  /// xAPI: validate every statement against all of xAPI 1.0.3, not only the fields lien reads.
  bool strict = false;
  /// When not empty, every person id read (learners and stakeholders, wherever they appear: learners,
  /// stakeholders, relations, enrolments, events, xAPI actors) is replaced by pseudonym(key, id)
  /// (lien/core/digest.hpp: keyed HMAC-SHA-256), and display names and e-mails are dropped once the read is
  /// resolved. Ids quoted in rejection reasons are replaced the same way. Docs: docs/reliability.md, "Privacy".
  std::string pseudonymise_key = {};  // "= {}": callers that write ReadOptions{strict} stay warning-free
};

/// Reads a folder of canonical CSV tables (docs/formats.md): calendar.json (optional), learners.csv,
/// stakeholders.csv (optional), relations.csv (optional), paths.csv, steps.csv, prerequisites.csv (optional),
/// enrolments.csv, events.csv.
ReadResult read_csv_dir(const std::string& dir, const ReadOptions& options = {});

/// Reads one table into a builder (the building block of read_csv_dir, also used for in-memory CSV text).
/// `table` is the table name ("learners", "events", ...), `source` the name rejections carry.
void read_csv_table(CohortBuilder& builder, const std::string& table, const std::string& text,
                    const std::string& source);

/// Reads an xAPI file on its own: actors become learners, activities become steps of one path per course
/// (context grouping) or registration, verbs say what happened (docs/formats.md, "xAPI").
ReadResult read_xapi_file(const std::string& file, const ReadOptions& options = {});

/// Reads an xAPI file against the reference tables of a CSV folder (everything but events.csv): actors are
/// matched to declared learners and stakeholders, activity ids to steps' activity IRIs, registrations to
/// enrolment ids.
ReadResult read_xapi_file_with_tables(const std::string& file, const std::string& tables_dir,
                                      const ReadOptions& options = {});

/// Reads xAPI statements (a JSON array or NDJSON) from memory into a builder.
void read_xapi_text(CohortBuilder& builder, const std::string& text, const std::string& source,
                    const ReadOptions& options = {});

/// A folder is read as CSV tables, a file as xAPI.
ReadResult read_data(const std::string& path, const ReadOptions& options = {});

/// Writes a cohort as canonical CSV tables (and calendar.json) into `dir`, creating it if needed. Reading the
/// result back gives the same cohort, and writing that again gives identical files.
void write_csv_dir(const Cohort& cohort, const std::string& dir);

LIEN_END_NAMESPACE
