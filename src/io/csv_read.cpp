// Reading the canonical CSV tables (docs/formats.md) into a CohortBuilder: header checks, one typed record per
// row, and a Rejection — file, line, column, reason — for every row that cannot become one.
//
// File-level problems (no header, unknown or missing column, missing required file) throw, because nothing
// in the file can be trusted; everything about a single row is a Rejection, so that `read == accepted +
// rejected` holds per file. Events are the hot path: the scanner hands out views into the file buffer and
// the row code below allocates nothing per row.
#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>

#if defined(__unix__) || defined(__APPLE__)
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#define LIEN_CSV_MMAP 1
#ifndef MAP_POPULATE
#define MAP_POPULATE 0
#endif
#else
#define LIEN_CSV_MMAP 0
#endif

#include "csv_parser.hpp"
#include "lien/io/frames.hpp"
#include "lien/io/read.hpp"

LIEN_BEGIN_NAMESPACE

namespace csv {

namespace {

constexpr std::size_t kMaxColumns = 16;

struct Column {
  const char* name;
  bool required;  ///< the header must have it and every row a value in it
};

enum class Table { learners, stakeholders, relations, paths, steps, prerequisites, enrolments, events };

struct TableSpec {
  Table table;
  const char* name;       ///< "learners"
  const char* file;       ///< "learners.csv"
  bool required_file;
  std::vector<Column> columns;
};

// Column positions in each spec (the enums index TableSpec::columns).
enum LearnerCol { L_id, L_name, L_email, L_team, L_site, L_job, L_gender, L_age_band, L_disability };
enum StakeholderCol { S_id, S_role, S_name, S_email, S_org };
enum RelationCol { R_source, R_type, R_target, R_from, R_to };
enum PathCol { P_id, P_title, P_course };
enum StepCol { T_id, T_path, T_title, T_kind, T_phase, T_open, T_due, T_effort, T_required, T_weight, T_comp, T_iri };
enum PrereqCol { Q_step, Q_requires };
enum EnrolmentCol { N_id, N_learner, N_path, N_instance, N_start, N_end, N_outcome, N_outcome_time, N_prior };
enum EventCol { E_learner, E_time, E_verb, E_otype, E_object, E_actor, E_score, E_success, E_completion, E_duration, E_count };

// In the order read_csv_tables reads them: people before the relations that link them, paths before steps,
// everything before events.
const std::vector<TableSpec>& specs() {
  static const std::vector<TableSpec> kSpecs = {
      {Table::learners, "learners", "learners.csv", true,
       {{"learner_id", true}, {"display_name", false}, {"email", false}, {"team", false}, {"site", false},
        {"job", false}, {"gender", false}, {"age_band", false}, {"disability", false}}},
      {Table::stakeholders, "stakeholders", "stakeholders.csv", false,
       {{"stakeholder_id", true}, {"role", true}, {"display_name", false}, {"email", false}, {"organisation", false}}},
      {Table::paths, "paths", "paths.csv", true, {{"path_id", true}, {"title", false}, {"course", false}}},
      {Table::steps, "steps", "steps.csv", true,
       {{"step_id", true}, {"path_id", true}, {"title", false}, {"kind", true}, {"phase", true}, {"open", false},
        {"due", false}, {"effort_hours", false}, {"required", false}, {"weight", false}, {"competencies", false},
        {"activity_iri", false}}},
      {Table::prerequisites, "prerequisites", "prerequisites.csv", false,
       {{"step_id", true}, {"requires_step_id", true}}},
      {Table::relations, "relations", "relations.csv", false,
       {{"source_id", true}, {"type", true}, {"target_id", true}, {"valid_from", false}, {"valid_to", false}}},
      {Table::enrolments, "enrolments", "enrolments.csv", true,
       {{"enrolment_id", true}, {"learner_id", true}, {"path_id", true}, {"instance_id", false}, {"start", true},
        {"planned_end", false}, {"outcome", false}, {"outcome_time", false}, {"prior_attempts", false}}},
      {Table::events, "events", "events.csv", true,
       {{"learner_id", true}, {"time", true}, {"verb", true}, {"object_type", false}, {"object_id", false},
        {"actor_id", false}, {"score", false}, {"success", false}, {"completion", false}, {"duration", false},
        {"count", false}}},
  };
  return kSpecs;
}

/// A value safe to echo in a message: what an enum name or a column name looks like (short, lower-case letters,
/// digits, '_' and '-'). Anything else — a capitalised word, spaces, an '@' — may be a name or an e-mail that
/// landed in the wrong column, and personal fields never appear in messages (docs/reliability.md, "Privacy").
std::string echo(std::string_view s) {
  if (s.empty() || s.size() > 32) return "";
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return "";
  return " '" + std::string(s) + "'";
}

template <std::size_t N>
std::string expected_names(const std::array<std::string_view, N>& names, std::size_t skip_last = 0) {
  std::string out;
  for (std::size_t i = 0; i + skip_last < N; ++i) {
    if (!out.empty()) out += ", ";
    out += names[i];
  }
  return out;
}

class TableReader {
 public:
  TableReader(CohortBuilder& b, const TableSpec& spec, const std::string& source)
      : b_(b), spec_(spec), source_(source), src_(b.source(source)), cal_(b.calendar()) {}

