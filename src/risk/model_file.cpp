// src/risk/model_file.cpp — RiskModel as a versioned JSON model file: written by hand, read with simdjson,
// checked end to end (format and version, checksum, every member and its type, the features this build knows),
// saved atomically. docs/model-file.md describes the format member by member.
//
// Doubles are written with std::to_chars (the shortest text that reads back to the same double) and read by
// simdjson's correctly rounded parser, so load(save(m)) holds the same bits as m and scores identically.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <simdjson.h>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "lien/core/digest.hpp"
#include "lien/core/error.hpp"
#include "lien/features/registry.hpp"
#include "lien/model/people.hpp"
#include "lien/risk/model.hpp"

LIEN_BEGIN_NAMESPACE

namespace {

// The file closes with exactly this member: `"checksum": "sha256:<64 hex digits>"\n}\n`. The digest covers
// every byte before the `"` that opens the key.
constexpr std::string_view kChecksumKey = "\"checksum\": \"sha256:";
constexpr std::string_view kChecksumEnd = "\"\n}\n";
constexpr std::size_t kHexDigits = 64;

// ---- writing ------------------------------------------------------------------------------------------------

class JsonWriter {
 public:
  std::string out;

  void raw(std::string_view s) { out.append(s); }
  void indent(int level) { out.append(static_cast<std::size_t>(2 * level), ' '); }
  void key(int level, std::string_view k) {
    indent(level);
    string(k);
    out += ": ";
  }
  void string(std::string_view s) {
    out += '"';
    for (char ch : s) {
      const auto u = static_cast<unsigned char>(ch);
      if (ch == '"') out += "\\\"";
      else if (ch == '\\') out += "\\\\";
      else if (ch == '\n') out += "\\n";
      else if (ch == '\t') out += "\\t";
      else if (ch == '\r') out += "\\r";
      else if (u < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", u);
        out += buf;
      } else {
        out += ch;
      }
    }
    out += '"';
  }
  void number(double v) {
    if (!std::isfinite(v)) {  // metrics only (parameters are finite by construction)
      out += "null";
      return;
    }
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    std::string_view s(buf, static_cast<std::size_t>(r.ptr - buf));
    out.append(s);
    // An integral value written "2" or "-0" would read back as an integer (and -0 as +0): keep it a double.
    if (s.find_first_of(".e") == std::string_view::npos) out += ".0";
  }
  void integer(long long v) { out += std::to_string(v); }
  void boolean(bool b) { out += b ? "true" : "false"; }
  void instant(Time t) {
    if (t == kNoTime) out += "null";
    else string(format_timestamp_utc(t));
  }
  template <class V>
  void numbers(const V& v) {
    out += '[';
    for (Index i = 0; i < static_cast<Index>(v.size()); ++i) {
      if (i) out += ", ";
      number(static_cast<double>(v[static_cast<std::size_t>(i)]));
    }
    out += ']';
  }
  void ints(const std::vector<std::int32_t>& v) {
    out += '[';
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i) out += ", ";
      integer(v[i]);
    }
    out += ']';
  }
};

std::vector<double> as_std(const Vector& v) { return std::vector<double>(v.data(), v.data() + v.size()); }

void write_fit(JsonWriter& w, int level, const char* name, const FitSummary& f, bool last) {
  w.key(level, name);
  w.raw("{\"info\": ");
  w.string(to_string(f.info));
  w.raw(", \"iterations\": ");
  w.integer(f.iterations);
  w.raw(", \"loss\": ");
  w.number(f.loss);
  w.raw(last ? "}\n" : "},\n");
}

// ---- reading ------------------------------------------------------------------------------------------------

[[noreturn]] void refuse(const std::string& why) { throw ModelError("model file: " + why); }

/// A JSON value and where it is in the file ("options.survival.period_days"), for messages.
class Value {
 public:
  Value(simdjson::dom::element e, std::string path) : e_(e), path_(std::move(path)) {}

  const std::string& path() const noexcept { return path_; }
  [[noreturn]] void fail(const std::string& why) const { refuse(path_ + ": " + why); }

