"""Action queue, reviews and community analytics from Python."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import lien

AS_OF = "2027-10-25"


@pytest.fixture(scope="module")
def scores(model, current):  # type: ignore[no-untyped-def]
    return model.score(current.cohort, AS_OF)


def test_action_queue(current, scores) -> None:
    q = lien.action_queue(current.cohort, scores, AS_OF)
    assert len(q) > 0
    for col in ("rank", "status", "day", "learner", "enrolment", "action", "who", "who_role", "why", "due",
                "priority", "band", "probability", "rule", "note"):
        assert col in q.columns, col
    assert list(q["rank"]) == list(range(1, len(q) + 1))
    assert set(q["status"].astype(str)) <= {"scheduled", "deferred", "cooling_off", "duplicate", "over_cap"}
    people = set(current.cohort.person_ids)
    assert set(q["who"].dropna()) <= people
    assert set(q["learner"]) <= set(current.cohort.learner_ids)
    # Each action's probability is its enrolment's score.
    p = scores.to_frame().set_index("enrolment")["probability"]
    np.testing.assert_allclose(q["probability"].to_numpy(), p.loc[q["enrolment"]].to_numpy())
    # The weekly cap holds per performer.
    sched = q[q.status == "scheduled"]
    assert sched.groupby("who").size().max() <= 10
    q2 = lien.action_queue(current.cohort, scores, AS_OF, weekly_cap=1)
    assert q2[q2.status == "scheduled"].groupby("who").size().max() == 1
    fr = lien.action_queue(current.cohort, scores, AS_OF, lang="fr")
    assert list(fr["action"]) == list(q["action"]) and (fr["why"] != q["why"]).any()
    assert scores.actions(AS_OF).equals(q)


def test_playbook_file(current, scores, tmp_path) -> None:
    text = lien.Playbook.default_json()
    path = tmp_path / "pb.json"
    path.write_text(text)
    a = lien.action_queue(current.cohort, scores, AS_OF, playbook=path)
    b = lien.action_queue(current.cohort, scores, AS_OF)
    pd.testing.assert_frame_equal(a, b)
    path.write_text("{ not json")
    with pytest.raises(lien.ParseError):
        lien.action_queue(current.cohort, scores, AS_OF, playbook=path)


def test_review(model, current) -> None:
    learner = str(current.truth.learner_id.iloc[0])
    r = lien.review(current.cohort, learner, AS_OF, model=model)
    assert r.learner == learner and r.has_risk
    assert 0 <= r.probability <= 1
    assert r.text == r.text_en and r.text_en != r.text_fr
    steps = r.to_frame()
    assert set(steps["status"].astype(str)) <= {"done", "late", "next"}
    assert (steps["status"] == "done").sum() <= r.required_steps + len(steps)
    assert len(r.drivers) > 0 and r.drivers["sentence"].str.len().gt(0).all()
    plain = lien.review(current.cohort, learner, AS_OF, lang="fr")
    assert not plain.has_risk and plain.text == plain.text_fr
    with pytest.raises(lien.NotFoundError):
        lien.review(current.cohort, "nobody", AS_OF)


def interaction_graph(cohort: lien.Cohort, instance: str, start: pd.Timestamp, end: pd.Timestamp) -> nx.Graph:
    """The peer graph of an instance rebuilt from the event table: contacts between members in the window."""
    en = cohort.enrolments()
    members = en[(en.instance == instance) & (en.start <= end) &
                 ~((en.outcome != "active") & (en.outcome_time < start))].groupby("learner").head(1)
    ids = set(members["learner"])
    ev = cohort.to_frames()["events"]
    contact = ev["verb"].isin(["replied", "messaged", "met"]) | ((ev["verb"] == "posted") & (ev["object_type"] == "person"))
    ev = ev[contact & (ev["time"] >= start) & (ev["time"] <= end)]
    g = nx.Graph()
    g.add_nodes_from(ids)
    for row in ev.itertuples():
        src, dst = (row.actor_id, row.learner_id) if isinstance(row.actor_id, str) else (row.learner_id, row.object_id)
        if src in ids and dst in ids and src != dst:
            g.add_edge(src, dst)
    return g


def test_community_health_against_networkx(current) -> None:
    c = current.cohort
    instance = str(c.instance_ids[0])
    h = lien.community_health(c, instance, AS_OF)
    end = pd.Timestamp(AS_OF, tz="Europe/Paris").tz_convert("UTC")
    g = interaction_graph(c, instance, end - pd.Timedelta(days=28), end)
    assert h.attrs["members"] == g.number_of_nodes() == len(h)
    assert h.attrs["ties"] == g.number_of_edges()
    assert h.attrs["density"] == pytest.approx(nx.density(g))
    assert h.attrs["components"] == nx.number_connected_components(g)
    assert set(h.index[h.isolated]) == {n for n in g.nodes if g.degree(n) == 0}
    bc = nx.betweenness_centrality(g, normalized=True)
    np.testing.assert_allclose(h["betweenness"].to_numpy(), [bc[n] for n in h.index], atol=1e-12)


def test_learner_signals_and_buddies(current, scores) -> None:
    c = current.cohort
    instance = str(c.instance_ids[0])
    s = lien.learner_signals(c, instance, AS_OF)
    h = lien.community_health(c, instance, AS_OF)
    assert set(s.index) == set(h.index)
    assert (s["peer_degree"] >= 0).all()
    b = lien.match_buddies(c, instance, AS_OF)
    isolated = s[s.isolated & s.enrolment.notna()]
    assert set(b["enrolment"]) == set(isolated["enrolment"])
    matched = b.dropna(subset=["buddy"])
    assert (matched.groupby("buddy").size() <= 2).all()
    assert not set(matched["buddy"]) & set(matched["learner"])
    load = lien.stakeholder_load(c, scores, AS_OF)
    assert set(load["role"]) <= {"manager", "tutor", "trainer"}
    assert (load["at_risk"] <= load["learners"]).all()