  void read(char* data, std::size_t size) {
    if (size >= 3 && std::memcmp(data, "\xEF\xBB\xBF", 3) == 0) data += 3, size -= 3;
    Scanner scanner(data, size);
    Record rec;
    if (!scanner.next(rec)) throw ParseError(source_ + ": no header row (the first line names the columns)");
    header(rec);
    if (spec_.table == Table::events) b_.reserve_events(estimate_rows(data, size));
    while (scanner.next(rec)) row(rec);
    flush();
  }

  // Rows given as columns of values (read_table_columns): a header record of the names, then one record per
  // row, its `line` the row's index.
  void read_columns(const std::vector<std::string>& names, const std::vector<std::vector<std::string_view>>& columns,
                    std::uint64_t first_index) {
    Record rec;
    for (const std::string& n : names) rec.push(n.data(), n.size());
    header(rec);
    const std::size_t rows = columns.empty() ? 0 : columns[0].size();
    if (spec_.table == Table::events) b_.reserve_events(rows);
    for (std::size_t i = 0; i < rows; ++i) {
      rec.clear();
      for (const auto& col : columns) rec.push(col[i].data(), col[i].size());
      rec.line = first_index + i;
      row(rec);
    }
    flush();
  }

 private:
  // Rows in the buffer, from the line length of its first 64 KiB (a little over, rather than regrow).
  static std::size_t estimate_rows(const char* data, std::size_t size) {
    const std::size_t sample = std::min<std::size_t>(size, 1 << 16);
    std::size_t lines = 0;
    for (const char* p = data; (p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(data + sample - p))));
         ++p)
      ++lines;
    if (lines == 0) return 0;
    return static_cast<std::size_t>(static_cast<double>(size) / static_cast<double>(sample) * static_cast<double>(lines) * 1.05);
  }

