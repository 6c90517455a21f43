// xapi_vocabulary.cpp — which verb IRIs and activity types lien understands, and what they become.
//
// The tables cover what real emitters send: the ADL vocabulary and cmi5 (ADL's w3id verbs), the Tin Can
// registry and Activity Streams verbs that Moodle's logstore_xapi emits, the acrossx, video and NETC verbs of
// Open edX's event-routing-backends and Ralph, and lien's own IRIs for the verbs no vocabulary names.
// docs/xapi.md lists them with the reason for each choice; keep the two in step.
#include <cstring>
#include <unordered_map>
#include <vector>

#include "lien/io/xapi.hpp"
#include "xapi_internal.hpp"

LIEN_BEGIN_NAMESPACE

namespace {

struct VerbEntry {
  std::string_view iri;
  Verb verb;
};

// Known IRIs. Those mapped to `other` are known on purpose (session bookkeeping, registrations, preferences):
// they are counted as known, not as unknown verbs.
constexpr VerbEntry kVerbs[] = {
    // ADL vocabulary (xAPI 1.0.3 and the ADL registry).
    {"http://adlnet.gov/expapi/verbs/launched", Verb::launched},
    {"http://adlnet.gov/expapi/verbs/initialized", Verb::initialized},
    {"http://adlnet.gov/expapi/verbs/resumed", Verb::initialized},
    {"http://adlnet.gov/expapi/verbs/experienced", Verb::experienced},
    {"http://adlnet.gov/expapi/verbs/interacted", Verb::experienced},
    {"http://adlnet.gov/expapi/verbs/progressed", Verb::experienced},
    {"http://adlnet.gov/expapi/verbs/attempted", Verb::attempted},
    {"http://adlnet.gov/expapi/verbs/answered", Verb::answered},
    {"http://adlnet.gov/expapi/verbs/completed", Verb::completed},
    {"http://adlnet.gov/expapi/verbs/passed", Verb::passed},
    {"http://adlnet.gov/expapi/verbs/mastered", Verb::passed},
    {"http://adlnet.gov/expapi/verbs/failed", Verb::failed},
    {"http://adlnet.gov/expapi/verbs/attended", Verb::attended},
    {"http://adlnet.gov/expapi/verbs/asked", Verb::posted},
    {"http://adlnet.gov/expapi/verbs/shared", Verb::posted},
    {"http://adlnet.gov/expapi/verbs/commented", Verb::replied},
    {"http://adlnet.gov/expapi/verbs/responded", Verb::replied},
    {"http://adlnet.gov/expapi/verbs/scored", Verb::other},
    {"http://adlnet.gov/expapi/verbs/exited", Verb::other},
    {"http://adlnet.gov/expapi/verbs/suspended", Verb::other},
    {"http://adlnet.gov/expapi/verbs/terminated", Verb::other},
    {"http://adlnet.gov/expapi/verbs/registered", Verb::other},
    {"http://adlnet.gov/expapi/verbs/imported", Verb::other},
    {"http://adlnet.gov/expapi/verbs/preferred", Verb::other},
    {"http://adlnet.gov/expapi/verbs/logged-in", Verb::other},
    {"http://adlnet.gov/expapi/verbs/logged-out", Verb::other},
    // cmi5 and ADL's w3id verbs.
    {"https://w3id.org/xapi/adl/verbs/satisfied", Verb::completed},
    {"https://w3id.org/xapi/adl/verbs/waived", Verb::completed},
    {"https://w3id.org/xapi/adl/verbs/abandoned", Verb::other},
    {"https://w3id.org/xapi/adl/verbs/logged-in", Verb::other},
    {"https://w3id.org/xapi/adl/verbs/logged-out", Verb::other},
    // Tin Can registry (Moodle logstore_xapi, Ralph).
    {"http://id.tincanapi.com/verb/viewed", Verb::experienced},
    {"http://id.tincanapi.com/verb/downloaded", Verb::experienced},
    {"http://id.tincanapi.com/verb/played", Verb::experienced},
    {"http://id.tincanapi.com/verb/watched", Verb::experienced},
    {"http://id.tincanapi.com/verb/listened", Verb::experienced},
    {"http://id.tincanapi.com/verb/reviewed", Verb::experienced},
    {"http://id.tincanapi.com/verb/previewed", Verb::experienced},
    {"http://id.tincanapi.com/verb/replied", Verb::replied},
    {"http://id.tincanapi.com/verb/tweeted", Verb::posted},
    {"http://id.tincanapi.com/verb/mentored", Verb::met},
    {"http://id.tincanapi.com/verb/talked-with", Verb::met},
    {"http://id.tincanapi.com/verb/interviewed", Verb::met},
    {"http://id.tincanapi.com/verb/unregistered", Verb::other},
    {"http://id.tincanapi.com/verb/earned", Verb::other},
    // Activity Streams, both IRI forms in use (Moodle: schema/1.0; Ralph: the short form).
    {"http://activitystrea.ms/schema/1.0/access", Verb::experienced},
    {"http://activitystrea.ms/schema/1.0/read", Verb::experienced},
    {"http://activitystrea.ms/schema/1.0/watch", Verb::experienced},
    {"http://activitystrea.ms/schema/1.0/play", Verb::experienced},
    {"http://activitystrea.ms/schema/1.0/listen", Verb::experienced},
    {"http://activitystrea.ms/schema/1.0/start", Verb::launched},
    {"http://activitystrea.ms/schema/1.0/complete", Verb::completed},
    {"http://activitystrea.ms/schema/1.0/submit", Verb::completed},
    {"http://activitystrea.ms/schema/1.0/attend", Verb::attended},
    {"http://activitystrea.ms/schema/1.0/join", Verb::attended},
    {"http://activitystrea.ms/schema/1.0/create", Verb::posted},
    {"http://activitystrea.ms/schema/1.0/post", Verb::posted},
    {"http://activitystrea.ms/schema/1.0/share", Verb::posted},
    {"http://activitystrea.ms/schema/1.0/reply", Verb::replied},
    {"http://activitystrea.ms/schema/1.0/comment", Verb::replied},
    {"http://activitystrea.ms/schema/1.0/send", Verb::messaged},
    {"http://activitystrea.ms/schema/1.0/leave", Verb::other},
    {"http://activitystrea.ms/schema/1.0/update", Verb::other},
    {"http://activitystrea.ms/schema/1.0/delete", Verb::other},
    {"http://activitystrea.ms/access", Verb::experienced},
    {"http://activitystrea.ms/read", Verb::experienced},
    {"http://activitystrea.ms/watch", Verb::experienced},
    {"http://activitystrea.ms/play", Verb::experienced},
    {"http://activitystrea.ms/start", Verb::launched},
    {"http://activitystrea.ms/complete", Verb::completed},
    {"http://activitystrea.ms/submit", Verb::completed},
    {"http://activitystrea.ms/attend", Verb::attended},
    {"http://activitystrea.ms/join", Verb::attended},
    {"http://activitystrea.ms/create", Verb::posted},
    {"http://activitystrea.ms/post", Verb::posted},
    {"http://activitystrea.ms/share", Verb::posted},
    {"http://activitystrea.ms/reply", Verb::replied},
    {"http://activitystrea.ms/comment", Verb::replied},
    {"http://activitystrea.ms/send", Verb::messaged},
    {"http://activitystrea.ms/leave", Verb::other},
    // Open edX event-routing-backends and Ralph.
    {"https://w3id.org/xapi/acrossx/verbs/posted", Verb::posted},
    {"https://w3id.org/xapi/acrossx/verbs/evaluated", Verb::answered},
    {"https://w3id.org/xapi/acrossx/verbs/edited", Verb::other},
    {"https://w3id.org/xapi/acrossx/verbs/deleted", Verb::other},
    {"https://w3id.org/xapi/acrossx/verbs/reported", Verb::other},
    {"https://w3id.org/xapi/acrossx/verbs/voted", Verb::other},
    {"https://w3id.org/xapi/video/verbs/played", Verb::experienced},
    {"https://w3id.org/xapi/video/verbs/paused", Verb::experienced},
    {"https://w3id.org/xapi/video/verbs/seeked", Verb::experienced},
    {"https://w3id.org/xapi/dod-isd/verbs/navigated", Verb::experienced},
    {"https://w3id.org/xapi/netc/verbs/accessed", Verb::experienced},
    {"https://w3id.org/xapi/netc/verbs/uploaded", Verb::posted},
};

// What lien writes for each verb (kVerbNames order): a public IRI where one means the same thing.
constexpr std::string_view kWrittenIri[] = {
    "http://adlnet.gov/expapi/verbs/launched",    "http://adlnet.gov/expapi/verbs/initialized",
    "http://adlnet.gov/expapi/verbs/experienced", "http://adlnet.gov/expapi/verbs/attempted",
    "http://adlnet.gov/expapi/verbs/answered",    "http://adlnet.gov/expapi/verbs/completed",
    "http://adlnet.gov/expapi/verbs/passed",      "http://adlnet.gov/expapi/verbs/failed",
    "http://adlnet.gov/expapi/verbs/attended",    "https://lien.example.org/xapi/verbs/absent",
    "https://w3id.org/xapi/acrossx/verbs/posted", "http://id.tincanapi.com/verb/replied",
    "https://lien.example.org/xapi/verbs/messaged", "https://lien.example.org/xapi/verbs/met",
    "https://lien.example.org/xapi/verbs/other"};
static_assert(sizeof(kWrittenIri) / sizeof(kWrittenIri[0]) == kVerbNames.size(), "one written IRI per verb");

const std::unordered_map<std::string_view, Verb>& verb_table() {
  static const std::unordered_map<std::string_view, Verb> table = [] {
    std::unordered_map<std::string_view, Verb> t;
    for (const VerbEntry& e : kVerbs) t.emplace(e.iri, e.verb);
    return t;
  }();
  return table;
}

struct TypeEntry {
  std::string_view iri;
  xapi::ActivityRole role;
  StepKind kind;
};

using R = xapi::ActivityRole;
constexpr TypeEntry kTypes[] = {
    // Courses name paths.
    {"http://adlnet.gov/expapi/activities/course", R::course, StepKind::elearning},
    {"http://id.tincanapi.com/activitytype/lms/course", R::course, StepKind::elearning},
    {"https://w3id.org/xapi/cmi5/activitytype/course", R::course, StepKind::elearning},
    // Containers and sources: resources.
    {"https://w3id.org/xapi/cmi5/activitytype/block", R::container, StepKind::elearning},
    {"http://id.tincanapi.com/activitytype/lms", R::container, StepKind::elearning},
    {"http://id.tincanapi.com/activitytype/section", R::container, StepKind::elearning},
    {"http://id.tincanapi.com/activitytype/source", R::container, StepKind::elearning},
    {"http://adlnet.gov/expapi/activities/profile", R::container, StepKind::elearning},
    {"http://activitystrea.ms/collection", R::container, StepKind::elearning},
    // Single posts and messages: resources (the forum they belong to is the step).
    {"http://id.tincanapi.com/activitytype/forum-reply", R::content, StepKind::elearning},
    {"http://id.tincanapi.com/activitytype/discussion", R::content, StepKind::elearning},
    {"http://id.tincanapi.com/activitytype/chat-message", R::content, StepKind::elearning},
    {"http://activitystrea.ms/schema/1.0/comment", R::content, StepKind::elearning},
    {"http://activitystrea.ms/comment", R::content, StepKind::elearning},
    {"http://activitystrea.ms/schema/1.0/note", R::content, StepKind::elearning},
    {"https://w3id.org/xapi/acrossx/activities/message", R::content, StepKind::elearning},
    // Steps with a kind other than e-learning.
    {"http://adlnet.gov/expapi/activities/assessment", R::step, StepKind::assessment},
    {"http://adlnet.gov/expapi/activities/question", R::step, StepKind::assessment},
    {"http://adlnet.gov/expapi/activities/interaction", R::step, StepKind::assessment},
    {"http://adlnet.gov/expapi/activities/cmi.interaction", R::step, StepKind::assessment},
    {"http://xapi.jisc.ac.uk/activities/quiz", R::step, StepKind::assessment},
    {"https://xapi.edlm/profiles/edlm-lms/concepts/activity-types/assignment", R::step, StepKind::assignment},
    {"https://xapi.edlm/profiles/edlm-lms/concepts/activity-types/workshop", R::step, StepKind::assignment},
    {"http://id.tincanapi.com/activitytype/school-assignment", R::step, StepKind::assignment},
    {"http://adlnet.gov/expapi/activities/meeting", R::step, StepKind::classroom},
    {"https://w3id.org/xapi/acrossx/activities/face-to-face-discussion", R::step, StepKind::classroom},
    {"http://id.tincanapi.com/activitytype/in-person-meeting", R::step, StepKind::classroom},
    {"https://w3id.org/xapi/virtual-classroom/activity-types/virtual-classroom", R::step, StepKind::virtual_class},
    {"http://id.tincanapi.com/activitytype/webinar", R::step, StepKind::virtual_class},
    {"https://xapi.edlm/profiles/edlm-lms/concepts/activity-types/forum", R::step, StepKind::community_event},
    {"http://id.tincanapi.com/activitytype/forum-topic", R::step, StepKind::community_event},
    {"https://xapi.edlm/profiles/edlm-lms/concepts/activity-types/wiki", R::step, StepKind::community_event},
    {"https://xapi.edlm/profiles/edlm-lms/concepts/activity-types/glossary", R::step, StepKind::community_event},
    {"http://id.tincanapi.com/activitytype/chat-channel", R::step, StepKind::community_event},
    {"http://id.tincanapi.com/activitytype/community-site", R::step, StepKind::community_event},
    {"http://id.tincanapi.com/activitytype/mentoring-session", R::step, StepKind::coaching},
    {"https://lien.example.org/xapi/activities/coaching", R::step, StepKind::coaching},
    {"https://lien.example.org/xapi/activities/review", R::step, StepKind::review},
};

}  // namespace

