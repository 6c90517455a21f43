"""The simulator and feature extraction from Python."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import lien


def test_simulation_is_deterministic_and_its_truth_matches_the_cohort(current) -> None:
    again = lien.simulate(learners=240, seed=12, start="2027-09-06", observe_until="2027-11-15", id_prefix="Y2-")
    pd.testing.assert_frame_equal(again.truth, current.truth)
    assert lien.summary(again.cohort) == lien.summary(current.cohort)
    t = current.truth
    assert len(t) == current.cohort.enrolment_count == 240
    en = current.cohort.enrolments()
    assert list(t["enrolment_id"]) == list(en.index)
    assert (t["observed_outcome"].astype(str).to_numpy() == en["outcome"].astype(str).to_numpy()).all()
    assert t["learner_id"].str.startswith("Y2-").all()
    assert int(t["events"].sum()) == current.cohort.event_count
    # Observed outcomes end by observe_until; true ones may come later.
    assert (t.loc[t.observed_outcome != "active", "outcome_time"] < pd.Timestamp("2027-11-15", tz="UTC")).all()
    assert current.report.rejected == []


def test_planted_effects_can_be_changed() -> None:
    calm = lien.simulate(learners=240, seed=3, hazard={"intercept": -12.0})
    wild = lien.simulate(learners=240, seed=3, hazard={"intercept": -3.0})
    assert (calm.truth.outcome == "withdrawn").sum() < (wild.truth.outcome == "withdrawn").sum()
    with pytest.raises(TypeError):
        lien.simulate(learners=10, hazard={"no_such_effect": 1.0})
    with pytest.raises(lien.InvalidArgument):
        lien.simulate(learners=0)


def test_features_frame(current) -> None:
    X = lien.features(current.cohort, "2027-10-25")
    cat = lien.feature_catalog()
    assert list(X.columns) == list(cat["id"]) + ["learner", "as_of"]
    assert X.index.name == "enrolment"
    pop = current.cohort.enrolments()
    t = pd.Timestamp("2027-10-25", tz="Europe/Paris")
    active = pop[(pop.start <= t) & ((pop.outcome == "active") | (pop.outcome_time > t))]
    assert sorted(X.index) == sorted(active.index)
    assert (X["required_done_share"].between(0, 1)).all()
    assert (X["inactive_working_days"] >= 0).all()
    # Two dates: one block of rows per date, in the order given.
    two = lien.features(current.cohort, ["2027-10-11", "2027-10-25"], features=["inactive_working_days"])
    assert list(two.columns) == ["inactive_working_days", "learner", "as_of"]
    assert two["as_of"].is_monotonic_increasing
    np.testing.assert_array_equal(
        two[two.as_of == two.as_of.max()]["inactive_working_days"].to_numpy(), X["inactive_working_days"].to_numpy()
    )
    ids = list(X.index[:3])
    sub = lien.features(current.cohort, "2027-10-25", ids=ids)
    pd.testing.assert_frame_equal(sub, X.loc[ids])


def test_feature_catalog_languages() -> None:
    en, fr = lien.feature_catalog("en"), lien.feature_catalog("fr")
    assert list(en.columns) == ["id", "group", "unit", "description", "direction"]
    assert len(en) == 37 and list(en["id"]) == list(fr["id"])
    assert (en["description"] != fr["description"]).all()
    with pytest.raises(lien.InvalidArgument):
        lien.feature_catalog("de")
