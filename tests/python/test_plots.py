"""lien.plots: the artists carry the data they were given (bar heights, line points, colours), checked against
values computed here and, for Kaplan-Meier, against lifelines."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from lien import plots  # noqa: E402


@pytest.fixture(autouse=True)
def _close() -> None:
    yield
    plt.close("all")


def scores_frame() -> pd.DataFrame:
    p = np.array([0.05, 0.1, 0.12, 0.3, 0.35, 0.8, 0.9, 0.22, 0.07])
    band = np.where(p >= 0.5, "high", np.where(p >= 0.2, "medium", "low"))
    return pd.DataFrame({"enrolment": [f"E{i}" for i in range(len(p))], "probability": p,
                         "band": pd.Categorical(band, categories=["low", "medium", "high"], ordered=True)})


def test_risk_distribution_bar_heights_are_band_counts() -> None:
    s = scores_frame()
    fig, (a1, a2) = plt.subplots(1, 2)
    plots.risk_distribution(s, ax=a1, hist_ax=a2)
    heights = [p.get_height() for p in a1.patches]
    assert heights == [4.0, 3.0, 2.0]  # low: .05 .1 .12 .07; medium: .3 .35 .22; high: .8 .9
    assert [t.get_text() for t in a1.get_xticklabels()] == ["low", "medium", "high"]
    hist = np.array([p.get_height() for p in a2.patches])
    expected, _ = np.histogram(s["probability"], bins=np.linspace(0, 1, 21))
    assert hist.tolist() == expected.astype(float).tolist()


def test_risk_distribution_empty_band_is_zero() -> None:
    s = pd.DataFrame({"band": ["high", "high"], "probability": [0.7, 0.9]})
    ax = plots.risk_distribution(s)
    assert [p.get_height() for p in ax.patches] == [0.0, 0.0, 2.0]


def test_risk_over_time_line_is_the_history_in_date_order() -> None:
    h = pd.DataFrame({"as_of": pd.to_datetime(["2026-10-12", "2026-09-28", "2026-10-05"], utc=True),
                      "probability": [0.4, 0.1, 0.2]})
    d = pd.DataFrame({"rank": [2, 1], "feature": ["f2", "f1"], "sentence": ["missed 2 sessions", "no activity"]})
    ax = plots.risk_over_time(h, d)
    line = ax.get_lines()[0]
    assert line.get_ydata().tolist() == [0.1, 0.2, 0.4]
    notes = [t.get_text() for t in ax.texts]
    assert notes == ["no activity\nmissed 2 sessions"]


def test_kaplan_meier_matches_lifelines() -> None:
    from lifelines import KaplanMeierFitter

    rng = np.random.default_rng(3)
    d = rng.integers(1, 40, size=200).astype(float)
    e = rng.random(200) < 0.6
    km = plots.kaplan_meier(d, e)
    ref = KaplanMeierFitter().fit(d, e)
    s = ref.survival_function_.iloc[:, 0]
    assert np.allclose(km["survival"].to_numpy(), s.loc[km["time"].to_numpy()].to_numpy(), atol=1e-12)
    assert km["at_risk"].iloc[1] == 200


def test_survival_by_group_draws_one_curve_per_group() -> None:
    f = pd.DataFrame({"days": [1, 2, 3, 4, 5, 6], "withdrawn": [1, 0, 1, 1, 0, 0],
                      "group": ["a", "a", "a", "b", "b", "b"]})
    ax = plots.survival_by_group(f)
    lines = ax.get_lines()
    assert len(lines) == 2
    a = plots.kaplan_meier([1, 2, 3], [True, False, True])
    assert lines[0].get_ydata().tolist() == a["survival"].tolist()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a (n=3)", "b (n=3)"]
    assert lines[0].get_ydata()[-1] == 0.0  # 1 - 1/3, then 1/2 * ..., last event removes the only one at risk


def test_funnel_bars_and_hazard_line() -> None:
    steps = pd.DataFrame({"step": ["S1", "S2", "S3"], "reached": [100, 80, 50], "hazard": [0.05, 0.25, 0.02],
                          "flagged": [False, True, False]})
    ax = plots.funnel(steps)
    assert [p.get_height() for p in ax.patches] == [100.0, 80.0, 50.0]
    colours = [matplotlib.colors.to_hex(p.get_facecolor()) for p in ax.patches]
    assert colours[1] == "#c0392b" and colours[0] != colours[1]
    twin = ax.twin  # type: ignore[attr-defined]
    assert twin.get_lines()[0].get_ydata().tolist() == [0.05, 0.25, 0.02]


def test_community_graph_colours_members_by_risk() -> None:
    health = {"instance": "G1", "members": ["L1", "L2", "L3", "L4"], "edges": [(0, 1, 3), (1, 2, 1)]}
    risk = {"L1": 0.9, "L2": 0.1, "L3": 0.5}
    ax = plots.community_graph(health, risk)
    sc = ax.collections[0]
    arr = sc.get_array()
    assert arr.mask.tolist() == [False, False, False, True]  # L4 is unscored
    assert arr.data[:3].tolist() == [0.9, 0.1, 0.5]
    assert len(ax.get_lines()) == 2  # one line per tie
    assert sc.get_offsets().shape == (4, 2)


def test_png_is_a_png() -> None:
    import base64

    b = base64.b64decode(plots.to_png_base64(plots.risk_distribution(scores_frame())))
    assert b[:8] == b"\x89PNG\r\n\x1a\n"
