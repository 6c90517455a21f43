// Writing a cohort as canonical CSV tables (docs/formats.md, "Canonical form").
//
// Canonical means: every table and every column, in a fixed order; instants in UTC with 'Z'; floats in their
// shortest round-trip form; rows in the order reading them back recreates (learners, then the other people;
// events grouped by learner and sorted by time). So read_csv_dir(write_csv_dir(c)) is the same cohort, and
// writing it again gives byte-identical files.
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "csv_parser.hpp"
#include "lien/io/read.hpp"

LIEN_BEGIN_NAMESPACE

namespace {

/// A table being written: rows are appended to a buffer flushed to the file in large blocks.
class TableWriter {
 public:
  TableWriter(const std::filesystem::path& file, const char* name) : name_(name), path_(file.string()) {
    f_ = std::fopen(path_.c_str(), "wb");
    if (!f_) throw IoError(std::string("cannot create ") + name_ + " " + path_ + ": " + std::strerror(errno));
    buf_.reserve(kFlushAt + 4096);
  }
  ~TableWriter() {
    if (f_) std::fclose(f_);
  }
  TableWriter(const TableWriter&) = delete;
  TableWriter& operator=(const TableWriter&) = delete;

  /// A field, quoted when it holds a comma, a quote, a line break or a leading BOM-like oddity.
  void field(std::string_view s) {
    sep();
    bool quote = false;
    for (char c : s)
      if (c == ',' || c == '"' || c == '\n' || c == '\r') {
        quote = true;
        break;
      }
    if (!quote) {
      buf_.append(s.data(), s.size());
      return;
    }
    buf_ += '"';
    for (char c : s) {
      if (c == '"') buf_ += '"';
      buf_ += c;
    }
    buf_ += '"';
  }
  void empty() { sep(); }
  void time(Time t) {
    if (t == kNoTime) return empty();
    sep();
    char b[32];
    buf_.append(b, format_time(t, b));
  }
  void date(Day d) {
    sep();
    const std::string s = format_date(d);
    buf_ += s;
  }
  void number(float x) {
    sep();
    if (std::isnan(x)) return;
    char b[32];
    const auto r = std::to_chars(b, b + sizeof b, x);
    buf_.append(b, static_cast<std::size_t>(r.ptr - b));
  }
  void integer(std::int64_t x) {
    sep();
    char b[24];
    const auto r = std::to_chars(b, b + sizeof b, x);
    buf_.append(b, static_cast<std::size_t>(r.ptr - b));
  }
  void offset(Day d) {
    sep();
    buf_ += d < 0 ? '-' : '+';
    char b[16];
    const auto r = std::to_chars(b, b + sizeof b, d < 0 ? -static_cast<std::int64_t>(d) : d);
    buf_.append(b, static_cast<std::size_t>(r.ptr - b));
  }
  void boolean(bool b) { field(b ? "true" : "false"); }
  void tri(Tri t) {
    if (t == Tri::unknown) return empty();
    boolean(t == Tri::yes);
  }
  void end_row() {
    buf_ += '\n';
    first_ = true;
    if (buf_.size() >= kFlushAt) flush();
  }
  void header(std::initializer_list<std::string_view> names) {
    for (auto n : names) field(n);
  }
  void close() {
    flush();
    const bool bad = std::fclose(f_) != 0;
    f_ = nullptr;
    if (bad) throw IoError(std::string("cannot write ") + name_ + " " + path_);
  }

 private:
  static constexpr std::size_t kFlushAt = 1 << 20;

  void sep() {
    if (!first_) buf_ += ',';
    first_ = false;
  }
  void flush() {
    if (!buf_.empty() && std::fwrite(buf_.data(), 1, buf_.size(), f_) != buf_.size())
      throw IoError(std::string("cannot write ") + name_ + " " + path_ + ": " + std::strerror(errno));
    buf_.clear();
  }
  // format_timestamp_utc without the allocation (events are written by the million).
  static std::size_t format_time(Time t, char* b) {
    const Day d = utc_day(t);
    const CivilDate c = civil_from_days(d);
    std::int64_t rem = t - static_cast<std::int64_t>(d) * kMsPerDay;
    const int hh = static_cast<int>(rem / kMsPerHour), mi = static_cast<int>(rem / kMsPerMinute % 60);
    const int ss = static_cast<int>(rem / kMsPerSecond % 60), ms = static_cast<int>(rem % kMsPerSecond);
    auto two = [](char* p, int v) { p[0] = static_cast<char>('0' + v / 10), p[1] = static_cast<char>('0' + v % 10); };
    two(b, c.year / 100), two(b + 2, c.year % 100), b[4] = '-', two(b + 5, c.month), b[7] = '-', two(b + 8, c.day);
    b[10] = 'T', two(b + 11, hh), b[13] = ':', two(b + 14, mi), b[16] = ':', two(b + 17, ss);
    std::size_t n = 19;
    if (ms != 0) {
      b[19] = '.', b[20] = static_cast<char>('0' + ms / 100), two(b + 21, ms % 100);
      n = 23;
    }
    b[n++] = 'Z';
    return n;
  }