  bool is_null() const { return e_.type() == simdjson::dom::element_type::NULL_VALUE; }
  bool has(const char* key) const {
    simdjson::dom::object o;
    if (e_.get_object().get(o)) return false;
    simdjson::dom::element x;
    return !o[key].get(x);
  }
  Value member(const char* key) const {
    simdjson::dom::object o;
    if (e_.get_object().get(o)) fail("expected an object");
    simdjson::dom::element x;
    if (o[key].get(x)) refuse((path_.empty() ? std::string() : path_ + ".") + key + ": missing");
    return Value(x, path_.empty() ? std::string(key) : path_ + "." + key);
  }
  double number() const {
    using T = simdjson::dom::element_type;
    const T t = e_.type();
    if (t != T::DOUBLE && t != T::INT64 && t != T::UINT64) fail("expected a number");
    double v = 0;
    if (e_.get_double().get(v) || !std::isfinite(v)) fail("expected a finite number");
    return v;
  }
  /// A number, or null for NaN (metrics that may be undefined).
  double number_or_nan() const { return is_null() ? std::numeric_limits<double>::quiet_NaN() : number(); }
  long long integer(long long lo, long long hi) const {
    using T = simdjson::dom::element_type;
    if (e_.type() != T::INT64 && e_.type() != T::UINT64) fail("expected an integer");
    std::int64_t v = 0;
    if (e_.get_int64().get(v) || v < lo || v > hi)
      fail("expected an integer in " + std::to_string(lo) + ".." + std::to_string(hi));
    return v;
  }
  std::string text() const {
    std::string_view s;
    if (e_.get_string().get(s)) fail("expected a string");
    return std::string(s);
  }
  bool boolean() const {
    bool b = false;
    if (e_.get_bool().get(b)) fail("expected true or false");
    return b;
  }
  Time instant_or_none() const {
    if (is_null()) return kNoTime;
    const std::string s = text();
    ParsedTimestamp p;
    if (!parse_timestamp(s, p) || !p.has_offset) fail("expected an ISO 8601 UTC timestamp, got '" + s + "'");
    return p.ms;
  }
  std::vector<Value> items() const {
    simdjson::dom::array a;
    if (e_.get_array().get(a)) fail("expected an array");
    std::vector<Value> out;
    std::size_t i = 0;
    for (simdjson::dom::element x : a) out.emplace_back(x, path_ + "[" + std::to_string(i++) + "]");
    return out;
  }
  Vector numbers(std::size_t expected_size = static_cast<std::size_t>(-1)) const {
    const std::vector<Value> it = items();
    if (expected_size != static_cast<std::size_t>(-1) && it.size() != expected_size)
      fail("expected " + std::to_string(expected_size) + " numbers, found " + std::to_string(it.size()));
    Vector v(static_cast<Index>(it.size()));
    for (std::size_t i = 0; i < it.size(); ++i) v[static_cast<Index>(i)] = it[i].number();
    return v;
  }
  std::vector<std::int32_t> ints() const {
    std::vector<std::int32_t> out;
    for (const Value& x : items()) out.push_back(static_cast<std::int32_t>(x.integer(0, 2147483647)));
    return out;
  }

 private:
  simdjson::dom::element e_;
  std::string path_;
};

FitSummary read_fit(const Value& v) {
  FitSummary f;
  const std::string info = v.member("info").text();
  if (info == "success") f.info = FitInfo::success;
  else if (info == "no_convergence") f.info = FitInfo::no_convergence;
  else if (info == "numerical_issue") f.info = FitInfo::numerical_issue;
  else if (info == "not_fitted") f.info = FitInfo::not_fitted;
  else v.member("info").fail("unknown fit status '" + info + "'");
  f.iterations = static_cast<int>(v.member("iterations").integer(0, 1000000000));
  f.loss = v.member("loss").number_or_nan();
  return f;
}

bool is_hex(std::string_view s) {
  for (char ch : s)
    if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'))) return false;
  return true;
}

