"""The `lien` command line.

Every command prints one clear line on stderr and exits non-zero when it cannot do its job; a Python traceback
is shown only with ``--debug``. Exit codes:

====  ==========================================================================
0     success (for readers: the input was read, even if some records were rejected)
1     the input could not be read at all (missing folder or file, unreadable, not CSV/xAPI)
2     wrong usage (unknown command or option, bad value)
3     a model file was refused (other version, corrupt, unknown features)
4     internal error (a bug in lien: please report it with ``--debug`` output)
====  ==========================================================================
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Optional

import lien
from lien import _extras, _lien

EXIT_OK = 0
EXIT_INPUT = 1
EXIT_USAGE = 2
EXIT_MODEL = 3
EXIT_INTERNAL = 4

Handler = Callable[[argparse.Namespace], int]


class _Parser(argparse.ArgumentParser):
    """argparse with lien's exit code for usage errors and one-line messages."""

    def error(self, message: str) -> Any:  # noqa: D401 - argparse API
        self.print_usage(sys.stderr)
        sys.stderr.write(f"lien: error: {message}\n")
        raise SystemExit(EXIT_USAGE)


def _summary(args: argparse.Namespace) -> int:
    result = _lien.read_data(args.data)
    report = result.report
    counts = _lien.count_records(result.cohort)
    doc: dict[str, Any] = {
        "read": report.read,
        "accepted": report.accepted,
        "voided": report.voided,
        "rejected": [
            {"source": r.source, "index": r.index, "field": r.field, "reason": r.reason} for r in report.rejected
        ],
        "counts": counts,
    }
    if args.format == "json":
        json.dump(doc, sys.stdout, indent=2, sort_keys=False)
        sys.stdout.write("\n")
        return EXIT_OK
    out = sys.stdout
    out.write(f"{args.data}\n")
    out.write(
        f"  read {report.read} records: {report.accepted} accepted, {len(report.rejected)} rejected"
        + (f", {report.voided} voided" if report.voided else "")
        + "\n"
    )
    for source, n in report.sources.items():
        out.write(f"    {source:<28} read {n.read:>9}  accepted {n.accepted:>9}  rejected {n.rejected:>7}\n")
    scalar = {k: v for k, v in counts.items() if not isinstance(v, dict)}
    out.write("  " + ", ".join(f"{k} {v}" for k, v in scalar.items()) + "\n")
    for key, title in (
        ("enrolments_by_outcome", "enrolments by outcome"),
        ("events_by_verb", "events by verb"),
        ("stakeholders_by_role", "stakeholders by role"),
        ("relations_by_type", "relations by type"),
        ("steps_by_kind", "steps by kind"),
    ):
        parts = [f"{k} {v}" for k, v in counts[key].items() if v]
        out.write(f"  {title}: " + (", ".join(parts) if parts else "none") + "\n")
    if report.rejected:
        shown = report.rejected[: args.max_rejections]
        out.write(f"  rejections ({len(report.rejected)}):\n")
        for r in shown:
            field = f" [{r.field}]" if r.field else ""
            out.write(f"    {r.source}:{r.index}{field}: {r.reason}\n")
        if len(report.rejected) > len(shown):
            out.write(f"    ... {len(report.rejected) - len(shown)} more (use --format json for all)\n")
    return EXIT_OK


# ---- shared helpers ----------------------------------------------------------------------------------------

#: "today" in the demo: a Monday in the middle of this year's simulated programme, so that the output is the same
#: on every run (the first wave started on 2026-09-07; the programme runs 127 days).
DEMO_TODAY = "2026-11-16"
DEMO_LAST_YEAR_START = "2025-09-08"
DEMO_THIS_YEAR_START = "2026-09-07"


