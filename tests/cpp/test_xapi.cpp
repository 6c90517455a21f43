// The xAPI reader: statements as real LMSs emit them, every rejection rule, voiding in either order, NDJSON
// and array forms, inference mode (xAPI alone) and mapping mode (against declared learners and steps), and
// the round trip of examples/data/to_xapi.py on tests/data/xapi/csv-mini.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "lien/core/digest.hpp"
#include "lien/core/error.hpp"
#include "lien/io/read.hpp"
#include "lien/io/xapi.hpp"

using namespace lien;

namespace {

std::string data_path(const std::string& name) { return std::string(LIEN_TEST_DATA_DIR) + "/xapi/" + name; }

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::string line;
  std::istringstream in(text);
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

/// The NDJSON lines of a fixture written as one JSON array.
std::string as_array(const std::string& ndjson) {
  std::string out = "[\n";
  bool first = true;
  for (const auto& l : lines_of(ndjson)) {
    if (l.empty()) continue;
    if (!first) out += ",\n";
    out += l;
    first = false;
  }
  return out + "\n]\n";
}

Time at(const char* s) {
  ParsedTimestamp p;
  REQUIRE(parse_timestamp(s, p));
  return p.ms;
}

struct Read {
  XapiReadStats stats;
  ReadReport report;
  Cohort cohort;
};

Read read_text(const std::string& text, ReadOptions options = {}, CohortBuilder builder = CohortBuilder()) {
  Read r;
  r.stats = read_xapi(builder, text, "test.ndjson", options);
  r.cohort = builder.build(r.report);
  return r;
}

Read read_fixture(const std::string& name, ReadOptions options = {}) { return read_text(slurp(data_path(name)), options); }

const Rejection* rejection_at(const ReadReport& r, std::uint64_t index) {
  for (const auto& x : r.rejected)
    if (x.index == index) return &x;
  return nullptr;
}

/// One rejection, for statements that must be refused for one reason.
Rejection only_rejection(const std::string& statement, ReadOptions options = {}) {
  const Read r = read_text(statement, options);
  REQUIRE(r.report.read == 1);
  REQUIRE(r.report.rejected.size() == 1);
  return r.report.rejected[0];
}

/// Everything a cohort says, as text: two reads giving the same text gave the same cohort.
std::string fingerprint(const Cohort& c) {
  std::ostringstream o;
  for (LearnerId l = 0; l < c.learner_count(); ++l) o << "learner " << c.learner_id(l) << "\n";
  for (PersonId p = 0; p < c.person_count(); ++p) o << "person " << c.person(p).id << " " << to_string(c.person(p).role) << "\n";
  for (PathId p = 0; p < c.path_count(); ++p) o << "path " << c.path(p).id << " '" << c.path(p).title << "'\n";
  for (StepId s = 0; s < c.step_count(); ++s)
    o << "step " << c.step(s).id << " " << c.path(c.step(s).path).id << " " << to_string(c.step(s).kind) << " '"
      << c.step(s).title << "' " << c.step(s).activity_iri << "\n";
  for (EnrolmentId e = 0; e < c.enrolment_count(); ++e)
    o << "enrolment " << c.enrolment(e).id << " " << c.enrolment(e).start << "\n";
  const EventLog& log = c.events();
  for (std::size_t i = 0; i < log.size(); ++i) {
    o << "event " << c.learner_id(log.learner_of(i)) << " " << log.time(i) << " " << to_string(log.verb(i)) << " "
      << to_string(log.object_kind(i)) << " " << log.object(i) << " " << log.actor(i) << " " << log.score(i) << " "
      << static_cast<int>(log.success(i)) << static_cast<int>(log.completion(i)) << " " << log.duration(i) << " "
      << log.count(i) << "\n";
  }
  return o.str();
}

/// The external id of event i's object.
std::string object_id(const Cohort& c, std::size_t i) {
  const EventLog& log = c.events();
  switch (log.object_kind(i)) {
    case ObjectKind::step: return c.step(log.object(i)).id;
    case ObjectKind::resource: return std::string(c.resources()[log.object(i)]);
    case ObjectKind::person: return c.person(log.object(i)).id;
    case ObjectKind::none: return "";
  }
  return "?";
}

/// The events of learner `id`, in time order.
std::vector<std::size_t> events_of(const Cohort& c, const std::string& id) {
  const LearnerId l = c.find_learner(id);
  REQUIRE(l != kNoId);
  std::vector<std::size_t> out;
  for (std::size_t i = c.events().begin(l); i < c.events().end(l); ++i) out.push_back(i);
  return out;
}

std::uint64_t verb_count(const XapiReadStats& s, Verb v) { return s.events_by_verb[static_cast<std::size_t>(v)]; }

// A valid statement to alter, as one NDJSON line.
const std::string kBase =
    R"({"id":"9b2f5a10-6c1d-4e2f-8a3b-4c5d6e7f8a90","actor":{"objectType":"Agent","account":{"homePage":"https://lms.example.org","name":"learner-1"}},)"
    R"("verb":{"id":"http://adlnet.gov/expapi/verbs/completed","display":{"en-US":"completed"}},)"
    R"("object":{"objectType":"Activity","id":"https://lms.example.org/mod/quiz/view.php?id=3","definition":{"type":"http://adlnet.gov/expapi/activities/assessment","name":{"en-US":"Quiz 1"}}},)"
    R"("timestamp":"2027-03-01T10:00:00+01:00"})";

std::string with(std::string s, const std::string& from, const std::string& to) {
  const auto p = s.find(from);
  REQUIRE(p != std::string::npos);
  return s.replace(p, from.size(), to);
}

std::string statement(const std::string& id, const std::string& actor, const std::string& verb, const std::string& object,
                      const std::string& time, const std::string& extra = "") {
  std::string s = "{";
  if (!id.empty()) s += "\"id\":\"" + id + "\",";
  s += "\"actor\":" + actor + ",\"verb\":{\"id\":\"" + verb + "\"},\"object\":" + object;
  if (!time.empty()) s += ",\"timestamp\":\"" + time + "\"";
  s += extra + "}";
  return s;
}
std::string account(const std::string& name) {
  return R"({"objectType":"Agent","account":{"homePage":"https://lms.example.org","name":")" + name + "\"}}";
}
std::string activity(const std::string& iri) { return R"({"objectType":"Activity","id":")" + iri + "\"}"; }
std::string statement_ref(const std::string& id) { return R"({"objectType":"StatementRef","id":")" + id + "\"}"; }
const std::string kVoided = "http://adlnet.gov/expapi/verbs/voided";
const std::string kExperienced = "http://adlnet.gov/expapi/verbs/experienced";

}  // namespace

// ---- statements as real LMSs emit them ------------------------------------------------------------------------