  // ---- header -----------------------------------------------------------------------------------------------
  void header(const Record& rec) {
    const std::string where = source_ + ":" + std::to_string(rec.line);
    if (rec.error) throw ParseError(where + ": header: " + rec.error);
    std::array<bool, kMaxColumns> seen{};
    for (std::size_t f = 0; f < rec.size(); ++f) {
      const std::string_view name = rec[f];
      if (utf8_error_at(name.data(), name.size()) != name.size())
        throw ParseError(where + ": header: invalid UTF-8 in a column name");
      std::size_t k = 0;
      while (k < spec_.columns.size() && name != spec_.columns[k].name) ++k;
      if (k < spec_.columns.size()) {
        if (seen[k]) throw ParseError(where + ": column '" + std::string(name) + "' appears twice");
        seen[k] = true;
        field_col_.push_back(static_cast<int>(k));
        continue;
      }
      const std::string col(name);
      if (spec_.table == Table::learners && col.rfind("protected_", 0) == 0 && col.size() > 10) {
        for (const auto& x : extra_names_)
          if (x == col) throw ParseError(where + ": column '" + col + "' appears twice");
        field_col_.push_back(static_cast<int>(kMaxColumns + extra_names_.size()));
        extra_names_.push_back(col);
        continue;
      }
      std::string known;
      for (const auto& c : spec_.columns) known += std::string(known.empty() ? "" : ", ") + c.name;
      if (spec_.table == Table::learners) known += ", protected_<name>";
      throw ParseError(where + ": unknown column" + (echo(name).empty() ? std::string(" (not shown: only lower-case names are echoed)") : echo(name)) +
                       " in the " + spec_.name + " table (known columns: " + known + ")");
    }
    for (std::size_t k = 0; k < spec_.columns.size(); ++k)
      if (spec_.columns[k].required && !seen[k])
        throw ParseError(where + ": missing required column '" + spec_.columns[k].name + "' in the " + spec_.name +
                         " table");
    extra_values_.resize(extra_names_.size());
    identity_ = field_col_.size() == spec_.columns.size();
    for (std::size_t i = 0; i < field_col_.size() && identity_; ++i) identity_ = field_col_[i] == static_cast<int>(i);
    for (std::size_t k = 0; k < spec_.columns.size(); ++k)
      if (spec_.columns[k].required) required_.push_back(static_cast<int>(k));
  }

  // ---- rows -------------------------------------------------------------------------------------------------
  const char* field_name(std::size_t field) const {
    if (field >= field_col_.size()) return "";
    const int k = field_col_[field];
    return k < static_cast<int>(kMaxColumns) ? spec_.columns[static_cast<std::size_t>(k)].name
                                             : extra_names_[static_cast<std::size_t>(k) - kMaxColumns].c_str();
  }

  void row(const Record& rec) {
    const RecordRef ref{src_, rec.line};
    if (LIEN_UNLIKELY(rec.error != nullptr)) {
      std::string why = rec.error;
      if (std::strcmp(rec.error, "unterminated quoted field") == 0) why += " (it runs to the end of the file)";
      return reject(ref, field_name(rec.error_field), std::move(why));
    }
    const std::size_t n = rec.size();
    if (LIEN_UNLIKELY(n != field_col_.size()))
      return reject(ref, "", "expected " + std::to_string(field_col_.size()) + " fields, found " + std::to_string(n));
    if (rec.check_utf8) {
      for (std::size_t i = 0; i < n; ++i)
        if (utf8_error_at(rec[i].data(), rec[i].size()) != rec[i].size())
          return reject(ref, field_name(i), "invalid UTF-8");
    }
    if (identity_) {
      v_ = rec.data();  // the header lists every column in table order (canonical files): no copy
    } else {
      for (std::size_t i = 0; i < n; ++i) {
        const int k = field_col_[i];
        if (k < static_cast<int>(kMaxColumns)) mapped_[static_cast<std::size_t>(k)] = rec[i];
        else extra_values_[static_cast<std::size_t>(k) - kMaxColumns] = rec[i];
      }
      v_ = mapped_.data();
    }
    for (int k : required_)
      if (LIEN_UNLIKELY(v_[static_cast<std::size_t>(k)].empty())) return fail(ref, k, "missing required value");
    switch (spec_.table) {
      case Table::learners: return learner(ref);
      case Table::stakeholders: return stakeholder(ref);
      case Table::relations: return relation(ref);
      case Table::paths: return path(ref);
      case Table::steps: return step(ref);
      case Table::prerequisites: return prerequisite(ref);
      case Table::enrolments: return enrolment(ref);
      case Table::events: return event(ref);
    }
  }

  // Events are handed to the builder in batches (its lookups overlap); a rejection first flushes the batch, so
  // the report lists rows in file order.
  void flush() {
    if (pending_.empty()) return;
    b_.add_events(pending_.data(), pending_refs_.data(), pending_.size());
    pending_.clear();
    pending_refs_.clear();
  }
  void reject(RecordRef ref, std::string field, std::string why) {
    flush();
    b_.reject(ref, std::move(field), std::move(why));
  }
  void fail(RecordRef ref, int col, std::string why) {
    reject(ref, spec_.columns[static_cast<std::size_t>(col)].name, std::move(why));
  }

