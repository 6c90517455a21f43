// tests/fuzz/fuzz_playbook.cpp — libFuzzer target for the playbook loader (Playbook::parse). A playbook is
// refused with a lien::Error naming the rule and field, or loaded; a loaded playbook must also merge into the
// default one (its rules replacing or extending the embedded rules) without failing.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_common.hpp"
#include "lien/act/playbook.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  lien::Playbook playbook;
  try {
    playbook = lien::Playbook::parse(text, "fuzz.json");
  } catch (const lien::Error& e) {
    if (std::string(e.what()).empty()) lien_fuzz::fail("a refusal without a message");
    return 0;
  }
  lien::Playbook merged = lien::Playbook::default_playbook();
  try {
    merged.merge(playbook);
  } catch (const lien::Error&) {
    // merging may refuse an extension that does not fit the default playbook; it must not crash
  }
  return 0;
}