TEST_CASE("Moodle logstore_xapi statements: course module viewed, assignment submitted and graded, forum") {
  for (bool strict : {false, true}) {
    const Read r = read_fixture("moodle.json", {strict});
    INFO("strict " << strict);
    CHECK(r.report.balanced());
    CHECK(r.report.read == 7);
    CHECK(r.report.rejected.empty());
    const Cohort& c = r.cohort;
    // Learners are the account names; the instructor of the graded statement is not an actor.
    CHECK(c.learner_count() == 3);
    CHECK(c.find_learner("5") == kNoId);
    // One path: the course, named in parent (cmi5 course type), grouping (lms/course type) or as the object.
    REQUIRE(c.path_count() == 1);
    const std::string course = "http://moodle.example.org/course/view.php?id=1";
    CHECK(c.path(0).id == course);
    CHECK(c.path(0).title == "Managing people");
    // Steps: the assignment (kind from the first statement naming it) and the quiz; posts and the course
    // itself are resources.
    REQUIRE(c.step_count() == 2);
    const StepId assign = c.find_step_by_iri("http://moodle.example.org/mod/assign/view.php?id=1");
    const StepId quiz = c.find_step_by_iri("http://moodle.example.org/mod/quiz/view.php?id=9");
    REQUIRE(assign != kNoId);
    REQUIRE(quiz != kNoId);
    CHECK(c.step(assign).kind == StepKind::assignment);
    CHECK(c.step(assign).title == "Action plan");
    CHECK(c.step(quiz).kind == StepKind::assessment);
    CHECK(c.resources().find("http://moodle.example.org/mod/forum/discuss.php?d=4#p9") != kNoId);
    CHECK(c.resources().find(course) != kNoId);
    // One enrolment per learner in the course, starting at their first statement.
    REQUIRE(c.enrolment_count() == 3);
    const EnrolmentId e4 = c.find_enrolment("4@" + course);
    REQUIRE(e4 != kNoId);
    CHECK(c.enrolment(e4).start == at("2027-01-10T19:45:31Z"));
    CHECK(c.enrolment(e4).outcome == Outcome::active);
    // Verbs and results.
    CHECK(verb_count(r.stats, Verb::experienced) == 2);
    CHECK(verb_count(r.stats, Verb::completed) == 2);
    CHECK(verb_count(r.stats, Verb::posted) == 1);
    CHECK(verb_count(r.stats, Verb::replied) == 1);
    CHECK(verb_count(r.stats, Verb::other) == 1);
    REQUIRE(r.stats.other_verbs.size() == 1);
    CHECK(r.stats.other_verbs[0].iri == "http://adlnet.gov/expapi/verbs/scored");
    CHECK(r.stats.other_verbs[0].known);
    const auto ev2 = events_of(c, "2");
    REQUIRE(ev2.size() == 3);
    const EventLog& log = c.events();
    CHECK(log.time(ev2[0]) == at("2027-01-11T08:15:00Z"));
    CHECK(log.verb(ev2[2]) == Verb::other);
    CHECK(log.score(ev2[2]) == Approx(0.7f));  // scaled given: kept as is
    CHECK(log.success(ev2[2]) == Tri::yes);
    const auto ev4 = events_of(c, "4");
    REQUIRE(ev4.size() == 3);
    CHECK(log.object_kind(ev4[2]) == ObjectKind::step);
    CHECK(log.object(ev4[2]) == quiz);
    CHECK(log.score(ev4[2]) == Approx(9.0f / 20.0f));  // raw 9 in [0, 20], no scaled: (raw - min) / (max - min)
    CHECK(log.success(ev4[2]) == Tri::no);
    CHECK(log.completion(ev4[2]) == Tri::yes);
    CHECK(log.duration(ev4[2]) == Approx(750.0f));
  }
}

TEST_CASE("Open edX event-routing-backends statements: enrolment, video, problem check, forum") {
  const Read r = read_fixture("openedx.ndjson", {true});
  CHECK(r.report.balanced());
  CHECK(r.report.rejected.empty());
  const Cohort& c = r.cohort;
  CHECK(c.learner_count() == 2);
  // The openid actor keeps its IRI as id; the account actor its name.
  CHECK(c.find_learner("https://openedx.example.org/users/user-v1/9d2e8f10-3c5b-4f6a-8e7d-1a2b3c4d5e6f") != kNoId);
  // The played statement's parent course has no type: its registration's other statements name the course.
  REQUIRE(c.path_count() == 1);
  CHECK(c.path(0).id == "https://courses.example.org/course/course-v1:Acme+MGT101+2027_T1");
  CHECK(c.step_count() == 3);
  const StepId problem =
      c.find_step_by_iri("https://courses.example.org/xblock/block-v1:Acme+MGT101+2027_T1+type@problem+block@3fc5461f86764ad7");
  REQUIRE(problem != kNoId);
  CHECK(c.step(problem).kind == StepKind::assessment);  // cmi.interaction
  const auto ev = events_of(c, "4f9c2a1e-7d4b-4a4e-9a0b-5c3e2d1f0a11");
  REQUIRE(ev.size() == 5);
  const EventLog& log = c.events();
  CHECK(log.verb(ev[0]) == Verb::other);  // registered: known, no lien verb
  CHECK(log.object_kind(ev[0]) == ObjectKind::resource);  // the course itself
  CHECK(log.verb(ev[1]) == Verb::experienced);  // video played
  CHECK(log.time(ev[1]) == at("2027-01-05T06:52:55.057Z"));  // microseconds truncated to milliseconds
  CHECK(log.verb(ev[3]) == Verb::completed);
  CHECK(log.duration(ev[3]) == Approx(252.5f));
  CHECK(log.completion(ev[3]) == Tri::yes);
  CHECK(log.verb(ev[4]) == Verb::answered);  // acrossx evaluated
  CHECK(log.score(ev[4]) == Approx(0.5f));
  CHECK(log.success(ev[4]) == Tri::no);
  CHECK(verb_count(r.stats, Verb::posted) == 1);
}

TEST_CASE("Ralph statements: video profile, virtual classroom, LMS pages; unknown verbs are counted") {
  const Read r = read_fixture("ralph.ndjson", {true});
  CHECK(r.report.balanced());
  CHECK(r.report.rejected.empty());
  const Cohort& c = r.cohort;
  // No course and no registration anywhere: the default path.
  REQUIRE(c.path_count() == 1);
  CHECK(c.path(0).id == "xapi");
  CHECK(c.find_enrolment("jdupont@xapi") != kNoId);
  const StepId vc = c.find_step_by_iri("uuid://7e2f9b1c-4d3a-4b2c-8a1e-9f8e7d6c5b4a");
  REQUIRE(vc != kNoId);
  CHECK(c.step(vc).kind == StepKind::virtual_class);
  CHECK(verb_count(r.stats, Verb::attended) == 1);  // activitystrea.ms/join
  CHECK(verb_count(r.stats, Verb::experienced) == 2);
  CHECK(verb_count(r.stats, Verb::other) == 2);
  REQUIRE(r.stats.other_verbs.size() == 2);
  // Equal counts: by IRI.
  CHECK(r.stats.other_verbs[0].iri == "http://adlnet.gov/expapi/verbs/terminated");
  CHECK(r.stats.other_verbs[0].known);
  CHECK(r.stats.other_verbs[1].iri == "https://w3id.org/xapi/virtual-classroom/verbs/raised-hand");
  CHECK_FALSE(r.stats.other_verbs[1].known);
  // +02:00 offsets.
  CHECK(c.enrolment(0).start == at("2027-01-08T16:00:00Z"));
}

