// lien/risk/model_file.hpp — the identity of lien's model files: the format tag and the version this build
// writes and reads. The format itself is described field by field in docs/model-file.md; RiskModel's
// to_json / from_json / save / load (src/risk/model_file.cpp) implement it.
//
// Versioning: MAJOR.MINOR. A minor version adds members that older readers may ignore; a major version
// changes the meaning of existing ones. A build reads every file of its own major version (older or newer
// minor) and refuses any other major version with ModelError.
#pragma once

#include <string>

#include "lien/core/config.hpp"

LIEN_BEGIN_NAMESPACE

inline constexpr const char* kModelFormat = "lien.risk_model";
inline constexpr int kModelFormatMajor = 1;
inline constexpr int kModelFormatMinor = 0;

/// "MAJOR.MINOR" of the format this build writes.
inline std::string model_format_version() {
  return std::to_string(kModelFormatMajor) + "." + std::to_string(kModelFormatMinor);
}

/// The version of lien ("0.1.0"), as model files record it.
inline std::string lien_version_string() {
  return std::to_string(LIEN_VERSION_MAJOR_CXX) + "." + std::to_string(LIEN_VERSION_MINOR_CXX) + "." +
         std::to_string(LIEN_VERSION_PATCH_CXX);
}

LIEN_END_NAMESPACE
