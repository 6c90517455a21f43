// The C++ side of tests/python/test_ctypes.py: scores a cohort with a model file through the C++ API alone
// (RiskModel::score, vector<RiskScore>) and prints each score with exact hexadecimal floats, for the ctypes
// test to compare with what liblien.so gives through the C API.
//
// usage: lien_score_reference <data path> <model file> <as_of ms> <lang en|fr> <horizon days>...
// output: one line per score: enrolment_id probability logit band withdraw_by_end w_1 .. w_h, then one line per
//         driver: "  feature value contribution sentence" (floats as %a).
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "lien/io/read.hpp"
#include "lien/risk/model.hpp"

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: %s <data> <model> <as_of ms> <lang> [horizon days...]\n", argv[0]);
    return 2;
  }
  try {
    const lien::ReadResult r = lien::read_data(argv[1]);
    const lien::RiskModel m = lien::RiskModel::load(argv[2]);
    lien::ScoreOptions o;
    o.lang = lien::parse_lang(argv[4]);
    for (int i = 5; i < argc; ++i) o.horizons_days.push_back(std::atoi(argv[i]));
    const auto scores = m.score(r.cohort, static_cast<lien::Time>(std::strtoll(argv[3], nullptr, 10)), o);
    for (const lien::RiskScore& s : scores) {
      std::printf("%s %a %a %s %a", r.cohort.enrolment(s.enrolment).id.c_str(), s.probability, s.logit,
                  lien::to_string(s.band), s.withdraw_by_end);
      for (double w : s.withdraw_within) std::printf(" %a", w);
      std::printf("\n");
      for (const lien::Driver& d : s.drivers)
        std::printf("  %s %a %a %s\n", d.feature.c_str(), d.value, d.contribution, d.sentence.c_str());
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "lien_score_reference: %s\n", e.what());
    return 1;
  }
  return 0;
}
