#!/usr/bin/env python3
"""Generates examples/data/managers-2027/, the example programme of lien in its canonical CSV format.

"Manager de proximité 2026-2027": a blended path for new first-line managers, two groups of twenty learners
(MGR-2026-A starts on Monday 7 September 2026, MGR-2026-B on Monday 21 September), pre-work, three classroom days
with intersessions, e-learning modules, virtual classes, assessments, a coaching call, and an after phase with a
final assessment, an action plan and a review with the manager. The data stops on Friday 27 November 2026 (the
demo's "today" is Saturday 28 November): most learners are active, a few fade out, four have withdrawn.

Everything is fictitious (names, e-mails at example.org, the company, the LMS at lms.example.org). The script is
deterministic: its own SplitMix64 generator (no `random`, whose methods may change between Python versions),
stdlib only, and files written byte for byte the same on every platform. Run it from anywhere:

    python3 examples/data/generate_managers_2027.py

The withdrawals are built the way they happen in real programmes, so that a dropout-risk model has something to
learn: activity that thins out, deadlines missed, absences from classroom days, fewer exchanges with peers, the
manager and the tutor, and then the withdrawal. Two learners fade the same way but have not withdrawn (yet).
"""

import csv
import datetime as dt
import io
import json
import math
import os
from collections import Counter

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "managers-2027")
SEED = 20260907
LAST_DAY = dt.date(2026, 11, 27)  # the last day with events; the demo runs on 2026-11-28
PATH_ID = "MGR-PROX-2026"
LMS = "https://lms.example.org/course/mgr-prox-2026"


