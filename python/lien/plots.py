"""Plots of lien's results (matplotlib; the Agg backend is used when no backend was chosen).

Each function draws on an Axes (a new figure when ``ax`` is None) and returns the Axes, so that notebooks can
compose them and tests can read the artists' data back:

- :func:`risk_distribution` — enrolments by band (bars) and the probabilities (histogram);
- :func:`risk_over_time` — a learner's probability on successive dates, the top drivers of the last one;
- :func:`survival_by_group` — Kaplan-Meier curves of time to withdrawal by group;
- :func:`funnel` — learners reaching each step (bars) and the withdrawal hazard after it (line);
- :func:`community_graph` — the peer graph of a path instance, learners coloured by risk.

Example::

    import lien, lien.plots
    ax = lien.plots.risk_distribution(scores)          # scores: a DataFrame with `band` and `probability`
    ax.figure.savefig("risk.png")
"""

from __future__ import annotations

import os
from typing import Any, Mapping, Optional, Sequence

import numpy as np
import pandas as pd

if "MPLBACKEND" not in os.environ:
    import matplotlib

    matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402

BANDS = ("low", "medium", "high")
BAND_COLOURS = {"low": "#4c9a2a", "medium": "#e0a100", "high": "#c0392b"}

_LABELS = {
    "en": {"band": "risk band", "enrolments": "enrolments", "probability": "probability of withdrawing",
           "risk": "risk", "date": "date", "survival": "still enrolled", "days": "days since start",
           "reached": "reached", "hazard": "withdrew right after (share)", "step": "step",
           "dist": "Risk by band", "time": "Risk over time", "km": "Time to withdrawal", "funnel": "Funnel",
           "graph": "Peer graph (last 28 days), colour = risk"},
    "fr": {"band": "niveau de risque", "enrolments": "inscriptions", "probability": "probabilité d'abandon",
           "risk": "risque", "date": "date", "survival": "toujours inscrits", "days": "jours depuis le début",
           "reached": "atteint", "hazard": "abandon juste après (part)", "step": "étape",
           "dist": "Risque par niveau", "time": "Risque dans le temps", "km": "Délai avant abandon",
           "funnel": "Entonnoir", "graph": "Graphe des pairs (28 derniers jours), couleur = risque"},
}


def _ax(ax: Optional[Axes], size: tuple[float, float] = (6.0, 3.5)) -> Axes:
    if ax is not None:
        return ax
    fig, new = plt.subplots(figsize=size, layout="constrained")
    return new


def _t(lang: str, key: str) -> str:
    return _LABELS.get(lang, _LABELS["en"])[key]


def band_counts(scores: pd.DataFrame) -> pd.Series:
    """Enrolments per band, in the order low, medium, high (0 for an empty band)."""
    return scores["band"].astype(str).value_counts().reindex(list(BANDS), fill_value=0)


def risk_distribution(scores: pd.DataFrame, ax: Optional[Axes] = None, lang: str = "en",
                      hist_ax: Optional[Axes] = None) -> Axes:
    """Bars of enrolments per band; with ``hist_ax``, also a histogram of the probabilities (20 bins on [0, 1]).

    >>> ax = risk_distribution(pd.DataFrame({"band": ["low", "high"], "probability": [0.1, 0.7]}))
    >>> [p.get_height() for p in ax.patches]
    [1.0, 0.0, 1.0]
    """
    ax = _ax(ax)
    counts = band_counts(scores)
    ax.bar(list(BANDS), counts.to_numpy(dtype=float), color=[BAND_COLOURS[b] for b in BANDS])
    for i, v in enumerate(counts.to_numpy()):
        ax.annotate(str(int(v)), (i, v), ha="center", va="bottom", fontsize=9)
    ax.set_xlabel(_t(lang, "band"))
    ax.set_ylabel(_t(lang, "enrolments"))
    ax.set_title(_t(lang, "dist"))
    if hist_ax is not None:
        hist_ax.hist(scores["probability"].to_numpy(dtype=float), bins=np.linspace(0, 1, 21).tolist(), color="#5b7db1")
        hist_ax.set_xlabel(_t(lang, "probability"))
        hist_ax.set_ylabel(_t(lang, "enrolments"))
    return ax