TEST_CASE("a cmi5 session: the registration is one enrolment, the LMS's satisfied statement names its course") {
  const Read r = read_fixture("cmi5.ndjson", {true});
  CHECK(r.report.balanced());
  CHECK(r.report.read == 6);
  CHECK(r.report.rejected.empty());
  const Cohort& c = r.cohort;
  // The mbox becomes a pseudonymous id: sha1 of the lower-cased mailto IRI, never the address.
  const std::string id = "mbox_sha1:" + to_hex(sha1("mailto:ann.martin@example.org"));
  REQUIRE(c.learner_count() == 1);
  CHECK(c.learner_id(0) == id);
  // cmi5 grouping holds the AU's publisher id, not a course: the path comes from the registration, whose
  // satisfied statement has the course as object.
  REQUIRE(c.path_count() == 1);
  CHECK(c.path(0).id == "https://lms.example.org/cmi5/courses/leadership");
  CHECK(c.path(0).title == "Leadership essentials");
  REQUIRE(c.step_count() == 1);
  CHECK(c.step(0).activity_iri == "https://cmi5.example.org/courses/leadership/au/1");
  CHECK(c.step(0).kind == StepKind::elearning);
  const auto ev = events_of(c, id);
  REQUIRE(ev.size() == 6);
  const EventLog& log = c.events();
  const Verb expected[] = {Verb::launched, Verb::initialized, Verb::completed, Verb::passed, Verb::other, Verb::completed};
  for (std::size_t i = 0; i < 6; ++i) CHECK(log.verb(ev[i]) == expected[i]);
  CHECK(log.score(ev[3]) == Approx(0.92f));
  CHECK(log.success(ev[3]) == Tri::yes);
  CHECK(log.duration(ev[3]) == Approx(1500.0f));
  CHECK(log.object_kind(ev[5]) == ObjectKind::resource);  // satisfied: the course
}

// ---- rejections -----------------------------------------------------------------------------------------------

TEST_CASE("each rule of the reader rejects its statement with the field and the reason") {
  // tests/data/xapi/make_invalid.py writes one statement per rule and the rejection it must get.
  const Read r = read_fixture("invalid.ndjson");
  const auto expected = lines_of(slurp(data_path("invalid.expected.tsv")));
  REQUIRE(expected.size() > 60);
  CHECK(r.report.balanced());
  CHECK(r.report.read == expected.size());  // the header line stands for line 1, the one valid statement
  CHECK(r.report.accepted == 1);
  CHECK(r.report.rejected.size() == expected.size() - 1);
  std::set<std::string> reasons;
  for (std::size_t k = 1; k < expected.size(); ++k) {
    const std::string& row = expected[k];
    const auto t1 = row.find('\t'), t2 = row.find('\t', t1 + 1);
    const std::uint64_t line = std::stoull(row.substr(0, t1));
    const std::string field = row.substr(t1 + 1, t2 - t1 - 1);
    std::string reason = row.substr(t2 + 1);
    INFO("line " << line << ": " << field << " / " << reason);
    const Rejection* got = rejection_at(r.report, line);
    REQUIRE(got);
    CHECK(got->source == "test.ndjson");
    CHECK(got->field == field);
    if (!reason.empty() && reason.back() == '*') {
      reason.pop_back();
      CHECK(got->reason.compare(0, reason.size(), reason) == 0);
      CHECK(got->reason.size() > reason.size());
    } else {
      CHECK(got->reason == reason);
    }
    reasons.insert(got->reason);
    // Never personal data: no e-mail address, no account name in a reason.
    CHECK(got->reason.find('@') == std::string::npos);
    CHECK(got->reason.find("learner-1") == std::string::npos);
  }
  CHECK(reasons.size() > 45);
  CHECK(rejection_at(r.report, 2) == nullptr);  // the blank line is no statement
}

TEST_CASE("malformed JSON in NDJSON costs that line only") {
  const std::string text = kBase + "\n" + kBase.substr(0, 80) + "\n\n" + with(kBase, "9b2f5a10", "9b2f5a11") + "\n";
  const Read r = read_text(text);
  CHECK(r.report.read == 3);
  CHECK(r.report.accepted == 2);
  REQUIRE(rejection_at(r.report, 2));
  CHECK(rejection_at(r.report, 2)->reason.rfind("malformed JSON: ", 0) == 0);
  // A truncated last line, CRLF line ends and a byte order mark.
  const std::string crlf = "\xEF\xBB\xBF" + kBase + "\r\n" + kBase.substr(0, kBase.size() - 3);
  const Read t = read_text(crlf);
  CHECK(t.report.read == 2);
  CHECK(t.report.accepted == 1);
  REQUIRE(rejection_at(t.report, 2));
}

TEST_CASE("a JSON array is read statement by statement, and a truncated one keeps what it holds") {
  const std::string a = kBase, b = with(kBase, "9b2f5a10", "9b2f5a11"), c = with(kBase, "9b2f5a10", "9b2f5a12");
  SECTION("a malformed element costs itself only") {
    const std::string broken = with(b, "\"actor\":", "\"actor\" ");  // a missing colon
    const Read r = read_text("[" + a + ",\n" + broken + ",\n" + c + "]");
    CHECK(r.report.read == 3);
    CHECK(r.report.accepted == 2);
    REQUIRE(rejection_at(r.report, 2));
    CHECK(rejection_at(r.report, 2)->reason.rfind("malformed JSON", 0) == 0);
    CHECK(rejection_at(r.report, 2)->reason.find("(bytes " + std::to_string(a.size() + 3) + "-" +
                                                 std::to_string(a.size() + 3 + broken.size()) + ")") != std::string::npos);
  }
  SECTION("an unclosed string runs into the statements after it, and the reason says from where") {
    const std::string text = "[" + a + ",\n" + b.substr(0, 60) + "}" + ",\n" + c + "]";
    const Read r = read_text(text);
    CHECK(r.report.read == 2);
    CHECK(r.report.accepted == 1);
    REQUIRE(rejection_at(r.report, 2));
    CHECK(rejection_at(r.report, 2)->reason ==
          "truncated: the file ends inside this statement (byte " + std::to_string(a.size() + 3) + ")");
  }
  SECTION("truncated inside a statement: the statements before it are read") {
    const std::string text = "[" + a + ",\n" + b + ",\n" + c.substr(0, 100);
    const Read r = read_text(text);
    CHECK(r.report.read == 3);
    CHECK(r.report.accepted == 2);
    REQUIRE(rejection_at(r.report, 3));
    CHECK(rejection_at(r.report, 3)->field.empty());
    CHECK(rejection_at(r.report, 3)->reason ==
          "truncated: the file ends inside this statement (byte " + std::to_string(a.size() + b.size() + 5) + ")");
  }
  SECTION("truncated after a statement: the missing end counts as one rejection") {
    const std::string text = "[" + a + ",\n" + b + "\n";
    const Read r = read_text(text);
    CHECK(r.report.read == 3);
    CHECK(r.report.accepted == 2);
    REQUIRE(rejection_at(r.report, 3));
    CHECK(rejection_at(r.report, 3)->reason.find("before the JSON array is closed") != std::string::npos);
  }
  SECTION("an element that is not an object") {
    const Read r = read_text("[" + a + ", 42, \"x\"]");
    CHECK(r.report.read == 3);
    REQUIRE(rejection_at(r.report, 2));
    CHECK(rejection_at(r.report, 2)->reason == "a statement must be a JSON object");
    REQUIRE(rejection_at(r.report, 3));
  }
  SECTION("brackets inside strings do not end a statement") {
    const std::string tricky = with(a, "\"Quiz 1\"", "\"Quiz ]} \\\" {[ 1\"");
    const Read r = read_text("[" + tricky + "," + b + "]");
    CHECK(r.report.read == 2);
    CHECK(r.report.accepted == 2);
    CHECK(r.cohort.step(0).title == "Quiz ]} \" {[ 1");
  }
  SECTION("an array broken between statements cannot be read: ParseError with the byte offset") {
    CohortBuilder builder;
    const std::string text = "[" + a + " " + b + "]";
    try {
      read_xapi(builder, text, "broken.json");
      FAIL("no ParseError");
    } catch (const ParseError& e) {
      CHECK(std::string(e.what()) == "broken.json: byte " + std::to_string(a.size() + 2) +
                                         ": expected ',' or ']' after statement 1 of the array");
    }
    CHECK_THROWS_AS(read_xapi(builder, "[" + a + "] []", "x.json"), ParseError);
    CHECK_THROWS_AS(read_xapi(builder, "[" + a + ",]", "x.json"), ParseError);
    CHECK_THROWS_AS(read_xapi(builder, "learner_id,time,verb\nL1,2027-01-01,launched\n", "events.csv"), ParseError);
  }
  SECTION("empty inputs hold no statement") {
    for (const char* text : {"", "  \n\n", "[]", " [ ]\n"}) {
      const Read r = read_text(text);
      CHECK(r.report.read == 0);
      CHECK(r.report.balanced());
    }
  }
  SECTION("one pretty-printed statement is one statement") {
    const Read r = read_text(with(with(a, "\"actor\":", "\n  \"actor\":"), "\"verb\":", "\n  \"verb\":"));
    CHECK(r.report.read == 1);
    CHECK(r.report.accepted == 1);
  }
}