class _Progress:
    """A stage-by-stage progress bar on stderr, only when stderr is a terminal (tqdm)."""

    def __init__(self, total: int, desc: str) -> None:
        self._bar: Any = None
        if sys.stderr.isatty() and os.environ.get("LIEN_NO_PROGRESS") is None:
            from tqdm import tqdm  # type: ignore[import-untyped]

            self._bar = tqdm(total=total, desc=desc, unit="step", leave=False, file=sys.stderr)

    def step(self, what: str) -> None:
        if self._bar is not None:
            self._bar.set_postfix_str(what)
            self._bar.update(1)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


@contextmanager
def _progress(total: int, desc: str) -> Iterator[_Progress]:
    p = _Progress(total, desc)
    try:
        yield p
    finally:
        p.close()


def _read(path: str) -> lien.Cohort:
    """Reads DATA and warns (one line on stderr) when records were rejected."""
    result = lien.read_data(path)
    n = len(result.report.rejected)
    if n:
        sys.stderr.write(f"lien: {path}: {n} record(s) rejected (see `lien summary {path}`)\n")
    return result.cohort


def _load_model(path: str) -> lien.RiskModel:
    return lien.RiskModel.load(path)


def _pct(p: float) -> str:
    return f"{100 * p:.0f}%"


def _wrap(text: str, width: int, indent: str) -> str:
    import textwrap

    return textwrap.fill(text, width=width, initial_indent=indent, subsequent_indent=indent + "  ")


def _at_risk_table(scores: Any, drivers: Any, actions: Any, lang: str, limit: int, out: Any) -> int:
    """Prints the learners in the high and medium bands, riskiest first, with drivers and actions."""
    import pandas as pd

    risky = scores[scores["band"].isin(["high", "medium"])].sort_values(
        ["probability", "enrolment"], ascending=[False, True])
    width = 100
    out.write(f"{'#':>3}  {'learner':<14} {'group':<14} {'risk':>5}  {'band':<7} {'by end':>6}\n")
    for i, (_, r) in enumerate(risky.head(limit).iterrows(), 1):
        by_end = r.get("withdraw_by_end", float("nan"))
        be = _pct(by_end) if pd.notna(by_end) else "-"
        out.write(f"{i:>3}  {r['learner']:<14} {r['instance']:<14} {_pct(r['probability']):>5}  {r['band']:<7} "
                  f"{be:>6}\n")
        mine = drivers[(drivers["enrolment"] == r["enrolment"]) & (drivers["contribution"] > 0)].sort_values("rank")
        why = "; ".join(str(s) for s in mine["sentence"].head(3) if s)
        if why:
            out.write(_wrap(("why: " if lang == "en" else "pourquoi : ") + why, width, "      ") + "\n")
        acts = actions[(actions["enrolment"] == r["enrolment"]) & actions["status"].isin(["scheduled", "deferred"])]
        for _, a in acts.head(2).iterrows():
            label, role = a["label"], a["who_label"]
            who = a["who_name"] or a["who"] or role
            by = "by" if lang == "en" else "avant le"
            out.write(_wrap(f"do:  {label} — {who} ({role}), {by} {a['due']}", width, "      ") + "\n")
    if len(risky) > limit:
        out.write(f"  ... {len(risky) - limit} more in the report\n")
    return len(risky)


# ---- demo ----------------------------------------------------------------------------------------------------