def risk_over_time(history: pd.DataFrame, drivers: Optional[pd.DataFrame] = None, ax: Optional[Axes] = None,
                   lang: str = "en", top: int = 3) -> Axes:
    """A learner's probability (``history``: columns ``as_of`` and ``probability``, one row per date), with the
    bands' background and, from ``drivers`` (columns ``rank``, ``sentence`` or ``feature``, of the last date),
    the top drivers written beside the last point."""
    ax = _ax(ax, (7.0, 3.5))
    h = history.sort_values("as_of")
    x = pd.to_datetime(h["as_of"])
    if x.dt.tz is not None:
        x = x.dt.tz_convert(None)
    ax.plot(x.to_numpy(), h["probability"].to_numpy(dtype=float), marker="o", color="#333333")
    ax.set_ylim(0, 1)
    ax.set_ylabel(_t(lang, "probability"))
    ax.set_title(_t(lang, "time"))
    if drivers is not None and len(drivers) and len(h):
        d = drivers.sort_values("rank").head(top)
        text = "\n".join(str(s if isinstance(s, str) and s else f) for s, f in
                         zip(d.get("sentence", d["feature"]), d["feature"]))
        ax.annotate(text, (x.iloc[-1], float(h["probability"].iloc[-1])), xytext=(8, 0),
                    textcoords="offset points", fontsize=8, va="center")
    ax.figure.autofmt_xdate()
    return ax


def kaplan_meier(durations: Any, observed: Any) -> pd.DataFrame:
    """The product-limit estimate: columns time (0 then the distinct durations), at_risk, events, survival."""
    d = np.asarray(durations, dtype=float)
    e = np.asarray(observed, dtype=bool)
    times = np.unique(d)
    at_risk = np.array([(d >= t).sum() for t in times])
    events = np.array([(e & (d == t)).sum() for t in times])
    surv = np.cumprod(1.0 - np.divide(events, at_risk, out=np.zeros(len(times)), where=at_risk > 0))
    out = pd.DataFrame({"time": np.r_[0.0, times], "at_risk": np.r_[len(d), at_risk],
                        "events": np.r_[0, events], "survival": np.r_[1.0, surv]})
    return out


def survival_by_group(frame: pd.DataFrame, duration: str = "days", event: str = "withdrawn",
                      group: str = "group", ax: Optional[Axes] = None, lang: str = "en") -> Axes:
    """Kaplan-Meier step curves of ``duration`` until ``event`` (True = withdrew, False = censored), one per
    value of ``group`` (in sorted order). Each line is labelled with its group and n."""
    ax = _ax(ax)
    for g, sub in sorted(frame.groupby(group, observed=True), key=lambda kv: str(kv[0])):
        km = kaplan_meier(sub[duration].to_numpy(), sub[event].to_numpy(dtype=bool))
        ax.step(km["time"].to_numpy(), km["survival"].to_numpy(), where="post", label=f"{g} (n={len(sub)})")
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(_t(lang, "days"))
    ax.set_ylabel(_t(lang, "survival"))
    ax.set_title(_t(lang, "km"))
    ax.legend(fontsize=8)
    return ax