TEST_CASE("strict mode checks the whole statement against xAPI 1.0.3") {
  struct Case {
    std::string statement, field, reason;
  };
  const std::string ctx_instr = R"(,"context":{"instructor":{"objectType":"Agent"}})";
  const std::vector<Case> cases = {
      {with(kBase, "\"timestamp\"", "\"colour\":\"blue\",\"timestamp\""), "colour", "property not defined by xAPI 1.0.3"},
      {with(kBase, "\"timestamp\"", "\"version\":\"2.0.0\",\"timestamp\""), "version", "version must be 1.0 or 1.0.x"},
      {with(kBase, "\"display\":{\"en-US\"", "\"display\":{\"english\""), "verb.display[\"english\"]",
       "language map keys must be RFC 5646 language tags"},
      {with(kBase, "\"name\":\"learner-1\"}", "\"name\":\"learner-1\"},\"nickname\":\"x\""), "actor.nickname",
       "property not defined by xAPI 1.0.3"},
      {with(kBase, "\"type\":\"http://adlnet.gov/expapi/activities/assessment\"",
            "\"type\":\"http://adlnet.gov/expapi/activities/assessment\",\"interactionType\":\"essay\""),
       "object.definition.interactionType", "interactionType must be one of the xAPI interaction types"},
      {with(kBase, "\"type\":\"http://adlnet.gov/expapi/activities/assessment\"",
            "\"type\":\"http://adlnet.gov/expapi/activities/assessment\",\"extensions\":{\"difficulty\":3}"),
       "object.definition.extensions[\"difficulty\"]", "extension keys must be IRIs"},
      {with(kBase, "\"timestamp\"", "\"result\":{\"response\":42},\"timestamp\""), "result.response", "must be a string"},
      {with(kBase, "\"timestamp\":\"2027-03-01T10:00:00+01:00\"", "\"timestamp\":\"2027-03-01 10:00:00+01:00\""),
       "timestamp", "date and time must be separated by 'T'"},
      {with(kBase, "\"timestamp\"", "\"context\":{\"instructor\":{\"objectType\":\"Agent\"}},\"timestamp\""),
       "context.instructor", "an Agent has exactly one of mbox, mbox_sha1sum, openid or account"},
      {with(kBase, "\"timestamp\"", "\"context\":{\"language\":\"english please\"},\"timestamp\""), "context.language",
       "language must be an RFC 5646 language tag"},
      {with(kBase, "\"timestamp\"", "\"context\":{\"team\":{\"objectType\":\"Agent\",\"account\":{\"homePage\":\"https://x.org\",\"name\":\"t\"}}},\"timestamp\""),
       "context.team", "team must be a Group"},
      {with(kBase, "\"timestamp\"", "\"context\":{\"statement\":{\"objectType\":\"Activity\",\"id\":\"https://x.org\"}},\"timestamp\""),
       "context.statement", "context.statement must be a StatementRef"},
      {with(kBase, "\"timestamp\"", "\"authority\":{\"objectType\":\"Group\",\"member\":[" + account("a") + "]},\"timestamp\""),
       "authority", "an authority Group has exactly two members (OAuth consumer and user)"},
      {with(kBase, "\"timestamp\"", "\"attachments\":[{\"usageType\":\"http://id.tincanapi.com/attachment/certificate\",\"display\":{\"en-US\":\"Certificate\"},\"contentType\":\"application/pdf\",\"length\":-3,\"sha2\":\"ab12\"}],\"timestamp\""),
       "attachments[0].length", "must be a non-negative JSON integer"},
      {with(kBase, "\"timestamp\"", "\"attachments\":[{\"usageType\":\"http://id.tincanapi.com/attachment/certificate\",\"display\":{\"en-US\":\"Certificate\"}}],\"timestamp\""),
       "attachments[0]", "an attachment has usageType, display, contentType, length and sha2"},
      {statement("", account("learner-1"), kExperienced,
                 R"({"objectType":"Agent","account":{"homePage":"https://lms.example.org","name":"x"}})",
                 "2027-03-01T10:00:00Z", R"(,"context":{"platform":"Moodle"})"),
       "context.platform", "only a statement whose object is an Activity may carry this property"},
      {statement("", account("learner-1"), kExperienced,
                 R"({"objectType":"SubStatement","actor":)" + account("a") +
                     R"(,"verb":{"id":"http://adlnet.gov/expapi/verbs/experienced"},"object":{"objectType":"SubStatement"}})",
                 "2027-03-01T10:00:00Z"),
       "object.object.objectType", "a SubStatement cannot contain a SubStatement"},
      {statement("", account("learner-1"), kExperienced,
                 R"({"objectType":"SubStatement","actor":)" + account("a") + R"(,"object":{"id":"https://x.org"}})",
                 "2027-03-01T10:00:00Z"),
       "object", "a SubStatement has an actor, a verb and an object"},
      {statement("", account("learner-1"), kExperienced,
                 R"({"objectType":"Group","member":[{"objectType":"Agent","mbox":"mailto:x"}]})", "2027-03-01T10:00:00Z"),
       "object.member[0].mbox", "mbox must be a mailto: IRI with one e-mail address"},
      {statement("", account("learner-1"), kExperienced, R"({"objectType":"Group","name":"team"})", "2027-03-01T10:00:00Z"),
       "object", "an anonymous Group must list its members"},
  };
  for (const Case& k : cases) {
    INFO(k.statement);
    const Read lenient = read_text(k.statement);
    CHECK(lenient.report.accepted == 1);  // lien reads it...
    const Rejection got = only_rejection(k.statement, {true});  // ...strict mode does not
    CHECK(got.field == k.field);
    CHECK(got.reason == k.reason);
  }
  // A statement using every part of the model correctly passes strict mode.
  const std::string full = statement(
      "0d1c2b3a-4f5e-4d6c-8b7a-695847362514", R"({"objectType":"Agent","name":"A","mbox":"mailto:a@example.org"})",
      kExperienced,
      R"({"objectType":"Activity","id":"https://x.org/q1","definition":{"name":{"en-US":"Q1","fr":"Q1"},"description":{"en":"d"},"type":"http://adlnet.gov/expapi/activities/cmi.interaction","moreInfo":"https://x.org/q1/info","interactionType":"choice","correctResponsesPattern":["a"],"choices":[{"id":"a","description":{"en-US":"A"}}],"extensions":{"https://x.org/ext":1}}})",
      "2027-03-01T10:00:00.250Z",
      R"(,"result":{"score":{"scaled":0.5},"response":"a","extensions":{"https://x.org/r":true}},"context":{"registration":"0d1c2b3a-4f5e-4d6c-8b7a-695847362515","instructor":{"objectType":"Group","member":[{"mbox_sha1sum":"0123456789abcdef0123456789abcdef01234567"}]},"revision":"2","platform":"lms","language":"fr-FR","statement":{"objectType":"StatementRef","id":"0d1c2b3a-4f5e-4d6c-8b7a-695847362516"},"contextActivities":{"parent":{"id":"https://x.org/quiz"},"other":[{"id":"https://x.org/o"}]}},"stored":"2027-03-01T10:00:01Z","authority":{"objectType":"Agent","account":{"homePage":"https://lrs.example.org","name":"client"}},"version":"1.0.3","attachments":[{"usageType":"http://id.tincanapi.com/attachment/certificate","display":{"en-US":"Certificate"},"contentType":"application/pdf","length":1234,"sha2":"ab12cd"}])");
  const Read ok = read_text(full, {true});
  CHECK(ok.report.rejected.empty());
  CHECK(ok.report.accepted == 1);
}

// ---- voiding ----------------------------------------------------------------------------------------------------

TEST_CASE("a voiding statement removes the statement it references, before or after it in the file") {
  const std::string target_id = "11111111-2222-4333-8444-555555555555";
  const std::string target = statement(target_id, account("L1"), kExperienced, activity("https://x.org/a"),
                                       "2027-01-05T10:00:00Z");
  const std::string other = statement("11111111-2222-4333-8444-555555555556", account("L1"), kExperienced,
                                      activity("https://x.org/b"), "2027-01-06T10:00:00Z");
  // An LRS's voiding statement: the actor is the LRS admin, no timestamp is needed.
  const std::string voiding = statement("99999999-2222-4333-8444-555555555555", account("admin"), kVoided,
                                        statement_ref(target_id), "");
  for (bool voiding_first : {false, true}) {
    INFO("voiding first " << voiding_first);
    const std::string text = voiding_first ? voiding + "\n" + target + "\n" + other + "\n"
                                           : target + "\n" + other + "\n" + voiding + "\n";
    const Read r = read_text(text);
    CHECK(r.report.read == 3);
    CHECK(r.report.accepted == 3);  // voiding and voided statements are accepted...
    CHECK(r.report.voided == 1);    // ...and the voided one is counted here
    CHECK(r.report.balanced());
    CHECK(r.stats.voiding == 1);
    CHECK(r.stats.events == 1);
    REQUIRE(r.cohort.events().size() == 1);
    CHECK(object_id(r.cohort, 0) == "https://x.org/b");
    // Neither the admin of the voiding statement nor the voided activity enter the cohort.
    CHECK(r.cohort.learner_count() == 1);
    CHECK(r.cohort.step_count() == 1);
    // The enrolment starts at the first statement that remains.
    CHECK(r.cohort.enrolment(0).start == at("2027-01-06T10:00:00Z"));
  }
  SECTION("the same fingerprint whatever the order") {
    CHECK(fingerprint(read_text(voiding + "\n" + target + "\n" + other).cohort) ==
          fingerprint(read_text(other + "\n" + target + "\n" + voiding).cohort));
  }
  SECTION("a voiding statement cannot be voided") {
    const std::string revoid = statement("88888888-2222-4333-8444-555555555555", account("admin"), kVoided,
                                         statement_ref("99999999-2222-4333-8444-555555555555"), "");
    for (bool revoid_first : {false, true}) {
      const std::string text = revoid_first ? revoid + "\n" + voiding + "\n" + target + "\n"
                                            : target + "\n" + voiding + "\n" + revoid + "\n";
      const Read r = read_text(text);
      CHECK(r.report.read == 3);
      CHECK(r.report.voided == 1);  // the first voiding still applies
      const Rejection* x = rejection_at(r.report, revoid_first ? 1 : 3);
      REQUIRE(x);
      CHECK(x->field == "object.id");
      CHECK(x->reason == "a voiding statement cannot be voided");
    }
  }
  SECTION("voiding a statement that is not in the file removes nothing") {
    const std::string elsewhere = statement("77777777-2222-4333-8444-555555555555", account("admin"), kVoided,
                                            statement_ref("00000000-2222-4333-8444-555555555555"), "");
    const Read r = read_text(target + "\n" + elsewhere);
    CHECK(r.report.accepted == 2);
    CHECK(r.report.voided == 0);
    CHECK(r.cohort.events().size() == 1);
  }
  SECTION("voiding twice removes once") {
    const std::string again = with(voiding, "99999999", "99999998");
    const Read r = read_text(target + "\n" + voiding + "\n" + again);
    CHECK(r.report.accepted == 3);
    CHECK(r.report.voided == 1);
    CHECK(r.cohort.events().size() == 0);
  }
}

// ---- forms and modes --------------------------------------------------------------------------------------------

TEST_CASE("NDJSON and array forms of the same statements give the same cohort") {
  for (const char* name : {"openedx.ndjson", "ralph.ndjson", "cmi5.ndjson", "csv-mini/statements.ndjson"}) {
    INFO(name);
    const std::string ndjson = slurp(data_path(name));
    const Read a = read_text(ndjson), b = read_text(as_array(ndjson));
    CHECK(a.report.read == b.report.read);
    CHECK(a.report.accepted == b.report.accepted);
    CHECK(fingerprint(a.cohort) == fingerprint(b.cohort));
    CHECK_FALSE(a.cohort.events().size() == 0);
  }
  // The converter's own array output, too.
  CHECK(fingerprint(read_fixture("csv-mini/statements.ndjson").cohort) ==
        fingerprint(read_fixture("csv-mini/statements.json").cohort));
}

TEST_CASE("inference mode: ids are never e-mail addresses; mbox and mbox_sha1sum of one address meet") {
  const std::string mbox = R"({"objectType":"Agent","mbox":"mailto:Ann.Martin@Example.org"})";
  const std::string sha = R"({"objectType":"Agent","mbox_sha1sum":")" + to_hex(sha1("mailto:ann.martin@example.org")) + "\"}";
  const std::string login = R"({"objectType":"Agent","account":{"homePage":"https://lms.example.org","name":"bob@example.org"}})";
  const std::string text = statement("", mbox, kExperienced, activity("https://x.org/a"), "2027-01-05T10:00:00Z") + "\n" +
                           statement("", sha, kExperienced, activity("https://x.org/a"), "2027-01-05T11:00:00Z") + "\n" +
                           statement("", login, kExperienced, activity("https://x.org/a"), "2027-01-05T12:00:00Z") + "\n";
  const Read r = read_text(text);
  REQUIRE(r.cohort.learner_count() == 2);
  CHECK(r.cohort.learner_id(0) == "mbox_sha1:" + to_hex(sha1("mailto:ann.martin@example.org")));
  CHECK(events_of(r.cohort, r.cohort.learner_id(0)).size() == 2);
  CHECK(r.cohort.learner_id(1) == "account_sha1:" + to_hex(sha1("bob@example.org")));
  for (PersonId p = 0; p < r.cohort.person_count(); ++p) CHECK(r.cohort.person(p).id.find('@') == std::string::npos);
  CHECK(r.stats.learners == 2);
  CHECK(r.stats.paths == 1);
  CHECK(r.stats.steps == 1);
  CHECK(r.stats.enrolments == 2);
  // Inferred records are not records read: read counts statements only.
  CHECK(r.report.read == 3);
  CHECK(r.report.balanced());
}