bool snake_case(const std::string& id) {
  if (id.empty() || id.size() > 64 || !(id[0] >= 'a' && id[0] <= 'z')) return false;
  for (char ch : id)
    if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_')) return false;
  return true;
}

}  // namespace

std::string RiskModel::to_json() const {
  check_fitted("RiskModel::to_json");
  for (const FeatureColumn& col : spec_.columns())
    if (!simdjson::validate_utf8(col.unit) || !simdjson::validate_utf8(col.description) ||
        !simdjson::validate_utf8(col.id))
      throw InvalidArgument("RiskModel::to_json: feature '" + col.id + "': its unit or description is not UTF-8");
  const RiskModelOptions& o = options_;
  JsonWriter w;
  w.raw("{\n");
  w.key(1, "format");
  w.string(kModelFormat);
  w.raw(",\n");
  w.key(1, "format_version");
  w.string(model_format_version());
  w.raw(",\n");
  w.key(1, "lien_version");
  w.string(lien_version_string());
  w.raw(",\n");

  w.key(1, "options");
  w.raw("{\n");
  w.key(2, "horizon_days");
  w.integer(o.horizon_days);
  w.raw(",\n");
  w.key(2, "target");
  w.string(to_string(o.target));
  w.raw(",\n");
  w.key(2, "l2");
  w.number(o.l2);
  w.raw(",\n");
  w.key(2, "calibration");
  w.string(to_string(o.calibration));
  w.raw(",\n");
  w.key(2, "folds");
  w.integer(o.folds);
  w.raw(",\n");
  w.key(2, "top_k");
  w.integer(static_cast<long long>(o.top_k));
  w.raw(",\n");
  w.key(2, "observed_until");
  w.instant(o.observed_until);
  w.raw(",\n");
  w.key(2, "bands");
  w.raw("{\"medium_from\": ");
  w.number(o.bands.medium_from);
  w.raw(", \"high_from\": ");
  w.number(o.bands.high_from);
  w.raw("},\n");
  w.key(2, "features");
  w.raw("{\"isolation_working_days\": ");
  w.integer(o.features.isolation_working_days);
  w.raw(", \"deadline_horizon_working_days\": ");
  w.integer(o.features.deadline_horizon_working_days);
  w.raw("},\n");
  w.key(2, "survival");
  w.raw("{\"enabled\": ");
  w.boolean(o.survival.enabled);
  w.raw(", \"period_days\": ");
  w.integer(o.survival.period_days);
  w.raw(", \"min_bin_events\": ");
  w.integer(o.survival.min_bin_events);
  w.raw(", \"bin_starts\": ");
  w.ints(o.survival.bin_starts);
  w.raw(", \"l2\": ");
  w.number(o.survival.l2);
  w.raw("}\n");
  w.indent(1);
  w.raw("},\n");

  w.key(1, "features");
  w.raw("[\n");
  for (std::size_t j = 0; j < spec_.size(); ++j) {
    const FeatureColumn& col = spec_[j];
    w.indent(2);
    w.raw("{\"id\": ");
    w.string(col.id);
    w.raw(", \"unit\": ");
    w.string(col.unit);
    w.raw(", \"builtin\": ");
    w.boolean(col.builtin);
    if (!col.builtin) {
      w.raw(", \"description\": ");
      w.string(col.description);
    }
    w.raw(j + 1 < spec_.size() ? "},\n" : "}\n");
  }
  w.indent(1);
  w.raw("],\n");

  w.key(1, "scaler");
  w.raw("{\n");
  w.key(2, "mean");
  w.numbers(as_std(scaler_.mean()));
  w.raw(",\n");
  w.key(2, "scale");
  w.numbers(as_std(scaler_.scale()));
  w.raw("\n");
  w.indent(1);
  w.raw("},\n");

  w.key(1, "logistic");
  w.raw("{\n");
  w.key(2, "intercept");
  w.number(logistic_.intercept());
  w.raw(",\n");
  w.key(2, "coefficients");
  w.numbers(as_std(logistic_.coefficients()));
  w.raw("\n");
  w.indent(1);
  w.raw("},\n");

  w.key(1, "calibration");
  w.raw("{\"method\": ");
  w.string(to_string(o.calibration));
  if (o.calibration == CalibrationMethod::platt) {
    w.raw(", \"a\": ");
    w.number(platt_.a());
    w.raw(", \"b\": ");
    w.number(platt_.b());
  } else if (o.calibration == CalibrationMethod::isotonic) {
    w.raw(", \"x\": ");
    w.numbers(isotonic_.x());
    w.raw(", \"y\": ");
    w.numbers(isotonic_.y());
  }
  w.raw("},\n");

  w.key(1, "survival");
  if (has_survival_) {
    w.raw("{\n");
    w.key(2, "period_days");
    w.integer(o.survival.period_days);
    w.raw(",\n");
    w.key(2, "bin_starts");
    w.ints(survival_.bin_starts());
    w.raw(",\n");
    w.key(2, "baseline");
    w.numbers(as_std(survival_.baseline()));
    w.raw(",\n");
    w.key(2, "coefficients");
    w.numbers(as_std(survival_.coefficients()));
    w.raw("\n");
    w.indent(1);
    w.raw("},\n");
  } else {
    w.raw("null,\n");
  }

  const TrainingMetadata& t = training_;
  w.key(1, "training");
  w.raw("{\n");
  const auto count = [&](const char* k, std::size_t v) {
    w.key(2, k);
    w.integer(static_cast<long long>(v));
    w.raw(",\n");
  };
  const auto instant = [&](const char* k, Time v) {
    w.key(2, k);
    w.instant(v);
    w.raw(",\n");
  };
  count("rows", t.rows);
  count("positives", t.positives);
  count("censored", t.censored);
  count("enrolments", t.enrolments);
  count("learners", t.learners);
  count("landmarks", t.landmarks);
  instant("first_landmark", t.first_landmark);
  instant("last_landmark", t.last_landmark);
  instant("observed_until", t.observed_until);
  count("person_periods", t.person_periods);
  count("survival_events", t.survival_events);
  w.key(2, "cv");
  w.raw("{\"folds\": ");
  w.integer(t.cv.folds);
  const std::pair<const char*, double> metrics[] = {{"roc_auc", t.cv.roc_auc}, {"pr_auc", t.cv.pr_auc},
                                                    {"brier", t.cv.brier},     {"log_loss", t.cv.log_loss},
                                                    {"ece", t.cv.ece},         {"c_index", t.cv.c_index}};
  for (const auto& [k, v] : metrics) {
    w.raw(", \"");
    w.raw(k);
    w.raw("\": ");
    w.number(v);
  }
  w.raw("},\n");
  w.key(2, "fits");
  w.raw("{\n");
  write_fit(w, 3, "logistic", t.logistic, false);
  write_fit(w, 3, "survival", t.survival, false);
  write_fit(w, 3, "calibration", t.calibration, true);
  w.indent(2);
  w.raw("},\n");
  w.key(2, "lien_version");
  w.string(t.lien_version);
  w.raw("\n");
  w.indent(1);
  w.raw("},\n");

  w.indent(1);
  const std::string hex = to_hex(sha256(w.out));
  w.raw(kChecksumKey);
  w.raw(hex);
  w.raw(kChecksumEnd);
  return std::move(w.out);
}