def run_demo(out_dir: str, seed: int, learners: int, lang: str = "en", quiet: bool = False,
             stream: Any = None) -> dict[str, Any]:
    """The main job on built-in defaults; returns what it did (paths, counts, seconds)."""
    from lien import report as _report

    out = stream or sys.stdout
    t0 = time.perf_counter()
    os.makedirs(out_dir, exist_ok=True)
    timings: dict[str, float] = {}
    with _progress(6, "lien demo") as bar:
        t = time.perf_counter()
        last = lien.simulate(learners=learners, seed=seed, start=DEMO_LAST_YEAR_START, id_prefix="Y25-").cohort
        bar.step("simulated last year")
        today = _extras.instant(last, DEMO_TODAY)  # the calendar is the same for both years
        this_year = lien.simulate(learners=learners, seed=seed + 1, start=DEMO_THIS_YEAR_START,
                                  observe_until=today, id_prefix="Y26-")
        this = this_year.cohort
        bar.step("simulated this year")
        timings["simulate"] = time.perf_counter() - t
        t = time.perf_counter()
        # The risk a manager asks about: dropping out before the end of the programme.
        model = lien.RiskModel(target="before_end").fit(last)
        model_json = model.to_json()
        model.save(os.path.join(out_dir, "model.json"))
        bar.step("trained")
        timings["train"] = time.perf_counter() - t
        t = time.perf_counter()
        scored = _extras.score(this, model, as_of=today, lang=lang)
        actions = _extras.queue(this, model, today, lang=lang)
        bar.step("scored")
        timings["score"] = time.perf_counter() - t
        t = time.perf_counter()
        scored.frame.assign(as_of=scored.frame["as_of"].dt.strftime("%Y-%m-%dT%H:%M:%SZ")).to_csv(
            os.path.join(out_dir, "risk.csv"), index=False)
        html = _report.build_report(this, model, today, scored=scored, actions=actions, lang=lang,
                                    title="lien demo — this year's programme")
        with open(os.path.join(out_dir, "report.html"), "w", encoding="utf-8") as f:
            f.write(html)
        bar.step("report written")
        timings["report"] = time.perf_counter() - t
    s = scored.frame
    meta = json.loads(model_json)
    if not quiet:
        out.write(f"lien demo (seed {seed}): trained on last year's {learners} learners "
                  f"(started {DEMO_LAST_YEAR_START}), scored this year's {learners} on {DEMO_TODAY}\n")
        out.write(f"  {len(s)} active enrolments scored: " + ", ".join(
            f"{(s['band'] == b).sum()} {b}" for b in ("high", "medium", "low")) + "\n\n")
        n_risky = _at_risk_table(s, scored.drivers, actions, lang, 15, out)
        out.write(f"\n  {n_risky} learners at medium or high risk; {len(actions)} actions in this week's queue\n")
        truth = _truth_check(s, this_year.truth)
        out.write(f"  the simulator knows how this year ends: {truth['withdrew']} of the {len(s)} will withdraw; "
                  f"{truth['withdrew_flagged']} of them are among the {n_risky} flagged "
                  f"(ranking AUC {truth['auc']:.2f})\n")
        out.write(f"  wrote {os.path.join(out_dir, 'report.html')}, {os.path.join(out_dir, 'risk.csv')}, "
                  f"{os.path.join(out_dir, 'model.json')} in {time.perf_counter() - t0:.1f} s\n")
    return {"scores": s, "drivers": scored.drivers, "actions": actions, "timings": timings,
            "seconds": time.perf_counter() - t0, "model": meta}


def _truth_check(scores: Any, truth: Any) -> dict[str, Any]:
    """How the scores compare with the simulated truth (who really withdraws later)."""
    m = scores.merge(truth[["enrolment_id", "outcome"]], left_on="enrolment", right_on="enrolment_id", how="left")
    y = (m["outcome"].astype(str) == "withdrawn").to_numpy()
    flagged = m["band"].astype(str).isin(["high", "medium"]).to_numpy()
    p = m["probability"].to_numpy()
    pos, neg = p[y], p[~y]
    auc = float("nan")
    if len(pos) and len(neg):
        import numpy as np

        auc = float((np.greater.outer(pos, neg).sum() + 0.5 * np.equal.outer(pos, neg).sum()) / (len(pos) * len(neg)))
    return {"withdrew": int(y.sum()), "withdrew_flagged": int((y & flagged).sum()), "auc": auc}


def _demo(args: argparse.Namespace) -> int:
    run_demo(args.out, args.seed, args.learners, args.lang)
    return EXIT_OK


# ---- train / score / queue / review / report -------------------------------------------------------------------