  // Converters: true when the value is usable (empty values are "absent" and keep the default).
  bool time_of(RecordRef ref, int col, Time& out) {
    const std::string_view s = v_[static_cast<std::size_t>(col)];
    if (s.empty()) return true;
    ParsedTimestamp p;
    const char* why = "bad timestamp";
    if (LIEN_UNLIKELY(!timestamps_[static_cast<std::size_t>(col)].parse(s, p, why))) return fail(ref, col, why), false;
    out = cal_.to_instant(p);
    return true;
  }
  bool float_of(RecordRef ref, int col, float& out) {
    const std::string_view s = v_[static_cast<std::size_t>(col)];
    if (s.empty()) return true;
    const char* why = "";
    if (LIEN_UNLIKELY(!parse_float(s, out, why))) return fail(ref, col, why), false;
    return true;
  }
  bool bool_of(RecordRef ref, int col, bool& out) {
    const std::string_view s = v_[static_cast<std::size_t>(col)];
    if (s.empty()) return true;
    const char* why = "";
    if (!parse_bool(s, out, why)) return fail(ref, col, why), false;
    return true;
  }
  bool tri_of(RecordRef ref, int col, Tri& out) {
    const std::string_view s = v_[static_cast<std::size_t>(col)];
    if (s.empty()) return true;
    bool b = false;
    if (!bool_of(ref, col, b)) return false;
    out = b ? Tri::yes : Tri::no;
    return true;
  }
  template <class E, std::size_t N>
  bool enum_of(RecordRef ref, int col, E& out, const std::array<std::string_view, N>& names, const char* what,
               std::size_t hidden_last = 0) {
    static const EnumIndex<N> index(names);
    const std::string_view s = v_[static_cast<std::size_t>(col)];
    if (s.empty()) return true;
    const int i = index.find(s);
    if (LIEN_LIKELY(i >= 0 && static_cast<std::size_t>(i) + hidden_last < N)) return out = static_cast<E>(i), true;
    fail(ref, col, std::string("unknown ") + what + echo(s) + " (expected one of " + expected_names(names, hidden_last) + ")");
    return false;
  }

  void learner(RecordRef ref) {
    LearnerRecord r;
    r.id = v_[L_id], r.display_name = v_[L_name], r.email = v_[L_email];
    r.team = v_[L_team], r.site = v_[L_site], r.job = v_[L_job];
    for (int k : {L_gender, L_age_band, L_disability})
      if (!v_[static_cast<std::size_t>(k)].empty())
        r.protected_attributes.emplace_back(spec_.columns[static_cast<std::size_t>(k)].name, v_[static_cast<std::size_t>(k)]);
    for (std::size_t i = 0; i < extra_names_.size(); ++i)
      if (!extra_values_[i].empty()) r.protected_attributes.emplace_back(extra_names_[i], extra_values_[i]);
    b_.add_learner(r, ref);
  }

  void stakeholder(RecordRef ref) {
    StakeholderRecord r;
    r.id = v_[S_id], r.display_name = v_[S_name], r.email = v_[S_email], r.organisation = v_[S_org];
    if (!enum_of(ref, S_role, r.role, kRoleNames, "role")) return;
    b_.add_stakeholder(r, ref);
  }

  void relation(RecordRef ref) {
    RelationRecord r;
    r.source = v_[R_source], r.target = v_[R_target];
    // `interacts` is derived from events, never declared: not offered as a value.
    if (!enum_of(ref, R_type, r.type, kRelationNames, "relation type", 1)) return;
    if (!time_of(ref, R_from, r.valid_from) || !time_of(ref, R_to, r.valid_to)) return;
    b_.add_relation(r, ref);
  }

  void path(RecordRef ref) { b_.add_path(PathRecord{v_[P_id], v_[P_title], v_[P_course]}, ref); }