TEST_CASE("inference mode: objects that are people, groups, statements, or lien's own IRIs") {
  const std::string text =
      statement("", account("L1"), "http://id.tincanapi.com/verb/replied", account("L2"), "2027-01-05T10:00:00Z") + "\n" +
      statement("", account("L1"), kExperienced, R"({"objectType":"Group","account":{"homePage":"https://x.org","name":"team-a"}})",
                "2027-01-05T11:00:00Z") + "\n" +
      statement("", account("L1"), kExperienced, R"({"objectType":"Group","member":[)" + account("L3") + "]}",
                "2027-01-05T12:00:00Z") + "\n" +
      statement("", account("L1"), kExperienced, statement_ref("11111111-2222-4333-8444-555555555555"),
                "2027-01-05T13:00:00Z") + "\n" +
      statement("", account("L1"), kExperienced, activity("https://lien.example.org/xapi/steps/S%201"),
                "2027-01-05T14:00:00Z",
                R"(,"context":{"contextActivities":{"grouping":[{"id":"https://lien.example.org/xapi/paths/P%2F1","definition":{"type":"http://adlnet.gov/expapi/activities/course","name":{"en-US":"Path one"}}}]}})") +
      "\n" +
      statement("", account("L1"), kExperienced, activity("https://lien.example.org/xapi/resources/post%2012"),
                "2027-01-05T15:00:00Z") + "\n" +
      statement("", account("L1"), "https://lien.example.org/xapi/verbs/absent", activity("https://lien.example.org/xapi/activities/none"),
                "2027-01-05T16:00:00Z") + "\n";
  const Read r = read_text(text);
  CHECK(r.report.rejected.empty());
  const Cohort& c = r.cohort;
  const auto ev = events_of(c, "L1");
  REQUIRE(ev.size() == 7);
  const EventLog& log = c.events();
  CHECK(log.object_kind(ev[0]) == ObjectKind::person);
  CHECK(object_id(c, ev[0]) == "L2");
  CHECK(log.verb(ev[0]) == Verb::replied);
  CHECK(c.find_learner("L2") != kNoId);  // a person object is a learner in inference mode
  CHECK(log.object_kind(ev[1]) == ObjectKind::resource);
  CHECK(object_id(c, ev[1]) == "group:team-a");
  CHECK(log.object_kind(ev[2]) == ObjectKind::none);  // anonymous group
  CHECK(log.object_kind(ev[3]) == ObjectKind::none);  // statement reference
  CHECK(log.object_kind(ev[4]) == ObjectKind::step);
  CHECK(object_id(c, ev[4]) == "S 1");
  CHECK(c.step(c.find_step("S 1")).activity_iri == "https://lien.example.org/xapi/steps/S%201");
  CHECK(c.path(c.step(c.find_step("S 1")).path).id == "P/1");
  CHECK(c.path(c.find_path("P/1")).title == "Path one");
  CHECK(log.object_kind(ev[5]) == ObjectKind::resource);
  CHECK(object_id(c, ev[5]) == "post 12");
  CHECK(log.object_kind(ev[6]) == ObjectKind::none);
  CHECK(log.verb(ev[6]) == Verb::absent);
  // Interactions between learners reach the stakeholder graph.
  CHECK(c.graph().interactions(c.find_person("L1")).size() == 1);
}

TEST_CASE("timestamps: any UTC offset, local time in the builder's calendar, stored as a fallback") {
  CohortBuilder paris(Calendar("CET-1CEST,M3.5.0,M10.5.0/3", kMondayToFriday, {}));
  const std::string text =
      statement("", account("L1"), kExperienced, activity("https://x.org/a"), "2027-01-22T08:15:00") + "\n" +
      statement("", account("L1"), kExperienced, activity("https://x.org/a"), "2027-07-22T08:15:00") + "\n" +
      statement("", account("L1"), kExperienced, activity("https://x.org/a"), "2027-01-22T08:15:00-05:30") + "\n" +
      statement("", account("L1"), kExperienced, activity("https://x.org/a"), "",
                R"(,"stored":"2027-01-23T00:00:00.5Z")") + "\n";
  const Read r = read_text(text, {}, std::move(paris));
  const auto ev = events_of(r.cohort, "L1");
  REQUIRE(ev.size() == 4);
  const EventLog& log = r.cohort.events();
  CHECK(log.time(ev[0]) == at("2027-01-22T07:15:00Z"));  // CET
  CHECK(log.time(ev[1]) == at("2027-01-22T13:45:00Z"));
  CHECK(log.time(ev[2]) == at("2027-01-23T00:00:00.500Z"));  // stored
  CHECK(log.time(ev[3]) == at("2027-07-22T06:15:00Z"));  // CEST
}

TEST_CASE("the count extension carries aggregated events; the learner extension names who an event is about") {
  const std::string count = "https://lien.example.org/xapi/extensions/count";
  const std::string learner = "https://lien.example.org/xapi/extensions/learner";
  const std::string text =
      statement("", account("L1"), kExperienced, activity("https://x.org/a"), "2027-01-05T00:00:00",
                R"(,"context":{"extensions":{")" + count + R"(":14}})") + "\n" +
      statement("", account("T1"), "https://lien.example.org/xapi/verbs/met", account("L1"), "2027-01-06T10:00:00Z",
                R"(,"context":{"extensions":{")" + learner + R"(":)" + account("L1") + "}}") + "\n";
  const Read r = read_text(text);
  const auto ev = events_of(r.cohort, "L1");
  REQUIRE(ev.size() == 2);
  const EventLog& log = r.cohort.events();
  CHECK(log.count(ev[0]) == 14);
  CHECK(log.actor(ev[0]) == kNoId);
  CHECK(log.verb(ev[1]) == Verb::met);
  CHECK(log.actor(ev[1]) == r.cohort.find_person("T1"));
  CHECK(log.count(ev[1]) == 1);
}

namespace {

/// Splits a line of the csv-mini tables (written without quotes, so a plain split is exact).
std::vector<std::string> fields(const std::string& line) {
  std::vector<std::string> out;
  std::string cell;
  std::istringstream in(line);
  while (std::getline(in, cell, ',')) out.push_back(cell);
  if (!line.empty() && line.back() == ',') out.emplace_back();
  return out;
}

std::vector<std::map<std::string, std::string>> table(const std::string& name) {
  const auto rows = lines_of(slurp(data_path("csv-mini/" + name + ".csv")));
  REQUIRE(!rows.empty());
  const auto header = fields(rows[0]);
  std::vector<std::map<std::string, std::string>> out;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    auto f = fields(rows[i]);
    f.resize(header.size());
    std::map<std::string, std::string> row;
    for (std::size_t k = 0; k < header.size(); ++k) row[header[k]] = f[k];
    out.push_back(row);
  }
  return out;
}

/// A builder holding csv-mini's reference tables (everything but events), declared directly.
CohortBuilder csv_mini_builder() {
  CohortBuilder b;
  const std::uint32_t src = b.source("tables");
  std::uint64_t n = 0;
  for (const auto& r : table("learners")) {
    LearnerRecord rec;
    rec.id = r.at("learner_id"), rec.email = r.at("email");
    REQUIRE(b.add_learner(rec, {src, ++n}));
  }
  for (const auto& r : table("stakeholders")) {
    StakeholderRecord rec;
    rec.id = r.at("stakeholder_id"), rec.role = *parse_enum<Role>(r.at("role")), rec.email = r.at("email");
    REQUIRE(b.add_stakeholder(rec, {src, ++n}));
  }
  for (const auto& r : table("paths")) REQUIRE(b.add_path({r.at("path_id"), r.at("title"), r.at("course")}, {src, ++n}));
  for (const auto& r : table("steps")) {
    StepRecord rec;
    rec.id = r.at("step_id"), rec.path = r.at("path_id"), rec.kind = *parse_enum<StepKind>(r.at("kind"));
    rec.activity_iri = r.at("activity_iri");
    REQUIRE(b.add_step(rec, {src, ++n}));
  }
  for (const auto& r : table("enrolments")) {
    EnrolmentRecord rec;
    rec.id = r.at("enrolment_id"), rec.learner = r.at("learner_id"), rec.path = r.at("path_id");
    rec.instance = r.at("instance_id"), rec.start = at(r.at("start").c_str());
    rec.outcome = *parse_enum<Outcome>(r.at("outcome"));
    if (!r.at("outcome_time").empty()) rec.outcome_time = at(r.at("outcome_time").c_str());
    REQUIRE(b.add_enrolment(rec, {src, ++n}));
  }
  return b;
}

std::string event_key(const std::string& learner, Time time, const std::string& verb, const std::string& kind,
                      const std::string& object, const std::string& actor, float score, Tri success, Tri completion,
                      float duration, std::uint32_t count) {
  std::ostringstream o;
  o << learner << "|" << time << "|" << verb << "|" << kind << "|" << object << "|" << actor << "|";
  if (std::isnan(score)) o << "-";
  else o << std::lround(score * 1000);
  o << "|" << static_cast<int>(success) << static_cast<int>(completion) << "|";
  if (std::isnan(duration)) o << "-";
  else o << std::lround(duration);
  o << "|" << count;
  return o.str();
}

Tri tri(const std::string& s) { return s.empty() ? Tri::unknown : (s == "true" ? Tri::yes : Tri::no); }

}  // namespace

