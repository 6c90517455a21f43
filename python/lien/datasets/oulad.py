"""OULAD (Open University Learning Analytics Dataset, CC BY 4.0; Kuzilek, Hlosta and Zdrahal, Scientific Data 4,
170171, 2017) mapped onto lien's cohort, and the fixed evaluation protocol of docs/model-card.md.

The data are never copied into the repository: ``load(dir)`` reads them where they are (by default
``$LIEN_OULAD_DIR`` or /work/shared/data/oulad) and builds the cohort through lien's own CSV reader.

Mapping (one registration = one learner and one enrolment, so that concurrent modules do not mix their clicks):

==========================  ===============================================================================
OULAD                        lien
==========================  ===============================================================================
module presentation          path (``AAA-2013J``, course ``AAA``) and its one path instance
day 0 of a presentation      B presentations: 1 February, J presentations: 1 October of the year (UTC)
assessments                  steps (TMA: assignment, CMA and Exam: assessment) due at their day, with weight
studentRegistration          enrolment from ``date_registration`` to day ``module_presentation_length``
final_result / unregistr.    Withdrawn: withdrawn at ``date_unregistration`` (the planned end when missing);
                             Pass, Distinction, Fail: completed at the planned end
studentAssessment            ``passed`` (score >= 40) / ``failed`` at ``date_submitted``, scaled score
                             (banked results, carried over from an earlier attempt, are left out)
studentVle_stages            one ``experienced`` event per stage with ``count`` = the clicks of that stage,
                             dated at the stage's end day ``floor(stage / 100 * length)``
gender, age_band, disability protected attributes: read by the fairness audit only, never features
==========================  ===============================================================================

Protocol (``evaluate``): for each module, train on its earlier presentations and test on its last one, at stages
10, 20, 30 and 50, the cut-off day of stage s being ``floor(s / 100 * module_presentation_length)``; population:
registered by the cut-off day and not unregistered by then; label: ``final_result == "Withdrawn"``; features:
lien's, computed from what is known at the cut-off (the end of that day).
"""

from __future__ import annotations

import math
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from typing import Any, Optional, Sequence

import numpy as np
import pandas as pd

from lien import _extras
from lien.cohort import read_csv_dir
from lien.model import RiskModel

DEFAULT_DIR = "/work/shared/data/oulad"
MODULES = ("AAA", "BBB", "CCC", "DDD", "EEE")
STAGES = (10, 20, 30, 50)
PROTECTED = ("gender", "age_band", "disability")
PASS_MARK = 40.0

_TABLES = ("courses", "assessments", "studentInfo", "studentRegistration", "studentAssessment",
           "studentVle_stages")


def data_dir(path: Optional[str] = None) -> str:
    """The OULAD folder: ``path``, else $LIEN_OULAD_DIR, else /work/shared/data/oulad."""
    return path or os.environ.get("LIEN_OULAD_DIR") or DEFAULT_DIR


def available(path: Optional[str] = None) -> bool:
    d = data_dir(path)
    return all(os.path.isfile(os.path.join(d, t + ".csv")) for t in _TABLES)


def day0(presentation: str) -> pd.Timestamp:
    """Day 0 of a presentation: ``2013J`` starts on 2013-10-01, ``2014B`` on 2014-02-01."""
    year, half = int(presentation[:4]), presentation[4]
    if half not in "BJ":
        raise ValueError(f"presentation '{presentation}': expected YYYYB or YYYYJ")
    return pd.Timestamp(year=year, month=2 if half == "B" else 10, day=1)


def _order(presentation: str) -> tuple[int, int]:
    return int(presentation[:4]), 0 if presentation[4] == "B" else 1


def cutoff_day(stage: int, length: int) -> int:
    """The cut-off day of a stage: floor(stage / 100 * module_presentation_length)."""
    return int(math.floor(stage / 100 * length))


@dataclass
class Oulad:
    """OULAD as lien sees it: the cohort, one row per registration (``registrations``: enrolment id, module,
    presentation, length, day 0, registration and unregistration days, final result and the protected
    attributes), and the lien tables the cohort was read from."""

    cohort: Any
    report: Any
    registrations: pd.DataFrame
    tables: dict[str, pd.DataFrame]
    stages: pd.DataFrame  # the staged clicks, one row per registration and stage (window clicks added)


