// Reading the reference values that tests/data/reference/make_reference.py computed with scikit-learn,
// lifelines and SciPy (JSON, parsed with simdjson) into Eigen vectors and matrices.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <vector>

#include "lien/risk/types.hpp"

namespace reference {

/// A parsed reference file; keeps its parser alive with the document.
class File {
 public:
  explicit File(const std::string& name) {
    const std::string path = std::string(LIEN_TEST_DATA_DIR) + "/reference/" + name;
    json_ = simdjson::padded_string::load(path).value();
    root_ = parser_.parse(json_).value();
  }
  File(const File&) = delete;
  File& operator=(const File&) = delete;
  simdjson::dom::element operator[](const char* key) const { return root_[key].value(); }

 private:
  simdjson::padded_string json_;
  simdjson::dom::parser parser_;
  simdjson::dom::element root_;
};

inline double number(simdjson::dom::element e) {
  if (e.is_double()) return e.get_double().value();
  if (e.is_int64()) return static_cast<double>(e.get_int64().value());
  return static_cast<double>(e.get_uint64().value());
}
inline double number(simdjson::dom::element obj, const char* key) { return number(obj[key].value()); }
inline std::string text(simdjson::dom::element obj, const char* key) {
  return std::string(obj[key].get_string().value());
}

inline lien::Vector vec(simdjson::dom::element obj, const char* key) {
  simdjson::dom::array a = obj[key].get_array().value();
  lien::Vector v(static_cast<lien::Index>(a.size()));
  lien::Index i = 0;
  for (auto x : a) v[i++] = number(x);
  return v;
}

inline lien::IntVector ints(simdjson::dom::element obj, const char* key) {
  simdjson::dom::array a = obj[key].get_array().value();
  lien::IntVector v(static_cast<lien::Index>(a.size()));
  lien::Index i = 0;
  for (auto x : a) v[i++] = static_cast<std::int32_t>(x.get_int64().value());
  return v;
}

inline lien::IdVector ids(simdjson::dom::element obj, const char* key) {
  simdjson::dom::array a = obj[key].get_array().value();
  lien::IdVector v(static_cast<lien::Index>(a.size()));
  lien::Index i = 0;
  for (auto x : a) v[i++] = x.get_int64().value();
  return v;
}

/// A list of rows, as a column-major matrix.
inline lien::Matrix mat(simdjson::dom::element obj, const char* key) {
  simdjson::dom::array rows = obj[key].get_array().value();
  const auto n = static_cast<lien::Index>(rows.size());
  lien::Index p = 0;
  for (auto r : rows) {
    simdjson::dom::array first = r.get_array().value();
    p = static_cast<lien::Index>(first.size());
    break;
  }
  lien::Matrix m(n, p);
  lien::Index i = 0;
  for (auto r : rows) {
    lien::Index j = 0;
    simdjson::dom::array row = r.get_array().value();
    for (auto x : row) m(i, j++) = number(x);
    ++i;
  }
  return m;
}

/// The elements of an array.
inline std::vector<simdjson::dom::element> items(simdjson::dom::element array) {
  std::vector<simdjson::dom::element> out;
  simdjson::dom::array a = array.get_array().value();
  for (auto x : a) out.push_back(x);
  return out;
}

}  // namespace reference
