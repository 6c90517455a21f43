// The cohort model and its builder: interning, referential integrity, the DAG, the event log, the graph.
#include <catch2/catch.hpp>

#include <cmath>

#include "lien/model/cohort.hpp"

using namespace lien;

namespace {
Time at(const char* s) {
  ParsedTimestamp p;
  REQUIRE(parse_timestamp(s, p));
  return p.ms;
}

const Rejection* find_rejection(const ReadReport& r, std::uint64_t index, const std::string& field) {
  for (const auto& x : r.rejected)
    if (x.index == index && x.field == field) return &x;
  return nullptr;
}

struct Fixture {
  CohortBuilder b;
  std::uint32_t src;
  std::uint64_t line = 1;
  Fixture() : src(b.source("test")) {}
  RecordRef next() { return RecordRef{src, ++line}; }
};
}  // namespace

TEST_CASE("a small cohort builds, with ids interned and events grouped by learner") {
  Fixture f;
  auto& b = f.b;
  REQUIRE(b.add_learner({"L1", "Ann", "ann@example.org", "sales", "Lyon", "rep", {{"gender", "F"}}}, f.next()));
  REQUIRE(b.add_learner({"L2", "", "", "it", "", "", {}}, f.next()));
  REQUIRE(b.add_stakeholder({"M1", Role::manager, "", "", ""}, f.next()));
  REQUIRE(b.add_stakeholder({"T1", Role::tutor, "", "", ""}, f.next()));
  REQUIRE(b.add_path({"P", "Leadership", ""}, f.next()));
  StepRecord s1;
  s1.path = "P", s1.id = "S1", s1.kind = StepKind::elearning, s1.window = {true, 0, 7};
  StepRecord s2 = s1;
  s2.id = "S2", s2.window = {true, 7, 14}, s2.activity_iri = "https://lms.example/s2";
  StepRecord s3 = s1;
  s3.id = "S3", s3.window = {true, kNoDay, kNoDay};
  REQUIRE(b.add_step(s1, f.next()));
  REQUIRE(b.add_step(s2, f.next()));
  REQUIRE(b.add_step(s3, f.next()));
  REQUIRE(b.add_prerequisite({"S2", "S3"}, f.next()));  // S3 (undated, required) before S2
  REQUIRE(b.add_relation({"L1", "M1", RelationType::reports_to, kNoTime, kNoTime}, f.next()));
  REQUIRE(b.add_relation({"T1", "G1", RelationType::tutors, kNoTime, kNoTime}, f.next()));
  EnrolmentRecord e1{"E1", "L1", "P", "G1", at("2027-01-04T08:00:00Z"), at("2027-03-31T00:00:00Z"), Outcome::active, kNoTime, 0};
  EnrolmentRecord e2{"E2", "L2", "P", "G1", at("2027-01-04T08:00:00Z"), kNoTime, Outcome::withdrawn, at("2027-02-01T00:00:00Z"), -1};
  REQUIRE(b.add_enrolment(e1, f.next()));
  REQUIRE(b.add_enrolment(e2, f.next()));
  EventRecord ev;
  ev.learner = "L2", ev.time = at("2027-01-06T10:00:00Z"), ev.verb = Verb::completed;
  ev.object_kind = ObjectKind::step, ev.object = "S1";
  REQUIRE(b.add_event(ev, f.next()));
  ev.learner = "L1", ev.time = at("2027-01-05T10:00:00Z");
  REQUIRE(b.add_event(ev, f.next()));
  ev.time = at("2027-01-04T10:00:00Z"), ev.verb = Verb::launched;
  REQUIRE(b.add_event(ev, f.next()));
  ev.time = at("2027-01-07T10:00:00Z"), ev.verb = Verb::messaged, ev.object_kind = ObjectKind::person, ev.object = "L2";
  ev.count = 3;
  REQUIRE(b.add_event(ev, f.next()));
  ev.count = 1, ev.verb = Verb::met, ev.object = "L1", ev.actor = "M1", ev.time = at("2027-01-08T10:00:00Z");
  REQUIRE(b.add_event(ev, f.next()));

  ReadReport report;
  const Cohort c = b.build(report);
  CHECK(report.balanced());
  CHECK(report.rejected.empty());
  CHECK(report.read == 18);
  REQUIRE(c.learner_count() == 2);
  REQUIRE(c.person_count() == 4);
  const LearnerId l1 = c.find_learner("L1");
  REQUIRE(l1 != kNoId);
  CHECK(c.learner_id(l1) == "L1");
  CHECK(c.find_learner("M1") == kNoId);
  CHECK(c.protected_attributes().column("gender")[l1] == "F");
  // Events of L1, sorted by time whatever the input order.
  const EventLog& log = c.events();
  REQUIRE(log.end(l1) - log.begin(l1) == 4);
  CHECK(log.verb(log.begin(l1)) == Verb::launched);
  CHECK(log.verb(log.begin(l1) + 1) == Verb::completed);
  CHECK(log.object(log.begin(l1)) == c.find_step("S1"));
  CHECK(log.learner_of(log.begin(l1) + 2) == l1);
  CHECK(std::isnan(log.score(log.begin(l1))));
  CHECK(log.actor(log.begin(l1) + 3) == c.find_person("M1"));
  // Graph: manager, instance tutor, aggregated interactions.
  const EnrolmentId e = c.find_enrolment("E1");
  CHECK(c.managers(l1, at("2027-02-01T00:00:00Z")) == std::vector<PersonId>{c.find_person("M1")});
  CHECK(c.tutors(e, at("2027-02-01T00:00:00Z")) == std::vector<PersonId>{c.find_person("T1")});
  const auto inter = c.graph().interactions(c.find_person("L1"));
  REQUIRE(inter.size() == 2);
  std::uint32_t total = 0;
  for (const auto& l : inter) total += l.relation.count;
  CHECK(total == 4);
  CHECK(c.peers(e) == std::vector<LearnerId>{c.find_learner("L2")});
  // DAG: by day 14 (relative), S1, S3 (prerequisite of S2) and S2 are due, in topological order.
  const Day start = c.start_day(e);
  CHECK(c.required_due_by(e, start + 7) == std::vector<StepId>{c.find_step("S1")});
  CHECK(c.required_due_by(e, start + 14) == std::vector<StepId>{c.find_step("S1"), c.find_step("S3"), c.find_step("S2")});
  CHECK(c.find_step_by_iri("https://lms.example/s2") == c.find_step("S2"));
  CHECK(c.enrolment(c.find_enrolment("E2")).outcome_at(at("2027-01-15T00:00:00Z")) == Outcome::active);
  CHECK(c.enrolment(c.find_enrolment("E2")).outcome_at(at("2027-02-15T00:00:00Z")) == Outcome::withdrawn);
}