def _ts(day: pd.Series, base: pd.Series, hour: int = 0) -> pd.Series:
    t = base + pd.to_timedelta(day, unit="D") + pd.Timedelta(hours=hour)
    return t.dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def tables(path: Optional[str] = None, modules: Optional[Sequence[str]] = None) -> tuple[dict[str, pd.DataFrame],
                                                                                         pd.DataFrame, pd.DataFrame]:
    """The lien tables (learners, paths, steps, enrolments, events) built from OULAD, the registrations, and the
    staged clicks with per-window counts."""
    d = data_dir(path)
    rd = {t: pd.read_csv(os.path.join(d, t + ".csv")) for t in _TABLES}
    mods = list(modules) if modules else list(MODULES)
    courses = rd["courses"][rd["courses"]["code_module"].isin(mods)].copy()
    key = ["code_module", "code_presentation"]
    reg = rd["studentRegistration"].merge(rd["studentInfo"], on=key + ["id_student"], how="inner")
    reg = reg.merge(courses, on=key, how="inner")
    reg["path"] = reg["code_module"] + "-" + reg["code_presentation"]
    reg["enrolment"] = "E" + reg["id_student"].astype(str) + "-" + reg["path"]
    reg["learner"] = "S" + reg["id_student"].astype(str) + "-" + reg["path"]
    reg["day0"] = reg["code_presentation"].map(day0)
    reg["length"] = reg["module_presentation_length"].astype(int)
    reg = reg.sort_values(["path", "id_student"]).reset_index(drop=True)

    learners = pd.DataFrame({"learner_id": reg["learner"], "gender": reg["gender"], "age_band": reg["age_band"],
                             "disability": reg["disability"]})
    paths = courses.assign(path_id=courses["code_module"] + "-" + courses["code_presentation"])
    paths = pd.DataFrame({"path_id": paths["path_id"], "title": "OULAD " + paths["path_id"],
                          "course": paths["code_module"]})

    ass = rd["assessments"].merge(courses, on=key, how="inner")
    ass["path"] = ass["code_module"] + "-" + ass["code_presentation"]
    base = ass["code_presentation"].map(day0)
    due = ass["date"].fillna(ass["module_presentation_length"]).astype(int)
    ass["due_day"] = due
    steps = pd.DataFrame({
        "step_id": "A" + ass["id_assessment"].astype(str), "path_id": ass["path"],
        "title": ass["assessment_type"] + " " + ass["id_assessment"].astype(str),
        "kind": np.where(ass["assessment_type"] == "TMA", "assignment", "assessment"), "phase": "during",
        "open": base.dt.strftime("%Y-%m-%d"),
        "due": (base + pd.to_timedelta(due, unit="D")).dt.strftime("%Y-%m-%d"),
        "required": "true", "weight": ass["weight"].astype(float),
    })

    reg_day = reg["date_registration"].fillna(0).astype(int)
    end_day = reg["length"]
    withdrawn = reg["final_result"] == "Withdrawn"
    unreg = reg["date_unregistration"]
    out_day = np.where(withdrawn, unreg.fillna(end_day), end_day)
    out_day = np.maximum(out_day, reg_day).astype(int)
    enrolments = pd.DataFrame({
        "enrolment_id": reg["enrolment"], "learner_id": reg["learner"], "path_id": reg["path"],
        "instance_id": reg["path"], "start": _ts(reg_day, reg["day0"]),
        "planned_end": _ts(end_day, reg["day0"], 23), "outcome": np.where(withdrawn, "withdrawn", "completed"),
        "outcome_time": _ts(pd.Series(out_day), reg["day0"], 12),
        "prior_attempts": reg["num_of_prev_attempts"].astype(int),
    })

    # Clicks: one event per stage window with clicks, dated at noon of the stage's end day.
    st = rd["studentVle_stages"].merge(reg[key + ["id_student", "learner", "day0", "length"]],
                                       on=key + ["id_student"], how="inner")
    st = st.sort_values(["learner", "stage_pct"]).reset_index(drop=True)
    st["clicks"] = st.groupby("learner")["cum_sum_click"].diff().fillna(st["cum_sum_click"]).astype(int)
    st["end_day"] = np.floor(st["stage_pct"] / 100 * st["length"]).astype(int)
    clicks = st[st["clicks"] > 0]
    ev_clicks = pd.DataFrame({
        "learner_id": clicks["learner"], "time": _ts(clicks["end_day"], clicks["day0"], 12),
        "verb": "experienced", "object_type": "resource",
        "object_id": "vle:" + clicks["code_module"] + "-" + clicks["code_presentation"],
        "score": np.nan, "count": clicks["clicks"].astype(int),
    })
    sa = rd["studentAssessment"]
    sa = sa[sa["is_banked"] == 0].merge(rd["assessments"][["id_assessment"] + key], on="id_assessment")
    sa = sa.merge(reg[key + ["id_student", "learner", "day0"]], on=key + ["id_student"], how="inner")
    score = sa["score"].astype(float)
    ev_sub = pd.DataFrame({
        "learner_id": sa["learner"], "time": _ts(sa["date_submitted"].astype(int), sa["day0"], 12),
        "verb": np.where(score.isna(), "completed", np.where(score >= PASS_MARK, "passed", "failed")),
        "object_type": "step", "object_id": "A" + sa["id_assessment"].astype(str),
        "score": (score / 100).round(4), "count": 1,
    })
    events = pd.concat([ev_clicks, ev_sub], ignore_index=True)
    events["count"] = events["count"].astype(int)
    out = {"learners": learners, "paths": paths, "steps": steps, "enrolments": enrolments, "events": events}
    regs = reg[["enrolment", "learner", "code_module", "code_presentation", "path", "day0", "length",
                "date_registration", "date_unregistration", "final_result", "num_of_prev_attempts", "gender",
                "age_band", "disability"]].rename(columns={"code_module": "module", "code_presentation":
                                                           "presentation"})
    return out, regs, st


