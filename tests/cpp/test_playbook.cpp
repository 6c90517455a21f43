// The playbook: the default file, every refusal of a broken playbook (each naming the rule and the field),
// merging and overriding by rule id, every fallback chain of "who", and recommend() on a hand-made cohort
// (conditions, merged actions, why in en and fr, due days, buddies, weakest competency, next session).
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "lien/act/playbook.hpp"
#include "lien/act/recommend.hpp"
#include "lien/core/error.hpp"
#include "toolbox_fixture.hpp"

using namespace lien;
using toolbox::at;
using toolbox::day;

namespace {

std::string rule_json(const std::string& body) {
  return R"({"format": "lien.playbook", "version": 1, "rules": [)" + body + "]}";
}

const char* kGood = R"({"id": "r1", "action": "nudge", "when": [{"driver": "inactive_working_days", "value": {">=": 5}}]})";

template <class E>
void refused(const std::string& json, std::initializer_list<const char*> parts) {
  INFO(json);
  try {
    Playbook::parse(json, "test.json");
    FAIL("the playbook was accepted");
  } catch (const E& e) {
    const std::string msg = e.what();
    INFO(msg);
    CHECK(msg.find("playbook 'test.json'") != std::string::npos);
    for (const char* p : parts) CHECK(msg.find(p) != std::string::npos);
  }
}

}  // namespace

TEST_CASE("the default playbook is data/playbook.json, embedded, and it loads") {
  std::ifstream in(std::string(LIEN_SOURCE_DIR) + "/data/playbook.json", std::ios::binary);
  REQUIRE(in);
  std::stringstream ss;
  ss << in.rdbuf();
  CHECK(Playbook::default_playbook_json() == ss.str());
  const Playbook& pb = Playbook::default_playbook();
  CHECK(pb.rules().size() == 21);
  CHECK(pb.settings().due_in_working_days == std::array<std::int32_t, 3>{10, 5, 2});
  CHECK(pb.settings().cooling_off_working_days == 10);
  CHECK(pb.settings().max_actions_per_enrolment == 3);
  // Every action type is used by at least one default rule, and every rule has a note and a target.
  for (std::size_t t = 0; t < kActionTypeNames.size(); ++t) {
    INFO(kActionTypeNames[t]);
    CHECK(std::any_of(pb.rules().begin(), pb.rules().end(),
                      [&](const Rule& r) { return static_cast<std::size_t>(r.action) == t; }));
  }
  for (const Rule& r : pb.rules()) {
    INFO(r.id);
    CHECK_FALSE(r.note.empty());
    CHECK_FALSE(Playbook::effective_target(r).empty());
  }
  const Rule* esc = pb.find("high-risk-escalation");
  REQUIRE(esc);
  CHECK(esc->action == ActionType::escalation);
  CHECK(esc->performer() == Performer::hr);
  CHECK(esc->bands == std::array<bool, 3>{false, false, true});
  CHECK(Playbook::effective_target(*esc) == "inactive_working_days");
  // The same file read from disk gives the same rules.
  const Playbook disk = Playbook::load(std::string(LIEN_SOURCE_DIR) + "/data/playbook.json");
  CHECK(disk.rules().size() == pb.rules().size());
  CHECK_THROWS_AS(Playbook::load("/nonexistent/playbook.json"), IoError);
}

TEST_CASE("a playbook parses conditions, defaults and settings") {
  const Playbook pb = Playbook::parse(R"({
    "format": "lien.playbook", "version": 1, "custom_features": ["overtime_hours"],
    "settings": {"cooling_off_working_days": 7, "due_in_working_days": {"high": 1}},
    "rules": [
      {"id": "a", "action": "tutor_call", "who": "trainer", "bands": ["high", "medium"], "priority": 5,
       "due_in_working_days": {"medium": 4}, "cooling_off_working_days": 3, "note": "n",
       "when": [{"driver": "overtime_hours", "value": {">": 10, "<=": 40}, "rank": {"<=": 2}, "contribution": {">=": 0.1}},
                {"signal": "isolated"}]},
      {"id": "b", "action": "escalation", "targets": "inactive_working_days", "when": [{"signal": "risk", "value": {">=": 0.9}}]}
    ]})");
  REQUIRE(pb.rules().size() == 2);
  const Rule& a = pb.rules()[0];
  CHECK(a.action == ActionType::tutor_call);
  CHECK(a.performer() == Performer::trainer);
  CHECK(a.bands == std::array<bool, 3>{false, true, true});
  CHECK(a.priority == 5);
  CHECK(a.due_in_working_days == std::array<std::int32_t, 3>{-1, 4, -1});
  CHECK(a.cooling_off_working_days == 3);
  REQUIRE(a.when.size() == 2);
  CHECK(a.when[0].feature == "overtime_hours");
  CHECK(a.when[0].value.holds(20));
  CHECK_FALSE(a.when[0].value.holds(10));
  CHECK_FALSE(a.when[0].value.holds(41));
  CHECK(a.when[0].rank.holds(2));
  CHECK_FALSE(a.when[0].rank.holds(3));
  CHECK(a.when[0].contribution.holds(0.1));
  CHECK(a.when[1].kind == Condition::Kind::signal);
  CHECK(a.when[1].signal == Signal::isolated);
  CHECK(a.when[1].value.holds(1));  // a signal without a test means "!= 0"
  CHECK_FALSE(a.when[1].value.holds(0));
  CHECK(Playbook::effective_target(a) == "overtime_hours");
  const Rule& b = pb.rules()[1];
  CHECK(b.performer() == Performer::hr);  // the action's default role
  CHECK(b.bands == std::array<bool, 3>{true, true, true});
  CHECK(Playbook::effective_target(b) == "inactive_working_days");
  CHECK(pb.settings().cooling_off_working_days == 7);
  CHECK(pb.settings().due_in_working_days == std::array<std::int32_t, 3>{10, 5, 1});
  CHECK(pb.settings().signal_window_days == 28);
  // A driver condition without a contribution test only sees drivers that raise the risk.
  const Playbook d = Playbook::parse(rule_json(kGood));
  CHECK(d.rules()[0].when[0].contribution.holds(0.01));
  CHECK_FALSE(d.rules()[0].when[0].contribution.holds(0));
  CHECK_FALSE(d.rules()[0].when[0].contribution.holds(-0.5));
  CHECK(Playbook::effective_target(d.rules()[0]) == "inactive_working_days");
}