def _dates(text: Optional[str]) -> Optional[list[str]]:
    if not text:
        return None
    return [t.strip() for t in text.split(",") if t.strip()]


def _train(args: argparse.Namespace) -> int:
    with _progress(2, "lien train") as bar:
        cohort = _read(args.data)
        bar.step("read")
        opts: dict[str, Any] = {"horizon_days": args.horizon, "calibration": args.calibration, "target": args.target}
        model = lien.RiskModel(**opts).fit(cohort, _dates(args.as_of))
        bar.step("trained")
    d = os.path.dirname(os.path.abspath(args.out))
    os.makedirs(d, exist_ok=True)
    model.save(args.out)  # atomic: a temporary file renamed into place
    meta = json.loads(model.to_json())
    tm = meta.get("training", {})
    metrics = tm.get("metrics", {}) if isinstance(tm, dict) else {}
    msg = f"lien train: wrote {args.out}"
    if isinstance(metrics, dict) and metrics:
        shown = {k: v for k, v in metrics.items() if isinstance(v, (int, float))}
        msg += " (" + ", ".join(f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}"
                                for k, v in list(shown.items())[:6]) + ")"
    sys.stdout.write(msg + "\n")
    return EXIT_OK


def _score_frame(args: argparse.Namespace) -> tuple[Any, Any, Any, str, int]:
    with _progress(3, f"lien {args.command}") as bar:
        model = _load_model(args.model)
        bar.step("model loaded")
        cohort = _read(args.data)
        bar.step("read")
        as_of = _extras.instant(cohort, args.as_of)
        scored = _extras.score(cohort, model, as_of=as_of, top_k=args.top_k, lang=args.lang)
        bar.step("scored")
    return cohort, scored, model, args.as_of, as_of


def _score(args: argparse.Namespace) -> int:
    _, scored, _, _, _ = _score_frame(args)
    df = scored.frame
    if args.format == "csv":
        df.assign(as_of=df["as_of"].dt.strftime("%Y-%m-%dT%H:%M:%SZ")).to_csv(sys.stdout, index=False)
    elif args.format == "json":
        recs = []
        for _, r in df.iterrows():
            rec = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in r.items()
                   if not k.startswith("driver_")}
            mine = scored.drivers[scored.drivers["enrolment"] == r["enrolment"]]
            rec["drivers"] = mine.drop(columns="enrolment").to_dict(orient="records")
            recs.append(rec)
        json.dump(recs, sys.stdout, indent=1, default=float, allow_nan=True)
        sys.stdout.write("\n")
    else:
        out = sys.stdout
        out.write(f"{len(df)} enrolments scored on {args.as_of}: " + ", ".join(
            f"{(df['band'] == b).sum()} {b}" for b in ("high", "medium", "low")) + "\n")
        out.write(f"{'learner':<14} {'group':<14} {'risk':>5}  {'band':<7} top driver\n")
        for _, r in df.sort_values(["probability", "enrolment"], ascending=[False, True]).iterrows():
            out.write(f"{r['learner']:<14} {r['instance']:<14} {_pct(r['probability']):>5}  {r['band']:<7} "
                      f"{r.get('driver_1', '')}\n")
    return EXIT_OK


def _queue(args: argparse.Namespace) -> int:
    model = _load_model(args.model)
    cohort = _read(args.data)
    as_of = _extras.instant(cohort, args.as_of)
    q = _extras.queue(cohort, model, as_of, args.playbook, args.weekly_cap, lang=args.lang)
    if args.format == "csv":
        q.to_csv(sys.stdout, index=False)
        return EXIT_OK
    if args.format == "json":
        json.dump(q.astype({"band": str}).to_dict(orient="records"), sys.stdout, indent=1)
        sys.stdout.write("\n")
        return EXIT_OK
    out = sys.stdout
    open_ = q[q["status"].isin(["scheduled", "deferred"])]
    out.write(f"action queue for the week of {args.as_of}: {len(open_)} to do, {len(q) - len(open_)} held back\n")
    for _, a in q.iterrows():
        out.write(_wrap(f"{a['rank']:>3}. [{a['status']}] {a['text']}", 110, "") + "\n")
    return EXIT_OK