class SplitMix64:
    """Sebastiano Vigna's SplitMix64: tiny, and identical on every platform and Python version."""

    def __init__(self, seed):
        self.state = seed & 0xFFFFFFFFFFFFFFFF

    def next_u64(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
        return z ^ (z >> 31)

    def random(self):
        """Uniform in [0, 1), 53 bits."""
        return (self.next_u64() >> 11) / float(1 << 53)

    def randint(self, a, b):
        """Uniform integer in [a, b]."""
        return a + self.next_u64() % (b - a + 1)

    def chance(self, p):
        return self.random() < p

    def choice(self, seq):
        return seq[self.randint(0, len(seq) - 1)]

    def poisson(self, lam):
        """Knuth's method (small lambdas only)."""
        limit, k, p = math.exp(-lam), 0, 1.0
        while True:
            p *= self.random()
            if p <= limit:
                return k
            k += 1


rng = SplitMix64(SEED)

# ---- calendar ---------------------------------------------------------------------------------------------------

CALENDAR = {"time_zone": "CET-1CEST,M3.5.0,M10.5.0/3", "working_days": "Mon-Fri", "holidays": ["fr"]}
FR_HOLIDAYS_2026 = {dt.date(2026, 11, 1), dt.date(2026, 11, 11), dt.date(2026, 12, 25)}

# ---- the path ---------------------------------------------------------------------------------------------------

# (id, title, kind, phase, open, due, effort hours, required, weight, competencies, slug)
STEPS = [
    ("S01", "Bienvenue : prendre en main la plateforme", "elearning", "before", 0, 7, 0.5, True, 0, "", "s01-bienvenue"),
    ("S02", "Auto-positionnement managérial", "assessment", "before", 0, 10, 0.5, True, 0, "self_awareness", "s02-auto-positionnement"),
    ("S03", "Module 1 — Le rôle du manager de proximité", "elearning", "before", 2, 13, 1.5, True, 1, "role_of_manager", "s03-role-du-manager"),
    ("S04", "Journée 1 — Posture et rôle du manager", "classroom", "during", 14, 14, 7, True, 1, "role_of_manager;communication", "s04-journee-1"),
    ("S05", "Module 2 — Conduire un entretien individuel", "elearning", "intersession", 15, 28, 1.5, True, 1, "feedback", "s05-entretien-individuel"),
    ("S06", "Classe virtuelle — Donner un feedback utile", "virtual_class", "intersession", 21, 21, 1.5, True, 1, "feedback", "s06-cv-feedback"),
    ("S07", "Mise en pratique — Préparer un entretien, \"pour de vrai\"", "assignment", "intersession", 15, 30, 2, True, 2, "feedback;communication", "s07-mise-en-pratique"),
    ("S08", "Quiz de l'intersession 1", "assessment", "intersession", 22, 32, 0.5, True, 1, "feedback", "s08-quiz-1"),
    ("S09", "Journée 2 — Motiver et déléguer", "classroom", "during", 35, 35, 7, True, 1, "motivation;delegation", "s09-journee-2"),
    ("S10", "Module 3 — Déléguer sans se décharger", "elearning", "intersession", 36, 49, 1.5, True, 1, "delegation", "s10-deleguer"),
    ("S11", "Coaching individuel avec le tuteur", "coaching", "intersession", 38, 52, 1, True, 1, "self_awareness", "s11-coaching"),
    ("S12", "Classe virtuelle — Situations difficiles", "virtual_class", "intersession", 45, 45, 1.5, True, 1, "conflict", "s12-cv-situations-difficiles"),
    ("S13", "Quiz de l'intersession 2", "assessment", "intersession", 45, 56, 0.5, True, 1, "delegation;conflict", "s13-quiz-2"),
    ("S14", "Journée 3 — Piloter la performance de l'équipe", "classroom", "during", 63, 63, 7, True, 1, "performance;communication", "s14-journee-3"),
    ("S15", "Évaluation finale", "assessment", "after", 64, 77, 1, True, 3, "role_of_manager;feedback;delegation;performance", "s15-evaluation-finale"),
    ("S16", "Plan d'action managérial", "assignment", "after", 64, 84, 2, True, 2, "performance", "s16-plan-d-action"),
    ("S17", "Bilan à trois mois avec son manager", "review", "after", 150, 160, 1, True, 1, "", "s17-bilan"),
    ("S18", "Communauté — partage de pratiques (facultatif)", "community_event", "after", 70, 90, 1.5, False, 0, "communication", "s18-communaute"),
]
STEP = {s[0]: s for s in STEPS}
PREREQUISITES = [("S03", "S01"), ("S04", "S03"), ("S05", "S04"), ("S07", "S05"), ("S08", "S05"), ("S09", "S04"),
                 ("S10", "S09"), ("S13", "S10"), ("S14", "S09"), ("S15", "S14"), ("S16", "S14"), ("S17", "S16")]

GROUPS = [("MGR-2026-A", dt.date(2026, 9, 7), "TUT-01"), ("MGR-2026-B", dt.date(2026, 9, 21), "TUT-02")]

# ---- people -------------------------------------------------------------------------------------------------------

FIRST = ["Camille", "Julien", "Sarah", "Thomas", "Léa", "Nicolas", "Inès", "Maxime", "Chloé", "Antoine", "Manon",
         "Hugo", "Emma", "Lucas", "Zoé", "Karim", "Clara", "Mathieu", "Nadia", "Pierre", "Élodie", "Yanis", "Julie",
         "Romain", "Sofia", "Baptiste", "Laura", "Mehdi", "Anaïs", "Vincent", "Margaux", "Samir", "Pauline",
         "Guillaume", "Amandine", "Olivier", "Noémie", "Fabrice", "Aurélie", "Rémi"]
LAST = ["Exemple", "Fictif", "Martin-Démo", "Durand-Test", "Lefort", "Morvan", "Besson", "Garnier", "Roux", "Perrin",
        "Lambert", "Fontaine", "Chevalier", "Robin", "Masson", "Sanchez", "Henry", "Caron", "Mallet", "Renaud",
        "Brunet", "Giraud", "Dumont", "Leclerc", "Gautier", "Joly", "Benard", "Colin", "Vidal", "Aubert", "Marchand",
        "Boyer", "Picard", "Roger", "Fabre", "Arnaud", "Rolland", "Meunier", "Barbier", "Lemaire"]
TEAMS = [("Logistique Nord", "Lille", "MGR-01"), ("Logistique Sud", "Marseille", "MGR-02"),
         ("Service client", "Nantes", "MGR-03"), ("Maintenance", "Lyon", "MGR-04"),
         ("Magasin Lyon Part-Dieu", "Lyon", "MGR-05"), ("Magasin Lille Centre", "Lille", "MGR-06"),
         ("Préparation de commandes", "Orléans", "MGR-07"), ("Transport", "Lyon", "MGR-08")]
JOBS = ["Chef d'équipe", "Responsable de rayon", "Superviseur", "Chef d'atelier", "Responsable d'exploitation"]
AGE_BANDS = ["25-34", "35-44", "45-54", "55-64"]

# Archetypes by learner number (1-40): how engaged, and what becomes of them.
#   engaged: steady; average: a little late sometimes; low: late, some absences, few exchanges;
#   fading: engaged at first, then thins out (still enrolled); withdrawn: thins out, then withdraws.
WITHDRAWN = {6: dt.date(2026, 10, 20), 15: dt.date(2026, 11, 13), 25: dt.date(2026, 10, 30), 34: dt.date(2026, 11, 20)}
FADING = {10, 18, 29, 38}
LOW = {4, 12, 20, 23, 31, 40}
AVERAGE = {2, 8, 16, 27, 35}
PRIOR_ATTEMPTS = {9: 1, 15: 1, 36: 1}  # learners who had started the 2025 session
# MGR-07 never meets their people: a disengaged manager, visible in the stakeholder graph.
DISENGAGED_MANAGERS = {"MGR-07"}


def learner_id(n):
    return "LRN-%03d" % n


def ascii_slug(s):
    table = str.maketrans("àâäéèêëîïôöùûüçÉÈ", "aaaeeeeiioouuucEE")
    return s.translate(table).lower().replace(" ", "").replace("-", "")


learners = []
for n in range(1, 41):
    first, last = FIRST[n - 1], LAST[(n * 7) % 40]
    team, site, manager = TEAMS[(n - 1) % len(TEAMS)]
    group = GROUPS[0] if n <= 20 else GROUPS[1]
    if n in WITHDRAWN:
        kind = "withdrawn"
    elif n in FADING:
        kind = "fading"
    elif n in LOW:
        kind = "low"
    elif n in AVERAGE:
        kind = "average"
    else:
        kind = "engaged"
    learners.append({
        "n": n, "id": learner_id(n), "name": "%s %s" % (first, last),
        "email": "%s.%s@example.org" % (ascii_slug(first), ascii_slug(last)),
        "team": team, "site": site, "manager": manager, "job": JOBS[(n * 3) % len(JOBS)],
        "gender": "F" if first in {"Camille", "Sarah", "Léa", "Inès", "Chloé", "Manon", "Emma", "Zoé", "Clara", "Nadia",
                                   "Élodie", "Julie", "Sofia", "Laura", "Anaïs", "Margaux", "Pauline", "Amandine",
                                   "Noémie", "Aurélie"} else "M",
        "age_band": AGE_BANDS[(n * 5) % len(AGE_BANDS)],
        "disability": "yes" if n in {13, 33} else "",
        "group": group[0], "start": group[1], "tutor": group[2], "kind": kind,
        "ability": 0.55 + 0.4 * rng.random(),
    })
# Learner 22 changes team in the middle of the programme (a reorganisation): a dated reports_to.
TEAM_CHANGE = {22: ("MGR-03", "MGR-05", dt.date(2026, 10, 15))}

STAKEHOLDERS = [("MGR-%02d" % (i + 1), "manager", "Manager %s (fictif)" % t[0], "manager.%02d@example.org" % (i + 1),
                 "Groupe Exemple") for i, t in enumerate(TEAMS)]
STAKEHOLDERS += [
    ("TUT-01", "tutor", "Hélène Tutrice-Exemple", "helene.tutrice@example.org", "Groupe Exemple"),
    ("TUT-02", "tutor", "Marc Tuteur-Exemple", "marc.tuteur@example.org", "Groupe Exemple"),
    ("TRN-01", "trainer", "Sophie Formatrice-Exemple", "sophie.formatrice@example.org", "Formations Exemple SAS"),
    ("ORG-FORM", "training_org", "Formations Exemple SAS", "contact@formations.example.org", "Formations Exemple SAS"),
    ("HR-01", "hr", "Nathalie RH-Exemple", "nathalie.rh@example.org", "Groupe Exemple"),
    ("CM-01", "community_manager", "Yann Animateur-Exemple", "yann.animateur@example.org", "Groupe Exemple"),
    ("CO-EX", "company", "Groupe Exemple", "", "Groupe Exemple"),
]

# ---- engagement over time -----------------------------------------------------------------------------------------


def engagement(lr, day):
    """Probability-like engagement of a learner on a calendar day."""
    k = lr["kind"]
    t = (day - lr["start"]).days
    if k == "engaged":
        return 0.96
    if k == "average":
        return 0.85
    if k == "low":
        return 0.72
    if k == "fading":  # good start, then a slow slide after the second classroom day
        return 0.88 if t < 30 else max(0.2, 0.88 - 0.014 * (t - 30))
    # withdrawn: the slide starts a few weeks before the withdrawal and steepens
    left = (WITHDRAWN[lr["n"]] - day).days
    if left > 28:
        return 0.8
    return max(0.05, 0.8 * left / 28.0)


def active_on(lr, day):
    if day > LAST_DAY or day < lr["start"]:
        return False
    return lr["kind"] != "withdrawn" or day < WITHDRAWN[lr["n"]]


def work_day_near(day, spread, lr, allow_weekend=0.08):
    """A day near `day` (within +/- spread) on which the learner is active; weekends are rare."""
    for _ in range(20):
        d = day + dt.timedelta(days=rng.randint(-spread, spread))
        if d.weekday() >= 5 and not rng.chance(allow_weekend):
            continue
        if d in FR_HOLIDAYS_2026 and not rng.chance(0.1):
            continue
        if active_on(lr, d):
            return d
    return None


def at(day, hour_from=8, hour_to=19):
    """A local wall-clock time on `day` (no UTC offset: read in the calendar's zone, Europe/Paris)."""
    h = rng.randint(hour_from, hour_to)
    return dt.datetime(day.year, day.month, day.day, h, rng.randint(0, 59), rng.randint(0, 59))


events = []


def event(lr, when, verb, otype="", oid="", actor="", score="", success="", completion="", duration="", count=""):
    events.append({"learner_id": lr["id"], "time": when, "verb": verb, "object_type": otype, "object_id": oid,
                   "actor_id": actor, "score": score, "success": success, "completion": completion,
                   "duration": duration, "count": count})


def iso_minutes(m):
    return "PT%dM" % m if m < 60 else "PT%dH%02dM" % (m // 60, m % 60)


def fmt_score(x):
    return "%.2f" % max(0.0, min(1.0, x))


# ---- events, step by step -----------------------------------------------------------------------------------------

for lr in learners:
    start = lr["start"]
    for sid, title, kind, phase, o, d, effort, required, weight, comp, slug in STEPS:
        opens, due = start + dt.timedelta(days=o), start + dt.timedelta(days=d)
        if opens > LAST_DAY:
            continue
        e = engagement(lr, due)
        if kind in ("classroom", "virtual_class"):
            if not active_on(lr, opens):
                continue
            hour = 9 if kind == "classroom" else 14
            when = dt.datetime(opens.year, opens.month, opens.day, hour, rng.randint(0, 12), 0)
            # Attendance is taken by the trainer.
            if rng.chance(e ** 1.5 if kind == "classroom" else e ** 2):
                minutes = 420 if kind == "classroom" else 90
                event(lr, when, "attended", "step", sid, "TRN-01", duration=iso_minutes(minutes - rng.randint(0, 20)))
            else:
                event(lr, when, "absent", "step", sid, "TRN-01")
            continue
        if not required and not rng.chance(0.5 * e):
            continue
        if not rng.chance(e):
            continue  # never started: a missed deadline once `due` has passed
        # On time for engaged learners; late (after the due date) more often as engagement drops.
        late = rng.chance((1 - e) * 1.2)
        base = due + dt.timedelta(days=rng.randint(1, 9)) if late else opens + dt.timedelta(
            days=rng.randint(0, max(0, (due - opens).days)))
        day = work_day_near(base, 1, lr)
        if day is None or day < opens:
            continue
        t0 = at(day)
        url = "%s/activity/%s" % (LMS, slug)
        if kind == "elearning":
            event(lr, t0, "launched", "step", sid)
            pages = rng.randint(2, 5)
            t = t0
            for p in range(pages):
                t = t + dt.timedelta(minutes=rng.randint(3, 12))
                event(lr, t, "experienced", "resource", "%s/page-%d" % (url, p + 1), duration=str(rng.randint(90, 600)))
            if rng.chance(0.35 + 0.6 * e):
                t = t + dt.timedelta(minutes=rng.randint(2, 10))
                event(lr, t, "completed", "step", sid, completion="true",
                      duration=iso_minutes(int((t - t0).total_seconds() // 60)))
        elif kind == "assessment":
            event(lr, t0, "launched", "step", sid)
            ability = lr["ability"] * (0.75 + 0.25 * e)
            raw = ability + (rng.random() - 0.5) * 0.2
            if sid == "S02":  # the self-assessment: answered and completed, no pass mark
                event(lr, t0 + dt.timedelta(minutes=1), "answered", "step", sid, score=fmt_score(raw))
                event(lr, t0 + dt.timedelta(minutes=14), "completed", "step", sid, score=fmt_score(raw),
                      completion="true", duration="PT13M")
            else:
                event(lr, t0 + dt.timedelta(minutes=1), "attempted", "step", sid)
                passed = raw >= 0.6
                if not passed and rng.chance(0.6 * e):  # a second attempt a few days later
                    event(lr, t0 + dt.timedelta(minutes=16), "failed", "step", sid, score=fmt_score(raw),
                          success="false", completion="true", duration="PT15M")
                    retry = work_day_near(day + dt.timedelta(days=3), 1, lr)
                    if retry is None or retry <= day:
                        continue
                    t0 = at(retry)
                    raw = min(1.0, raw + 0.1 + 0.1 * rng.random())
                    event(lr, t0, "attempted", "step", sid)
                    passed = raw >= 0.6
                verb = "passed" if passed else "failed"
                event(lr, t0 + dt.timedelta(minutes=rng.randint(8, 25)), verb, "step", sid, score=fmt_score(raw),
                      success="true" if passed else "false", completion="true")
        elif kind == "assignment":
            event(lr, t0, "attempted", "step", sid)
            event(lr, t0 + dt.timedelta(minutes=rng.randint(40, 110)), "completed", "step", sid, completion="true")
            # The trainer grades it a few days later.
            graded = day + dt.timedelta(days=rng.randint(2, 6))
            if graded <= LAST_DAY:
                raw = lr["ability"] * (0.8 + 0.2 * e) + (rng.random() - 0.5) * 0.15
                verb = "passed" if raw >= 0.5 else "failed"
                event(lr, at(graded, 9, 17), verb, "step", sid, actor="TRN-01", score=fmt_score(raw),
                      success="true" if raw >= 0.5 else "false")
        elif kind == "coaching":
            event(lr, t0, "met", "person", lr["tutor"], duration=iso_minutes(rng.randint(45, 70)))
            event(lr, t0 + dt.timedelta(hours=1), "completed", "step", sid, actor=lr["tutor"], completion="true")
        elif kind == "community_event":
            event(lr, t0, "attended", "step", sid, actor="CM-01", duration="PT1H30M")
        elif kind == "review":
            event(lr, t0, "completed", "step", sid, actor=lr["manager"], completion="true")

# ---- the community: posts and replies between peers, week by week ---------------------------------------------------

by_group = {}
for lr in learners:
    by_group.setdefault(lr["group"], []).append(lr)
used_threads = set()
for lr in learners:
    week = lr["start"]
    while week <= LAST_DAY:
        if active_on(lr, week) or (lr["kind"] == "withdrawn" and week < WITHDRAWN[lr["n"]]):
            e = engagement(lr, week)
            for _ in range(rng.poisson(0.8 * e ** 3)):
                day = work_day_near(week + dt.timedelta(days=rng.randint(0, 4)), 0, lr, allow_weekend=0.15)
                if day is None:
                    continue
                thread = rng.randint(1000, 9999)
                while thread in used_threads:
                    thread = rng.randint(1000, 9999)
                used_threads.add(thread)
                when = at(day, 7, 22)
                event(lr, when, "posted", "resource", "%s/forum/%s/discussion-%d" % (LMS, lr["group"].lower(), thread))
                # Peers of the same group answer, the engaged ones more readily.
                for peer in by_group[lr["group"]]:
                    if peer is lr:
                        continue
                    later = when + dt.timedelta(hours=rng.randint(1, 60))
                    if later.date() > LAST_DAY or not active_on(peer, later.date()):
                        continue
                    if rng.chance(0.12 * engagement(peer, later.date()) ** 2):
                        event(peer, later, "replied", "person", lr["id"])
        week += dt.timedelta(days=7)

# ---- managers, tutors, the community manager ------------------------------------------------------------------------

for lr in learners:
    manager = lr["manager"]
    day = lr["start"] + dt.timedelta(days=rng.randint(1, 6))
    while day <= LAST_DAY:
        if lr["n"] in TEAM_CHANGE:
            old, new, when = TEAM_CHANGE[lr["n"]]
            manager = old if day < when else new
        if active_on(lr, day) and manager not in DISENGAGED_MANAGERS and rng.chance(0.45 + 0.5 * engagement(lr, day)):
            d = work_day_near(day, 1, lr, allow_weekend=0)
            if d:
                event(lr, at(d, 8, 18), "met", "person", manager, duration=iso_minutes(rng.choice([20, 30, 45])))
        day += dt.timedelta(days=rng.randint(14, 24))
    # Tutor check-ins (the tutor writes), and the learner's own messages to the tutor.
    day = lr["start"] + dt.timedelta(days=rng.randint(3, 9))
    while day <= LAST_DAY:
        if active_on(lr, day):
            d = work_day_near(day, 1, lr, allow_weekend=0)
            if d:
                event(lr, at(d, 9, 18), "messaged", actor=lr["tutor"])
                if rng.chance(engagement(lr, d) ** 2):
                    reply = d + dt.timedelta(days=rng.randint(0, 2))
                    if active_on(lr, reply):
                        event(lr, at(reply, 8, 21), "messaged", "person", lr["tutor"],
                              count=str(rng.randint(1, 3)) if rng.chance(0.3) else "")
        day += dt.timedelta(days=rng.randint(9, 16))
    # The community manager reaches out to the learners who went quiet in November.
    if lr["kind"] in ("fading", "withdrawn"):
        for d in (dt.date(2026, 11, 4), dt.date(2026, 11, 18)):
            if active_on(lr, d):
                event(lr, at(d, 10, 16), "messaged", actor="CM-01")

# Logins that a LMS logs outside any step: the platform itself (initialized), mostly in the first weeks.
for lr in learners:
    for w in range(0, 12):
        day = lr["start"] + dt.timedelta(days=7 * w + rng.randint(0, 4))
        if active_on(lr, day) and rng.chance(engagement(lr, day) * (0.9 if w < 3 else 0.5)):
            event(lr, at(day, 7, 21), "initialized", "resource", "https://lms.example.org/", count=str(rng.randint(1, 4)))

# ---- tables ---------------------------------------------------------------------------------------------------------


def write_csv(name, header, rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow(r)
    with open(os.path.join(OUT, name), "w", encoding="utf-8", newline="") as f:
        f.write(buf.getvalue())


os.makedirs(OUT, exist_ok=True)
with open(os.path.join(OUT, "calendar.json"), "w", encoding="utf-8", newline="") as f:
    f.write(json.dumps(CALENDAR, indent=2) + "\n")

write_csv("learners.csv", ["learner_id", "display_name", "email", "team", "site", "job", "gender", "age_band", "disability"],
          [[lr["id"], lr["name"], lr["email"], lr["team"], lr["site"], lr["job"], lr["gender"], lr["age_band"],
            lr["disability"]] for lr in learners])
write_csv("stakeholders.csv", ["stakeholder_id", "role", "display_name", "email", "organisation"], STAKEHOLDERS)
write_csv("paths.csv", ["path_id", "title", "course"], [[PATH_ID, "Manager de proximité 2026-2027", "MGR-PROX"]])
write_csv("steps.csv", ["step_id", "path_id", "title", "kind", "phase", "open", "due", "effort_hours", "required",
                        "weight", "competencies", "activity_iri"],
          [[s[0], PATH_ID, s[1], s[2], s[3], "%+d" % s[4], "%+d" % s[5], s[6], "true" if s[7] else "false", s[8], s[9],
            "%s/activity/%s" % (LMS, s[10])] for s in STEPS])
write_csv("prerequisites.csv", ["step_id", "requires_step_id"], PREREQUISITES)

relations = []
for lr in learners:
    if lr["n"] in TEAM_CHANGE:
        old, new, when = TEAM_CHANGE[lr["n"]]
        relations.append([lr["id"], "reports_to", old, "2024-03-01", when.isoformat()])
        relations.append([lr["id"], "reports_to", new, when.isoformat(), ""])
    else:
        relations.append([lr["id"], "reports_to", lr["manager"], "2024-03-01", ""])
for group, start, tutor in GROUPS:
    relations.append([tutor, "tutors", group, start.isoformat(), ""])
    relations.append(["TRN-01", "trains", group, start.isoformat(), ""])
relations.append(["ORG-FORM", "employs", "TRN-01", "2019-01-01", ""])
for sid, role, *_ in STAKEHOLDERS:
    if role in ("manager", "tutor", "hr", "community_manager"):
        relations.append(["CO-EX", "employs", sid, "", ""])
relations.append(["TUT-01", "member_of", "CO-EX", "", ""])
relations.append(["TUT-02", "member_of", "CO-EX", "", ""])
write_csv("relations.csv", ["source_id", "type", "target_id", "valid_from", "valid_to"], relations)

enrolments = []
for lr in learners:
    start = lr["start"]
    outcome, outcome_time = "active", ""
    if lr["kind"] == "withdrawn":
        outcome, outcome_time = "withdrawn", "%sT17:30:00" % WITHDRAWN[lr["n"]].isoformat()
    enrolments.append(["ENR-%s" % lr["id"], lr["id"], PATH_ID, lr["group"], start.isoformat(),
                       (start + dt.timedelta(days=160)).isoformat(), outcome, outcome_time,
                       PRIOR_ATTEMPTS.get(lr["n"], 0)])
write_csv("enrolments.csv", ["enrolment_id", "learner_id", "path_id", "instance_id", "start", "planned_end", "outcome",
                             "outcome_time", "prior_attempts"], enrolments)

events.sort(key=lambda e: (e["time"], e["learner_id"]))
cols = ["learner_id", "time", "verb", "object_type", "object_id", "actor_id", "score", "success", "completion",
        "duration", "count"]
write_csv("events.csv", cols, [[e[c] if c != "time" else e[c].isoformat() for c in cols] for e in events])

# ---- what the tests pin (tests/cpp/test_csv.cpp) ---------------------------------------------------------------------

verbs = Counter(e["verb"] for e in events)
outcomes = Counter(r[6] for r in enrolments)
print("learners", len(learners))
print("stakeholders", len(STAKEHOLDERS))
print("steps", len(STEPS), "prerequisites", len(PREREQUISITES), "relations", len(relations))
print("enrolments", dict(sorted(outcomes.items())))
print("events", len(events), "first", events[0]["time"].isoformat(), "last", events[-1]["time"].isoformat())
print("by verb", dict(sorted(verbs.items())))