TEST_CASE("a broken playbook is refused with the rule and the field named") {
  // Not JSON, or not a playbook.
  refused<ParseError>("{\"format\": ", {"not valid JSON"});
  refused<ParseError>("[1, 2]", {"expected an object"});
  refused<ParseError>(R"({"version": 1, "rules": []})", {"field 'format'", "missing field"});
  refused<InvalidArgument>(R"({"format": "other", "version": 1, "rules": []})", {"field 'format'"});
  refused<ParseError>(R"({"format": "lien.playbook", "rules": []})", {"field 'version'", "missing field"});
  refused<InvalidArgument>(R"({"format": "lien.playbook", "version": 2, "rules": []})", {"field 'version'", "unsupported version 2"});
  refused<ParseError>(R"({"format": "lien.playbook", "version": 1})", {"field 'rules'", "missing field"});
  refused<ParseError>(R"({"format": "lien.playbook", "version": 1, "rules": [], "extra": 1})", {"field 'extra'", "unknown field"});
  refused<ParseError>(R"({"format": "lien.playbook", "version": 1, "rules": {}})", {"field 'rules'", "expected an array"});
  // Missing fields, named by position when the rule has no id.
  refused<ParseError>(rule_json(R"({"action": "nudge", "when": []})"), {"rules[0]", "field 'id'", "missing field"});
  refused<ParseError>(rule_json(R"({"id": "x", "when": []})"), {"rule 'x' (rules[0])", "field 'action'", "missing field"});
  refused<ParseError>(rule_json(R"({"id": "x", "action": "nudge"})"), {"rule 'x'", "field 'when'", "missing field"});
  refused<ParseError>(rule_json(R"({"id": "x", "action": "nudge", "when": [{"value": {">": 1}}]})"),
                      {"rule 'x'", "field 'when[0]'", "missing field 'driver' or 'signal'"});
  // Wrong types.
  refused<ParseError>(rule_json(R"({"id": 7, "action": "nudge", "when": []})"), {"rules[0]", "field 'id'", "expected a string"});
  refused<ParseError>(rule_json(R"({"id": "x", "action": "nudge", "priority": "high", "when": [{"signal": "isolated"}]})"),
                      {"rule 'x'", "field 'priority'", "expected an integer"});
  refused<ParseError>(rule_json(R"({"id": "x", "action": "nudge", "priority": 1.5, "when": [{"signal": "isolated"}]})"),
                      {"field 'priority'", "fractional"});
  refused<ParseError>(rule_json(R"({"id": "x", "action": "nudge", "when": {"signal": "isolated"}})"),
                      {"rule 'x'", "field 'when'", "expected an array"});
  refused<ParseError>(rule_json(R"({"id": "x", "action": "nudge", "when": [{"signal": "isolated", "value": {">": "3"}}]})"),
                      {"rule 'x'", "field 'when[0].value.>'", "expected a number"});
  refused<ParseError>(rule_json(R"({"id": "x", "action": "nudge", "when": [{"signal": "isolated", "value": 3}]})"),
                      {"field 'when[0].value'", "expected an object of comparisons"});
  // Unknown and repeated fields.
  refused<ParseError>(rule_json(R"({"id": "x", "action": "nudge", "prority": 3, "when": [{"signal": "isolated"}]})"),
                      {"rule 'x'", "field 'prority'", "unknown field"});
  refused<ParseError>(rule_json(R"({"id": "x", "action": "nudge", "action": "nudge", "when": [{"signal": "isolated"}]})"),
                      {"rule 'x'", "field 'action'", "appears twice"});
  // Unknown names.
  refused<InvalidArgument>(rule_json(R"({"id": "x", "action": "phone_call", "when": [{"signal": "isolated"}]})"),
                           {"rule 'x' (rules[0])", "field 'action'", "unknown action type 'phone_call'"});
  refused<InvalidArgument>(rule_json(R"({"id": "x", "action": "nudge", "when": [{"driver": "inactivity", "value": {">": 1}}]})"),
                           {"rule 'x'", "field 'when[0].driver'", "unknown feature id 'inactivity'"});
  refused<InvalidArgument>(rule_json(R"({"id": "x", "action": "nudge", "when": [{"signal": "lonely"}]})"),
                           {"rule 'x'", "field 'when[0].signal'", "unknown signal 'lonely'"});
  refused<InvalidArgument>(rule_json(R"({"id": "x", "action": "nudge", "who": "coach", "when": [{"signal": "isolated"}]})"),
                           {"rule 'x'", "field 'who'", "unknown role 'coach'"});
  refused<InvalidArgument>(rule_json(R"({"id": "x", "action": "nudge", "who": "nobody", "when": [{"signal": "isolated"}]})"),
                           {"field 'who'", "unknown role 'nobody'"});
  refused<InvalidArgument>(rule_json(R"({"id": "x", "action": "nudge", "who": "buddy", "when": [{"signal": "isolated"}]})"),
                           {"rule 'x'", "field 'who'", "only performs buddy_pairing"});
  refused<InvalidArgument>(rule_json(R"({"id": "x", "action": "nudge", "bands": ["urgent"], "when": [{"signal": "isolated"}]})"),
                           {"rule 'x'", "field 'bands[0]'", "unknown band 'urgent'"});
  refused<InvalidArgument>(rule_json(R"({"id": "x", "action": "nudge", "targets": "mood", "when": [{"signal": "isolated"}]})"),
                           {"rule 'x'", "field 'targets'", "unknown feature id 'mood'"});
  // Bad conditions.
  refused<InvalidArgument>(rule_json(R"({"id": "x", "action": "nudge", "when": [{"signal": "peer_degree", "value": {"=>": 1}}]})"),
                           {"rule 'x'", "field 'when[0].value'", "bad condition", "unknown operator '=>'"});
  refused<InvalidArgument>(rule_json(R"({"id": "x", "action": "nudge", "when": [{"signal": "peer_degree", "value": {}}]})"),
                           {"field 'when[0].value'", "bad condition", "no comparison"});
  refused<InvalidArgument>(rule_json(R"({"id": "x", "action": "nudge", "when": [{"signal": "peer_degree", "value": {">": 5, "<": 3}}]})"),
                           {"rule 'x'", "field 'when[0].value'", "can never hold"});
  refused<InvalidArgument>(rule_json(R"({"id": "x", "action": "nudge", "when": [{"signal": "peer_degree", "value": {"==": 2, "!=": 2}}]})"),
                           {"field 'when[0].value'", "can never hold"});
  refused<InvalidArgument>(rule_json(R"({"id": "x", "action": "nudge", "when": [{"driver": "inactive_working_days", "rank": {"<": 1}}]})"),
                           {"field 'when[0].rank'", "can never hold"});
  refused<InvalidArgument>(rule_json(R"({"id": "x", "action": "nudge", "when": [{"signal": "isolated", "value": {">": 1}}]})"),
                           {"field 'when[0].value'", "can never hold"});
  refused<InvalidArgument>(rule_json(R"({"id": "x", "action": "nudge", "when": [{"driver": "has_manager", "value": {"<": 0}}]})"),
                           {"field 'when[0].value'", "can never hold"});
  refused<InvalidArgument>(rule_json(R"({"id": "x", "action": "nudge", "targets": "has_manager", "when": [{"signal": "risk", "value": {">": 1}}]})"),
                           {"field 'when[0].value'", "can never hold"});
  refused<InvalidArgument>(rule_json(R"({"id": "x", "action": "nudge", "when": [{"signal": "isolated", "rank": {"<=": 2}}]})"),
                           {"field 'when[0].rank'", "only drivers have a rank"});
  refused<InvalidArgument>(rule_json(R"({"id": "x", "action": "nudge", "when": [{"driver": "inactive_working_days", "signal": "isolated"}]})"),
                           {"field 'when[0]'", "both a driver and a signal"});
  refused<InvalidArgument>(rule_json(R"({"id": "x", "action": "nudge", "when": []})"), {"rule 'x'", "field 'when'", "at least one condition"});
  refused<InvalidArgument>(rule_json(R"({"id": "x", "action": "nudge", "when": [{"signal": "risk", "value": {">=": 0.5}}]})"),
                           {"rule 'x'", "field 'targets'", "missing field"});
  // Duplicate ids, bad ids and numbers out of range.
  refused<InvalidArgument>(rule_json(std::string(kGood) + "," + kGood), {"rule 'r1' (rules[1])", "field 'id'", "duplicate rule id (also rules[0])"});
  refused<InvalidArgument>(rule_json(R"({"id": "has space", "action": "nudge", "when": [{"signal": "isolated"}]})"), {"field 'id'"});
  refused<InvalidArgument>(rule_json(R"({"id": "x", "action": "nudge", "due_in_working_days": {"high": 999}, "when": [{"signal": "isolated"}]})"),
                           {"rule 'x'", "field 'due_in_working_days.high'", "between 0 and 250"});
  refused<ParseError>(rule_json(R"({"id": "x", "action": "nudge", "due_in_working_days": {"urgent": 1}, "when": [{"signal": "isolated"}]})"),
                      {"field 'due_in_working_days.urgent'", "unknown field"});
  refused<InvalidArgument>(R"({"format": "lien.playbook", "version": 1, "settings": {"buddy_cap": 0}})", {"field 'settings.buddy_cap'"});
  refused<ParseError>(R"({"format": "lien.playbook", "version": 1, "settings": {"cooling_off": 3}})", {"field 'settings.cooling_off'", "unknown field"});
  refused<InvalidArgument>(R"({"format": "lien.playbook", "version": 1, "custom_features": ["gender"]})",
                           {"field 'custom_features[0]'", "protected attribute"});
  refused<InvalidArgument>(R"({"format": "lien.playbook", "version": 1, "custom_features": ["inactive_working_days"]})",
                           {"field 'custom_features[0]'", "built-in"});
  refused<InvalidArgument>(std::string(R"({"format": "lien.playbook", "version": 1, "remove": ["r1"], "rules": [)") + kGood + "]}",
                           {"field 'remove[0]'", "both defined and removed"});
}