TEST_CASE("mapping mode: to_xapi.py output maps back to csv-mini's events") {
  // Expected: events.csv, read by hand (the CSV reader belongs to another component).
  std::multiset<std::string> expected;
  for (const auto& r : table("events")) {
    std::string time = r.at("time");
    if (time.size() == 10) time += "T00:00:00";
    const std::string& d = r.at("duration");
    double seconds = std::numeric_limits<double>::quiet_NaN();
    if (!d.empty()) {
      if (d[0] == 'P') REQUIRE(parse_iso_duration(d, seconds));
      else seconds = std::stod(d);
    }
    const std::string kind = r.at("object_type").empty() ? "none" : r.at("object_type");
    expected.insert(event_key(r.at("learner_id"), at(time.c_str()), r.at("verb"), kind, r.at("object_id"),
                              r.at("actor_id") == r.at("learner_id") ? "" : r.at("actor_id"),
                              r.at("score").empty() ? std::nanf("") : std::stof(r.at("score")), tri(r.at("success")),
                              tri(r.at("completion")), static_cast<float>(seconds),
                              r.at("count").empty() ? 1u : static_cast<std::uint32_t>(std::stoul(r.at("count")))));
  }
  REQUIRE(expected.size() == 18);
  // statements.ndjson: actors by account; statements-sha1.json: a JSON array, actors by mbox_sha1sum where
  // the person has an e-mail address (L2's is mixed-case in the table).
  for (const char* name : {"csv-mini/statements.ndjson", "csv-mini/statements-sha1.json"}) {
    INFO(name);
    CohortBuilder b = csv_mini_builder();
    const std::uint64_t before = b.report().read;
    const XapiReadStats stats = read_xapi(b, slurp(data_path(name)), "statements");
    CHECK(stats.mapping);
    CHECK(stats.learners + stats.paths + stats.steps + stats.enrolments == 0);  // mapping creates nothing
    ReadReport report;
    const Cohort c = b.build(report);
    CHECK(report.balanced());
    CHECK(report.rejected.empty());
    CHECK(report.read - before == 18);
    CHECK(c.step_count() == 4);
    CHECK(c.learner_count() == 3);
    std::multiset<std::string> got;
    const EventLog& log = c.events();
    for (std::size_t i = 0; i < log.size(); ++i)
      got.insert(event_key(c.learner_id(log.learner_of(i)), log.time(i), std::string(to_string(log.verb(i))),
                           std::string(to_string(log.object_kind(i))), object_id(c, i),
                           log.actor(i) == kNoId ? "" : c.person(log.actor(i)).id, log.score(i), log.success(i),
                           log.completion(i), log.duration(i), log.count(i)));
    CHECK(got == expected);
    for (std::size_t v = 0; v < kVerbNames.size(); ++v) CHECK(stats.events_by_verb[v] >= 1);  // all 15 verbs
  }
}