  const char* name_;
  std::string path_;
  std::FILE* f_ = nullptr;
  std::string buf_;
  bool first_ = true;
};

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char b[8];
      std::snprintf(b, sizeof b, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
      out += b;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

/// "Mon-Fri", "Mon,Wed,Fri", "Mon-Wed,Fri": runs of three days or more as ranges.
std::string week_mask_text(WeekMask mask) {
  static const char* kDays[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  std::string out;
  for (int d = 0; d < 7;) {
    if (!((mask >> d) & 1)) {
      ++d;
      continue;
    }
    int e = d;
    while (e + 1 < 7 && ((mask >> (e + 1)) & 1)) ++e;
    if (!out.empty()) out += ',';
    if (e - d >= 2) {
      out += std::string(kDays[d]) + "-" + kDays[e];
    } else {
      out += kDays[d];
      if (e > d) out += std::string(",") + kDays[e];
    }
    d = e + 1;
  }
  return out;
}

void write_calendar(const Calendar& cal, const std::filesystem::path& file) {
  // French holidays over the whole supported range are written as "fr", the rest as dates.
  const std::vector<Day>& h = cal.holidays();
  std::vector<Day> fr = Calendar::french_holidays(kMinYear, kMaxYear);
  fr.erase(std::unique(fr.begin(), fr.end()), fr.end());  // Ascension falls on 1 or 8 May in some years
  const bool has_fr = std::includes(h.begin(), h.end(), fr.begin(), fr.end());
  std::string text = "{\n  \"time_zone\": " + json_string(cal.time_zone()) + ",\n  \"working_days\": " +
                     json_string(week_mask_text(cal.working_days())) + ",\n  \"holidays\": [";
  bool first = true;
  auto item = [&](const std::string& s) {
    text += first ? "" : ", ";
    text += json_string(s);
    first = false;
  };
  if (has_fr) item("fr");
  for (Day d : h)
    if (!has_fr || !std::binary_search(fr.begin(), fr.end(), d)) item(format_date(d));
  text += "]\n}\n";
  std::FILE* f = std::fopen(file.string().c_str(), "wb");
  if (!f) throw IoError("cannot create calendar.json " + file.string() + ": " + std::strerror(errno));
  const bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  if (std::fclose(f) != 0 || !ok) throw IoError("cannot write calendar.json " + file.string());
}

}  // namespace

void write_csv_dir(const Cohort& c, const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (!fs::is_directory(dir)) throw IoError("cannot create folder " + dir + (ec ? ": " + ec.message() : ""));
  const fs::path root(dir);

  write_calendar(c.calendar(), root / "calendar.json");

  // People in the order reading them back numbers them: learners (learners.csv), then everyone else.
  std::vector<PersonId> order;
  order.reserve(c.person_count());
  for (LearnerId l = 0; l < c.learner_count(); ++l) order.push_back(c.learner(l).person);
  for (PersonId p = 0; p < c.person_count(); ++p)
    if (c.person(p).role != Role::learner) order.push_back(p);

  {
    TableWriter w(root / "learners.csv", "learners.csv");
    const ProtectedAttributes& pa = c.protected_attributes();
    std::vector<std::string> extra;
    for (const auto& n : pa.names())
      if (n != "gender" && n != "age_band" && n != "disability") extra.push_back(n);
    std::sort(extra.begin(), extra.end());
    std::vector<std::string> cols = {"gender", "age_band", "disability"};
    cols.insert(cols.end(), extra.begin(), extra.end());
    std::vector<const std::vector<std::string>*> values;
    for (const auto& n : cols) values.push_back(&pa.column(n));
    w.header({"learner_id", "display_name", "email", "team", "site", "job"});
    for (const auto& n : cols) w.field(n);
    w.end_row();
    for (LearnerId l = 0; l < c.learner_count(); ++l) {
      const Learner& ln = c.learner(l);
      const Person& p = c.person(ln.person);
      w.field(p.id), w.field(p.display_name), w.field(p.email), w.field(ln.team), w.field(ln.site), w.field(ln.job);
      for (const auto* v : values) w.field(l < v->size() ? std::string_view((*v)[l]) : std::string_view());
      w.end_row();
    }
    w.close();
  }
  {
    TableWriter w(root / "stakeholders.csv", "stakeholders.csv");
    w.header({"stakeholder_id", "role", "display_name", "email", "organisation"});
    w.end_row();
    for (PersonId id : order) {
      const Person& p = c.person(id);
      if (p.role == Role::learner) continue;
      w.field(p.id), w.field(to_string(p.role)), w.field(p.display_name), w.field(p.email), w.field(p.organisation);
      w.end_row();
    }
    w.close();
  }
  {
    TableWriter w(root / "paths.csv", "paths.csv");
    w.header({"path_id", "title", "course"});
    w.end_row();
    for (PathId p = 0; p < c.path_count(); ++p) {
      const Path& path = c.path(p);
      w.field(path.id), w.field(path.title), w.field(path.course);
      w.end_row();
    }
    w.close();
  }
  {
    TableWriter w(root / "steps.csv", "steps.csv");
    w.header({"step_id", "path_id", "title", "kind", "phase", "open", "due", "effort_hours", "required", "weight",
              "competencies", "activity_iri"});
    w.end_row();
    for (StepId s = 0; s < c.step_count(); ++s) {
      const Step& st = c.step(s);
      w.field(st.id), w.field(c.path(st.path).id), w.field(st.title), w.field(to_string(st.kind)),
          w.field(to_string(st.phase));
      for (Day d : {st.window.open, st.window.due}) {
        if (d == kNoDay) w.empty();
        else if (st.window.relative) w.offset(d);
        else w.date(d);
      }
      w.number(st.effort_hours), w.boolean(st.required), w.number(st.weight);
      std::string comp;
      for (CompetencyId k : st.competencies) {
        const std::string_view name = c.competencies()[k];
        if (name.empty() || name.find(';') != std::string_view::npos)  // would not read back as one competency
          throw InvalidArgument("write_csv_dir: step '" + st.id + "' has a competency id that is empty or holds ';'" +
                                " (the separator of the competencies column)");
        if (!comp.empty()) comp += ';';
        comp += name;
      }
      w.field(comp), w.field(st.activity_iri);
      w.end_row();
    }
    w.close();
  }
  {
    TableWriter w(root / "prerequisites.csv", "prerequisites.csv");
    w.header({"step_id", "requires_step_id"});
    w.end_row();
    for (PathId p = 0; p < c.path_count(); ++p) {
      const Path& path = c.path(p);
      const auto& g = path.prerequisites;
      for (std::size_t u = 0; u < boost::num_vertices(g); ++u)
        for (auto [it, end] = boost::out_edges(u, g); it != end; ++it) {
          w.field(c.step(path.steps[boost::target(*it, g)]).id), w.field(c.step(path.steps[u]).id);
          w.end_row();
        }
    }
    w.close();
  }
  {
    TableWriter w(root / "relations.csv", "relations.csv");
    w.header({"source_id", "type", "target_id", "valid_from", "valid_to"});
    w.end_row();
    const auto& g = c.graph().boost_graph();
    for (PersonId id : order)
      for (auto [it, end] = boost::out_edges(id, g); it != end; ++it) {
        const Relation& r = g[*it];
        if (r.type == RelationType::interacts) continue;
        w.field(c.person(id).id), w.field(to_string(r.type)), w.field(c.person(static_cast<PersonId>(boost::target(*it, g))).id);
        w.time(r.valid_from), w.time(r.valid_to);
        w.end_row();
      }
    for (const InstanceRelation& r : c.graph().instance_relations()) {
      w.field(c.person(r.person).id), w.field(to_string(r.type)), w.field(c.instances()[r.instance]);
      w.time(r.valid_from), w.time(r.valid_to);
      w.end_row();
    }
    w.close();
  }
  {
    TableWriter w(root / "enrolments.csv", "enrolments.csv");
    w.header({"enrolment_id", "learner_id", "path_id", "instance_id", "start", "planned_end", "outcome", "outcome_time",
              "prior_attempts"});
    w.end_row();
    for (EnrolmentId e = 0; e < c.enrolment_count(); ++e) {
      const Enrolment& en = c.enrolment(e);
      w.field(en.id), w.field(c.learner_id(en.learner)), w.field(c.path(en.path).id), w.field(c.instances()[en.instance]);
      w.time(en.start), w.time(en.planned_end), w.field(to_string(en.outcome)), w.time(en.outcome_time);
      if (en.prior_attempts < 0) w.empty();
      else w.integer(en.prior_attempts);
      w.end_row();
    }
    w.close();
  }
  {
    TableWriter w(root / "events.csv", "events.csv");
    w.header({"learner_id", "time", "verb", "object_type", "object_id", "actor_id", "score", "success", "completion",
              "duration", "count"});
    w.end_row();
    const EventLog& log = c.events();
    for (LearnerId l = 0; l < c.learner_count(); ++l) {
      const std::string& lid = c.learner_id(l);
      for (std::size_t i = log.begin(l); i < log.end(l); ++i) {
        w.field(lid), w.time(log.time(i)), w.field(to_string(log.verb(i)));
        const ObjectKind k = log.object_kind(i);
        if (k == ObjectKind::none) {
          w.empty(), w.empty();
        } else {
          w.field(to_string(k));
          if (k == ObjectKind::step) w.field(c.step(log.object(i)).id);
          else if (k == ObjectKind::resource) w.field(c.resources()[log.object(i)]);
          else w.field(c.person(log.object(i)).id);
        }
        if (log.actor(i) == kNoId) w.empty();
        else w.field(c.person(log.actor(i)).id);
        w.number(log.score(i)), w.tri(log.success(i)), w.tri(log.completion(i)), w.number(log.duration(i));
        w.integer(log.count(i));
        w.end_row();
      }
    }
    w.close();
  }
}

LIEN_END_NAMESPACE