_CALENDAR = '{"time_zone": "UTC0", "working_days": "Mon-Sun", "holidays": []}\n'


def load(path: Optional[str] = None, modules: Optional[Sequence[str]] = None) -> Oulad:
    """Reads OULAD from ``path`` into a lien cohort (through lien's CSV reader, from a temporary folder)."""
    t, regs, st = tables(path, modules)
    with tempfile.TemporaryDirectory(prefix="lien-oulad-") as tmp:
        for name, df in t.items():
            df.to_csv(os.path.join(tmp, name + ".csv"), index=False)
        with open(os.path.join(tmp, "calendar.json"), "w", encoding="utf-8") as f:
            f.write(_CALENDAR)
        r = read_csv_dir(tmp)
    if r.report.rejected:
        first = r.report.rejected[0]
        raise RuntimeError(f"OULAD mapping: {len(r.report.rejected)} records rejected, first "
                           f"{first.source}:{first.index} [{first.field}] {first.reason}")
    return Oulad(r.cohort, r.report, regs, t, st)


# ---- the protocol --------------------------------------------------------------------------------------------

def population(regs: pd.DataFrame, stage: int) -> pd.DataFrame:
    """Registrations in the population at a stage's cut-off: registered by the cut-off day, not unregistered by
    then; with ``cutoff_day``, ``as_of`` (the end of that day, ms) and ``y`` (final_result == Withdrawn)."""
    c = np.floor(stage / 100 * regs["length"]).astype(int)
    reg_day = regs["date_registration"].fillna(0)
    keep = (reg_day <= c) & ~(regs["date_unregistration"] <= c)
    p: pd.DataFrame = regs[keep].copy()
    p["cutoff_day"] = c[keep]
    end = p["day0"] + pd.to_timedelta(p["cutoff_day"] + 1, unit="D") - pd.Timedelta(seconds=1)
    p["as_of"] = (end.astype("datetime64[ms]").astype(np.int64)).astype(np.int64)
    p["y"] = (p["final_result"] == "Withdrawn").astype(int)
    # Days from the cut-off to withdrawal (event) or to the planned end (censored), for C-indices.
    unreg = p["date_unregistration"]
    p["event"] = (p["y"] == 1).astype(int)
    p["duration"] = np.where(p["event"] == 1, unreg.fillna(p["length"]) - p["cutoff_day"],
                             p["length"] - p["cutoff_day"]).astype(float)
    p["duration"] = p["duration"].clip(lower=0.5)
    return p


def _ece(y: np.ndarray, p: np.ndarray, bins: int = 10) -> float:
    edges = np.linspace(0, 1, bins + 1)
    idx = np.clip(np.digitize(p, edges[1:-1]), 0, bins - 1)
    e = 0.0
    for b in range(bins):
        m = idx == b
        if m.any():
            e += m.mean() * abs(p[m].mean() - y[m].mean())
    return float(e)