TEST_CASE("every broken reference is reported, not just the first") {
  Fixture f;
  auto& b = f.b;
  REQUIRE(b.add_learner({"L1", "", "", "", "", "", {}}, f.next()));          // line 2
  CHECK_FALSE(b.add_learner({"L1", "", "", "", "", "", {}}, f.next()));      // 3: duplicate
  REQUIRE(b.add_path({"P", "", ""}, f.next()));                              // 4
  StepRecord s;
  s.path = "Q", s.id = "S1";
  REQUIRE(b.add_step(s, f.next()));                                          // 5: path Q never declared
  EnrolmentRecord e{"E1", "L9", "P", "", at("2027-01-04T08:00:00Z"), kNoTime, Outcome::active, kNoTime, -1};
  REQUIRE(b.add_enrolment(e, f.next()));                                     // 6: unknown learner
  EventRecord ev;
  ev.learner = "L7", ev.time = at("2027-01-06T10:00:00Z"), ev.verb = Verb::launched;
  REQUIRE(b.add_event(ev, f.next()));                                        // 7: unknown learner
  ev.learner = "L1", ev.object_kind = ObjectKind::step, ev.object = "S9";
  REQUIRE(b.add_event(ev, f.next()));                                        // 8: unknown step
  ev.object_kind = ObjectKind::none, ev.object = "", ev.score = 1.5f;
  CHECK_FALSE(b.add_event(ev, f.next()));                                    // 9: score out of range
  REQUIRE(b.add_relation({"L1", "X", RelationType::reports_to, kNoTime, kNoTime}, f.next()));  // 10
  ReadReport r;
  const Cohort c = b.build(r);
  CHECK(r.balanced());
  CHECK(r.read == 9);
  CHECK(r.rejected.size() == 7);
  REQUIRE(find_rejection(r, 3, "learner_id"));
  CHECK(find_rejection(r, 3, "learner_id")->reason.find("duplicate person id 'L1'") != std::string::npos);
  REQUIRE(find_rejection(r, 5, "path_id"));
  CHECK(find_rejection(r, 5, "path_id")->reason == "step in no path: path 'Q' is not declared");
  CHECK(find_rejection(r, 6, "learner_id")->reason == "unknown learner 'L9'");
  CHECK(find_rejection(r, 7, "learner_id")->reason == "unknown learner 'L7'");
  CHECK(find_rejection(r, 8, "object_id")->reason == "unknown step 'S9'");
  CHECK(find_rejection(r, 9, "score"));
  CHECK(find_rejection(r, 10, "target_id")->reason == "unknown person 'X'");
  CHECK(c.learner_count() == 1);
  CHECK(c.events().size() == 0);
  CHECK(c.find_person("L7") == kNoId);  // referenced, never declared: not a person
}