TEST_CASE("an extension overrides rules by id, adds and removes rules, and overrides stated settings") {
  Playbook base = Playbook::parse(rule_json(std::string(kGood) + R"(,
    {"id": "r2", "action": "tutor_call", "when": [{"signal": "isolated"}]},
    {"id": "r3", "action": "progress_review", "when": [{"signal": "has_tutor", "value": {"==": 0}}]})"));
  const Playbook ext = Playbook::parse(R"({"format": "lien.playbook", "version": 1,
    "custom_features": ["overtime_hours"],
    "settings": {"cooling_off_working_days": 4},
    "remove": ["r3"],
    "rules": [
      {"id": "r2", "action": "buddy_pairing", "priority": 9, "when": [{"signal": "isolated"}]},
      {"id": "r4", "action": "manager_check_in", "when": [{"driver": "overtime_hours", "value": {">": 45}}]}
    ]})");
  base.settings().signal_window_days = 14;
  base.merge(ext);
  REQUIRE(base.rules().size() == 3);
  CHECK(base.rules()[0].id == "r1");
  CHECK(base.rules()[1].id == "r2");  // replaced in place
  CHECK(base.rules()[1].action == ActionType::buddy_pairing);
  CHECK(base.rules()[1].priority == 9);
  CHECK(base.rules()[2].id == "r4");  // appended
  CHECK(base.find("r3") == nullptr);
  CHECK(base.settings().cooling_off_working_days == 4);
  CHECK(base.settings().signal_window_days == 14);  // not stated by the extension: kept
  CHECK(base.custom_features() == std::vector<std::string>{"overtime_hours"});
  // Removing a rule that does not exist is refused before anything changes.
  const Playbook bad = Playbook::parse(R"({"format": "lien.playbook", "version": 1, "remove": ["nope"]})");
  CHECK_THROWS_WITH(base.merge(bad), Catch::Contains("rule 'nope' to remove does not exist"));
  CHECK(base.rules().size() == 3);
  // add_rule checks as the parser does.
  Rule r = base.rules()[0];
  CHECK_THROWS_WITH(base.add_rule(r), Catch::Contains("duplicate rule id"));
  r.id = "r5";
  r.when[0].feature = "nonsense";
  CHECK_THROWS_WITH(base.add_rule(r), Catch::Contains("unknown feature id 'nonsense'"));
  r.when[0].feature = "inactive_working_days";
  base.add_rule(r);
  CHECK(base.find("r5") != nullptr);
  CHECK(base.remove_rule("r5"));
  CHECK_FALSE(base.remove_rule("r5"));
}