def metrics(y: np.ndarray, p: np.ndarray, duration: Optional[np.ndarray] = None,
            event: Optional[np.ndarray] = None, risk: Optional[np.ndarray] = None) -> dict[str, float]:
    """AUC, PR AUC, Brier, log loss, ECE (10 bins) of probabilities ``p``; C-index of ``risk`` (default p)
    against (duration, event)."""
    from sklearn.metrics import (  # type: ignore[import-untyped]
        average_precision_score, brier_score_loss, log_loss, roc_auc_score)

    y = np.asarray(y, dtype=int)
    p = np.clip(np.asarray(p, dtype=float), 1e-12, 1 - 1e-12)
    out = {"auc": float(roc_auc_score(y, p)), "pr_auc": float(average_precision_score(y, p)),
           "brier": float(brier_score_loss(y, p)), "log_loss": float(log_loss(y, p, labels=[0, 1])),
           "ece": _ece(y, p)}
    if duration is not None and event is not None:
        from lifelines.utils import concordance_index  # type: ignore[import-untyped]

        r = p if risk is None else np.asarray(risk, dtype=float)
        out["c_index"] = float(concordance_index(duration, -r, event))
    return out


def _moodle_flag(pop: pd.DataFrame, stages: pd.DataFrame, steps_due: "pd.Series[Any]", stage: int) -> Any:
    """A Moodle-like bare flag (1 = at risk): no click in the last stage window, or an assessment due by the
    cut-off and not submitted. Moodle's 'students at risk of dropping out' model gives a yes/no of this kind."""
    st = stages[stages["stage_pct"] == stage].set_index("learner")["clicks"]
    no_clicks = pop["learner"].map(st).fillna(0).to_numpy() == 0
    missed = pop["learner"].map(steps_due).fillna(0).to_numpy() > 0
    return (no_clicks | missed).astype(float)


def _missed_by(data: Oulad, pop: pd.DataFrame) -> "pd.Series[Any]":
    """Assessments of the learner's presentation due before the cut-off day and not submitted by it."""
    ev = data.tables["events"]
    sub = ev[ev["object_type"] == "step"][["learner_id", "object_id", "time"]]
    steps = data.tables["steps"]
    due = steps.assign(due_ts=pd.to_datetime(steps["due"]))[["step_id", "path_id", "due_ts"]]
    m = pop[["learner", "path", "day0", "cutoff_day"]].merge(due, left_on="path", right_on="path_id")
    cut = m["day0"] + pd.to_timedelta(m["cutoff_day"], unit="D")
    m = m[m["due_ts"] < cut]
    done = set(zip(sub["learner_id"], sub["object_id"]))
    m = m.assign(missed=[(lr, s) not in done for lr, s in zip(m["learner"], m["step_id"])])
    return m.groupby("learner")["missed"].sum()


def evaluate(*args: Any, **kwargs: Any) -> dict[str, Any]:
    """Runs the protocol; returns ``{"protocol", "results": [...], "mean_auc": {...}, "fairness", "seconds"}``
    (the form ``lien eval oulad --json`` prints). Arguments: see :func:`_evaluate`. BLAS and OpenMP pools are
    held to one thread (HistGradientBoosting's OpenMP threads spin for minutes on a shared, busy machine), so
    every model here runs on one core."""
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

    with threadpool_limits(limits=1):
        return _evaluate(*args, **kwargs)