TEST_CASE("a prerequisite cycle is rejected row by row, naming its steps") {
  Fixture f;
  auto& b = f.b;
  REQUIRE(b.add_path({"P", "", ""}, f.next()));
  for (const char* id : {"A", "B", "C", "D"}) {
    StepRecord s;
    s.path = "P", s.id = id;
    REQUIRE(b.add_step(s, f.next()));
  }
  REQUIRE(b.add_prerequisite({"B", "A"}, f.next()));  // A -> B   (line 7)
  REQUIRE(b.add_prerequisite({"C", "B"}, f.next()));  // B -> C   (8)
  REQUIRE(b.add_prerequisite({"A", "C"}, f.next()));  // C -> A   (9): closes the cycle
  REQUIRE(b.add_prerequisite({"D", "A"}, f.next()));  // A -> D   (10): fine
  ReadReport r;
  const Cohort c = b.build(r);
  CHECK(r.balanced());
  REQUIRE(r.rejected.size() == 3);
  for (const auto& x : r.rejected) {
    CHECK(x.reason.find("prerequisites form a cycle") == 0);
    for (const char* id : {"A", "B", "C"}) CHECK(x.reason.find(id) != std::string::npos);
  }
  const Path& p = c.path(0);
  CHECK(p.topo_order.size() == 4);
  CHECK(p.prerequisites_of(c.step(c.find_step("D"))) == std::vector<StepId>{c.find_step("A")});
}

TEST_CASE("event log memory stays within 32 bytes per event") {
  std::vector<Event> events;
  for (int i = 0; i < 100000; ++i) {
    Event e;
    e.learner = static_cast<LearnerId>(i % 1000);
    e.time = (100000 - i) * 1000LL;
    events.push_back(e);
  }
  const EventLog log = EventLog::from_events(std::move(events), 1000);
  CHECK(log.size() == 100000);
  CHECK(static_cast<double>(log.memory_bytes()) / log.size() <= 32.0);
  for (LearnerId l = 0; l < 1000; ++l)
    for (auto i = log.begin(l) + 1; i < log.end(l); ++i) REQUIRE(log.time(i - 1) <= log.time(i));
}