XapiVerbMapping xapi_verb(std::string_view iri) noexcept {
  const auto& t = verb_table();
  const auto it = t.find(iri);
  if (it != t.end()) return {it->second, true};
  if (iri.size() > kXapiVerbPrefix.size() && iri.compare(0, kXapiVerbPrefix.size(), kXapiVerbPrefix) == 0) {
    if (const auto v = parse_enum<Verb>(iri.substr(kXapiVerbPrefix.size()))) return {*v, true};
  }
  return {Verb::other, false};
}

std::string_view xapi_verb_iri(Verb v) noexcept {
  const auto i = static_cast<std::size_t>(v);
  return i < kVerbNames.size() ? kWrittenIri[i] : kWrittenIri[kVerbNames.size() - 1];
}

namespace xapi {

ActivityClass classify_activity_type(std::string_view type) noexcept {
  if (type.empty()) return {};
  // Called for the object and every context activity of every statement: the table is indexed by length
  // (a handful of candidates each), so a lookup is one or two comparisons and no hashing.
  struct ByLength {
    std::vector<std::vector<const TypeEntry*>> at;
    ByLength() {
      for (const TypeEntry& e : kTypes) {
        if (at.size() <= e.iri.size()) at.resize(e.iri.size() + 1);
        at[e.iri.size()].push_back(&e);
      }
    }
  };
  static const ByLength table;
  if (type.size() >= table.at.size()) return {};
  for (const TypeEntry* e : table.at[type.size()])
    if (std::memcmp(e->iri.data(), type.data(), type.size()) == 0) return {e->role, e->kind};
  return {};
}

}  // namespace xapi

LIEN_END_NAMESPACE
