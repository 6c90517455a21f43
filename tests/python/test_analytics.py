"""Funnels, hazards, Kaplan–Meier and log-rank from Python, against lifelines and the cohort's own counts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from lifelines import KaplanMeierFitter
from lifelines.statistics import logrank_test as lifelines_logrank

import lien


def test_kaplan_meier_matches_lifelines() -> None:
    rng = np.random.default_rng(5)
    d = np.round(rng.exponential(20, size=300))
    e = (rng.uniform(size=300) < 0.7).astype(int)
    ours = lien.kaplan_meier(d, e)
    ref = KaplanMeierFitter().fit(d, e)
    sf = ref.survival_function_["KM_estimate"]
    np.testing.assert_allclose(ours["survival"].to_numpy(), sf.loc[ours.index].to_numpy(), atol=1e-12)
    ci = ref.confidence_interval_
    np.testing.assert_allclose(ours["lower"].iloc[1:], ci.iloc[:, 0].loc[ours.index[1:]], atol=1e-9)
    np.testing.assert_allclose(ours["upper"].iloc[1:], ci.iloc[:, 1].loc[ours.index[1:]], atol=1e-9)
    assert ours.attrs["median"] == ref.median_survival_time_
    assert int(ours["events"].sum()) == int(e.sum())


def test_logrank_matches_lifelines() -> None:
    rng = np.random.default_rng(6)
    da, db = rng.exponential(10, 80), rng.exponential(14, 90)
    ea, eb = rng.uniform(size=80) < 0.8, rng.uniform(size=90) < 0.8
    ours = lien.logrank_test(da, ea, db, eb)
    ref = lifelines_logrank(da, db, ea, eb)
    assert ours["statistic"] == pytest.approx(ref.test_statistic, rel=1e-9)
    assert ours["p_value"] == pytest.approx(ref.p_value, rel=1e-9)


def test_path_funnel_against_enrolment_outcomes(current) -> None:
    c = current.cohort
    path = str(c.path_ids[0])
    f = lien.funnel(c, path, as_of="2027-11-15")
    en = c.enrolments()
    assert f.attrs["enrolled"] == len(en)
    assert f.attrs["withdrawn"] == int((en.outcome == "withdrawn").sum())
    assert f.attrs["active"] + f.attrs["completed"] + f.attrs["withdrawn"] == f.attrs["enrolled"]
    assert list(f.columns) == ["step", "title", "phase", "required", "reached", "completed", "withdrew_after",
                               "withdrew_after_completing"]
    titles = c.to_frames()["steps"].set_index("step_id")["title"].fillna("")
    assert f["title"].tolist() == [titles[s] for s in f["step"]]
    assert set(f["step"]) <= set(c.step_ids)
    assert (f["reached"] <= f.attrs["enrolled"]).all() and (f["completed"] <= f["reached"]).all()
    # Every withdrawal is counted once: after its last step reached, or before the first.
    assert int(f["withdrew_after"].sum()) + f.attrs["withdrew_before_first_step"] == f.attrs["withdrawn"]


def test_step_hazards(current) -> None:
    c = current.cohort
    path = str(c.path_ids[0])
    h = lien.step_hazards(c, path, as_of="2027-11-15")
    f = lien.funnel(c, path, as_of="2027-11-15")
    assert list(h["step"]) == list(f["step"])
    tested = h[h.at_risk > 0]
    np.testing.assert_allclose(tested["hazard"], tested["events"] / tested["at_risk"])
    assert (h["p_adjusted"].fillna(1) >= h["p_value"].fillna(1) - 1e-15).all()
    base = h["events"].sum() / h["at_risk"].sum()
    assert h.attrs["baseline"] == pytest.approx(base)
    ph = lien.step_hazards(c, path, as_of="2027-11-15", level="phase")
    assert list(ph["phase"]) == ["before", "during", "intersession", "after"]
    with pytest.raises(lien.NotFoundError):
        lien.step_hazards(c, "no-such-path")


def test_path_survival_matches_lifelines_on_the_same_durations(current) -> None:
    c = current.cohort
    path = str(c.path_ids[0])
    km = lien.kaplan_meier(c, path_or_instance=path, as_of="2027-11-15")
    # Durations from the enrolments: local days from start to withdrawal / completion / as_of.
    en = c.enrolments()
    tz = "Europe/Paris"
    start = en["start"].dt.tz_convert(tz).dt.normalize()
    end = en["outcome_time"].where(en["outcome"] != "active", pd.Timestamp("2027-11-15", tz=tz))
    end = end.dt.tz_convert(tz).dt.normalize()
    durations = (end.dt.tz_localize(None) - start.dt.tz_localize(None)).dt.days.to_numpy()
    observed = (en["outcome"] == "withdrawn").to_numpy().astype(int)
    ref = KaplanMeierFitter().fit(durations, observed)
    np.testing.assert_allclose(km["survival"].to_numpy(),
                               ref.survival_function_["KM_estimate"].loc[km.index].to_numpy(), atol=1e-12)


def test_cohort_summary(model, current) -> None:
    s = model.score(current.cohort, "2027-10-25")
    summ = lien.cohort_summary(current.cohort, "2027-10-25", s)
    total = summ["total"].iloc[0]
    assert total["enrolled"] == current.cohort.enrolment_count
    df = s.to_frame()
    assert total["at_risk_high"] == int((df.band == "high").sum())
    assert total["at_risk_low"] + total["at_risk_medium"] + total["at_risk_high"] + total["unscored"] == total["active"]
    assert summ["by_instance"]["enrolled"].sum() == total["enrolled"]