namespace {

// Wednesday 2027-03-10 (UTC, Monday to Friday). Everyone started Monday 2027-01-04 (day 0; the date is day 65).
//   G1: E1 L1 (team A), E2 L2 (team B), E3 L3 (team A); tutor T1 and trainer R1 (org TrainCo) of G1.
//   G2: E4 L4, E5 L5; no tutor, no trainer. E6 L6 withdrew before the date.
//   L1 reports to M1 (org Acme); M1 met L1 on 2027-02-01. L3 also reports to M1.
//   HR: H1 (org Acme: same organisation as L1's manager), H2 member of company CO1 which employs L2 (two links),
//       H3 employs L3 (a direct link), H9 (org Other, unrelated to anyone).
//   Training organisations: O1 (org TrainCo, like G1's trainer), O2 (L5 is a member of it).
//   Community manager CM1 (no link), unless `with_cm` is false.
//   Path P: S1 (negotiation, required, due day 7), S2 (listening, required, due 14), S3 (negotiation, optional),
//   S4 (classroom, required, opens day 67 = Friday 2027-03-12, due 67), S5 (community event, day 70).
Cohort make_cohort(bool with_cm = true) {
  toolbox::Builder b;
  b.learner("L1", "A").learner("L2", "B").learner("L3", "A").learner("L4", "C").learner("L5", "C").learner("L6", "C");
  b.stakeholder("M1", Role::manager, "Acme");
  b.stakeholder("H1", Role::hr, "Acme").stakeholder("H2", Role::hr).stakeholder("H3", Role::hr).stakeholder("H9", Role::hr, "Other");
  b.stakeholder("CO1", Role::company);
  b.stakeholder("T1", Role::tutor).stakeholder("R1", Role::trainer, "TrainCo");
  b.stakeholder("O1", Role::training_org, "TrainCo").stakeholder("O2", Role::training_org, "Elsewhere");
  if (with_cm) b.stakeholder("CM1", Role::community_manager);
  b.relation("L1", "M1", RelationType::reports_to).relation("L3", "M1", RelationType::reports_to);
  b.relation("CO1", "L2", RelationType::employs).relation("H2", "CO1", RelationType::member_of);
  b.relation("H3", "L3", RelationType::employs);
  b.relation("L5", "O2", RelationType::member_of);
  b.relation("T1", "G1", RelationType::tutors).relation("R1", "G1", RelationType::trains);
  b.path("P", "Leadership");
  b.step("P", "S1", StepKind::assessment, Phase::before, 0, 7, true, {"negotiation"}, "Negotiation quiz");
  b.step("P", "S2", StepKind::assessment, Phase::during, 7, 14, true, {"listening"}, "Listening quiz");
  b.step("P", "S3", StepKind::elearning, Phase::during, kNoDay, kNoDay, false, {"negotiation"}, "Negotiation deep dive");
  b.step("P", "S4", StepKind::classroom, Phase::during, 67, 67, true, {}, "Workshop");
  b.step("P", "S5", StepKind::community_event, Phase::intersession, 70, 70, false, {}, "Meetup");
  const char* start = "2027-01-04T08:00:00Z";
  b.enrol("E1", "L1", "P", "G1", start).enrol("E2", "L2", "P", "G1", start).enrol("E3", "L3", "P", "G1", start);
  b.enrol("E4", "L4", "P", "G2", start).enrol("E5", "L5", "P", "G2", start);
  b.enrol("E6", "L6", "P", "G2", start, Outcome::withdrawn, "2027-02-01T12:00:00Z");
  b.event("L1", "2027-02-01T10:00:00Z", Verb::met, ObjectKind::none, "", "M1");
  b.did("L1", "2027-01-08T10:00:00Z", Verb::passed, "S1", 0.3f);
  b.did("L1", "2027-01-15T10:00:00Z", Verb::attempted, "S2", 0.8f);  // scored, not done
  // L2 is ahead (S1, S2 and the optional S3 done; L1 has done S1 only), active, and talks with L3.
  b.did("L2", "2027-01-06T10:00:00Z", Verb::completed, "S1");
  b.did("L2", "2027-01-13T10:00:00Z", Verb::completed, "S2");
  b.did("L2", "2027-02-13T10:00:00Z", Verb::completed, "S3");
  b.event("L2", "2027-03-09T10:00:00Z", Verb::messaged, ObjectKind::person, "L3");
  return b.build();
}

const Cohort& cohort() {
  static const Cohort c = make_cohort();
  return c;
}

const Time kDate = at("2027-03-10T10:00:00Z");

EnrolmentId E(const char* id) { return cohort().find_enrolment(id); }
PersonId P(const char* id) { return cohort().find_person(id); }

}  // namespace