  void step(RecordRef ref) {
    StepRecord r;
    r.id = v_[T_id], r.path = v_[T_path], r.title = v_[T_title], r.activity_iri = v_[T_iri];
    if (!enum_of(ref, T_kind, r.kind, kStepKindNames, "step kind")) return;
    if (!enum_of(ref, T_phase, r.phase, kPhaseNames, "phase")) return;
    bool open_rel = false, due_rel = false;
    const char* why = "";
    if (!v_[T_open].empty() && !parse_window_bound(v_[T_open], r.window.open, open_rel, why)) return fail(ref, T_open, why);
    if (!v_[T_due].empty() && !parse_window_bound(v_[T_due], r.window.due, due_rel, why)) return fail(ref, T_due, why);
    if (!v_[T_open].empty() && !v_[T_due].empty() && open_rel != due_rel)
      return fail(ref, T_due, "open and due mix an absolute date and a day offset; write both the same way");
    r.window.relative = open_rel || due_rel;
    if (!float_of(ref, T_effort, r.effort_hours) || !bool_of(ref, T_required, r.required) ||
        !float_of(ref, T_weight, r.weight))
      return;
    const std::string_view comp = v_[T_comp];
    for (std::size_t p = 0; p < comp.size();) {
      std::size_t q = comp.find(';', p);
      if (q == std::string_view::npos) q = comp.size();
      if (q > p) r.competencies.push_back(comp.substr(p, q - p));
      p = q + 1;
    }
    b_.add_step(r, ref);
  }

  void prerequisite(RecordRef ref) { b_.add_prerequisite(PrerequisiteRecord{v_[Q_step], v_[Q_requires]}, ref); }

  void enrolment(RecordRef ref) {
    EnrolmentRecord r;
    r.id = v_[N_id], r.learner = v_[N_learner], r.path = v_[N_path], r.instance = v_[N_instance];
    if (!time_of(ref, N_start, r.start) || !time_of(ref, N_end, r.planned_end)) return;
    if (!enum_of(ref, N_outcome, r.outcome, kOutcomeNames, "outcome")) return;
    if (!time_of(ref, N_outcome_time, r.outcome_time)) return;
    if (!v_[N_prior].empty()) {
      std::uint32_t n = 0;
      const char* why = "";
      if (!parse_u32(v_[N_prior], n, why)) return fail(ref, N_prior, why);
      if (n > static_cast<std::uint32_t>(std::numeric_limits<std::int32_t>::max()))
        return fail(ref, N_prior, "integer out of range");
      r.prior_attempts = static_cast<std::int32_t>(n);
    }
    b_.add_enrolment(r, ref);
  }

  void event(RecordRef ref) {
    EventRecord r;
    r.learner = v_[E_learner];
    if (!time_of(ref, E_time, r.time)) return;
    if (!enum_of(ref, E_verb, r.verb, kVerbNames, "verb")) return;
    const std::string_view ot = v_[E_otype];
    if (!ot.empty() && ot != "none" && !enum_of(ref, E_otype, r.object_kind, kObjectKindNames, "object type")) return;
    r.object = v_[E_object];
    r.actor = v_[E_actor];
    if (!float_of(ref, E_score, r.score)) return;
    if (!tri_of(ref, E_success, r.success) || !tri_of(ref, E_completion, r.completion)) return;
    const std::string_view d = v_[E_duration];
    if (!d.empty()) {
      if (d[0] == 'P') {
        double seconds = 0;
        const char* why = "";
        if (!parse_iso_duration(d, seconds, &why)) return fail(ref, E_duration, why);
        if (!(seconds <= 3.0e38)) return fail(ref, E_duration, "duration out of range");
        r.duration = static_cast<float>(seconds);
      } else if (!float_of(ref, E_duration, r.duration)) {
        return;
      }
    }
    if (!v_[E_count].empty()) {
      const char* why = "";
      if (!parse_u32(v_[E_count], r.count, why)) return fail(ref, E_count, why);
    }
    pending_.push_back(r);
    pending_refs_.push_back(ref);
    if (pending_.size() == kEventBatch) flush();
  }