def _evaluate(path: Optional[str] = None, modules: Optional[Sequence[str]] = None,
             stages: Optional[Sequence[int]] = None, progress: bool = False, audit: bool = True,
             data: Optional[Oulad] = None, model_options: Optional[dict[str, Any]] = None) -> dict[str, Any]:
    from sklearn.ensemble import HistGradientBoostingClassifier  # type: ignore[import-untyped]
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
    from sklearn.pipeline import make_pipeline  # type: ignore[import-untyped]
    from sklearn.preprocessing import StandardScaler  # type: ignore[import-untyped]

    t0 = time.perf_counter()
    mods = list(modules) if modules else list(MODULES)
    stg = list(stages) if stages else list(STAGES)
    data = data or load(path, mods)
    cohort = _extras.cohort_of(data.cohort)
    regs = data.registrations
    opts = {"target": "before_end", "calibration": "platt", "survival": False, **(model_options or {})}
    results: list[dict[str, Any]] = []
    pooled: dict[int, list[pd.DataFrame]] = {s: [] for s in stg}
    tasks = [(m, s) for m in mods for s in stg]
    bar: Any = None
    if progress:
        from tqdm import tqdm  # type: ignore[import-untyped]

        bar = tqdm(total=len(tasks), desc="lien eval oulad", leave=False, file=sys.stderr)
    for module in mods:
        pres = sorted(regs.loc[regs["module"] == module, "presentation"].unique(), key=_order)
        if len(pres) < 2:
            continue
        train_p, test_p = pres[:-1], pres[-1]
        for stage in stg:
            pop = population(regs[regs["module"] == module], stage)
            tr = pop[pop["presentation"].isin(train_p)]
            te = pop[pop["presentation"] == test_p]
            rows_tr = (tr["enrolment"].tolist(), tr["as_of"].tolist())
            rows_te = (te["enrolment"].tolist(), te["as_of"].tolist())
            model = RiskModel(**opts).fit_rows(cohort, *rows_tr)
            x_tr = _extras.features(cohort, model, rows=rows_tr)
            x_te = _extras.features(cohort, model, rows=rows_te)
            cols = [c for c in x_tr.columns if c not in ("enrolment", "as_of")]
            xtr, xte = x_tr[cols].to_numpy(), x_te[cols].to_numpy()
            sc = _extras.score(cohort, model, rows=rows_te, top_k=0, horizons=())
            y_tr, y_te = tr["y"].to_numpy(), te["y"].to_numpy()
            dur, ev = te["duration"].to_numpy(), te["event"].to_numpy()
            p_lien = sc.frame["probability"].to_numpy()
            lr = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)).fit(xtr, y_tr)
            hgb = HistGradientBoostingClassifier(random_state=0).fit(xtr, y_tr)
            p_lr, p_hgb = lr.predict_proba(xte)[:, 1], hgb.predict_proba(xte)[:, 1]
            cox = _cox(tr, te, xtr, xte)
            flag = _moodle_flag(te, data.stages, _missed_by(data, te), stage)
            row: dict[str, Any] = {
                "module": module, "train": list(train_p), "test": test_p, "stage": stage,
                "cutoff_day": int(te["cutoff_day"].iloc[0]) if len(te) else None, "n": int(len(te)),
                "positives": int(y_te.sum()), "n_train": int(len(tr)), "features": len(cols),
                "lien": metrics(y_te, p_lien, dur, ev),
                "sklearn_logistic": metrics(y_te, p_lr, dur, ev),
                "sklearn_hgb": metrics(y_te, p_hgb, dur, ev),
                "lifelines_cox": {"c_index": cox} if cox is not None else {},
                "moodle_flag": {k: v for k, v in metrics(y_te, flag, dur, ev).items()
                                if k in ("auc", "c_index")} | {"flagged": int(flag.sum())},
            }
            results.append(row)
            pooled[stage].append(te.assign(p=p_lien))
            if bar is not None:
                bar.update(1)
    if bar is not None:
        bar.close()
    mean_auc: dict[str, dict[str, float]] = {}
    for stage in stg:
        rs = [r for r in results if r["stage"] == stage]
        if rs:
            mean_auc[str(stage)] = {k: float(np.mean([r[k]["auc"] for r in rs]))
                                    for k in ("lien", "sklearn_logistic", "sklearn_hgb", "moodle_flag")}
    out: dict[str, Any] = {
        "protocol": {
            "dataset": "OULAD (CC BY 4.0), modules " + ",".join(mods),
            "split": "per module: train on the earlier presentations, test on the last one",
            "stages": stg, "cutoff_day": "floor(stage / 100 * module_presentation_length)",
            "population": "registered by the cut-off day and not unregistered by then",
            "label": "final_result == Withdrawn",
            "features": "lien's built-in features at the end of the cut-off day (clicks up to the stage, "
                        "assessments submitted by that day); demographics never used",
            "lien_options": opts,
            "peers": "scikit-learn LogisticRegression (standardised) and HistGradientBoostingClassifier "
                     "(defaults) on lien's features; lifelines CoxPHFitter (penalizer 0.1) on the same; a "
                     "Moodle-like bare flag (no click in the last stage window or a missed assessment)",
        },
        "results": results, "mean_auc": mean_auc,
    }
    if audit:
        out["fairness"] = {str(s): fairness(pd.concat(pooled[s])) for s in stg if pooled[s]}
    out["seconds"] = round(time.perf_counter() - t0, 1)
    return out


