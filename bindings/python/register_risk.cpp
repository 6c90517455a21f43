// The risk model: options, training on a cohort's landmarks, scoring into a ScoreTable whose columns numpy sees
// without a copy, driver sentences, model files, and the engine's logistic regression on its own (for the
// scikit-learn estimator). Training and scoring release the GIL.
#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include "lien/risk/model.hpp"
#include "register.hpp"

namespace lien_py {

namespace {
using namespace lien;

// A numpy view of a vector held by `owner` (a Python object that keeps it alive).
template <class T>
py::array_t<T> view(const std::vector<T>& v, py::handle owner, py::ssize_t cols = 0) {
  if (cols > 0)
    return py::array_t<T>({static_cast<py::ssize_t>(v.size()) / cols, cols},
                          {static_cast<py::ssize_t>(sizeof(T)) * cols, static_cast<py::ssize_t>(sizeof(T))}, v.data(),
                          owner);
  return py::array_t<T>({static_cast<py::ssize_t>(v.size())}, {static_cast<py::ssize_t>(sizeof(T))}, v.data(), owner);
}

Lang parse_lang(const std::string& s) {
  if (s == "en") return Lang::en;
  if (s == "fr") return Lang::fr;
  throw InvalidArgument("language '" + s + "': expected en or fr");
}

py::dict fit_dict(const FitSummary& f) {
  py::dict d;
  d["info"] = std::string(to_string(f.info));
  d["iterations"] = f.iterations;
  d["loss"] = f.loss;
  return d;
}

py::object time_obj(Time t) { return t == kNoTime ? py::object(py::none()) : py::object(py::int_(t)); }

py::dict metadata(const RiskModel& m) {
  const RiskModelOptions& o = m.options();
  const TrainingMetadata& t = m.training();
  py::dict opts;
  opts["horizon_days"] = o.horizon_days;
  opts["target"] = std::string(to_string(o.target));
  opts["l2"] = o.l2;
  opts["calibration"] = std::string(to_string(o.calibration));
  opts["folds"] = o.folds;
  opts["medium_from"] = o.bands.medium_from;
  opts["high_from"] = o.bands.high_from;
  opts["features"] = m.spec().ids();
  opts["isolation_working_days"] = o.features.isolation_working_days;
  opts["deadline_horizon_working_days"] = o.features.deadline_horizon_working_days;
  opts["survival"] = o.survival.enabled;
  opts["survival_period_days"] = o.survival.period_days;
  opts["survival_min_bin_events"] = o.survival.min_bin_events;
  opts["survival_l2"] = o.survival.l2;
  opts["top_k"] = o.top_k;
  py::dict cv;
  cv["folds"] = t.cv.folds;
  cv["roc_auc"] = t.cv.roc_auc;
  cv["pr_auc"] = t.cv.pr_auc;
  cv["brier"] = t.cv.brier;
  cv["log_loss"] = t.cv.log_loss;
  cv["ece"] = t.cv.ece;
  cv["c_index"] = t.cv.c_index;
  py::dict d;
  d["options"] = opts;
  d["rows"] = t.rows;
  d["positives"] = t.positives;
  d["censored"] = t.censored;
  d["enrolments"] = t.enrolments;
  d["learners"] = t.learners;
  d["landmarks"] = t.landmarks;
  d["first_landmark"] = time_obj(t.first_landmark);
  d["last_landmark"] = time_obj(t.last_landmark);
  d["observed_until"] = time_obj(t.observed_until);
  d["person_periods"] = t.person_periods;
  d["survival_events"] = t.survival_events;
  d["cv"] = cv;
  d["logistic"] = fit_dict(t.logistic);
  d["survival"] = fit_dict(t.survival);
  d["calibration"] = fit_dict(t.calibration);
  d["lien_version"] = t.lien_version;
  d["format_version"] = t.format_version;
  d["has_survival"] = m.has_survival();
  return d;
}

std::vector<Landmark> rows_of(const Cohort& c, const std::vector<Time>& as_of, const py::object& enrolments,
                              bool paired) {
  if (enrolments.is_none()) return landmarks(c, as_of);
  return lien_py::landmark_rows(enrolments.cast<std::vector<EnrolmentId>>(), as_of, paired);
}
}  // namespace

void register_risk(py::module_& m) {
  py::class_<RiskModelOptions>(m, "RiskModelOptions")
      .def(py::init<>())
      .def_readwrite("horizon_days", &RiskModelOptions::horizon_days)
      .def_property("target", [](const RiskModelOptions& o) { return std::string(to_string(o.target)); },
                    [](RiskModelOptions& o, const std::string& s) { o.target = parse_target(s); })
      .def_readwrite("l2", &RiskModelOptions::l2)
      .def_property("calibration", [](const RiskModelOptions& o) { return std::string(to_string(o.calibration)); },
                    [](RiskModelOptions& o, const std::string& s) { o.calibration = parse_calibration(s); })
      .def_readwrite("folds", &RiskModelOptions::folds)
      .def_property("medium_from", [](const RiskModelOptions& o) { return o.bands.medium_from; },
                    [](RiskModelOptions& o, double v) { o.bands.medium_from = v; })
      .def_property("high_from", [](const RiskModelOptions& o) { return o.bands.high_from; },
                    [](RiskModelOptions& o, double v) { o.bands.high_from = v; })
      .def_property("features", [](const RiskModelOptions& o) { return o.features.features; },
                    [](RiskModelOptions& o, std::vector<std::string> v) { o.features.features = std::move(v); })
      .def_property("isolation_working_days", [](const RiskModelOptions& o) { return o.features.isolation_working_days; },
                    [](RiskModelOptions& o, int v) { o.features.isolation_working_days = v; })
      .def_property("deadline_horizon_working_days",
                    [](const RiskModelOptions& o) { return o.features.deadline_horizon_working_days; },
                    [](RiskModelOptions& o, int v) { o.features.deadline_horizon_working_days = v; })
      .def_property("survival", [](const RiskModelOptions& o) { return o.survival.enabled; },
                    [](RiskModelOptions& o, bool v) { o.survival.enabled = v; })
      .def_property("survival_period_days", [](const RiskModelOptions& o) { return o.survival.period_days; },
                    [](RiskModelOptions& o, int v) { o.survival.period_days = v; })
      .def_property("survival_min_bin_events", [](const RiskModelOptions& o) { return o.survival.min_bin_events; },
                    [](RiskModelOptions& o, int v) { o.survival.min_bin_events = v; })
      .def_property("survival_l2", [](const RiskModelOptions& o) { return o.survival.l2; },
                    [](RiskModelOptions& o, double v) { o.survival.l2 = v; })
      .def_readwrite("top_k", &RiskModelOptions::top_k)
      .def_property("observed_until", [](const RiskModelOptions& o) { return time_obj(o.observed_until); },
                    [](RiskModelOptions& o, const py::object& v) { o.observed_until = time_or_none(v); })
      .def_readwrite("threads", &RiskModelOptions::threads)
      .def("validate", &RiskModelOptions::validate);

  py::class_<ScoreTable, std::shared_ptr<ScoreTable>>(m, "ScoreTable")
      .def_readonly("rows", &ScoreTable::rows)
      .def_readonly("top_k", &ScoreTable::top_k)
      .def_readonly("horizons_days", &ScoreTable::horizons_days)
      .def_readonly("features", &ScoreTable::features)
      .def_property_readonly("enrolment", [](py::object self) { return view(self.cast<const ScoreTable&>().enrolment, self); })
      .def_property_readonly("as_of", [](py::object self) { return view(self.cast<const ScoreTable&>().as_of, self); })
      .def_property_readonly("logit", [](py::object self) { return view(self.cast<const ScoreTable&>().logit, self); })
      .def_property_readonly("probability",
                             [](py::object self) { return view(self.cast<const ScoreTable&>().probability, self); })
      .def_property_readonly("band",
                             [](py::object self) {
                               const auto& b = self.cast<const ScoreTable&>().band;
                               static_assert(sizeof(Band) == 1, "Band is one byte");
                               return py::array_t<std::uint8_t>({static_cast<py::ssize_t>(b.size())}, {1},
                                                                reinterpret_cast<const std::uint8_t*>(b.data()), self);
                             })
      .def_property_readonly("driver_feature",
                             [](py::object self) {
                               const auto& t = self.cast<const ScoreTable&>();
                               return view(t.driver_feature, self, static_cast<py::ssize_t>(t.top_k));
                             })
      .def_property_readonly("driver_value",
                             [](py::object self) {
                               const auto& t = self.cast<const ScoreTable&>();
                               return view(t.driver_value, self, static_cast<py::ssize_t>(t.top_k));
                             })
      .def_property_readonly("driver_contribution",
                             [](py::object self) {
                               const auto& t = self.cast<const ScoreTable&>();
                               return view(t.driver_contribution, self, static_cast<py::ssize_t>(t.top_k));
                             })
      .def_property_readonly("withdraw_within",
                             [](py::object self) {
                               const auto& t = self.cast<const ScoreTable&>();
                               return view(t.withdraw_within, self, static_cast<py::ssize_t>(t.horizons_days.size()));
                             })
      .def_property_readonly("withdraw_by_end",
                             [](py::object self) { return view(self.cast<const ScoreTable&>().withdraw_by_end, self); });

  py::class_<RiskModel, std::shared_ptr<RiskModel>>(m, "RiskModel")
      .def(py::init<>())
      .def_static("fit",
                  [](const Cohort& c, const py::object& landmarks, const RiskModelOptions& o) {
                    std::vector<Time> lm;
                    if (!landmarks.is_none()) lm = landmarks.cast<std::vector<Time>>();
                    py::gil_scoped_release release;
                    return std::make_shared<RiskModel>(RiskModel::fit(c, lm, o));
                  },
                  py::arg("cohort"), py::arg("landmarks"), py::arg("options"))
      .def_static("fit_rows",
                  [](const Cohort& c, const std::vector<EnrolmentId>& enrolments, const std::vector<Time>& as_of,
                     const RiskModelOptions& o) {
                    if (enrolments.size() != as_of.size())
                      throw InvalidArgument("fit_rows: enrolments and as_of differ in length");
                    std::vector<Landmark> rows(enrolments.size());
                    for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = Landmark{enrolments[i], as_of[i]};
                    py::gil_scoped_release release;
                    return std::make_shared<RiskModel>(RiskModel::fit(c, Span<Landmark>(rows), o));
                  },
                  py::arg("cohort"), py::arg("enrolments"), py::arg("as_of"), py::arg("options"))
      .def_property_readonly("fitted", &RiskModel::fitted)
      .def("score_table",
           [](const RiskModel& model, const Cohort& c, const std::vector<Time>& as_of, const py::object& enrolments,
              const py::object& top_k, const std::vector<int>& horizons, bool paired) {
             ScoreOptions o;
             if (!top_k.is_none()) o.top_k = top_k.cast<std::size_t>();
             o.horizons_days = horizons;
             auto table = std::make_shared<ScoreTable>();
             std::vector<Landmark> rows;
             if (!enrolments.is_none()) rows = rows_of(c, as_of, enrolments, paired);
             {
               py::gil_scoped_release release;
               if (enrolments.is_none()) rows = landmarks(c, as_of);
               const FeatureMatrix fm = model.features(c, Span<Landmark>(rows));
               model.score(c, fm, o, *table);
             }
             return table;
           },
           py::arg("cohort"), py::arg("as_of"), py::arg("enrolments") = py::none(), py::arg("top_k") = py::none(),
           py::arg("horizons") = std::vector<int>{}, py::arg("paired") = false)
      .def("sentences",
           [](const RiskModel& model, const ScoreTable& t, const std::string& lang) {
             const Lang l = parse_lang(lang);
             std::vector<std::string> out(t.driver_feature.size());
             {
               py::gil_scoped_release release;
               Driver d;
               for (std::size_t i = 0; i < out.size(); ++i) {
                 d.feature = t.features[static_cast<std::size_t>(t.driver_feature[i])];
                 d.value = t.driver_value[i];
                 d.contribution = t.driver_contribution[i];
                 out[i] = model.describe(d, l);
               }
             }
             return out;
           },
           py::arg("table"), py::arg("lang"))
      .def("describe",
           [](const RiskModel& model, const std::string& feature, double value, const std::string& lang) {
             Driver d;
             d.feature = feature;
             d.value = value;
             return model.describe(d, parse_lang(lang));
           },
           py::arg("feature"), py::arg("value"), py::arg("lang") = "en")
      .def_property_readonly("features", [](const RiskModel& rm) { return rm.spec().ids(); })
      .def_property_readonly("options", &RiskModel::options)
      .def_property_readonly("metadata", &metadata)
      .def_property_readonly("has_survival", &RiskModel::has_survival)
      .def_property_readonly("intercept", [](const RiskModel& rm) { return rm.logistic().intercept(); })
      .def_property_readonly("coefficients", [](const RiskModel& rm) { return Vector(rm.logistic().coefficients()); })
      .def_property_readonly("feature_mean", [](const RiskModel& rm) { return Vector(rm.scaler().mean()); })
      .def_property_readonly("feature_scale", [](const RiskModel& rm) { return Vector(rm.scaler().scale()); })
      .def("to_json", &RiskModel::to_json)
      .def_static("from_json", [](const std::string& text) { return std::make_shared<RiskModel>(RiskModel::from_json(text)); },
                  py::arg("text"))
      .def("save",
           [](const RiskModel& model, const std::string& path) {
             py::gil_scoped_release release;
             model.save(path);
           },
           py::arg("path"))
      .def_static("load", [](const std::string& path) { return std::make_shared<RiskModel>(RiskModel::load(path)); },
                  py::arg("path"));

  m.def("latest_instant", [](const Cohort& c) { return time_obj(latest_instant(c)); }, py::arg("cohort"));

  // The logistic regression on its own, on a matrix the caller brings (scikit-learn's estimator).
  m.def("logistic_fit",
        [](const Eigen::Ref<const RowMatrix>& X, const Eigen::Ref<const Vector>& y, const Eigen::Ref<const Vector>& w,
           double l2, bool fit_intercept, int max_iterations, double gradient_tolerance, double loss_tolerance) {
          LogisticOptions o;
          o.l2 = l2;
          o.fit_intercept = fit_intercept;
          o.solver.max_iterations = max_iterations;
          o.solver.gradient_tolerance = gradient_tolerance;
          o.solver.loss_tolerance = loss_tolerance;
          LogisticRegression lr(o);
          {
            py::gil_scoped_release release;
            lr.fit(MatrixView(X), y, w);
          }
          return py::make_tuple(lr.intercept(), Vector(lr.coefficients()), std::string(to_string(lr.info())),
                                lr.report().iterations);
        },
        py::arg("X"), py::arg("y"), py::arg("sample_weight"), py::arg("l2"), py::arg("fit_intercept"),
        py::arg("max_iterations"), py::arg("gradient_tolerance"), py::arg("loss_tolerance"));
}

}  // namespace lien_py
