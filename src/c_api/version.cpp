// C ABI: version, memory, and the defaults of every options struct.
#include <cstdlib>

#include "c_api_internal.hpp"

using lien_capi::guard;

extern "C" {

LIEN_API int lien_version_number(void) { return LIEN_VERSION_NUMBER; }
LIEN_API const char* lien_version_string(void) { return LIEN_VERSION_STRING; }
LIEN_API void lien_free(void* p) { std::free(p); }

LIEN_API lien_status lien_read_options_init(lien_read_options* options) {
  return guard("lien_read_options_init", [&] {
    LIEN_REQUIRE_ARG(options);
    *options = lien_read_options LIEN_READ_OPTIONS_INIT;
    return LIEN_OK;
  });
}

LIEN_API lien_status lien_train_options_init(lien_train_options* options) {
  return guard("lien_train_options_init", [&] {
    LIEN_REQUIRE_ARG(options);
    *options = lien_train_options LIEN_TRAIN_OPTIONS_INIT;
    return LIEN_OK;
  });
}

LIEN_API lien_status lien_score_options_init(lien_score_options* options) {
  return guard("lien_score_options_init", [&] {
    LIEN_REQUIRE_ARG(options);
    *options = lien_score_options LIEN_SCORE_OPTIONS_INIT;
    return LIEN_OK;
  });
}

LIEN_API lien_status lien_queue_options_init(lien_queue_options* options) {
  return guard("lien_queue_options_init", [&] {
    LIEN_REQUIRE_ARG(options);
    *options = lien_queue_options LIEN_QUEUE_OPTIONS_INIT;
    return LIEN_OK;
  });
}

LIEN_API lien_status lien_review_options_init(lien_review_options* options) {
  return guard("lien_review_options_init", [&] {
    LIEN_REQUIRE_ARG(options);
    *options = lien_review_options LIEN_REVIEW_OPTIONS_INIT;
    return LIEN_OK;
  });
}

}

extern "C" {

LIEN_API lien_status lien_time_parse(const char* text, lien_time* out) {
  return guard("lien_time_parse", [&] {
    LIEN_REQUIRE_ARG(text);
    LIEN_REQUIRE_ARG(out);
    lien::ParsedTimestamp t;
    const char* why = "";
    if (!lien::parse_timestamp(text, t, &why))
      throw lien::InvalidArgument(std::string("'") + text + "' is not an ISO 8601 instant: " + why);
    if (!t.has_offset && !t.date_only)
      throw lien::InvalidArgument(std::string("'") + text +
                                  "' has no UTC offset: add Z or +hh:mm (its instant depends on a time zone)");
    *out = t.ms;
    return LIEN_OK;
  });
}

LIEN_API lien_status lien_day_format(int32_t day, char* buffer, size_t size) {
  return guard("lien_day_format", [&] {
    LIEN_REQUIRE_ARG(buffer);
    if (day == LIEN_NO_DAY) throw lien::InvalidArgument("day is LIEN_NO_DAY");
    if (day < lien::kMinDay || day > lien::kMaxDay)
      throw lien::InvalidArgument("day " + std::to_string(day) + " is outside 1970-2199");
    if (size < 11) throw lien::InvalidArgument("buffer of " + std::to_string(size) + " bytes, 11 needed");
    const std::string s = lien::format_date(day);
    std::memcpy(buffer, s.c_str(), s.size() + 1);
    return LIEN_OK;
  });
}

}
