// Uses the C++ engine from an installed lien: builds a tiny cohort and prints what was kept and refused.
#include <iostream>

#include "lien/model/cohort.hpp"

int main() {
  lien::CohortBuilder b(lien::Calendar("CET-1CEST,M3.5.0,M10.5.0/3", lien::kMondayToFriday, {}));
  const auto src = b.source("inline");
  std::uint64_t line = 1;
  b.add_learner({"L1", "", "", "", "", "", {}}, {src, ++line});
  b.add_learner({"L2", "", "", "", "", "", {}}, {src, ++line});
  lien::EventRecord e;
  e.verb = lien::Verb::launched;
  for (const char* who : {"L1", "L2", "L1", "L3"}) {
    e.learner = who;
    e.time += 60000;
    b.add_event(e, {src, ++line});
  }
  lien::ReadReport report;
  const lien::Cohort c = b.build(report);
  std::cout << "learners=" << c.learner_count() << " events=" << c.events().size()
            << " rejected=" << report.rejected.size() << "\n";
  return report.balanced() ? 0 : 1;
}