  CohortBuilder& b_;
  const TableSpec& spec_;
  const std::string& source_;
  std::uint32_t src_;
  const Calendar& cal_;
  std::vector<int> required_;   // spec columns that need a value
  std::vector<int> field_col_;  // per field of the header: its spec column, or kMaxColumns + extra index
  std::vector<std::string> extra_names_;
  std::vector<std::string_view> extra_values_;
  std::array<std::string_view, kMaxColumns> mapped_{};  // a row's values in table order; absent columns stay empty
  const std::string_view* v_ = mapped_.data();           // mapped_, or the record itself when the header is in order
  bool identity_ = false;
  std::array<TimestampReader, kMaxColumns> timestamps_{};
  static constexpr std::size_t kEventBatch = 256;
  std::vector<EventRecord> pending_;  // views into the file buffer, which outlives the reader
  std::vector<RecordRef> pending_refs_;
};

const TableSpec& spec_of(std::string_view table) {
  for (const auto& s : specs())
    if (table == s.name) return s;
  std::string known;
  for (const auto& s : specs()) known += std::string(known.empty() ? "" : ", ") + s.name;
  throw InvalidArgument("csv: unknown table '" + std::string(table) + "' (known tables: " + known + ")");
}

}  // namespace

FileBuffer::~FileBuffer() {
#if LIEN_CSV_MMAP
  if (mapped_) ::munmap(data_, size_);
#endif
}

FileBuffer read_file(const std::string& path, const std::string& what) {
  FileBuffer out;
#if LIEN_CSV_MMAP
  {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      if (errno == ENOENT) throw NotFound(what + " not found: " + path);
      throw IoError("cannot open " + what + " " + path + ": " + std::strerror(errno));
    }
    struct stat st;
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
      void* p = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_POPULATE,
                       fd, 0);
      if (p != MAP_FAILED) {
        ::close(fd);
        out.data_ = static_cast<char*>(p);
        out.size_ = static_cast<std::size_t>(st.st_size);
        out.mapped_ = true;
        return out;
      }
    }
    ::close(fd);  // empty, special or unmappable: read it the portable way
  }
#endif
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    if (errno == ENOENT) throw NotFound(what + " not found: " + path);
    throw IoError("cannot open " + what + " " + path + ": " + std::strerror(errno));
  }
  std::size_t cap = 1 << 16;
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec && size > 0) cap = static_cast<std::size_t>(size) + 1;
  out.heap_.reset(new char[cap]);
  for (;;) {
    const std::size_t got = std::fread(out.heap_.get() + out.size_, 1, cap - out.size_, f);
    out.size_ += got;
    if (out.size_ < cap) break;
    std::unique_ptr<char[]> bigger(new char[cap * 2]);  // the file grew while we read it
    std::memcpy(bigger.get(), out.heap_.get(), out.size_);
    out.heap_ = std::move(bigger);
    cap *= 2;
  }
  out.data_ = out.heap_.get();
  const bool bad = std::ferror(f) != 0;
  std::fclose(f);
  if (bad) throw IoError("cannot read " + what + " " + path);
  return out;
}

Calendar parse_calendar_json(const std::string& text, const std::string& source) {
  simdjson::dom::parser parser;
  const simdjson::padded_string json(text);
  simdjson::dom::element root;
  if (auto err = parser.parse(json).get(root))
    throw ParseError(source + ": not valid JSON (" + simdjson::error_message(err) + ")");
  simdjson::dom::object obj;
  if (root.get(obj)) throw ParseError(source + ": expected a JSON object");
  std::string tz = "UTC0";
  WeekMask mask = kMondayToFriday;
  std::vector<Day> holidays;
  for (auto field : obj) {
    const std::string key(field.key);
    if (key == "time_zone") {
      std::string_view s;
      if (field.value.get(s)) throw ParseError(source + ": time_zone: expected a string (a POSIX TZ string)");
      tz = std::string(s);
    } else if (key == "working_days") {
      std::string_view s;
      if (field.value.get(s)) throw ParseError(source + ": working_days: expected a string such as \"Mon-Fri\"");
      try {
        mask = Calendar::parse_week_mask(s);
      } catch (const Error& e) {
        throw ParseError(source + ": working_days: " + e.what());
      }
    } else if (key == "holidays") {
      simdjson::dom::array arr;
      if (field.value.get(arr)) throw ParseError(source + ": holidays: expected an array of \"fr\" and dates");
      std::size_t i = 0;
      for (auto item : arr) {
        std::string_view s;
        const std::string where = source + ": holidays[" + std::to_string(i++) + "]";
        if (item.get(s)) throw ParseError(where + ": expected a string");
        if (s == "fr" || s == "FR") {
          const auto fr = Calendar::french_holidays(kMinYear, kMaxYear);
          holidays.insert(holidays.end(), fr.begin(), fr.end());
          continue;
        }
        Day d = 0;
        const char* why = "";
        if (!parse_date(s, d, &why)) throw ParseError(where + ": expected \"fr\" or a date YYYY-MM-DD (" + why + ")");
        holidays.push_back(d);
      }
    } else {
      throw ParseError(source + ": unknown key" + echo(key) + " (known keys: time_zone, working_days, holidays)");
    }
  }
  try {
    return Calendar(tz, mask, std::move(holidays));
  } catch (const Error& e) {
    throw ParseError(source + ": time_zone: " + e.what());
  }
}