TEST_CASE("who: every fallback chain, resolved in the stakeholder graph") {
  const Cohort& c = cohort();
  // manager: found.
  Resolution r = resolve_performer(c, E("E1"), Performer::manager, kDate);
  CHECK(r.role == Performer::manager);
  CHECK(r.person == P("M1"));
  CHECK(r.tried.empty());
  // manager -> hr (H2, two links away through the company that employs L2).
  r = resolve_performer(c, E("E2"), Performer::manager, kDate);
  CHECK(r.role == Performer::hr);
  CHECK(r.person == P("H2"));
  CHECK(r.tried == std::vector<Performer>{Performer::manager});
  // manager -> hr -> community_manager: L4 has no manager, and no HR is linked to them or shares an organisation
  // with their manager (H9 of another organisation must not hear about them).
  r = resolve_performer(c, E("E4"), Performer::manager, kDate);
  CHECK(r.role == Performer::community_manager);
  CHECK(r.person == P("CM1"));
  CHECK(r.tried == std::vector<Performer>{Performer::manager, Performer::hr});
  // hr -> community_manager.
  r = resolve_performer(c, E("E4"), Performer::hr, kDate);
  CHECK(r.person == P("CM1"));
  CHECK(r.tried == std::vector<Performer>{Performer::hr});
  // tutor: found through the instance; tutor -> community_manager in G2.
  r = resolve_performer(c, E("E1"), Performer::tutor, kDate);
  CHECK(r.person == P("T1"));
  r = resolve_performer(c, E("E4"), Performer::tutor, kDate);
  CHECK(r.role == Performer::community_manager);
  CHECK(r.tried == std::vector<Performer>{Performer::tutor});
  // trainer: found; trainer -> training_org (O2, L5 is a member); trainer -> training_org -> community_manager.
  r = resolve_performer(c, E("E1"), Performer::trainer, kDate);
  CHECK(r.person == P("R1"));
  r = resolve_performer(c, E("E5"), Performer::trainer, kDate);
  CHECK(r.role == Performer::training_org);
  CHECK(r.person == P("O2"));
  CHECK(r.tried == std::vector<Performer>{Performer::trainer});
  r = resolve_performer(c, E("E4"), Performer::trainer, kDate);
  CHECK(r.role == Performer::community_manager);
  CHECK(r.tried == std::vector<Performer>{Performer::trainer, Performer::training_org});
  // training_org: O1 shares the organisation of G1's trainer; training_org -> community_manager.
  r = resolve_performer(c, E("E1"), Performer::training_org, kDate);
  CHECK(r.person == P("O1"));
  r = resolve_performer(c, E("E4"), Performer::training_org, kDate);
  CHECK(r.person == P("CM1"));
  CHECK(r.tried == std::vector<Performer>{Performer::training_org});
  // buddy: the one given; none -> community_manager.
  r = resolve_performer(c, E("E1"), Performer::buddy, kDate, P("L2"));
  CHECK(r.role == Performer::buddy);
  CHECK(r.person == P("L2"));
  r = resolve_performer(c, E("E1"), Performer::buddy, kDate);
  CHECK(r.person == P("CM1"));
  CHECK(r.tried == std::vector<Performer>{Performer::buddy});
  // learner: the learner.
  r = resolve_performer(c, E("E3"), Performer::learner, kDate);
  CHECK(r.role == Performer::learner);
  CHECK(r.person == P("L3"));
  // community_manager -> nobody, in a cohort without one.
  const Cohort no_cm = make_cohort(false);
  r = resolve_performer(no_cm, no_cm.find_enrolment("E4"), Performer::manager, kDate);
  CHECK(r.role == Performer::nobody);
  CHECK(r.person == kNoId);
  CHECK(r.tried == std::vector<Performer>{Performer::manager, Performer::hr, Performer::community_manager});
  r = resolve_performer(no_cm, no_cm.find_enrolment("E4"), Performer::tutor, kDate);
  CHECK(r.role == Performer::nobody);
  CHECK(r.tried == std::vector<Performer>{Performer::tutor, Performer::community_manager});
}