def funnel(steps: pd.DataFrame, ax: Optional[Axes] = None, lang: str = "en",
           hazards: Optional[pd.DataFrame] = None) -> Axes:
    """Bars: learners who reached each step (``steps``: columns ``step``, ``reached``, ``hazard`` and optionally
    ``flagged``, in path order); line on a second axis: the share who withdrew right after it. Flagged steps
    (significantly more withdrawals than the path's pooled rate) have red bars."""
    if hazards is not None:  # lien.funnel(...) and lien.step_hazards(...) frames, joined on the step
        steps = steps.drop(columns=[c for c in ("hazard", "flagged") if c in steps]).merge(
            hazards[["step", "hazard", "flagged"]], on="step", how="left", sort=False)
    ax = _ax(ax, (8.0, 3.5))
    x = np.arange(len(steps))
    flagged = steps["flagged"].to_numpy(dtype=bool) if "flagged" in steps else np.zeros(len(steps), dtype=bool)
    ax.bar(x, steps["reached"].to_numpy(dtype=float), color=np.where(flagged, "#c0392b", "#5b7db1"))
    ax.set_xticks(x, [str(s) for s in steps["step"]], rotation=60, fontsize=7)
    ax.set_ylabel(_t(lang, "reached"))
    ax.set_title(_t(lang, "funnel"))
    twin = ax.twinx()
    twin.plot(x, steps["hazard"].to_numpy(dtype=float), color="#c0392b", marker=".")
    twin.set_ylabel(_t(lang, "hazard"))
    twin.set_ylim(0, max(0.05, float(np.nanmax(steps["hazard"].to_numpy(dtype=float), initial=0)) * 1.2))
    ax.twin = twin  # type: ignore[attr-defined]
    return ax


def community_graph(health: Mapping[str, Any], risk: Optional[Mapping[str, float]] = None,
                    ax: Optional[Axes] = None, lang: str = "en", seed: int = 1) -> Axes:
    """The peer graph of a path instance (``health``: ``members`` ids and ``edges`` (u, v, weight), as
    ``community_graph_data`` gives it), each learner a dot coloured by ``risk[learner]`` (grey when unscored),
    edges as wide as their interaction count. Layout: networkx spring layout with a fixed seed."""
    import networkx as nx  # type: ignore[import-untyped]

    ax = _ax(ax, (5.5, 5.0))
    members = list(health["members"])
    g = nx.Graph()
    g.add_nodes_from(range(len(members)))
    for u, v, w in health["edges"]:
        g.add_edge(int(u), int(v), weight=float(w))
    pos = nx.spring_layout(g, seed=seed) if len(members) else {}
    for u, v, data in g.edges(data=True):
        ax.plot([pos[u][0], pos[v][0]], [pos[u][1], pos[v][1]], color="#999999",
                linewidth=0.5 + min(3.0, data["weight"] / 3), zorder=1)
    probs = np.array([np.nan if risk is None or m not in risk else float(risk[m]) for m in members])
    xy = np.array([pos[i] for i in range(len(members))]) if members else np.zeros((0, 2))
    cmap = plt.get_cmap("RdYlGn_r").with_extremes(bad="#bbbbbb")
    sc = ax.scatter(xy[:, 0], xy[:, 1], c=np.ma.masked_invalid(probs), cmap=cmap, vmin=0, vmax=1, s=80,
                    edgecolors="#333333", zorder=2)
    ax.figure.colorbar(sc, ax=ax, shrink=0.7, label=_t(lang, "risk"))
    ax.set_axis_off()
    ax.set_title(_t(lang, "graph") + f" — {health.get('instance', '')}", fontsize=9)
    return ax


def community_graph_data(cohort: Any, instance: str, as_of: Any, window_days: int = 28) -> dict[str, Any]:
    """The peer graph of a path instance over the ``window_days`` before ``as_of``: ``members`` (learner ids),
    ``edges`` (u, v, interactions), ``isolated``, ``density``, ``components``, ``communities``, ``modularity``."""
    from lien import _extras

    return _extras.health(cohort, instance, as_of, window_days)


def to_png_base64(ax_or_fig: Any, dpi: int = 90) -> str:
    """The figure as a base64 PNG (for self-contained HTML); closes it."""
    import base64
    import io

    from matplotlib.figure import Figure

    fig = ax_or_fig if isinstance(ax_or_fig, Figure) else ax_or_fig.figure
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")
