#!/usr/bin/env python3
"""Turn a folder of lien's canonical CSV tables into xAPI statements (NDJSON, or a JSON array).

Reading the statements back with lien's xAPI reader in mapping mode -- against the same folder's reference
tables (learners, stakeholders, paths, steps, enrolments) -- gives back the events of events.csv: the same
count, verbs, learners, actors, objects, results and counts. docs/xapi.md ("Writing lien data as xAPI")
describes the representation; this script and src/io/xapi_vocabulary.cpp must agree on the verb IRIs.

Standard library only.

    python3 examples/data/to_xapi.py examples/data/managers-2027            # -> .../statements.ndjson
    python3 examples/data/to_xapi.py DIR -o out.json --array --identify mbox_sha1sum
"""

import argparse
import csv
import hashlib
import json
import os
import re
import sys
import uuid
from urllib.parse import quote

LIEN = "https://lien.example.org/xapi/"
COUNT_EXTENSION = LIEN + "extensions/count"
LEARNER_EXTENSION = LIEN + "extensions/learner"
STEP_PREFIX = LIEN + "steps/"
RESOURCE_PREFIX = LIEN + "resources/"
PATH_PREFIX = LIEN + "paths/"
NO_OBJECT = LIEN + "activities/none"
STATEMENT_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, LIEN + "statements")

# The IRI written for each lien verb (xapi_verb_iri in src/io/xapi_vocabulary.cpp).
VERB_IRIS = {
    "launched": "http://adlnet.gov/expapi/verbs/launched",
    "initialized": "http://adlnet.gov/expapi/verbs/initialized",
    "experienced": "http://adlnet.gov/expapi/verbs/experienced",
    "attempted": "http://adlnet.gov/expapi/verbs/attempted",
    "answered": "http://adlnet.gov/expapi/verbs/answered",
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "passed": "http://adlnet.gov/expapi/verbs/passed",
    "failed": "http://adlnet.gov/expapi/verbs/failed",
    "attended": "http://adlnet.gov/expapi/verbs/attended",
    "absent": LIEN + "verbs/absent",
    "posted": "https://w3id.org/xapi/acrossx/verbs/posted",
    "replied": "http://id.tincanapi.com/verb/replied",
    "messaged": LIEN + "verbs/messaged",
    "met": LIEN + "verbs/met",
    "other": LIEN + "verbs/other",
}

# Activity types that read back as the same step kind in inference mode.
KIND_TYPES = {
    "elearning": "http://adlnet.gov/expapi/activities/module",
    "classroom": "http://adlnet.gov/expapi/activities/meeting",
    "virtual_class": "https://w3id.org/xapi/virtual-classroom/activity-types/virtual-classroom",
    "assessment": "http://adlnet.gov/expapi/activities/assessment",
    "assignment": "https://xapi.edlm/profiles/edlm-lms/concepts/activity-types/assignment",
    "coaching": LIEN + "activities/coaching",
    "community_event": "https://xapi.edlm/profiles/edlm-lms/concepts/activity-types/forum",
    "review": LIEN + "activities/review",
}
COURSE_TYPE = "http://adlnet.gov/expapi/activities/course"

IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def read_table(folder, name, required=True):
    path = os.path.join(folder, name + ".csv")
    if not os.path.exists(path):
        if required:
            sys.exit(f"to_xapi: {path} is missing")
        return []
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def lang(text):
    return {"en-US": text}


