// C ABI: the progress review of an enrolment, the cohort summary and the path funnel.
#include "c_api_internal.hpp"
#include "lien/act/recommend.hpp"

using lien_capi::check_index;
using lien_capi::guard;

namespace {

const std::vector<lien::GroupSummary>* groups_of(const lien::CohortSummary& s, int32_t grouping) {
  switch (grouping) {
    case LIEN_GROUP_INSTANCE: return &s.by_instance;
    case LIEN_GROUP_TEAM: return &s.by_team;
    case LIEN_GROUP_SITE: return &s.by_site;
    default: break;
  }
  throw lien::InvalidArgument("unknown grouping code " + std::to_string(grouping) + " (expected a lien_grouping)");
}

}  // namespace

extern "C" {

LIEN_API lien_status lien_review_create(const lien_cohort* cohort, const char* enrolment_id, lien_time as_of,
                                        const lien_scores* scores, const lien_playbook* playbook,
                                        const lien_review_options* options, lien_review** out) {
  return guard("lien_review_create", [&] {
    LIEN_REQUIRE_ARG(cohort);
    LIEN_REQUIRE_ARG(enrolment_id);
    LIEN_REQUIRE_ARG(out);
    lien_capi::check_time(as_of, "as_of");
    const lien_review_options o = lien_capi::options_or(options, lien_review_options LIEN_REVIEW_OPTIONS_INIT,
                                                        LIEN_REVIEW_OPTIONS_VERSION, "lien_review_options");
    const lien::Cohort& c = *cohort->cohort;
    const lien::EnrolmentId e = c.find_enrolment(enrolment_id);
    if (e == lien::kNoId) throw lien::NotFound(std::string("no enrolment '") + enrolment_id + "' in the cohort");
    lien::ReviewOptions ro;
    ro.next_steps = o.next_steps;
    lien::RiskScore risk;
    const lien::RiskScore* risk_ptr = nullptr;
    if (scores != nullptr) {
      if (scores->cohort != cohort->cohort)
        throw lien::InvalidArgument("the scores were computed on another cohort (score this cohort first)");
      const auto& col = scores->table.enrolment;
      const auto it = std::lower_bound(col.begin(), col.end(), e);
      if (it != col.end() && *it == e) {
        risk = scores->table.score(static_cast<std::size_t>(it - col.begin()));
        risk_ptr = &risk;
        ro.playbook = playbook ? &playbook->playbook : &lien::Playbook::default_playbook();
      }
    }
    auto r = std::make_unique<lien_review>();
    r->cohort = cohort->cohort;
    r->review = lien::review(c, e, as_of, risk_ptr, {}, ro);
    r->text_en = lien::render_review(c, r->review, lien::Lang::en);
    r->text_fr = lien::render_review(c, r->review, lien::Lang::fr);
    *out = r.release();
    return LIEN_OK;
  });
}

LIEN_API void lien_review_destroy(lien_review** review) { lien_capi::destroy(review); }

LIEN_API lien_status lien_review_get_info(const lien_review* review, lien_review_info* out) {
  return guard("lien_review_get_info", [&] {
    LIEN_REQUIRE_ARG(review);
    LIEN_REQUIRE_ARG(out);
    const lien::Review& r = review->review;
    const lien::Cohort& c = *review->cohort;
    out->enrolment_id = c.enrolment(r.enrolment).id.c_str();
    out->learner_id = c.learner_id(r.learner).c_str();
    out->outcome = static_cast<int32_t>(r.outcome);
    out->required_steps = r.required_steps;
    out->required_steps_done = r.required_steps_done;
    out->done_steps = static_cast<uint32_t>(r.done.size());
    out->late_steps = static_cast<uint32_t>(r.late.size());
    out->next_steps = static_cast<uint32_t>(r.next.size());
    out->competencies_required = r.competencies_required;
    out->competencies_covered = r.competencies_covered;
    out->certification_progress = r.certification_progress;
    out->has_risk = r.has_risk ? 1 : 0;
    out->probability = r.probability;
    out->band = static_cast<int32_t>(r.band);
    out->suggestion_count = r.suggestions.size();
    return LIEN_OK;
  });
}

LIEN_API lien_status lien_review_text(const lien_review* review, const char* lang, const char** out) {
  return guard("lien_review_text", [&] {
    LIEN_REQUIRE_ARG(review);
    LIEN_REQUIRE_ARG(out);
    *out = lien_capi::lang_of(lang, "lang") == lien::Lang::fr ? review->text_fr.c_str() : review->text_en.c_str();
    return LIEN_OK;
  });
}

LIEN_API lien_status lien_summary_create(const lien_cohort* cohort, lien_time as_of, const lien_scores* scores,
                                         const lien_queue* queue, lien_summary** out) {
  return guard("lien_summary_create", [&] {
    LIEN_REQUIRE_ARG(cohort);
    LIEN_REQUIRE_ARG(out);
    lien_capi::check_time(as_of, "as_of");
    if (scores != nullptr && scores->cohort != cohort->cohort)
      throw lien::InvalidArgument("the scores were computed on another cohort");
    if (queue != nullptr && queue->cohort != cohort->cohort)
      throw lien::InvalidArgument("the queue was built on another cohort");
    std::vector<lien::RiskScore> rs;
    if (scores != nullptr) rs = lien_capi::risk_scores(*scores);
    auto s = std::make_unique<lien_summary>();
    s->summary = lien::summarize(*cohort->cohort, as_of, rs, queue ? &queue->queue : nullptr);
    *out = s.release();
    return LIEN_OK;
  });
}

LIEN_API void lien_summary_destroy(lien_summary** summary) { lien_capi::destroy(summary); }

LIEN_API lien_status lien_summary_group_count(const lien_summary* summary, int32_t grouping, size_t* out) {
  return guard("lien_summary_group_count", [&] {
    LIEN_REQUIRE_ARG(summary);
    LIEN_REQUIRE_ARG(out);
    *out = grouping == LIEN_GROUP_TOTAL ? 1 : groups_of(summary->summary, grouping)->size();
    return LIEN_OK;
  });
}

LIEN_API lien_status lien_summary_group(const lien_summary* summary, int32_t grouping, size_t index,
                                        lien_group_summary* out) {
  return guard("lien_summary_group", [&] {
    LIEN_REQUIRE_ARG(summary);
    LIEN_REQUIRE_ARG(out);
    const lien::GroupSummary* g;
    if (grouping == LIEN_GROUP_TOTAL) {
      check_index(index, 1, "groups");
      g = &summary->summary.total;
    } else {
      const auto& groups = *groups_of(summary->summary, grouping);
      check_index(index, groups.size(), "groups");
      g = &groups[index];
    }
    out->key = g->key.c_str();
    out->enrolled = g->enrolled;
    out->active = g->active;
    out->completed = g->completed;
    out->withdrawn = g->withdrawn;
    out->at_risk_low = g->at_risk[0];
    out->at_risk_medium = g->at_risk[1];
    out->at_risk_high = g->at_risk[2];
    out->unscored = g->unscored;
    out->actions_open = g->actions_open;
    return LIEN_OK;
  });
}

LIEN_API lien_status lien_funnel_create(const lien_cohort* cohort, const char* path_id, const char* instance_id,
                                        lien_time as_of, lien_funnel** out) {
  return guard("lien_funnel_create", [&] {
    LIEN_REQUIRE_ARG(cohort);
    LIEN_REQUIRE_ARG(path_id);
    LIEN_REQUIRE_ARG(out);
    lien_capi::check_time(as_of, "as_of");
    const lien::Cohort& c = *cohort->cohort;
    const lien::PathId p = c.find_path(path_id);
    if (p == lien::kNoId) throw lien::NotFound(std::string("no path '") + path_id + "' in the cohort");
    auto f = std::make_unique<lien_funnel>();
    f->cohort = cohort->cohort;
    if (instance_id != nullptr) {
      const lien::InstanceId i = c.instances().find(instance_id);
      if (i == lien::kNoId) throw lien::NotFound(std::string("no path instance '") + instance_id + "' in the cohort");
      if (c.instance_path(i) != p)
        throw lien::InvalidArgument(std::string("path instance '") + instance_id + "' is not an instance of path '" +
                                    path_id + "'");
      f->funnel = lien::instance_funnel(c, i, as_of);
    } else {
      f->funnel = lien::path_funnel(c, p, as_of);
    }
    *out = f.release();
    return LIEN_OK;
  });
}

LIEN_API void lien_funnel_destroy(lien_funnel** funnel) { lien_capi::destroy(funnel); }

LIEN_API lien_status lien_funnel_get_info(const lien_funnel* funnel, lien_funnel_info* out) {
  return guard("lien_funnel_get_info", [&] {
    LIEN_REQUIRE_ARG(funnel);
    LIEN_REQUIRE_ARG(out);
    const lien::Funnel& f = funnel->funnel;
    out->enrolled = f.enrolled;
    out->active = f.active;
    out->completed = f.completed;
    out->withdrawn = f.withdrawn;
    out->withdrew_before_first_step = f.withdrew_before_first_step;
    out->step_count = f.steps.size();
    return LIEN_OK;
  });
}

LIEN_API lien_status lien_funnel_get_step(const lien_funnel* funnel, size_t index, lien_funnel_step* out) {
  return guard("lien_funnel_get_step", [&] {
    LIEN_REQUIRE_ARG(funnel);
    LIEN_REQUIRE_ARG(out);
    const lien::Funnel& f = funnel->funnel;
    check_index(index, f.steps.size(), "funnel steps");
    const lien::FunnelStep& s = f.steps[index];
    out->step_id = funnel->cohort->step(s.step).id.c_str();
    out->phase = static_cast<int32_t>(s.phase);
    out->required = s.required ? 1 : 0;
    out->reached = s.reached;
    out->completed = s.completed;
    out->withdrew_after = s.withdrew_after;
    out->withdrew_after_completing = s.withdrew_after_completing;
    return LIEN_OK;
  });
}

}
