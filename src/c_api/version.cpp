// C ABI: version and memory functions.
#include <cstdlib>

#include "c_api_internal.hpp"

extern "C" {

LIEN_API int lien_version_number(void) { return LIEN_VERSION_NUMBER; }
LIEN_API const char* lien_version_string(void) { return LIEN_VERSION_STRING; }
LIEN_API void lien_free(void* p) { std::free(p); }

}
