#!/usr/bin/env python3
"""Writes invalid.ndjson (one statement per rule of docs/xapi.md, each breaking that rule only) and
invalid.expected.tsv (line, field, reason the reader must give; a reason ending in '*' is a prefix).

Line 1 is a valid statement (the base every other line alters); line 3 is blank (blank lines are skipped but
still counted in line numbers). Regenerate with `python3 tests/data/xapi/make_invalid.py` from the repo root.
"""

import copy
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
COUNT = "https://lien.example.org/xapi/extensions/count"
LEARNER = "https://lien.example.org/xapi/extensions/learner"

BASE = {
    "id": "9b2f5a10-6c1d-4e2f-8a3b-4c5d6e7f8a90",
    "actor": {"objectType": "Agent", "account": {"homePage": "https://lms.example.org", "name": "learner-1"}},
    "verb": {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en-US": "completed"}},
    "object": {"objectType": "Activity", "id": "https://lms.example.org/mod/quiz/view.php?id=3",
               "definition": {"type": "http://adlnet.gov/expapi/activities/assessment",
                              "name": {"en-US": "Quiz 1"}}},
    "result": {"score": {"raw": 8, "min": 0, "max": 10, "scaled": 0.8}, "success": True, "completion": True,
               "duration": "PT20M"},
    "context": {"registration": "1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9",
                "contextActivities": {"grouping": [{"id": "https://lms.example.org/course/view.php?id=1",
                                                    "definition": {"type": "http://adlnet.gov/expapi/activities/course"}}]}},
    "timestamp": "2027-03-01T10:00:00+01:00",
}


def variant(change):
    st = copy.deepcopy(BASE)
    change(st)
    return json.dumps(st, separators=(",", ":"), ensure_ascii=False)


def setp(path, value):
    def change(st):
        node = st
        for k in path[:-1]:
            node = node[k]
        node[path[-1]] = value
    return change


def delp(path):
    def change(st):
        node = st
        for k in path[:-1]:
            node = node[k]
        del node[path[-1]]
    return change


def actor(value):
    return setp(["actor"], value)


base = variant(lambda st: None)
ACC = {"homePage": "https://lms.example.org", "name": "learner-1"}
SHA = "0123456789abcdef0123456789abcdef01234567"

# (line text, field, reason)
RULES = [
    # the record as a whole
    (base[:-20], "", "malformed JSON: *"),
    (base.replace('"Quiz 1"', '"Quiz \udcff"'), "", "not valid UTF-8"),
    ("[" + base + "]", "", "a statement must be a JSON object"),
    (base[:-1] + ',"verb":{"id":"http://adlnet.gov/expapi/verbs/failed"}}', "verb", "property appears more than once"),
    # statement id
    (variant(setp(["id"], "9b2f5a10-6c1d-4e2f-8a3b")), "id", "statement id must be a UUID"),
    (variant(setp(["id"], 42)), "id", "statement id must be a UUID"),
    (base, "id", "duplicate statement id (first at index 1)"),
    # actor
    (variant(delp(["actor"])), "actor", "missing: every statement has an actor"),
    (variant(actor("learner-1")), "actor", "must be a JSON object"),
    (variant(actor({"objectType": "Group", "account": ACC})), "actor.objectType",
     "a Group actor is not read: lien records events per learner (send one statement per member)"),
    (variant(actor({"objectType": "Person", "account": ACC})), "actor.objectType", "objectType must be Agent or Group"),
    (variant(actor({"objectType": "Agent", "name": "Someone"})), "actor",
     "no identifier: an Agent needs one of mbox, mbox_sha1sum, openid or account"),
    (variant(actor({"account": ACC, "mbox_sha1sum": SHA})), "actor",
     "more than one identifier (mbox, mbox_sha1sum, openid, account): an Agent has exactly one"),
    (variant(actor({"mbox": "learner@example.org"})), "actor.mbox", "mbox must be a mailto: IRI with one e-mail address"),
    (variant(actor({"mbox": "mailto:a@b@example.org"})), "actor.mbox", "mbox must be a mailto: IRI with one e-mail address"),
    (variant(actor({"mbox": "mailto:learner at example.org"})), "actor.mbox",
     "mbox must be a mailto: IRI with one e-mail address"),
    (variant(actor({"mbox_sha1sum": SHA[:-1]})), "actor.mbox_sha1sum", "mbox_sha1sum must be 40 hexadecimal digits"),
    (variant(actor({"mbox_sha1sum": SHA[:-1] + "g"})), "actor.mbox_sha1sum", "mbox_sha1sum must be 40 hexadecimal digits"),
    (variant(actor({"openid": "not an iri"})), "actor.openid", "openid must be an IRI"),
    (variant(actor({"account": {"name": "learner-1"}})), "actor.account.homePage",
     "missing: an account has a homePage and a name"),
    (variant(actor({"account": {"homePage": "lms.example.org", "name": "learner-1"}})), "actor.account.homePage",
     "homePage must be an IRI"),
    (variant(actor({"account": {"homePage": "https://lms.example.org"}})), "actor.account.name",
     "missing: an account has a homePage and a name"),
    (variant(actor({"account": {"homePage": "https://lms.example.org", "name": ""}})), "actor.account.name",
     "account name must be a non-empty string"),
    (variant(actor({"account": {"homePage": "https://lms.example.org", "name": 17}})), "actor.account.name",
     "account name must be a non-empty string"),
    (variant(actor({"account": "learner-1"})), "actor.account", "must be a JSON object"),
    # verb
    (variant(delp(["verb"])), "verb", "missing: every statement has a verb"),
    (variant(setp(["verb"], {"display": {"en-US": "completed"}})), "verb.id", "missing: a verb has an id"),
    (variant(setp(["verb", "id"], "completed")), "verb.id", "verb id must be an IRI"),
    # object
    (variant(delp(["object"])), "object", "missing: every statement has an object"),
    (variant(delp(["object", "id"])), "object.id", "missing: an Activity has an id"),
    (variant(setp(["object", "id"], "quiz 3")), "object.id", "activity id must be an IRI"),
    (variant(setp(["object", "objectType"], "Course")), "object.objectType",
     "objectType must be Activity, Agent, Group, StatementRef or SubStatement"),
    (variant(setp(["object", "definition", "type"], "assessment")), "object.definition.type",
     "activity type must be an IRI"),
    (variant(setp(["object", "definition", "name"], "Quiz 1")), "object.definition.name",
     "a language map must be a JSON object of strings"),
    (variant(setp(["object"], {"objectType": "Agent", "mbox": "mailto:no-at-sign"})), "object.mbox",
     "mbox must be a mailto: IRI with one e-mail address"),
    (variant(setp(["object"], {"objectType": "StatementRef", "id": "not-a-uuid"})), "object.id",
     "a StatementRef id must be a UUID"),
    (variant(setp(["verb", "id"], "http://adlnet.gov/expapi/verbs/voided")), "object.objectType",
     "a voiding statement (verb voided) must have a StatementRef object"),
    # result
    (variant(setp(["result", "score", "scaled"], "0.8")), "result.score.scaled", "must be a JSON number"),
    (variant(setp(["result", "score", "scaled"], 1.5)), "result.score.scaled", "scaled score must lie in [-1, 1]"),
    (variant(setp(["result", "score", "raw"], 12)), "result.score.raw", "raw score must lie within [min, max]"),
    (variant(setp(["result", "score", "raw"], -1)), "result.score.raw", "raw score must lie within [min, max]"),
    (variant(setp(["result", "score", "min"], 11)), "result.score.max", "max must not be less than min"),
    (variant(setp(["result", "score", "raw"], "8")), "result.score.raw", "must be a JSON number"),
    (variant(setp(["result", "success"], "true")), "result.success", "success must be a JSON boolean"),
    (variant(setp(["result", "completion"], 1)), "result.completion", "completion must be a JSON boolean"),
    (variant(setp(["result", "duration"], "90 minutes")), "result.duration",
     "duration must be an ISO 8601 duration such as PT1H30M"),
    (variant(setp(["result", "duration"], 5400)), "result.duration",
     "duration must be an ISO 8601 duration such as PT1H30M"),
    (variant(setp(["result"], [])), "result", "must be a JSON object"),
    (variant(setp(["result", "score"], 0.8)), "result.score", "must be a JSON object"),
    # context
    (variant(setp(["context", "registration"], "registration-7")), "context.registration", "registration must be a UUID"),
    (variant(setp(["context", "contextActivities", "grouping"],
                  [{"id": "https://lms.example.org"}, {"id": "course 1"}])),
     "context.contextActivities.grouping[1].id", "activity id must be an IRI"),
    (variant(setp(["context", "contextActivities", "grouping"], "https://lms.example.org/course/view.php?id=1")),
     "context.contextActivities.grouping", "must be an array of Activities"),
    (variant(setp(["context", "contextActivities", "parent"], [{"objectType": "Agent", "id": "https://lms.example.org/x"}])),
     "context.contextActivities.parent[0].objectType", "objectType must be Activity"),
    (variant(setp(["context", "extensions"], {COUNT: 0})), 'context.extensions["' + COUNT + '"]',
     "count must be a JSON integer from 1 to 4294967295"),
    (variant(setp(["context", "extensions"], {COUNT: 2.5})), 'context.extensions["' + COUNT + '"]',
     "count must be a JSON integer from 1 to 4294967295"),
    (variant(setp(["context", "extensions"], {COUNT: "3"})), 'context.extensions["' + COUNT + '"]',
     "count must be a JSON integer from 1 to 4294967295"),
    (variant(setp(["context", "extensions"], {COUNT: 4294967296})), 'context.extensions["' + COUNT + '"]',
     "count must be a JSON integer from 1 to 4294967295"),
    (variant(setp(["context", "extensions"], {LEARNER: {"objectType": "Agent", "name": "Someone"}})),
     'context.extensions["' + LEARNER + '"]', "no identifier: an Agent needs one of mbox, mbox_sha1sum, openid or account"),
    (variant(setp(["context"], "course 1")), "context", "must be a JSON object"),
    # time
    (variant(delp(["timestamp"])), "timestamp", "missing, and no stored time to fall back on"),
    (variant(setp(["timestamp"], "yesterday")), "timestamp", "not an ISO 8601 timestamp: *"),
    (variant(setp(["timestamp"], "2027-03-01")), "timestamp", "must carry a time of day, not only a date"),
    (variant(setp(["timestamp"], "1900-01-01T00:00:00Z")), "timestamp",
     "not an ISO 8601 timestamp: year outside 1970-2199"),
    (variant(setp(["timestamp"], 1803888000)), "timestamp", "must be an ISO 8601 timestamp string"),
    (variant(setp(["timestamp"], "2027-02-30T10:00:00Z")), "timestamp",
     "not an ISO 8601 timestamp: day does not exist in that month"),
    (variant(setp(["timestamp"], "2027-03-01T10:00:00+25:00")), "timestamp",
     "not an ISO 8601 timestamp: UTC offset out of range"),
    (variant(setp(["stored"], "2027-03-01 at noon")), "stored", "not an ISO 8601 timestamp: *"),
]


def main():
    lines = [base, ""]  # line 1 valid, line 2 blank
    expected = []
    for text, field, reason in RULES:
        lines.append(text)
        expected.append((len(lines), field, reason))
    with open(os.path.join(HERE, "invalid.ndjson"), "w", encoding="utf-8", errors="surrogateescape",
              newline="\n") as f:
        for line in lines:
            f.write(line + "\n")
    with open(os.path.join(HERE, "invalid.expected.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("line\tfield\treason\n")
        for line, field, reason in expected:
            f.write(f"{line}\t{field}\t{reason}\n")
    print(f"{len(lines)} lines, {len(expected)} rejections expected")


if __name__ == "__main__":
    main()
