// xapi_statement.hpp — what one xAPI statement says, as far as lien reads it, and the checks that get it.
//
// parse_statement() walks a parsed statement once, checks every field lien reads against xAPI 1.0.3 and fills
// a Statement of views into the parsed document (valid until the parser parses the next statement). The first
// rule broken is returned as a Problem: the JSON path of the field and the rule, never a value that could be
// personal. docs/xapi.md lists the rules. Internal to src/io.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "lien/core/calendar.hpp"
#include "lien/core/config.hpp"
#include "lien/model/types.hpp"
#include "xapi_internal.hpp"
#include "xapi_tables.hpp"

LIEN_BEGIN_NAMESPACE
namespace xapi {

inline constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();


enum class Ifi : std::uint8_t { mbox, mbox_sha1sum, openid, account };

struct Agent {
  Ifi kind = Ifi::account;
  std::string_view value;  ///< mbox address (after mailto:), sha1 hex, openid IRI, or account name
  std::string_view path;   ///< JSON path of the agent ("actor", "object", ...), for mapping rejections
};

enum class ObjectType : std::uint8_t { activity, agent, group, statement_ref, sub_statement };

struct Statement {
  bool has_id = false;
  Uuid id;
  Agent actor;
  std::string_view verb;
  bool voiding = false;
  ObjectType object_type = ObjectType::activity;
  std::string_view object_id, object_def_type, object_name;
  Agent object_agent;
  bool object_identified = false;  ///< an Agent object, or a Group object with an identifier
  Uuid ref;
  float score = kNaN;
  Tri success = Tri::unknown, completion = Tri::unknown;
  float duration = kNaN;
  bool has_registration = false;
  std::string_view registration;
  Uuid registration_id;                  ///< parsed only when registration_slot is kNoId
  Id registration_slot = kNoId;          ///< the registration's position in the reader, when already known
  std::size_t registration_cache_slot = 0;
  std::string_view course, course_name;      ///< first course-typed activity of grouping, then parent
  std::string_view grouping, grouping_name;  ///< first grouping activity that is neither a course nor a container
  bool cmi5 = false;
  std::uint32_t count = 1;
  bool has_learner = false;
  Agent learner;
  Time time = 0;
};

/// Checks every field lien reads and fills `s`; false with the first rule broken in `pb`. `known_regs` maps
/// registrations already seen (and so already checked) to their position in the reader.
bool parse_statement(simdjson::dom::object root, const Calendar& cal, const HotCache& known_regs, Statement& s,
                     Problem& pb);

}  // namespace xapi
LIEN_END_NAMESPACE
