// lien/io/frames.hpp — reading tables handed over as columns (pandas DataFrames, Arrow tables) rather than
// as CSV text: the same tables, columns and checks as the CSV folder (docs/formats.md), with rejections that
// name the table and the row's position.
//
// Small tables (learners, paths, steps...) arrive as string columns and go through the CSV reader's row code,
// so that every value is parsed and refused exactly as in a CSV file. Events are the bulk: they arrive as
// typed columns (dictionary-coded strings, float64, int64 instants) and go to the builder's columnar path
// (CohortBuilder::add_event_columns), with each distinct string resolved once, not once per row.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lien/core/config.hpp"
#include "lien/model/cohort.hpp"

LIEN_BEGIN_NAMESPACE

/// One column of a frame. Which members are read depends on `kind`; the pointers must stay valid for the call.
struct FrameColumn {
  enum class Kind : std::uint8_t {
    absent,    ///< the frame has no such column: every value is missing
    strings,   ///< dictionary-coded text: row i is uniques[codes[i]], missing when codes[i] < 0 or the text is ""
    numbers,   ///< float64, NaN = missing
    instants   ///< int64 milliseconds since the epoch, kNoTime = missing
  };
  Kind kind = Kind::absent;
  const std::int32_t* codes = nullptr;
  std::vector<std::string_view> uniques;
  const double* numbers = nullptr;
  const std::int64_t* instants = nullptr;
  /// instants: wall-clock readings in the calendar's time zone (a naive datetime64), not UTC instants.
  bool local = false;
};

/// The events table as columns, each `rows` long. Columns as in events.csv (docs/formats.md): learner_id,
/// time and verb are required; time may be instants or text (as in CSV); score, duration and count may be
/// numbers or text; success and completion are text ("true" / "false" / "1" / "0").
struct EventFrame {
  std::size_t rows = 0;
  FrameColumn learner_id, time, verb, object_type, object_id, actor_id, score, success, completion, duration, count;
};

/// Adds the events of `frame` to the builder as rows of source `source` with indices first_index + row (a
/// 0-based position when first_index is 0). Every row is accepted or rejected with the field and reason the
/// CSV reader gives; rejections are reported in row order. Returns how many were accepted. Throws
/// InvalidArgument when a required column is absent or a code lies outside its uniques (a bug in the caller).
std::size_t read_event_frame(CohortBuilder& builder, const EventFrame& frame, const std::string& source,
                             std::uint64_t first_index = 0);

/// Adds the rows of a table given as string columns (`names[k]` is the column of `columns[k]`; every column
/// holds the same number of values, "" for missing) through the CSV reader's row code: the same checks and
/// rejections as a CSV file with that header, with indices first_index + row. Throws ParseError for an
/// unknown, repeated or missing required column (naming the table), InvalidArgument for an unknown table or
/// columns of different lengths.
void read_table_columns(CohortBuilder& builder, const std::string& table, const std::vector<std::string>& names,
                        const std::vector<std::vector<std::string_view>>& columns, const std::string& source,
                        std::uint64_t first_index = 0);

LIEN_END_NAMESPACE
