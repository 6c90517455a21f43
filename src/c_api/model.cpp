// C ABI: the risk model (train, save, load) and its scores, read through index-based accessors.
#include <cmath>
#include <limits>

#include "c_api_internal.hpp"
#include "lien/features/extract.hpp"

using lien_capi::check_index;
using lien_capi::guard;

namespace {

const lien::RiskModel& fitted(const lien_model* model) {
  if (!model->model.fitted()) throw lien::ModelError("the model is not fitted");
  return model->model;
}

}  // namespace

std::vector<lien::RiskScore> lien_capi::risk_scores(const lien_scores& s) {
  std::vector<lien::RiskScore> out;
  out.reserve(s.table.rows);
  for (std::size_t i = 0; i < s.table.rows; ++i) out.push_back(s.table.score(i));
  return out;
}

extern "C" {

LIEN_API lien_status lien_model_train(const lien_cohort* history, const lien_train_options* options, lien_model** out) {
  return guard("lien_model_train", [&] {
    LIEN_REQUIRE_ARG(history);
    LIEN_REQUIRE_ARG(out);
    const lien_train_options o = lien_capi::options_or(options, lien_train_options LIEN_TRAIN_OPTIONS_INIT,
                                                       LIEN_TRAIN_OPTIONS_VERSION, "lien_train_options");
    lien::RiskModelOptions m;
    m.horizon_days = o.horizon_days;
    m.folds = o.folds;
    m.l2 = o.l2;
    if (o.calibration < 0 || o.calibration > LIEN_CALIBRATION_NONE)
      throw lien::InvalidArgument("lien_train_options.calibration: unknown code " + std::to_string(o.calibration) +
                                  " (expected a lien_calibration)");
    m.calibration = static_cast<lien::CalibrationMethod>(o.calibration);
    if (o.top_k < 0)
      throw lien::InvalidArgument("lien_train_options.top_k must be >= 0, got " + std::to_string(o.top_k));
    m.top_k = static_cast<std::size_t>(o.top_k);
    m.survival.enabled = o.survival != 0;
    m.threads = o.threads;
    if (o.observed_until != LIEN_NO_TIME) lien_capi::check_time(o.observed_until, "lien_train_options.observed_until");
    m.observed_until = o.observed_until;
    auto model = std::make_unique<lien_model>();
    model->model = lien::RiskModel::fit(*history->cohort, m);
    *out = model.release();
    return LIEN_OK;
  });
}

LIEN_API lien_status lien_model_save(const lien_model* model, const char* path) {
  return guard("lien_model_save", [&] {
    LIEN_REQUIRE_ARG(model);
    LIEN_REQUIRE_ARG(path);
    fitted(model).save(path);
    return LIEN_OK;
  });
}

LIEN_API lien_status lien_model_load(const char* path, lien_model** out) {
  return guard("lien_model_load", [&] {
    LIEN_REQUIRE_ARG(path);
    LIEN_REQUIRE_ARG(out);
    auto model = std::make_unique<lien_model>();
    model->model = lien::RiskModel::load(path);
    *out = model.release();
    return LIEN_OK;
  });
}

LIEN_API lien_status lien_model_to_json(const lien_model* model, char** out, size_t* size) {
  return guard("lien_model_to_json", [&] {
    LIEN_REQUIRE_ARG(model);
    LIEN_REQUIRE_ARG(out);
    LIEN_REQUIRE_ARG(size);
    const std::string text = fitted(model).to_json();
    *out = lien_capi::dup_string(text);
    *size = text.size();
    return LIEN_OK;
  });
}

LIEN_API lien_status lien_model_from_json(const char* text, size_t size, lien_model** out) {
  return guard("lien_model_from_json", [&] {
    LIEN_REQUIRE_ARG(text);
    LIEN_REQUIRE_ARG(out);
    auto model = std::make_unique<lien_model>();
    model->model = lien::RiskModel::from_json(std::string_view(text, size));
    *out = model.release();
    return LIEN_OK;
  });
}

LIEN_API void lien_model_destroy(lien_model** model) { lien_capi::destroy(model); }

LIEN_API lien_status lien_model_get_info(const lien_model* model, lien_model_info* out) {
  return guard("lien_model_get_info", [&] {
    LIEN_REQUIRE_ARG(model);
    LIEN_REQUIRE_ARG(out);
    const lien::RiskModel& m = fitted(model);
    out->feature_count = m.spec().size();
    out->horizon_days = m.options().horizon_days;
    out->has_survival = m.has_survival() ? 1 : 0;
    out->training_rows = m.training().rows;
    out->cv_roc_auc = m.training().cv.roc_auc;
    return LIEN_OK;
  });
}

LIEN_API lien_status lien_model_feature_id(const lien_model* model, size_t index, const char** out) {
  return guard("lien_model_feature_id", [&] {
    LIEN_REQUIRE_ARG(model);
    LIEN_REQUIRE_ARG(out);
    const lien::RiskModel& m = fitted(model);
    check_index(index, m.spec().size(), "features");
    *out = m.spec()[index].id.c_str();
    return LIEN_OK;
  });
}

LIEN_API lien_status lien_model_score(const lien_model* model, const lien_cohort* cohort, lien_time as_of,
                                      const lien_score_options* options, lien_scores** out) {
  return guard("lien_model_score", [&] {
    LIEN_REQUIRE_ARG(model);
    LIEN_REQUIRE_ARG(cohort);
    LIEN_REQUIRE_ARG(out);
    lien_capi::check_time(as_of, "as_of");
    const lien_score_options o = lien_capi::options_or(options, lien_score_options LIEN_SCORE_OPTIONS_INIT,
                                                       LIEN_SCORE_OPTIONS_VERSION, "lien_score_options");
    const lien::RiskModel& m = fitted(model);
    lien::ScoreOptions so;
    if (o.top_k < -1)
      throw lien::InvalidArgument("lien_score_options.top_k must be >= -1, got " + std::to_string(o.top_k));
    if (o.top_k >= 0) so.top_k = static_cast<std::size_t>(o.top_k);
    if (o.horizon_count > 0) {
      if (o.horizons_days == nullptr)
        throw lien::InvalidArgument("lien_score_options.horizons_days is NULL with horizon_count = " +
                                    std::to_string(o.horizon_count));
      so.horizons_days.assign(o.horizons_days, o.horizons_days + o.horizon_count);
    }
    std::optional<lien::Lang> lang;
    if (o.lang != nullptr) lang = lien_capi::lang_of(o.lang, "lien_score_options.lang");

    auto s = std::make_unique<lien_scores>();
    s->cohort = cohort->cohort;
    const lien::Cohort& c = *s->cohort;
    std::vector<lien::Landmark> rows;
    for (lien::EnrolmentId e : lien::population(c, as_of)) rows.push_back({e, as_of});
    const lien::FeatureMatrix x = m.features(c, lien::Span<lien::Landmark>(rows));
    m.score(c, x, so, s->table);
    if (lang) {
      const lien::ScoreTable& t = s->table;
      s->sentences.resize(t.rows * t.top_k);
      lien::Driver d;
      for (std::size_t i = 0; i < t.rows * t.top_k; ++i) {
        d.feature = t.features[static_cast<std::size_t>(t.driver_feature[i])];
        d.value = t.driver_value[i];
        s->sentences[i] = m.describe(d, *lang);
      }
    }
    *out = s.release();
    return LIEN_OK;
  });
}

LIEN_API void lien_scores_destroy(lien_scores** scores) { lien_capi::destroy(scores); }

LIEN_API lien_status lien_scores_count(const lien_scores* scores, size_t* out) {
  return guard("lien_scores_count", [&] {
    LIEN_REQUIRE_ARG(scores);
    LIEN_REQUIRE_ARG(out);
    *out = scores->table.rows;
    return LIEN_OK;
  });
}

LIEN_API lien_status lien_scores_driver_count(const lien_scores* scores, size_t* out) {
  return guard("lien_scores_driver_count", [&] {
    LIEN_REQUIRE_ARG(scores);
    LIEN_REQUIRE_ARG(out);
    *out = scores->table.top_k;
    return LIEN_OK;
  });
}

LIEN_API lien_status lien_scores_horizon_count(const lien_scores* scores, size_t* out) {
  return guard("lien_scores_horizon_count", [&] {
    LIEN_REQUIRE_ARG(scores);
    LIEN_REQUIRE_ARG(out);
    *out = scores->table.horizons_days.size();
    return LIEN_OK;
  });
}

LIEN_API lien_status lien_scores_horizon(const lien_scores* scores, size_t index, int32_t* days) {
  return guard("lien_scores_horizon", [&] {
    LIEN_REQUIRE_ARG(scores);
    LIEN_REQUIRE_ARG(days);
    check_index(index, scores->table.horizons_days.size(), "horizons");
    *days = scores->table.horizons_days[index];
    return LIEN_OK;
  });
}

LIEN_API lien_status lien_scores_get(const lien_scores* scores, size_t row, lien_score* out) {
  return guard("lien_scores_get", [&] {
    LIEN_REQUIRE_ARG(scores);
    LIEN_REQUIRE_ARG(out);
    const lien::ScoreTable& t = scores->table;
    check_index(row, t.rows, "scores");
    const lien::Cohort& c = *scores->cohort;
    const lien::EnrolmentId e = t.enrolment[row];
    const lien::Enrolment& en = c.enrolment(e);
    out->enrolment = e;
    out->enrolment_id = en.id.c_str();
    out->learner_id = c.learner_id(en.learner).c_str();
    out->as_of = t.as_of[row];
    out->logit = t.logit[row];
    out->probability = t.probability[row];
    out->band = static_cast<int32_t>(t.band[row]);
    out->band_name = lien::to_string(t.band[row]);
    out->withdraw_by_end = t.withdraw_by_end[row];
    return LIEN_OK;
  });
}

LIEN_API lien_status lien_scores_withdraw_within(const lien_scores* scores, size_t row, size_t horizon, double* out) {
  return guard("lien_scores_withdraw_within", [&] {
    LIEN_REQUIRE_ARG(scores);
    LIEN_REQUIRE_ARG(out);
    const lien::ScoreTable& t = scores->table;
    check_index(row, t.rows, "scores");
    check_index(horizon, t.horizons_days.size(), "horizons");
    *out = t.withdraw_within[row * t.horizons_days.size() + horizon];
    return LIEN_OK;
  });
}

LIEN_API lien_status lien_scores_driver(const lien_scores* scores, size_t row, size_t rank0, lien_driver* out) {
  return guard("lien_scores_driver", [&] {
    LIEN_REQUIRE_ARG(scores);
    LIEN_REQUIRE_ARG(out);
    const lien::ScoreTable& t = scores->table;
    check_index(row, t.rows, "scores");
    check_index(rank0, t.top_k, "drivers per score");
    const std::size_t i = row * t.top_k + rank0;
    out->feature = t.features[static_cast<std::size_t>(t.driver_feature[i])].c_str();
    out->value = t.driver_value[i];
    out->contribution = t.driver_contribution[i];
    out->rank = static_cast<uint32_t>(rank0 + 1);
    out->sentence = scores->sentences.empty() ? "" : scores->sentences[i].c_str();
    return LIEN_OK;
  });
}

LIEN_API lien_status lien_scores_find(const lien_scores* scores, const char* enrolment_id, size_t* row) {
  return guard("lien_scores_find", [&] {
    LIEN_REQUIRE_ARG(scores);
    LIEN_REQUIRE_ARG(enrolment_id);
    LIEN_REQUIRE_ARG(row);
    const lien::EnrolmentId e = scores->cohort->find_enrolment(enrolment_id);
    if (e == lien::kNoId) throw lien::NotFound(std::string("no enrolment '") + enrolment_id + "' in the cohort");
    const auto& col = scores->table.enrolment;
    const auto it = std::lower_bound(col.begin(), col.end(), e);  // rows are in enrolment order
    if (it == col.end() || *it != e)
      throw lien::NotFound(std::string("enrolment '") + enrolment_id + "' was not scored (not active at as_of)");
    *row = static_cast<std::size_t>(it - col.begin());
    return LIEN_OK;
  });
}

LIEN_API lien_status lien_experimental_scores_probabilities(const lien_scores* scores, const double** out) {
  return guard("lien_experimental_scores_probabilities", [&] {
    LIEN_REQUIRE_ARG(scores);
    LIEN_REQUIRE_ARG(out);
    *out = scores->table.probability.data();
    return LIEN_OK;
  });
}

}
