// lien/io/xapi.hpp — the xAPI reader's vocabulary and its detailed account of a read.
//
// read_xapi_text / read_xapi_file (lien/io/read.hpp) are the everyday entry points. This header adds what a
// caller needs to go further: how verb IRIs map onto lien verbs (and which IRIs lien writes back), the lien
// extension IRIs a statement may carry, and read_xapi(), which reads like read_xapi_text and also returns
// what the read found (mode, voiding, events by verb, the verb IRIs that had no lien equivalent).
// docs/xapi.md says how statements become events, and why.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lien/core/config.hpp"
#include "lien/io/read.hpp"
#include "lien/model/cohort.hpp"
#include "lien/model/types.hpp"

LIEN_BEGIN_NAMESPACE

/// context.extensions key holding how many times the statement's event happened (a JSON integer >= 1):
/// aggregated logs ("14 clicks that day") travel as one statement.
inline constexpr std::string_view kXapiCountExtension = "https://lien.example.org/xapi/extensions/count";
/// context.extensions key holding the learner (an Agent) a statement is about when the actor is someone
/// else: a manager who met the learner, a tutor who replied to them.
inline constexpr std::string_view kXapiLearnerExtension = "https://lien.example.org/xapi/extensions/learner";
/// Prefix of lien's own verb IRIs, for the verbs no public vocabulary names (absent, messaged, met, other):
/// prefix + a lien verb name reads as that verb.
inline constexpr std::string_view kXapiVerbPrefix = "https://lien.example.org/xapi/verbs/";

/// lien's activity IRIs, for what has no IRI of its own (examples/data/to_xapi.py writes them):
/// kXapiStepPrefix + percent-encoded step id names a step, kXapiResourcePrefix + id a resource,
/// kXapiPathPrefix + id a path (as a course activity in context), and kXapiNoObject stands for no object.
inline constexpr std::string_view kXapiStepPrefix = "https://lien.example.org/xapi/steps/";
inline constexpr std::string_view kXapiResourcePrefix = "https://lien.example.org/xapi/resources/";
inline constexpr std::string_view kXapiPathPrefix = "https://lien.example.org/xapi/paths/";
inline constexpr std::string_view kXapiNoObject = "https://lien.example.org/xapi/activities/none";

/// How a verb IRI reads.
struct XapiVerbMapping {
  Verb verb = Verb::other;
  bool known = false;  ///< the IRI is in lien's table (a known IRI may still map to `other`, e.g. terminated)
};

/// The lien verb a verb IRI maps onto (exact, case-sensitive match; docs/xapi.md lists the table).
XapiVerbMapping xapi_verb(std::string_view iri) noexcept;

/// The IRI lien writes for a verb: an ADL, Tin Can or acrossx IRI where one exists, else kXapiVerbPrefix + name.
/// xapi_verb(xapi_verb_iri(v)).verb == v for every verb.
std::string_view xapi_verb_iri(Verb v) noexcept;

/// How one read went, beyond the ReadReport that the builder keeps.
struct XapiReadStats {
  bool mapping = false;          ///< mapping mode (the builder held declared people) or inference mode
  std::uint64_t statements = 0;  ///< statements read (NDJSON lines that are not blank, or array elements)
  std::uint64_t accepted = 0;    ///< statements accepted (voiding and voided ones included)
  std::uint64_t rejected = 0;
  std::uint64_t voiding = 0;  ///< accepted voiding statements
  std::uint64_t voided = 0;   ///< accepted statements removed by a voiding statement in the same text
  std::uint64_t events = 0;   ///< events handed to the builder
  std::array<std::uint64_t, kVerbNames.size()> events_by_verb{};
  /// Verb IRIs of accepted, non-voided statements that read as `other`, with their statement counts, most
  /// frequent first (ties by IRI). `known` tells an IRI of the table (terminated) from an unknown one.
  struct OtherVerb {
    std::string iri;
    std::uint64_t statements = 0;
    bool known = false;
  };
  std::vector<OtherVerb> other_verbs;
  /// Inference mode: what the read added to the builder.
  std::uint64_t learners = 0, paths = 0, steps = 0, enrolments = 0;
};

/// Reads xAPI statements (a JSON array, or NDJSON) into a builder, like read_xapi_text, and returns what the
/// read found. `source` names the input in rejections (a file name without its directory).
/// Throws ParseError when the text cannot be read at all (not JSON; an array broken between statements).
XapiReadStats read_xapi(CohortBuilder& builder, std::string_view text, const std::string& source,
                        const ReadOptions& options = {});

LIEN_END_NAMESPACE