TEST_CASE("who: people in a role are ranked by closeness to the learner") {
  const Cohort& c = cohort();
  // L3: H3 is linked directly (rank 0), H1 shares the organisation of L3's manager M1 (rank 2); H2 and H9 are out.
  CHECK(people_for(c, E("E3"), Performer::hr, kDate) == std::vector<PersonId>{P("H3"), P("H1")});
  // L1: only H1 (organisation of the manager).
  CHECK(people_for(c, E("E1"), Performer::hr, kDate) == std::vector<PersonId>{P("H1")});
  CHECK(people_for(c, E("E2"), Performer::hr, kDate) == std::vector<PersonId>{P("H2")});
  CHECK(people_for(c, E("E4"), Performer::hr, kDate).empty());
  // Any community manager will do.
  CHECK(people_for(c, E("E4"), Performer::community_manager, kDate) == std::vector<PersonId>{P("CM1")});
  CHECK(people_for(c, E("E5"), Performer::training_org, kDate) == std::vector<PersonId>{P("O2")});
  CHECK(people_for(c, E("E1"), Performer::learner, kDate) == std::vector<PersonId>{P("L1")});
  CHECK_THROWS_AS(people_for(c, 999, Performer::hr, kDate), InvalidArgument);
}

TEST_CASE("signals of a learner: graph, stakeholders, competencies, next session") {
  const Cohort& c = cohort();
  const std::vector<RiskScore> scores{toolbox::score(c, "E1", 0.7), toolbox::score(c, "E4", 0.1)};
  const auto sv = signal_values(c, PlaybookSettings{}, scores, kDate);
  REQUIRE(sv.size() == 2);
  const SignalValues& s = sv[0];
  // No peer contact since the start: 47 working days (19 in January after the 4th, 20 in February, 8 in March).
  CHECK(s[Signal::isolated] == 1);
  CHECK(s[Signal::peer_silence_working_days] == 47);
  CHECK(s[Signal::peer_degree] == 0);
  CHECK(s[Signal::has_manager] == 1);
  // Last manager contact 2027-02-01: 19 working days left in February, 8 in March.
  CHECK(s[Signal::manager_silence_working_days] == 27);
  CHECK(s[Signal::has_tutor] == 1);
  CHECK(s[Signal::tutor_silence_working_days] == 47);
  CHECK(s.weakest_competency == c.competencies().find("negotiation"));
  CHECK(s[Signal::weakest_competency_score] == Approx(0.3));
  CHECK(s.next_session == c.find_step("S4"));
  CHECK(s.next_session_day == day("2027-03-12"));
  CHECK(s[Signal::next_session_working_days] == 2);
  CHECK(s.next_community_event == c.find_step("S5"));
  CHECK(s[Signal::next_community_event_working_days] == 3);  // Monday 2027-03-15
  CHECK(s[Signal::risk] == 0.7);
  CHECK(sv[1][Signal::has_manager] == 0);
  CHECK(sv[1][Signal::has_tutor] == 0);
  CHECK_FALSE(sv[1].has(Signal::weakest_competency_score));
}