TEST_CASE("mapping mode: actors must match declared people, and the reasons name no one") {
  CohortBuilder base = csv_mini_builder();
  auto read_one = [](const std::string& st) {
    CohortBuilder b = csv_mini_builder();
    const std::uint64_t before = b.report().read;
    read_xapi(b, st, "s.ndjson");
    ReadReport r;
    b.build(r);
    REQUIRE(r.read - before == 1);
    return r;
  };
  auto rejection = [&](const std::string& st) {
    const ReadReport r = read_one(st);
    REQUIRE(r.rejected.size() == 1);
    CHECK(r.rejected[0].reason.find('@') == std::string::npos);
    return r.rejected[0];
  };
  const std::string a = activity("https://lms.example.org/mod/quiz/view.php?id=12");
  const std::string t = "2027-02-01T10:00:00Z";
  SECTION("unknown account, e-mail, SHA-1 sum, openid") {
    Rejection x = rejection(statement("", account("L9"), kExperienced, a, t));
    CHECK(x.field == "actor.account.name");
    CHECK(x.reason == "no declared learner or stakeholder has this account name as id");
    x = rejection(statement("", R"({"mbox":"mailto:nobody@example.org"})", kExperienced, a, t));
    CHECK(x.field == "actor.mbox");
    CHECK(x.reason == "no declared learner or stakeholder has this e-mail address");
    x = rejection(statement("", R"({"mbox_sha1sum":")" + to_hex(sha1("mailto:nobody@example.org")) + "\"}", kExperienced, a, t));
    CHECK(x.field == "actor.mbox_sha1sum");
    CHECK(x.reason == "no declared learner or stakeholder has an e-mail address with this SHA-1 sum");
    x = rejection(statement("", R"({"openid":"https://id.example.org/u/9"})", kExperienced, a, t));
    CHECK(x.field == "actor.openid");
    CHECK(x.reason == "no declared learner or stakeholder has this openid as id");
    x = rejection(statement("", account("L1"), "http://id.tincanapi.com/verb/replied", account("X7"), t));
    CHECK(x.field == "object.account.name");
  }
  SECTION("e-mail matching ignores case; SHA-1 sums of the e-mail as written or lower-cased both match") {
    for (const std::string& actor :
         {std::string(R"({"mbox":"mailto:bruno.diaz@example.ORG"})"),
          R"({"mbox_sha1sum":")" + to_hex(sha1("mailto:Bruno.Diaz@Example.org")) + "\"}",
          R"({"mbox_sha1sum":")" + to_hex(sha1("mailto:bruno.diaz@example.org")) + "\"}"}) {
      CohortBuilder b = csv_mini_builder();
      read_xapi(b, statement("", actor, kExperienced, a, t), "s");
      ReadReport r;
      const Cohort c = b.build(r);
      CHECK(r.rejected.empty());
      REQUIRE(c.events().size() == 1);
      CHECK(c.learner_id(c.events().learner_of(0)) == "L2");
      CHECK(c.events().object_kind(0) == ObjectKind::step);  // the activity IRI of S3
      CHECK(c.step(c.events().object(0)).id == "S3");
    }
  }
  SECTION("a stakeholder acts about a learner only when the statement names the learner") {
    Rejection x = rejection(statement("", account("T1"), kExperienced, a, t));
    CHECK(x.field == "actor");
    CHECK(x.reason ==
          "the actor is a stakeholder, not a learner: name the learner as an Agent object or in the lien learner "
          "extension");
    x = rejection(statement("", account("T1"), kExperienced, a, t,
                            R"(,"context":{"extensions":{"https://lien.example.org/xapi/extensions/learner":)" +
                                account("M1") + "}}"));
    CHECK(x.field == "context.extensions[\"https://lien.example.org/xapi/extensions/learner\"]");
    CHECK(x.reason == "is not a declared learner");
    // The manager met L1: the Agent object is the learner, the manager the actor.
    CohortBuilder b = csv_mini_builder();
    read_xapi(b, statement("", account("M1"), "https://lien.example.org/xapi/verbs/met", account("L1"), t), "s");
    ReadReport r;
    const Cohort c = b.build(r);
    REQUIRE(c.events().size() == 1);
    CHECK(c.learner_id(c.events().learner_of(0)) == "L1");
    CHECK(c.person(c.events().actor(0)).id == "M1");
  }
  SECTION("a lien step IRI must name a declared step") {
    const Rejection x = rejection(statement("", account("L1"), kExperienced, activity("https://lien.example.org/xapi/steps/S9"), t));
    CHECK(x.field == "object.id");
    CHECK(x.reason == "names a lien step that is not declared");
    const ReadReport ok = read_one(statement("", account("L1"), kExperienced, activity("https://lien.example.org/xapi/steps/S2"), t));
    CHECK(ok.rejected.empty());
  }
  SECTION("registrations are checked as UUIDs; an unknown activity is a resource") {
    const ReadReport r = read_one(statement("", account("L1"), kExperienced, activity("https://elsewhere.org/x"), t,
                                            R"(,"context":{"registration":"0b6e7f1a-2c3d-4e5f-8a9b-0c1d2e3f4a5b"})"));
    CHECK(r.rejected.empty());
  }
  CHECK(base.declared_person_count() == 5);
}