class Converter:
    def __init__(self, folder, home_page, identify):
        self.home_page = home_page
        self.identify = identify
        self.emails = {}
        for row in read_table(folder, "learners"):
            self.emails[row["learner_id"]] = (row.get("email") or "").strip()
        for row in read_table(folder, "stakeholders", required=False):
            self.emails[row["stakeholder_id"]] = (row.get("email") or "").strip()
        self.paths = {row["path_id"]: row for row in read_table(folder, "paths", required=False)}
        self.steps = {row["step_id"]: row for row in read_table(folder, "steps")}
        self.step_iris = {row.get("activity_iri", "") for row in self.steps.values()} - {""}
        self.enrolments = {}
        self.paths_of_learner = {}
        for row in read_table(folder, "enrolments"):
            self.enrolments[(row["learner_id"], row["path_id"])] = row["enrolment_id"]
            self.paths_of_learner.setdefault(row["learner_id"], []).append(row["path_id"])
        self.events = read_table(folder, "events")

    def agent(self, person):
        email = self.emails.get(person, "")
        if self.identify == "mbox_sha1sum" and email:
            digest = hashlib.sha1(("mailto:" + email.lower()).encode("utf-8")).hexdigest()
            return {"objectType": "Agent", "mbox_sha1sum": digest}
        return {"objectType": "Agent", "account": {"homePage": self.home_page, "name": person}}

    def path_activity(self, path_id):
        activity = {"objectType": "Activity", "id": PATH_PREFIX + quote(path_id, safe=""),
                    "definition": {"type": COURSE_TYPE}}
        title = (self.paths.get(path_id) or {}).get("title", "")
        if title:
            activity["definition"]["name"] = lang(title)
        return activity

    def step_object(self, step_id):
        step = self.steps.get(step_id)
        if step is None:
            sys.exit(f"to_xapi: events.csv names step {step_id!r}, which steps.csv does not declare")
        iri = step.get("activity_iri") or STEP_PREFIX + quote(step_id, safe="")
        definition = {}
        if step.get("title"):
            definition["name"] = lang(step["title"])
        if step.get("kind") in KIND_TYPES:
            definition["type"] = KIND_TYPES[step["kind"]]
        obj = {"objectType": "Activity", "id": iri}
        if definition:
            obj["definition"] = definition
        return obj, step["path_id"]

    def resource_object(self, resource_id):
        if IRI.match(resource_id) and resource_id not in self.step_iris and not resource_id.startswith(LIEN):
            return {"objectType": "Activity", "id": resource_id}
        return {"objectType": "Activity", "id": RESOURCE_PREFIX + quote(resource_id, safe="")}

    def statement(self, index, row):
        learner = row["learner_id"]
        actor = (row.get("actor_id") or "").strip()
        if actor == learner:
            actor = ""
        verb = row["verb"]
        if verb not in VERB_IRIS:
            sys.exit(f"to_xapi: events.csv line {index + 2}: unknown verb {verb!r}")
        kind = (row.get("object_type") or "").strip() or "none"
        object_id = (row.get("object_id") or "").strip()
        path_id = None
        if kind == "step":
            obj, path_id = self.step_object(object_id)
        elif kind == "resource":
            obj = self.resource_object(object_id)
        elif kind == "person":
            obj = self.agent(object_id)
        elif kind == "none":
            obj = {"objectType": "Activity", "id": NO_OBJECT}
        else:
            sys.exit(f"to_xapi: events.csv line {index + 2}: unknown object_type {kind!r}")
        if path_id is None and len(self.paths_of_learner.get(learner, [])) == 1:
            path_id = self.paths_of_learner[learner][0]

        time = row["time"].strip()
        if DATE_ONLY.match(time):
            time += "T00:00:00"  # the start of that local day, as lien reads a date-only time
        key = "|".join([str(index)] + [row.get(k) or "" for k in sorted(row)])
        st = {
            "id": str(uuid.uuid5(STATEMENT_NAMESPACE, key)),
            "timestamp": time,
            "actor": self.agent(actor or learner),
            "verb": {"id": VERB_IRIS[verb], "display": lang(verb)},
            "object": obj,
        }
        result = {}
        score = (row.get("score") or "").strip()
        if score:
            result["score"] = {"scaled": float(score)}
        for field in ("success", "completion"):
            value = (row.get(field) or "").strip().lower()
            if value in ("true", "1"):
                result[field] = True
            elif value in ("false", "0"):
                result[field] = False
        duration = (row.get("duration") or "").strip()
        if duration:
            result["duration"] = duration if duration.startswith("P") else "PT" + repr(float(duration)) + "S"
        if result:
            st["result"] = result
        context = {}
        if path_id is not None:
            context["contextActivities"] = {"grouping": [self.path_activity(path_id)]}
            enrolment = self.enrolments.get((learner, path_id), "")
            if UUID.match(enrolment):
                context["registration"] = enrolment
        extensions = {}
        count = (row.get("count") or "").strip()
        if count and int(count) != 1:
            extensions[COUNT_EXTENSION] = int(count)
        if actor:
            extensions[LEARNER_EXTENSION] = self.agent(learner)
        if extensions:
            context["extensions"] = extensions
        if context:
            st["context"] = context
        st["version"] = "1.0.3"
        return st

    def statements(self):
        return [self.statement(i, row) for i, row in enumerate(self.events)]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", help="a folder of lien CSV tables (learners, steps, enrolments, events...)")
    parser.add_argument("-o", "--output", help="output file (default: FOLDER/statements.ndjson)")
    parser.add_argument("--array", action="store_true", help="write one JSON array instead of NDJSON")
    parser.add_argument("--home-page", default="https://lien.example.org/people",
                        help="account homePage of every person (their id is the account name)")
    parser.add_argument("--identify", choices=("account", "mbox_sha1sum"), default="account",
                        help="how actors are identified: account (id) or mbox_sha1sum of their e-mail")
    args = parser.parse_args(argv)
    statements = Converter(args.folder, args.home_page, args.identify).statements()
    output = args.output or os.path.join(args.folder, "statements.json" if args.array else "statements.ndjson")
    with open(output, "w", encoding="utf-8", newline="\n") as f:
        if args.array:
            json.dump(statements, f, ensure_ascii=False, indent=1)
            f.write("\n")
        else:
            for st in statements:
                f.write(json.dumps(st, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"to_xapi: {len(statements)} statements -> {output}")


if __name__ == "__main__":
    main()