TEST_CASE("recommend: rules fire on drivers, merge per action, and say who, why and by when") {
  const Cohort& c = cohort();
  const Playbook pb = Playbook::parse(R"({"format": "lien.playbook", "version": 1,
    "settings": {"due_in_working_days": {"low": 10, "medium": 5, "high": 2}, "max_actions_per_enrolment": 5},
    "rules": [
      {"id": "inactive-call", "action": "tutor_call", "bands": ["high"], "priority": 50,
       "when": [{"driver": "inactive_working_days", "value": {">=": 10}, "rank": {"<=": 3}}]},
      {"id": "inactive-nudge", "action": "nudge", "priority": 10, "when": [{"driver": "inactive_working_days", "value": {">=": 5}}]},
      {"id": "overdue-call", "action": "tutor_call", "who": "manager", "priority": 60,
       "when": [{"driver": "overdue_required_steps", "value": {">=": 2}}]},
      {"id": "check-in", "action": "manager_check_in", "priority": 30, "bands": ["medium", "high"],
       "when": [{"signal": "manager_silence_working_days", "value": {">=": 15}}]}
    ]})");
  const std::vector<RiskScore> scores{
      toolbox::score(c, "E1", 0.7, {{"inactive_working_days", 12, 0.9}, {"overdue_required_steps", 2, 0.5}}),
      // Inactivity lowers E2's risk here (negative contribution): no action on it.
      toolbox::score(c, "E2", 0.3, {{"inactive_working_days", 6, -0.2}}),
      // E4: medium, no manager: the check-in goes to the community manager; inactivity of 6: a nudge only.
      toolbox::score(c, "E4", 0.3, {{"inactive_working_days", 6, 0.4}}),
      // E6 withdrew: skipped.
      toolbox::score(c, "E6", 0.9, {{"inactive_working_days", 30, 2.0}})};
  const std::vector<Action> actions = recommend(c, pb, scores, kDate);
  REQUIRE(actions.size() == 6);
  // E1: tutor_call (two rules, the higher priority one speaks: the manager does it), check-in, nudge.
  const Action& call = actions[0];
  CHECK(call.enrolment == E("E1"));
  CHECK(call.type == ActionType::tutor_call);
  CHECK(call.rule == "overdue-call");
  CHECK(call.rules == std::vector<std::string>{"inactive-call", "overdue-call"});
  CHECK(call.priority == 60);
  CHECK(call.requested == Performer::manager);
  CHECK(call.performer == P("M1"));
  CHECK(call.target == "overdue_required_steps");
  REQUIRE(call.reasons.size() == 2);
  CHECK(call.reasons[0].id == "inactive_working_days");
  CHECK(call.reasons[0].rank == 1);
  CHECK(call.why_en == "High risk (70%): no activity for 12 working days; 2 required steps overdue.");
  CHECK(call.why_fr == "Risque élevé (70 %) : aucune activité depuis 12 jours ouvrés ; 2 étapes obligatoires en retard.");
  CHECK(call.due_in_working_days == 2);
  CHECK(call.due == day("2027-03-12"));  // Wednesday + 2 working days
  CHECK(call.band == Band::high);
  CHECK(call.cooling_off_working_days == 10);
  const Action& check_in = actions[1];
  CHECK(check_in.type == ActionType::manager_check_in);
  CHECK(check_in.performer == P("M1"));
  CHECK(check_in.target == "manager_silence_working_days");
  CHECK(check_in.why_en == "High risk (70%): no contact with the manager for 27 working days.");
  CHECK(check_in.why_fr == "Risque élevé (70 %) : aucun contact avec sa hiérarchie depuis 27 jours ouvrés.");
  const Action& nudge = actions[2];
  CHECK(nudge.type == ActionType::nudge);
  CHECK(nudge.resolved == Performer::community_manager);
  CHECK(nudge.performer == P("CM1"));
  // E2 (medium): no manager, so silent since the start: the check-in falls to HR (H2). Its inactivity lowers
  // the risk (negative contribution): no nudge.
  CHECK(actions[3].enrolment == E("E2"));
  CHECK(actions[3].type == ActionType::manager_check_in);
  CHECK(actions[3].resolved == Performer::hr);
  CHECK(actions[3].performer == P("H2"));
  // E4: check-in by the community manager (no manager, no HR), then the nudge.
  CHECK(actions[4].enrolment == E("E4"));
  CHECK(actions[4].type == ActionType::manager_check_in);
  CHECK(actions[4].performer == P("CM1"));
  CHECK(actions[4].fallbacks == std::vector<Performer>{Performer::manager, Performer::hr});
  CHECK(actions[4].due == day("2027-03-17"));  // medium: 5 working days
  CHECK(actions[5].type == ActionType::nudge);
  CHECK(actions[5].why_en == "Medium risk (30%): no activity for 6 working days.");
  // The description a person reads names the people and the fallback.
  const std::string en = describe_action(c, actions[4], Lang::en);
  CHECK(en.find("Manager check-in for L4, by CM1 [community manager, instead of the manager], due 2027-03-17.") == 0);
  const std::string fr = describe_action(c, actions[4], Lang::fr);
  CHECK(fr.find("Point avec la hiérarchie pour L4, par CM1 [animation de la communauté, faute de hiérarchie], avant le 17/03/2027.") == 0);
  // The order never depends on the order of the scores.
  const std::vector<RiskScore> reversed(scores.rbegin(), scores.rend());
  const std::vector<Action> again = recommend(c, pb, reversed, kDate);
  REQUIRE(again.size() == actions.size());
  for (std::size_t i = 0; i < again.size(); ++i) {
    CHECK(again[i].enrolment == actions[i].enrolment);
    CHECK(again[i].type == actions[i].type);
    CHECK(again[i].why_fr == actions[i].why_fr);
  }
  // At most N actions per enrolment, the highest priorities kept.
  Playbook capped = pb;
  capped.settings().max_actions_per_enrolment = 1;
  const std::vector<Action> one = recommend(c, capped, scores, kDate);
  REQUIRE(one.size() == 3);
  CHECK(one[0].type == ActionType::tutor_call);
  CHECK(one[1].type == ActionType::manager_check_in);
  CHECK(one[2].type == ActionType::manager_check_in);
}