def _review(args: argparse.Namespace) -> int:
    model = _load_model(args.model) if args.model else None
    cohort = _read(args.data)
    as_of = _extras.instant(cohort, args.as_of)
    sys.stdout.write(_extras.review(cohort, args.learner, as_of, model, args.lang, args.playbook))
    sys.stdout.write("\n")
    return EXIT_OK


def _report_cmd(args: argparse.Namespace) -> int:
    from lien import report as _report

    with _progress(4, "lien report") as bar:
        model = _load_model(args.model)
        cohort = _read(args.data)
        bar.step("read")
        as_of = _extras.instant(cohort, args.as_of)
        scored = _extras.score(cohort, model, as_of=as_of, lang=args.lang)
        actions = _extras.queue(cohort, model, as_of, args.playbook, lang=args.lang)
        bar.step("scored")
        html = _report.build_report(cohort, model, as_of, scored=scored, actions=actions, lang=args.lang,
                                    title=args.title or f"lien — {os.path.basename(os.path.abspath(args.data))}")
        bar.step("built")
        d = os.path.dirname(os.path.abspath(args.html))
        os.makedirs(d, exist_ok=True)
        with open(args.html, "w", encoding="utf-8") as f:
            f.write(html)
        bar.step("written")
    sys.stdout.write(f"lien report: wrote {args.html} ({len(html) // 1024} KiB)\n")
    return EXIT_OK


def _eval(args: argparse.Namespace) -> int:
    from lien.datasets import oulad

    data = args.data or os.environ.get("LIEN_OULAD_DIR") or oulad.DEFAULT_DIR
    modules = [m.strip() for m in args.modules.split(",")] if args.modules else None
    stages = [int(s) for s in args.stages.split(",")] if args.stages else None
    result = oulad.evaluate(data, modules=modules, stages=stages, progress=sys.stderr.isatty(),
                            audit=not args.no_audit)
    if args.json:
        json.dump(result, sys.stdout, indent=1, allow_nan=False, default=float)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(oulad.format_table(result))
    return EXIT_OK