def _cox(tr: pd.DataFrame, te: pd.DataFrame, xtr: np.ndarray, xte: np.ndarray) -> Optional[float]:
    """lifelines' CoxPHFitter (penalizer 0.1) on the training rows' standardised features, time from the cut-off
    to withdrawal (event) or to the planned end (censored); its C-index on the test rows. None if it fails."""
    from lifelines import CoxPHFitter  # type: ignore[import-untyped]
    from lifelines.utils import concordance_index

    mu, sd = xtr.mean(axis=0), xtr.std(axis=0)
    keep = sd > 0
    z_tr = (xtr[:, keep] - mu[keep]) / sd[keep]
    z_te = (xte[:, keep] - mu[keep]) / sd[keep]
    names = [f"x{i}" for i in range(z_tr.shape[1])]
    df = pd.DataFrame(z_tr, columns=names).assign(duration=tr["duration"].to_numpy(), event=tr["event"].to_numpy())
    try:
        cph = CoxPHFitter(penalizer=0.1).fit(df, duration_col="duration", event_col="event")
    except Exception:  # noqa: BLE001 - a peer that cannot fit is reported as missing, not as a crash
        return None
    risk = cph.predict_partial_hazard(pd.DataFrame(z_te, columns=names)).to_numpy()
    return float(concordance_index(te["duration"].to_numpy(), -risk, te["event"].to_numpy()))


def fairness(test: pd.DataFrame) -> dict[str, Any]:
    """AUC, mean predicted and observed rate, and ECE per group of each protected attribute (pooled test rows of
    every module at one stage), with the largest AUC gap. The attributes are read here only."""
    from sklearn.metrics import roc_auc_score

    out: dict[str, Any] = {}
    for attr in PROTECTED:
        groups: dict[str, Any] = {}
        for g, sub in test.groupby(attr, sort=True):
            y, p = sub["y"].to_numpy(), sub["p"].to_numpy()
            groups[str(g)] = {"n": int(len(sub)), "positives": int(y.sum()),
                              "auc": float(roc_auc_score(y, p)) if 0 < y.sum() < len(y) else None,
                              "mean_p": float(p.mean()), "observed": float(y.mean()), "ece": _ece(y, p)}
        aucs = [v["auc"] for v in groups.values() if v["auc"] is not None]
        out[attr] = {"groups": groups, "auc_gap": float(max(aucs) - min(aucs)) if len(aucs) > 1 else 0.0,
                     "calibration_gap": float(max(abs(v["mean_p"] - v["observed"]) for v in groups.values()))}
    return out


def format_table(result: dict[str, Any]) -> str:
    """The results as a readable table (what ``lien eval oulad`` prints without --json)."""
    lines = [f"OULAD, {result['protocol']['split']}; label: {result['protocol']['label']}", ""]
    h = (f"{'module':<7}{'test':<7}{'stage':>5}{'day':>5}{'n':>6}{'pos':>6}  {'lien':>6}{'sk-LR':>7}"
         f"{'sk-HGB':>7}{'flag':>6}   {'brier':>6}{'ece':>6}{'C-idx':>7}")
    lines += ["AUC by module and stage (brier, ECE and C-index: lien)", h, "-" * len(h)]
    for r in result["results"]:
        lines.append(f"{r['module']:<7}{r['test']:<7}{r['stage']:>5}{r['cutoff_day']:>5}{r['n']:>6}"
                     f"{r['positives']:>6}  {r['lien']['auc']:>6.3f}{r['sklearn_logistic']['auc']:>7.3f}"
                     f"{r['sklearn_hgb']['auc']:>7.3f}{r['moodle_flag']['auc']:>6.3f}   {r['lien']['brier']:>6.3f}"
                     f"{r['lien']['ece']:>6.3f}{r['lien'].get('c_index', float('nan')):>7.3f}")
    lines += ["", "mean AUC by stage", f"{'stage':>5}  {'lien':>6}{'sk-LR':>7}{'sk-HGB':>7}{'flag':>6}"]
    for s, m in result["mean_auc"].items():
        lines.append(f"{s:>5}  {m['lien']:>6.3f}{m['sklearn_logistic']:>7.3f}{m['sklearn_hgb']:>7.3f}"
                     f"{m['moodle_flag']:>6.3f}")
    if "fairness" in result:
        lines += ["", "fairness audit (lien, pooled test rows): largest AUC gap between groups"]
        for s, f in result["fairness"].items():
            lines.append(f"  stage {s}: " + ", ".join(f"{a} {v['auc_gap']:.3f}" for a, v in f.items()))
    lines.append(f"\n{result['seconds']} s")
    return "\n".join(lines) + "\n"