RiskModel RiskModel::from_json(std::string_view text) {
  return out_of_memory_as_error("model file", [&]() -> RiskModel {
  if (text.empty()) refuse("empty");
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  const simdjson::padded_string padded(text.data(), text.size());
  if (const auto err = parser.parse(padded).get(root))
    refuse(std::string("not a complete JSON document (") + simdjson::error_message(err) +
           "); the file may be truncated or corrupted");
  const Value doc(root, "");
  if (root.type() != simdjson::dom::element_type::OBJECT) refuse("the document is not a JSON object");

  // What it is and which version, before anything else: a newer file is reported as such.
  const std::string format = doc.member("format").text();
  if (format != kModelFormat) refuse("format is '" + format + "', expected '" + kModelFormat + "'");
  const std::string version = doc.member("format_version").text();
  int major = -1;  // any minor version of a supported major is read: minor versions only add members
  {
    const char* p = version.c_str();
    char* end = nullptr;
    errno = 0;
    const long a = std::strtol(p, &end, 10);
    if (end != p && *end == '.' && end[1] >= '0' && end[1] <= '9' && p[0] >= '0' && p[0] <= '9') {
      const char* q = end + 1;
      const long b = std::strtol(q, &end, 10);
      if (*end == '\0' && errno == 0 && a < 1000000 && b < 1000000) major = static_cast<int>(a);
    }
  }
  if (major < 0) refuse("format_version '" + version + "' is not MAJOR.MINOR");
  if (major > kModelFormatMajor)
    refuse("format version " + version + " is newer than this build of lien (" + lien_version_string() +
           ") reads (" + std::to_string(kModelFormatMajor) + ".x); upgrade lien to read it");
  if (major < kModelFormatMajor) refuse("format version " + version + " is not supported (this build reads " +
                                        std::to_string(kModelFormatMajor) + ".x)");

  // The checksum closes the file in exactly the form the writer gives it.
  const std::size_t at = text.rfind(kChecksumKey);
  if (at == std::string_view::npos || text.size() != at + kChecksumKey.size() + kHexDigits + kChecksumEnd.size() ||
      text.substr(at + kChecksumKey.size() + kHexDigits) != kChecksumEnd ||
      !is_hex(text.substr(at + kChecksumKey.size(), kHexDigits)))
    refuse("the file does not end with its checksum member (\"checksum\": \"sha256:<64 hex digits>\" then \"}\")");
  const std::string_view stored = text.substr(at + kChecksumKey.size(), kHexDigits);
  if (doc.member("checksum").text() != "sha256:" + std::string(stored))
    refuse("the checksum member is not the last member of the model object");
  if (to_hex(sha256(text.substr(0, at))) != stored)
    refuse("checksum mismatch: the file was modified or corrupted after it was written");

  RiskModel m;
  try {
    (void)doc.member("lien_version").text();
    RiskModelOptions& o = m.options_;
    const Value opt = doc.member("options");
    o.horizon_days = static_cast<int>(opt.member("horizon_days").integer(1, 36500));
    try {
      o.target = parse_target(opt.member("target").text());
    } catch (const InvalidArgument& e) {
      opt.member("target").fail(e.what());
    }
    o.l2 = opt.member("l2").number();
    try {
      o.calibration = parse_calibration(opt.member("calibration").text());
    } catch (const InvalidArgument& e) {
      opt.member("calibration").fail(e.what());
    }
    o.folds = static_cast<int>(opt.member("folds").integer(2, 100));
    o.top_k = static_cast<std::size_t>(opt.member("top_k").integer(0, 1000000));
    o.observed_until = opt.member("observed_until").instant_or_none();
    const Value bands = opt.member("bands");
    o.bands.medium_from = bands.member("medium_from").number();
    o.bands.high_from = bands.member("high_from").number();
    const Value fo = opt.member("features");
    o.features.isolation_working_days = static_cast<int>(fo.member("isolation_working_days").integer(1, 100000));
    o.features.deadline_horizon_working_days =
        static_cast<int>(fo.member("deadline_horizon_working_days").integer(1, 100000));
    const Value so = opt.member("survival");
    o.survival.enabled = so.member("enabled").boolean();
    o.survival.period_days = static_cast<int>(so.member("period_days").integer(1, 3650));
    o.survival.min_bin_events = static_cast<int>(so.member("min_bin_events").integer(0, 1000000000));
    o.survival.bin_starts = so.member("bin_starts").ints();
    o.survival.l2 = so.member("l2").number();
    try {
      o.validate();
    } catch (const InvalidArgument& e) {
      opt.fail(e.what());
    }

    // Features: built-in ones this build knows, then custom ones.
    bool custom_seen = false;
    for (const Value& f : doc.member("features").items()) {
      FeatureColumn col;
      col.id = f.member("id").text();
      col.unit = f.member("unit").text();
      col.builtin = f.member("builtin").boolean();
      if (col.builtin) {
        const FeatureInfo* info = find_feature(col.id);
        if (!info)
          f.fail("feature '" + col.id + "' is not known to this build of lien (" + lien_version_string() +
                 "); it was written by another version");
        if (custom_seen) f.fail("built-in feature '" + col.id + "' comes after a custom feature");
        col.description = std::string(info->description_en);
        o.features.features.push_back(col.id);
      } else {
        custom_seen = true;
        col.description = f.member("description").text();
        if (!snake_case(col.id)) f.fail("custom feature id '" + col.id + "' is not snake_case");
        if (find_feature(col.id)) f.fail("custom feature '" + col.id + "' has the id of a built-in feature of this build");
        if (is_protected_attribute(col.id)) f.fail("custom feature '" + col.id + "' names a protected attribute");
      }
      if (m.spec_.index_of(col.id) != FeatureSpec::npos) f.fail("feature '" + col.id + "' appears twice");
      m.spec_.push_back(std::move(col));
    }
    if (m.spec_.empty()) doc.member("features").fail("no feature");
    const std::size_t p = m.spec_.size();

    const Value sc = doc.member("scaler");
    try {
      m.scaler_ = StandardScaler::from_parameters(sc.member("mean").numbers(p), sc.member("scale").numbers(p));
    } catch (const InvalidArgument& e) {
      sc.fail(e.what());
    }
    const Value lg = doc.member("logistic");
    m.logistic_ = LogisticRegression::from_parameters(lg.member("intercept").number(), lg.member("coefficients").numbers(p));

    const Value cal = doc.member("calibration");
    const std::string method = cal.member("method").text();
    if (method != to_string(o.calibration))
      cal.member("method").fail("'" + method + "' differs from options.calibration '" + to_string(o.calibration) + "'");
    try {
      if (o.calibration == CalibrationMethod::platt)
        m.platt_ = PlattCalibrator::from_parameters(cal.member("a").number(), cal.member("b").number());
      else if (o.calibration == CalibrationMethod::isotonic) {
        const Vector x = cal.member("x").numbers(), y = cal.member("y").numbers();
        m.isotonic_ = IsotonicCalibrator::from_breakpoints(std::vector<double>(x.data(), x.data() + x.size()),
                                                           std::vector<double>(y.data(), y.data() + y.size()));
      }
    } catch (const InvalidArgument& e) {
      cal.fail(e.what());
    }

    const Value sv = doc.member("survival");
    if (sv.is_null() == o.survival.enabled)
      sv.fail(o.survival.enabled ? "missing although options.survival.enabled is true"
                                 : "present although options.survival.enabled is false");
    if (!sv.is_null()) {
      if (sv.member("period_days").integer(1, 3650) != o.survival.period_days)
        sv.member("period_days").fail("differs from options.survival.period_days");
      std::vector<std::int32_t> starts = sv.member("bin_starts").ints();
      const Vector baseline = sv.member("baseline").numbers(starts.size());
      try {
        m.survival_ = DiscreteTimeSurvival::from_parameters(std::move(starts), baseline, sv.member("coefficients").numbers(p));
      } catch (const InvalidArgument& e) {
        sv.fail(e.what());
      }
      m.has_survival_ = true;
    }

    const Value tr = doc.member("training");
    TrainingMetadata& t = m.training_;
    const auto count = [&](const char* k) {
      return static_cast<std::size_t>(tr.member(k).integer(0, std::numeric_limits<std::int64_t>::max()));
    };
    t.rows = count("rows");
    t.positives = count("positives");
    t.censored = count("censored");
    t.enrolments = count("enrolments");
    t.learners = count("learners");
    t.landmarks = count("landmarks");
    t.first_landmark = tr.member("first_landmark").instant_or_none();
    t.last_landmark = tr.member("last_landmark").instant_or_none();
    t.observed_until = tr.member("observed_until").instant_or_none();
    t.person_periods = count("person_periods");
    t.survival_events = count("survival_events");
    const Value cv = tr.member("cv");
    t.cv.folds = static_cast<int>(cv.member("folds").integer(0, 100));
    t.cv.roc_auc = cv.member("roc_auc").number_or_nan();
    t.cv.pr_auc = cv.member("pr_auc").number_or_nan();
    t.cv.brier = cv.member("brier").number_or_nan();
    t.cv.log_loss = cv.member("log_loss").number_or_nan();
    t.cv.ece = cv.member("ece").number_or_nan();
    t.cv.c_index = cv.member("c_index").number_or_nan();
    const Value fits = tr.member("fits");
    t.logistic = read_fit(fits.member("logistic"));
    t.survival = read_fit(fits.member("survival"));
    t.calibration = read_fit(fits.member("calibration"));
    t.lien_version = tr.member("lien_version").text();
    t.format_version = version;
    if (t.positives > t.rows) tr.member("positives").fail("more positives than rows");
  } catch (const InvalidArgument& e) {
    refuse(e.what());  // a parameter a from_parameters() refused
  }
  m.finish();
  return m;
  });
}