void read_table_buffer(CohortBuilder& builder, std::string_view table, char* data, std::size_t size,
                       const std::string& source) {
  TableReader reader(builder, spec_of(table), source);
  reader.read(data, size);
}

Calendar read_calendar_of(const std::string& dir) {
  const std::filesystem::path file = std::filesystem::path(dir) / "calendar.json";
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return Calendar();
  const FileBuffer buf = read_file(file.string(), "calendar.json");
  return parse_calendar_json(std::string(buf.data(), buf.size()), "calendar.json");
}

void read_csv_tables(CohortBuilder& builder, const std::string& dir, bool with_events) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    if (std::filesystem::exists(dir, ec)) throw NotFound("csv: " + dir + " is not a folder");
    throw NotFound("csv: folder not found: " + dir);
  }
  for (const TableSpec& spec : specs()) {
    if (spec.table == Table::events && !with_events) continue;
    const std::filesystem::path file = std::filesystem::path(dir) / spec.file;
    if (!std::filesystem::exists(file, ec)) {
      if (spec.required_file)
        throw NotFound(std::string("csv: required table ") + spec.file + " is missing from " + dir);
      continue;
    }
    FileBuffer buf = read_file(file.string(), spec.file);
    read_table_buffer(builder, spec.name, buf.data(), buf.size(), spec.file);
  }
}

}  // namespace csv

void read_csv_table(CohortBuilder& builder, const std::string& table, const std::string& text,
                    const std::string& source) {
  const std::string what = "csv: reading " + source;
  out_of_memory_as_error(what.c_str(), [&] {
    std::unique_ptr<char[]> copy(new char[text.size() + 1]);  // quoted fields are unescaped in place
    std::memcpy(copy.get(), text.data(), text.size());
    csv::read_table_buffer(builder, table, copy.get(), text.size(), source);
  });
}

void read_table_columns(CohortBuilder& builder, const std::string& table, const std::vector<std::string>& names,
                        const std::vector<std::vector<std::string_view>>& columns, const std::string& source,
                        std::uint64_t first_index) {
  if (names.size() != columns.size())
    throw InvalidArgument("read_table_columns: " + std::to_string(names.size()) + " column names for " +
                          std::to_string(columns.size()) + " columns");
  for (const auto& col : columns)
    if (col.size() != columns[0].size())
      throw InvalidArgument("read_table_columns: the columns of table '" + source + "' differ in length");
  csv::TableReader reader(builder, csv::spec_of(table), source);
  reader.read_columns(names, columns, first_index);
}

ReadResult read_csv_dir(const std::string& dir, const ReadOptions& options) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    if (std::filesystem::exists(dir, ec)) throw NotFound("csv: " + dir + " is not a folder");
    throw NotFound("csv: folder not found: " + dir);
  }
  const std::string what = "csv: reading " + dir;
  return out_of_memory_as_error(what.c_str(), [&] {
    CohortBuilder builder(csv::read_calendar_of(dir));
    builder.set_pseudonymise_key(options.pseudonymise_key);
    csv::read_csv_tables(builder, dir, true);
    ReadResult out;
    out.cohort = builder.build(out.report);
    return out;
  });
}

LIEN_END_NAMESPACE
