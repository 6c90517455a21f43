// tests/fuzz/fuzz_model.cpp — libFuzzer target for the model file loader (RiskModel::from_json). A file is
// either refused with a lien::Error or loaded; a loaded model must write itself back and load again to the
// same text (the writer and the reader agree on everything the reader accepted).
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_common.hpp"
#include "lien/risk/model.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::string first;
  try {
    const lien::RiskModel model = lien::RiskModel::from_json(text);
    first = model.to_json();
  } catch (const lien::Error&) {
    return 0;  // refused: truncated, bit-flipped, another version, a bad checksum...
  }
  try {
    const std::string second = lien::RiskModel::from_json(first).to_json();
    if (second != first) lien_fuzz::fail("a loaded model does not write back to the same file");
  } catch (const lien::Error&) {
    lien_fuzz::fail("a model lien wrote itself is refused");
  }
  return 0;
}