def _command(sub: Any, name: str, help: str, description: str, examples: Sequence[str], handler: Handler) -> Any:
    p = sub.add_parser(name, help=help, description=description,
                       epilog="examples:\n" + "\n".join("  " + e for e in examples) + "\n\n" + _EXIT_CODES,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.set_defaults(handler=handler)
    return p


_EXIT_CODES = ("exit codes: 0 ok, 1 input unreadable, 2 wrong usage, 3 model file refused, 4 internal error "
               "(docs/cli.md)")
_DATA_HELP = "a CSV folder or an xAPI file (JSON array or NDJSON)"
_ASOF_HELP = "the date to score at: YYYY-MM-DD (the start of that day, in the data's time zone) or a timestamp"


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="lien",
        description="lien: dropout risk, actions and analytics for learning communities.",
        epilog="Start with `lien demo`. Run `lien COMMAND --help` for each command's options and examples.\n\n"
        + _EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"lien {lien.__version__}")
    parser.add_argument("--debug", action="store_true", help="show Python tracebacks on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = _command(sub, "demo", "the whole story on simulated data, in under a minute",
                 "Simulates last year's and this year's cohorts of a blended management programme (built-in "
                 "simulator), trains a risk model on last year, scores this year on " + DEMO_TODAY + " (mid-"
                 "programme, so that the output is the same on every run), prints the learners at risk with "
                 "their drivers and the recommended actions (who, what, by when), and writes DIR/report.html, "
                 "DIR/risk.csv and DIR/model.json.",
                 ["lien demo", "lien demo --out /tmp/lien-demo --seed 7", "lien demo --lang fr"], _demo)
    p.add_argument("--out", default="lien-demo", metavar="DIR", help="output folder (default: lien-demo)")
    p.add_argument("--seed", type=int, default=1, help="simulation seed (default: 1)")
    p.add_argument("--learners", type=int, default=240, help="learners per year (default: 240)")
    p.add_argument("--lang", choices=("en", "fr"), default="en", help="language of drivers and report")

    p = _command(sub, "summary", "what a dataset holds and what was read",
                 "Reads DATA (a folder of CSV tables, or an xAPI file) and reports what it holds: learners, "
                 "paths, steps, enrolments by outcome, events by verb, stakeholders by role, relations — and what "
                 "was read, accepted and rejected (with source, line, field and reason).",
                 ["lien summary examples/data/managers-2027", "lien summary statements.ndjson --format json"],
                 _summary)
    p.add_argument("data", metavar="DATA", help=_DATA_HELP)
    p.add_argument("--format", choices=("table", "json"), default="table", help="output format (default: table)")
    p.add_argument("--max-rejections", type=int, default=20, help="rejections listed in table form (default: 20)")

    p = _command(sub, "train", "train a risk model on past enrolments",
                 "Trains the dropout-risk model on DATA by landmarking: every enrolment in progress at each "
                 "--as-of date becomes a training row, labelled by whether it withdrew within the horizon. "
                 "Without --as-of, lien picks landmarks spread over the data. Writes the model file (JSON).",
                 ["lien train last-year/ --out model.json",
                  "lien train last-year/ --as-of 2025-10-01,2025-11-01,2025-12-01 --out model.json"], _train)
    p.add_argument("data", metavar="DATA", help=_DATA_HELP)
    p.add_argument("--as-of", help="landmark dates, comma-separated (default: automatic)")
    p.add_argument("--out", required=True, metavar="MODEL", help="the model file to write")
    p.add_argument("--horizon", type=int, default=28, help="days ahead the risk is about (default: 28)")
    p.add_argument("--target", choices=("within_horizon", "before_end"), default="within_horizon",
                   help="withdraws within the horizon, or before the planned end")
    p.add_argument("--calibration", choices=("platt", "isotonic", "none"), default="platt")

    for name, help_, desc, handler in (
        ("score", "risk of every active enrolment on a date",
         "Scores every enrolment in progress on --as-of: calibrated probability of withdrawing within the model's "
         "horizon, band (low/medium/high), survival estimates and the top drivers.", _score),
        ("queue", "this week's action queue: who should do what, for whom, by when",
         "Runs the playbook (default, or --playbook FILE) on the scores of --as-of and prints the queue: each "
         "action with its performer (resolved in the stakeholder graph), due date and reason.", _queue),
        ("report", "the HTML report for a community manager",
         "Writes one self-contained HTML file (inline CSS and images, no network): cohort summary, this week's "
         "actions, at-risk learners with their drivers, the funnel and where people leave, the community graph.",
         _report_cmd),
    ):
        ex = {
            "score": ["lien score examples/data/managers-2027 --model model.json --as-of 2026-11-16",
                      "lien score data.ndjson --model model.json --as-of 2026-11-16 --format csv > risk.csv"],
            "queue": ["lien queue examples/data/managers-2027 --model model.json --as-of 2026-11-16",
                      "lien queue data/ --model model.json --as-of 2026-11-16 --playbook my-playbook.json"],
            "report": ["lien report examples/data/managers-2027 --model model.json --as-of 2026-11-16 "
                       "--html report.html",
                       "lien report data/ --model model.json --as-of 2026-11-16 --html rapport.html --lang fr"],
        }[name]
        p = _command(sub, name, help_, desc, ex, handler)
        p.add_argument("data", metavar="DATA", help=_DATA_HELP)
        p.add_argument("--model", required=True, metavar="MODEL", help="a model file from `lien train`")
        p.add_argument("--as-of", required=True, metavar="DATE", help=_ASOF_HELP)
        p.add_argument("--lang", choices=("en", "fr"), default="en")
        if name == "score":
            p.add_argument("--format", choices=("table", "csv", "json"), default="table")
            p.add_argument("--top-k", type=int, default=5, help="drivers per enrolment (default: 5)")
        if name == "queue":
            p.add_argument("--format", choices=("table", "csv", "json"), default="table")
            p.add_argument("--weekly-cap", type=int, default=10, help="actions per person per week (default: 10)")
        if name in ("queue", "report"):
            p.add_argument("--playbook", metavar="FILE", help="a playbook JSON file (default: the built-in one)")
        if name == "report":
            p.add_argument("--html", required=True, metavar="FILE", help="the HTML file to write")
            p.add_argument("--title", help="the report's title")

    p = _command(sub, "review", "one learner's review: progress, risk, drivers, suggestions",
                 "Prints the review of a learner on --as-of: steps done, late and next, competencies, and with "
                 "--model the risk, its drivers and the playbook's suggestions.",
                 ["lien review examples/data/managers-2027 --learner LRN-007 --as-of 2026-11-16",
                  "lien review data/ --learner LRN-007 --as-of 2026-11-16 --model model.json --lang fr"], _review)
    p.add_argument("data", metavar="DATA", help=_DATA_HELP)
    p.add_argument("--learner", required=True, metavar="ID", help="the learner's id")
    p.add_argument("--as-of", required=True, metavar="DATE", help=_ASOF_HELP)
    p.add_argument("--model", metavar="MODEL", help="a model file: adds the risk, drivers and suggestions")
    p.add_argument("--lang", choices=("en", "fr"), default="en")
    p.add_argument("--playbook", metavar="FILE", help="a playbook JSON file (default: the built-in one)")

    p = _command(sub, "eval", "evaluate lien on real data against scikit-learn and lifelines peers",
                 "Runs the fixed OULAD protocol (docs/model-card.md): for each module, train on its earlier "
                 "presentations and test on the last one, at stages 10, 20, 30 and 50; lien against "
                 "scikit-learn LogisticRegression and HistGradientBoostingClassifier on lien's own features, a "
                 "lifelines Cox model, and a Moodle-like bare flag. Prints a table, or one JSON object.",
                 ["lien eval oulad --data /work/shared/data/oulad", "lien eval oulad --json > oulad.json",
                  "lien eval oulad --modules AAA,CCC --stages 20,30"], _eval)
    p.add_argument("dataset", choices=("oulad",), help="the dataset (only oulad for now)")
    p.add_argument("--data", metavar="DIR", help="the OULAD folder (default: $LIEN_OULAD_DIR or "
                   "/work/shared/data/oulad)")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    p.add_argument("--modules", help="modules, comma-separated (default: AAA,BBB,CCC,DDD,EEE)")
    p.add_argument("--stages", help="stages, comma-separated (default: 10,20,30,50)")
    p.add_argument("--no-audit", action="store_true", help="skip the fairness audit")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    err: BaseException
    try:
        return handler(args)
    except (lien.ParseError, lien.NotFoundError, lien.IoError) as e:
        code, err = EXIT_INPUT, e
    except lien.ModelError as e:
        code, err = EXIT_MODEL, e
    except lien.InvalidArgument as e:
        code, err = EXIT_USAGE, e
    except OSError as e:  # files the CLI itself opens or writes (outputs, model files)
        code = EXIT_INPUT
        err = Exception(f"{e.filename}: {e.strerror}" if e.filename else str(e))
    except KeyboardInterrupt:
        return 130
    except Exception as e:  # noqa: BLE001 - the CLI's last line of defence
        code, err = EXIT_INTERNAL, e
    if args.debug:
        raise err
    sys.stderr.write(f"lien {args.command}: {err}\n")
    return code
