// lien/features/features.hpp — the feature layer in one include: registry, matrix, extraction, custom features.
#pragma once

#include "lien/features/custom.hpp"
#include "lien/features/extract.hpp"
#include "lien/features/matrix.hpp"
#include "lien/features/registry.hpp"
