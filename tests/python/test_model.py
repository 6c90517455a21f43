"""The risk model from Python: scores agree with the model file's parameters, drivers add up, files round-trip."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import lien

AS_OF = "2027-10-25"


def test_scores_frame_columns_and_dtypes(model, current) -> None:
    s = model.score(current.cohort, AS_OF, top_k=3, horizons=(14, 28))
    df = s.to_frame()
    assert list(df.columns) == [
        "enrolment", "learner", "path", "instance", "as_of", "probability", "band", "logit",
        "withdraw_within_14d", "withdraw_within_28d", "withdraw_by_end", "driver_1", "driver_2", "driver_3",
    ]
    assert len(df) == len(s) > 100
    assert df["band"].dtype == lien.model.BANDS and df["band"].cat.ordered
    assert (df["as_of"] == pd.Timestamp(AS_OF).tz_localize("Europe/Paris").tz_convert("UTC")).all()
    # Bands follow the model's cut-offs.
    md = model.metadata["options"]
    want = np.where(df.probability >= md["high_from"], "high", np.where(df.probability >= md["medium_from"], "medium", "low"))
    assert (df["band"].astype(str).to_numpy() == want).all()
    # Survival: withdrawing within 14 days is no more likely than within 28.
    assert (df["withdraw_within_14d"] <= df["withdraw_within_28d"] + 1e-12).all()
    # Every scored enrolment is in the population at as_of: started, still active.
    en = current.cohort.enrolments().loc[df["enrolment"]]
    assert (en["start"] <= df["as_of"].to_numpy()).all()


def test_logits_match_the_model_file_parameters(model, current) -> None:
    # An independent computation from the model file: standardise with its mean and scale, dot its coefficients.
    doc = json.loads(model.to_json())
    mean = np.array(doc["scaler"]["mean"])
    scale = np.array(doc["scaler"]["scale"])
    coef = np.array(doc["logistic"]["coefficients"])
    intercept = float(doc["logistic"]["intercept"])
    X = lien.features(current.cohort, AS_OF, features=model.features)
    s = model.score(current.cohort, AS_OF, top_k=0)
    assert list(X.index) == list(s.enrolment_ids)
    logit = intercept + ((X[model.features].to_numpy() - mean) / scale) @ coef
    np.testing.assert_allclose(s.logit, logit, rtol=0, atol=1e-9)
    cf = model.coefficients_frame()
    np.testing.assert_array_equal(cf["coefficient"].to_numpy(), coef)
    assert model.intercept == intercept
    # Every driver (top_k=0: all of them) plus the intercept adds up to the logit.
    d = s.drivers_frame()
    total = d.groupby("enrolment", sort=False)["contribution"].sum() + model.intercept
    np.testing.assert_allclose(total.loc[s.enrolment_ids].to_numpy(), s.logit, atol=1e-9)
    # Ranks are by |contribution|.
    first = d[d["rank"] == 1].set_index("enrolment")["contribution"].abs()
    assert (first.to_numpy() + 1e-15 >= d.groupby("enrolment", sort=False)["contribution"].apply(lambda c: c.abs().max()).loc[first.index].to_numpy()).all()


def test_drivers_frame_sentences_in_both_languages(model, current) -> None:
    s = model.score(current.cohort, AS_OF, top_k=2, lang="fr")
    fr = s.drivers_frame()
    en = s.drivers_frame(lang="en")
    assert list(fr.columns) == ["enrolment", "rank", "feature", "value", "contribution", "sentence"]
    assert len(fr) == 2 * len(s)
    assert (fr["sentence"].str.len() > 0).all()
    assert (fr["sentence"] != en["sentence"]).any()
    row = en.iloc[0]
    assert row["sentence"] == model.describe(row["feature"], row["value"], "en")
    assert list(s.to_frame()["driver_1"]) == list(fr[fr["rank"] == 1]["feature"])


def test_save_load_gives_identical_scores(model, current, tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    model.save(path)
    again = lien.RiskModel.load(path)
    assert again.metadata["rows"] == model.metadata["rows"]
    assert again.features == model.features
    a = model.score(current.cohort, AS_OF).to_frame()
    b = again.score(current.cohort, AS_OF).to_frame()
    pd.testing.assert_frame_equal(a, b)
    assert lien.RiskModel.from_json(model.to_json()).to_json() == model.to_json()


def test_metadata_and_coefficients(model, history) -> None:
    md = model.metadata
    assert md["rows"] > 0 and 0 < md["positives"] < md["rows"]
    assert 0.5 < md["cv"]["roc_auc"] <= 1.0
    assert md["options"]["horizon_days"] == 28
    cf = model.coefficients_frame()
    assert list(cf.index) == model.features and len(cf) == 37
    assert (cf["scale"] > 0).all()
    # The planted effect of inactivity is positive (docs/simulator.md): the fitted one should be too.
    assert cf.loc["inactive_working_days", "coefficient"] > 0


def test_explicit_landmarks_and_options(history) -> None:
    m = lien.RiskModel(horizon_days=14, calibration="none", survival=False, features=["inactive_working_days",
                       "required_done_share", "peer_interactions_28d"])
    dates = pd.date_range("2026-10-05", "2026-12-14", freq="W-MON")
    m.fit(history.cohort, as_of=list(dates))
    assert m.features == ["inactive_working_days", "required_done_share", "peer_interactions_28d"]
    assert m.metadata["landmarks"] == len(dates)
    assert not m.metadata["has_survival"]
    s = m.score(history.cohort, "2026-11-02", horizons=())
    p = 1 / (1 + np.exp(-s.logit))  # no calibration: the probability is the sigmoid of the logit
    np.testing.assert_allclose(s.probability, p, rtol=1e-12)
    with pytest.raises(TypeError, match="unknown option"):
        lien.RiskModel(horizon=3)
    with pytest.raises(lien.InvalidArgument):
        lien.RiskModel(target="sometime")


def test_score_selected_ids_and_errors(model, current) -> None:
    all_scores = model.score(current.cohort, AS_OF).to_frame().set_index("enrolment")
    ids = list(all_scores.index[:5])
    few = model.score(current.cohort, AS_OF, ids=ids).to_frame().set_index("enrolment")
    np.testing.assert_allclose(few["probability"], all_scores.loc[ids, "probability"])
    with pytest.raises(lien.NotFoundError):
        model.score(current.cohort, AS_OF, ids=["nope"])
    with pytest.raises(lien.ModelError):
        lien.RiskModel().score(current.cohort, AS_OF)
    with pytest.raises(lien.InvalidArgument):
        model.score(current.cohort, "2027-13-01")


def test_dates_in_every_form_mean_the_same_instant(model, current) -> None:
    import datetime as dt

    cal = current.cohort.calendar
    forms = [AS_OF, dt.date(2027, 10, 25), np.datetime64("2027-10-25T00:00"), pd.Timestamp("2027-10-25"),
             dt.datetime(2027, 10, 25)]
    from lien._time import to_instant

    instants = {to_instant(f, cal) for f in forms}
    assert len(instants) == 1
    aware = pd.Timestamp("2027-10-24T22:00", tz="UTC")  # Paris is UTC+2 until 31 October
    assert to_instant(aware, cal) == instants.pop()


def test_score_columns_are_views_of_the_engine_table(model, current) -> None:
    s = model.score(current.cohort, AS_OF)
    p = s.table.probability
    assert not p.flags.owndata  # no copy: the array borrows the ScoreTable's buffer
    assert p.base is not None
    assert s.table.driver_feature.shape == (len(s), 5)
    X = lien.features(current.cohort, AS_OF)
    assert X[model.features].to_numpy().dtype == np.float64
