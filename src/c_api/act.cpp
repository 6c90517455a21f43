// C ABI: playbooks and the action queue.
#include "c_api_internal.hpp"
#include "lien/act/recommend.hpp"

using lien_capi::check_index;
using lien_capi::guard;

namespace {

void check_same_cohort(const lien_cohort* cohort, const lien_scores* scores) {
  if (scores->cohort != cohort->cohort)
    throw lien::InvalidArgument("the scores were computed on another cohort (score this cohort first)");
}

}  // namespace

extern "C" {

LIEN_API lien_status lien_playbook_default(lien_playbook** out) {
  return guard("lien_playbook_default", [&] {
    LIEN_REQUIRE_ARG(out);
    *out = new lien_playbook{lien::Playbook::default_playbook()};
    return LIEN_OK;
  });
}

LIEN_API lien_status lien_playbook_parse(const char* json, size_t size, lien_playbook** out) {
  return guard("lien_playbook_parse", [&] {
    LIEN_REQUIRE_ARG(json);
    LIEN_REQUIRE_ARG(out);
    *out = new lien_playbook{lien::Playbook::parse(std::string_view(json, size), "playbook")};
    return LIEN_OK;
  });
}

LIEN_API void lien_playbook_destroy(lien_playbook** playbook) { lien_capi::destroy(playbook); }

LIEN_API lien_status lien_playbook_rule_count(const lien_playbook* playbook, size_t* out) {
  return guard("lien_playbook_rule_count", [&] {
    LIEN_REQUIRE_ARG(playbook);
    LIEN_REQUIRE_ARG(out);
    *out = playbook->playbook.rules().size();
    return LIEN_OK;
  });
}

LIEN_API lien_status lien_queue_build(const lien_cohort* cohort, const lien_scores* scores,
                                      const lien_playbook* playbook, lien_time date,
                                      const lien_queue_options* options, lien_queue** out) {
  return guard("lien_queue_build", [&] {
    LIEN_REQUIRE_ARG(cohort);
    LIEN_REQUIRE_ARG(scores);
    LIEN_REQUIRE_ARG(out);
    lien_capi::check_time(date, "date");
    check_same_cohort(cohort, scores);
    const lien_queue_options o = lien_capi::options_or(options, lien_queue_options LIEN_QUEUE_OPTIONS_INIT,
                                                       LIEN_QUEUE_OPTIONS_VERSION, "lien_queue_options");
    if (o.over_cap < 0 || o.over_cap > LIEN_CAP_DROP)
      throw lien::InvalidArgument("lien_queue_options.over_cap: unknown code " + std::to_string(o.over_cap) +
                                  " (expected a lien_cap_policy)");
    lien::QueueOptions qo;
    qo.weekly_cap = o.weekly_cap;
    qo.over_cap = static_cast<lien::CapPolicy>(o.over_cap);
    qo.cooling_off_working_days = o.cooling_off_working_days;
    const lien::Playbook& pb = playbook ? playbook->playbook : lien::Playbook::default_playbook();
    const lien::Cohort& c = *cohort->cohort;
    const std::vector<lien::RiskScore> rs = lien_capi::risk_scores(*scores);
    auto q = std::make_unique<lien_queue>();
    q->cohort = cohort->cohort;
    q->queue = lien::build_queue(c, lien::recommend(c, pb, rs, date), date, qo);
    for (const lien::QueueEntry& e : q->queue.entries)
      q->performer_ids.push_back(e.action.performer == lien::kNoId ? std::string() : c.person(e.action.performer).id);
    *out = q.release();
    return LIEN_OK;
  });
}

LIEN_API void lien_queue_destroy(lien_queue** queue) { lien_capi::destroy(queue); }

LIEN_API lien_status lien_queue_count(const lien_queue* queue, size_t* out) {
  return guard("lien_queue_count", [&] {
    LIEN_REQUIRE_ARG(queue);
    LIEN_REQUIRE_ARG(out);
    *out = queue->queue.entries.size();
    return LIEN_OK;
  });
}

LIEN_API lien_status lien_queue_get(const lien_queue* queue, size_t index, lien_action* out) {
  return guard("lien_queue_get", [&] {
    LIEN_REQUIRE_ARG(queue);
    LIEN_REQUIRE_ARG(out);
    check_index(index, queue->queue.entries.size(), "queue entries");
    const lien::QueueEntry& e = queue->queue.entries[index];
    const lien::Action& a = e.action;
    const lien::Cohort& c = *queue->cohort;
    out->rank = e.rank;
    out->status = lien::to_string(e.status).data();  // the names are NUL-terminated literals
    out->type = lien::to_string(a.type).data();
    out->rule = a.rule.c_str();
    out->enrolment_id = c.enrolment(a.enrolment).id.c_str();
    out->learner_id = c.learner_id(a.learner).c_str();
    out->performer_id = queue->performer_ids[index].c_str();
    out->performer_role = lien::to_string(a.resolved).data();
    out->band = static_cast<int32_t>(a.band);
    out->probability = a.probability;
    out->day = e.day;
    out->due_day = a.due;
    out->target = a.target.c_str();
    out->why_en = a.why_en.c_str();
    out->why_fr = a.why_fr.c_str();
    out->note = e.note.c_str();
    return LIEN_OK;
  });
}

LIEN_API lien_status lien_queue_describe(const lien_queue* queue, size_t index, const char* lang, char** out) {
  return guard("lien_queue_describe", [&] {
    LIEN_REQUIRE_ARG(queue);
    LIEN_REQUIRE_ARG(out);
    const lien::Lang l = lien_capi::lang_of(lang, "lang");
    check_index(index, queue->queue.entries.size(), "queue entries");
    *out = lien_capi::dup_string(lien::describe_action(*queue->cohort, queue->queue.entries[index].action, l));
    return LIEN_OK;
  });
}

}