TEST_CASE("mapping mode on LMS statements: declared learners and steps, everything else a resource") {
  CohortBuilder b;
  const std::uint32_t src = b.source("tables");
  std::uint64_t n = 0;
  for (const char* id : {"2", "3", "4"}) REQUIRE(b.add_learner({id, "", "", "", "", "", {}}, {src, ++n}));
  REQUIRE(b.add_path({"P", "Managing people", ""}, {src, ++n}));
  StepRecord s;
  s.path = "P", s.id = "ASSIGN", s.kind = StepKind::assignment, s.activity_iri = "http://moodle.example.org/mod/assign/view.php?id=1";
  REQUIRE(b.add_step(s, {src, ++n}));
  const XapiReadStats stats = read_xapi(b, slurp(data_path("moodle.json")), "moodle.json");
  CHECK(stats.mapping);
  ReadReport r;
  const Cohort c = b.build(r);
  CHECK(r.rejected.empty());
  CHECK(r.sources.at("moodle.json").read == 7);
  CHECK(c.path_count() == 1);
  CHECK(c.step_count() == 1);
  CHECK(c.enrolment_count() == 0);
  const auto ev = events_of(c, "2");
  REQUIRE(ev.size() == 3);
  for (std::size_t i : ev) CHECK(c.step(c.events().object(i)).id == "ASSIGN");
  const auto ev4 = events_of(c, "4");
  REQUIRE(ev4.size() == 3);
  CHECK(c.events().object_kind(ev4[2]) == ObjectKind::resource);  // the quiz: no declared step
  CHECK(object_id(c, ev4[2]) == "http://moodle.example.org/mod/quiz/view.php?id=9");
}

// ---- vocabulary and files -----------------------------------------------------------------------------------------

TEST_CASE("verb IRIs: the table, lien's own IRIs, unknown verbs") {
  for (std::size_t i = 0; i < kVerbNames.size(); ++i) {
    const Verb v = static_cast<Verb>(i);
    const XapiVerbMapping m = xapi_verb(xapi_verb_iri(v));
    CHECK(m.verb == v);
    CHECK(m.known);
    CHECK(xapi_verb(std::string(kXapiVerbPrefix) + std::string(kVerbNames[i])).verb == v);
  }
  CHECK(xapi_verb("http://id.tincanapi.com/verb/viewed").verb == Verb::experienced);
  CHECK(xapi_verb("http://activitystrea.ms/schema/1.0/submit").verb == Verb::completed);
  CHECK(xapi_verb("https://w3id.org/xapi/adl/verbs/satisfied").verb == Verb::completed);
  CHECK(xapi_verb("https://w3id.org/xapi/acrossx/verbs/evaluated").verb == Verb::answered);
  CHECK(xapi_verb("http://adlnet.gov/expapi/verbs/commented").verb == Verb::replied);
  const XapiVerbMapping t = xapi_verb("http://adlnet.gov/expapi/verbs/terminated");
  CHECK(t.verb == Verb::other);
  CHECK(t.known);
  const XapiVerbMapping u = xapi_verb("https://example.org/verbs/juggled");
  CHECK(u.verb == Verb::other);
  CHECK_FALSE(u.known);
  CHECK_FALSE(xapi_verb("http://adlnet.gov/expapi/verbs/Completed").known);  // exact match only
  CHECK_FALSE(xapi_verb(std::string(kXapiVerbPrefix) + "napped").known);
}

TEST_CASE("read_xapi_file names the file in the report, and refuses what is not a file") {
  const ReadResult r = read_xapi_file(data_path("cmi5.ndjson"));
  CHECK(r.report.read == 6);
  CHECK(r.report.sources.count("cmi5.ndjson") == 1);
  CHECK(r.cohort.events().size() == 6);
  CHECK_THROWS_AS(read_xapi_file(data_path("no-such-file.ndjson")), NotFound);
  CHECK_THROWS_AS(read_xapi_file(data_path("csv-mini")), InvalidArgument);
  const ReadResult bad = read_xapi_file(data_path("invalid.ndjson"));
  CHECK(bad.report.rejected.front().source == "invalid.ndjson");
}