// ---- files --------------------------------------------------------------------------------------------------

namespace {

std::string os_error(int err) { return std::strerror(err); }

bool write_all(int fd, const char* p, std::size_t n, int& err) {
  while (n > 0) {
    const ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      err = errno;
      return false;
    }
    p += w;
    n -= static_cast<std::size_t>(w);
  }
  return true;
}

}  // namespace

void RiskModel::save(const std::string& path) const {
  const std::string text = to_json();
  if (path.empty()) throw InvalidArgument("RiskModel::save: the path is empty");
  static std::atomic<unsigned> counter{0};
  // Beside the target, so that the rename stays within one file system and is atomic.
  const std::string tmp = path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter.fetch_add(1));
  const auto fail = [&](const std::string& step, int err, bool remove) {
    if (remove) ::unlink(tmp.c_str());
    throw IoError("cannot save the model to '" + path + "': " + step + ": " + os_error(err));
  };
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) fail("creating a temporary file beside it", errno, false);
  int err = 0;
  if (!write_all(fd, text.data(), text.size(), err)) {
    ::close(fd);
    fail("writing", err, true);
  }
  if (::fsync(fd) != 0) {
    err = errno;
    ::close(fd);
    fail("flushing to disk", err, true);
  }
  if (::close(fd) != 0) fail("closing", errno, true);
  if (::rename(tmp.c_str(), path.c_str()) != 0) fail("renaming the temporary file over it", errno, true);
  // Make the rename itself durable. Some file systems cannot sync a directory; the file is in place anyway.
  const std::size_t slash = path.find_last_of('/');
  const std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    (void)::fsync(dfd);
    ::close(dfd);
  }
}

RiskModel RiskModel::load(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT) throw NotFound("model file '" + path + "' does not exist");
    throw IoError("cannot open model file '" + path + "': " + os_error(err));
  }
  std::string text;
  char buf[65536];
  for (;;) {
    const ssize_t r = ::read(fd, buf, sizeof buf);
    if (r < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      throw IoError("cannot read model file '" + path + "': " + os_error(err));
    }
    if (r == 0) break;
    try {
      text.append(buf, static_cast<std::size_t>(r));
    } catch (const std::bad_alloc&) {
      ::close(fd);
      throw OutOfMemory("model file '" + path + "': out of memory (the file is too large for the memory available)");
    }
  }
  ::close(fd);
  try {
    return from_json(text);
  } catch (const OutOfMemory& e) {
    throw OutOfMemory("model file '" + path + "': " + e.what());
  } catch (const ModelError& e) {
    std::string what = e.what();
    const std::string prefix = "model file: ";
    if (what.compare(0, prefix.size(), prefix) == 0) what = what.substr(prefix.size());
    throw ModelError("model file '" + path + "': " + what);
  }
}

LIEN_END_NAMESPACE