TEST_CASE("recommend: buddy, weakest competency, next session, community event") {
  const Cohort& c = cohort();
  const Playbook pb = Playbook::parse(R"({"format": "lien.playbook", "version": 1,
    "settings": {"max_actions_per_enrolment": 0},
    "rules": [
      {"id": "buddy", "action": "buddy_pairing", "bands": ["medium", "high"], "when": [{"signal": "isolated"}]},
      {"id": "content", "action": "extra_content", "when": [{"signal": "weakest_competency_score", "value": {"<": 0.5}}]},
      {"id": "challenge", "action": "session_challenge", "when": [{"signal": "next_session_working_days", "value": {"<=": 5}}]},
      {"id": "event", "action": "community_event", "when": [{"signal": "isolated"}]}
    ]})");
  const std::vector<RiskScore> scores{toolbox::score(c, "E1", 0.6), toolbox::score(c, "E4", 0.6)};
  const std::vector<Action> actions = recommend(c, pb, scores, kDate);
  auto find = [&](const char* e, ActionType t) -> const Action& {
    for (const Action& a : actions)
      if (a.enrolment == E(e) && a.type == t) return a;
    throw std::runtime_error("action not found");
  };
  // L1 is isolated; L2 is ahead (2 required steps done against 1), active yesterday, in G1: L1's buddy.
  const Action& buddy = find("E1", ActionType::buddy_pairing);
  CHECK(buddy.buddy == P("L2"));
  CHECK(buddy.buddy_enrolment == E("E2"));
  CHECK(buddy.performer == P("L2"));
  CHECK(buddy.resolved == Performer::buddy);
  CHECK(buddy.buddy_score > 0);
  CHECK(buddy.target == "isolated_from_peers");
  CHECK(buddy.why_en == "High risk (60%): no interaction with peers for 47 working days.");
  // L4 (G2) is isolated too, but nobody in G2 is ahead: the community manager pairs by hand.
  const Action& lonely = find("E4", ActionType::buddy_pairing);
  CHECK(lonely.buddy == kNoId);
  CHECK(lonely.performer == P("CM1"));
  CHECK(lonely.fallbacks == std::vector<Performer>{Performer::buddy});
  // Extra content on negotiation (30%), with the optional step S3 that trains it.
  const Action& content = find("E1", ActionType::extra_content);
  CHECK(content.competency == c.competencies().find("negotiation"));
  CHECK(content.competency_score == Approx(0.3));
  CHECK(content.step == c.find_step("S3"));
  CHECK(content.performer == P("T1"));
  CHECK(content.why_en == "High risk (60%): weakest competency 'negotiation': 30%.");
  CHECK(content.why_fr == "Risque élevé (60 %) : compétence la plus faible « negotiation » : 30 %.");
  // L4 has no score at all: no extra content for them.
  CHECK(std::none_of(actions.begin(), actions.end(),
                     [&](const Action& a) { return a.enrolment == E("E4") && a.type == ActionType::extra_content; }));
  // The workshop is on Friday 2027-03-12: the challenge is due the working day before, Thursday.
  const Action& challenge = find("E1", ActionType::session_challenge);
  CHECK(challenge.step == c.find_step("S4"));
  CHECK(challenge.step_day == day("2027-03-12"));
  CHECK(challenge.due == day("2027-03-11"));
  CHECK(challenge.due_in_working_days == 1);
  CHECK(challenge.performer == P("R1"));
  CHECK(challenge.why_en == "High risk (60%): next session 'Workshop' in 2 working days.");
  CHECK(challenge.why_fr == "Risque élevé (60 %) : prochaine session « Workshop » dans 2 jours ouvrés.");
  // For E4 the trainer chain ends with the community manager.
  CHECK(find("E4", ActionType::session_challenge).performer == P("CM1"));
  const Action& event = find("E1", ActionType::community_event);
  CHECK(event.step == c.find_step("S5"));
  CHECK(event.performer == P("CM1"));
  const std::string text = describe_action(c, buddy, Lang::en);
  CHECK(text.find("Buddy: L2.") != std::string::npos);
  // An action that does not fit the cohort is refused, not read out of bounds.
  Action broken = buddy;
  broken.buddy = 9999;
  CHECK_THROWS_WITH(describe_action(c, broken, Lang::en), Catch::Contains("unknown buddy (id 9999)"));
  broken = content;
  broken.step = 500;
  CHECK_THROWS_AS(describe_action(c, broken, Lang::fr), InvalidArgument);
}

TEST_CASE("recommend refuses unknown and repeated enrolments and impossible probabilities") {
  const Cohort& c = cohort();
  const Playbook& pb = Playbook::default_playbook();
  RiskScore bad = toolbox::score(c, "E1", 0.5);
  bad.enrolment = 999;
  CHECK_THROWS_WITH(recommend(c, pb, std::vector<RiskScore>{bad}, kDate), Catch::Contains("unknown enrolment"));
  const std::vector<RiskScore> twice{toolbox::score(c, "E1", 0.5), toolbox::score(c, "E1", 0.6)};
  CHECK_THROWS_WITH(recommend(c, pb, twice, kDate), Catch::Contains("two scores for enrolment 'E1'"));
  RiskScore nan = toolbox::score(c, "E1", 0.5);
  nan.probability = std::nan("");
  CHECK_THROWS_AS(recommend(c, pb, std::vector<RiskScore>{nan}, kDate), InvalidArgument);
  CHECK(recommend(c, pb, std::vector<RiskScore>{}, kDate).empty());
}

TEST_CASE("the default playbook on a high-risk, inactive, isolated learner") {
  const Cohort& c = cohort();
  const std::vector<RiskScore> scores{toolbox::score(
      c, "E1", 0.85, {{"inactive_working_days", 16, 1.2}, {"peer_silence_working_days", 40, 0.4}, {"has_manager", 1, -0.1}})};
  const std::vector<Action> actions = recommend(c, Playbook::default_playbook(), scores, kDate);
  // Highest priorities among those that fire: escalation (60), tutor call (50), buddy pairing (35).
  REQUIRE(actions.size() == 3);
  CHECK(actions[0].type == ActionType::escalation);
  CHECK(actions[0].performer == P("H1"));  // HR of the manager's organisation
  CHECK(actions[0].why_en == "High risk (85%): no activity for 16 working days; risk of dropping out 85%.");
  CHECK(actions[1].type == ActionType::tutor_call);
  CHECK(actions[1].performer == P("T1"));
  CHECK(actions[2].type == ActionType::buddy_pairing);
  CHECK(actions[2].rules == std::vector<std::string>{"isolated-buddy", "peer-silence-buddy"});
  CHECK(actions[2].buddy == P("L2"));
}
