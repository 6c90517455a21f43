"""The HTML report: self-contained, its figures equal to the scores and the queue it was built from (parsed with
html.parser), in English and French, and rendered by headless Chromium without console errors and with a
non-blank page."""

from __future__ import annotations

import base64
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import lien
from lien import _extras, cli, report


class Page(HTMLParser):
    """Collects the text of each section, the rows of each table, and every resource reference."""

    def __init__(self) -> None:
        super().__init__()
        self.section: str | None = None
        self.text: dict[str, list[str]] = {}
        self.tables: dict[str, list[list[str]]] = {}
        self.refs: list[tuple[str, str, str]] = []
        self.tags: list[str] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        a = dict(attrs)
        if tag == "section":
            self.section = a.get("id")
            self.text.setdefault(self.section or "", [])
            self.tables.setdefault(self.section or "", [])
        for k in ("src", "href"):
            if a.get(k):
                self.refs.append((tag, k, str(a[k])))
        if tag == "tr":
            self._row = []
        if tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        if tag == "tr" and self._row is not None and self.section:
            self.tables[self.section].append(self._row)
            self._row = None
        if tag == "section":
            self.section = None

    def handle_data(self, data: str) -> None:
        if self.section:
            self.text[self.section].append(data)
        if self._cell is not None:
            self._cell.append(data)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    last = lien.simulate(learners=240, seed=1, start=cli.DEMO_LAST_YEAR_START, id_prefix="Y25-").cohort
    this = lien.simulate(learners=240, seed=2, start=cli.DEMO_THIS_YEAR_START, observe_until=cli.DEMO_TODAY,
                         id_prefix="Y26-").cohort
    today = _extras.instant(this, cli.DEMO_TODAY)
    model = lien.RiskModel(target="before_end").fit(last)
    scored = _extras.score(this, model, as_of=today)
    actions = _extras.queue(this, model, today)
    html = report.build_report(this, model, today, scored=scored, actions=actions, title="T")
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(html, encoding="utf-8")
    return {"cohort": this, "model": model, "today": today, "scored": scored, "actions": actions, "html": html,
            "path": path}


def parse(html: str) -> Page:
    p = Page()
    p.feed(html)
    return p


def test_self_contained(built: dict[str, Any]) -> None:
    p = parse(built["html"])
    assert "script" not in p.tags and "link" not in p.tags
    assert p.refs, "the report has images"
    for tag, attr, ref in p.refs:
        assert ref.startswith("data:image/png;base64,"), (tag, attr, ref[:40])
        assert base64.b64decode(ref.split(",", 1)[1])[:4] == b"\x89PNG"
    assert not re.search(r"https?://", built["html"])


def test_summary_and_band_counts_match_the_scores(built: dict[str, Any]) -> None:
    p = parse(built["html"])
    s = built["scored"].frame
    risk_text = " ".join("".join(p.text["risk"]).split())
    n = s["band"].astype(str).value_counts()
    assert (f"{len(s)} scored: {n.get('high', 0)} high, {n.get('medium', 0)} medium, {n.get('low', 0)} low"
            in risk_text)
    # The per-group table: active enrolments per group equal the scored ones (every active one is scored).
    rows = p.tables["summary"][1:]
    active = {r[0]: int(r[3]) for r in rows}
    assert active == s.groupby("instance").size().to_dict()
    high = {r[0]: int(r[6]) for r in rows}
    assert high == {g: int((sub["band"] == "high").sum()) for g, sub in s.groupby("instance")}


def test_at_risk_table_lists_the_riskiest_with_drivers(built: dict[str, Any]) -> None:
    p = parse(built["html"])
    s = built["scored"].frame
    risky = s[s["band"].astype(str) != "low"].sort_values(["probability", "enrolment"], ascending=[False, True])
    rows = p.tables["at-risk"][1:]
    assert len(risky) > 0  # the demo's seeds: 39 learners at medium risk
    assert len(rows) == min(60, len(risky))
    assert [r[0] for r in rows] == risky["learner"].head(60).tolist()
    assert [r[3] for r in rows] == [f"{100 * x:.0f}%" for x in risky["probability"].head(60)]
    d = built["scored"].drivers
    top = d[(d["enrolment"] == risky["enrolment"].iloc[0]) & (d["contribution"] > 0)].sort_values("rank")
    assert top["sentence"].iloc[0] in rows[0][6]


def test_actions_table_is_the_open_queue(built: dict[str, Any]) -> None:
    p = parse(built["html"])
    q = built["actions"]
    todo = q[q["status"].isin(["scheduled", "deferred"])]
    rows = p.tables["actions"][1:]
    assert [int(r[0]) for r in rows] == todo["rank"].tolist()
    assert [r[4] for r in rows] == todo["due"].tolist()


def test_funnel_and_health_tables(built: dict[str, Any]) -> None:
    p = parse(built["html"])
    f = lien.funnel(built["cohort"], "manager", built["today"])
    hz = lien.step_hazards(built["cohort"], "manager", built["today"])
    rows = [r for r in p.tables["funnel"] if r[0] != "step"]
    assert [r[0] for r in rows] == f["step"].tolist()
    assert [int(r[3]) for r in rows] == f["reached"].tolist()
    assert [int(r[4]) for r in rows] == hz["events"].tolist()
    h_rows = p.tables["health"][1:]
    assert len(h_rows) == built["scored"].frame["instance"].nunique()
    h = lien.community_health(built["cohort"], h_rows[0][0], built["today"])
    assert int(h_rows[0][1]) == len(h) == h.attrs["members"]
    assert int(h_rows[0][2]) == len(h.attrs["edges"]) == h.attrs["ties"]


def test_french(built: dict[str, Any]) -> None:
    fr = report.build_report(built["cohort"], built["model"], built["today"], scored=built["scored"],
                             actions=built["actions"], lang="fr", plots=False)
    assert '<html lang="fr">' in fr and "Apprenants à risque" in fr and "Learners at risk" not in fr


def _chromium() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    assert exe, "chromium is required (scripts/setup.sh apt_test installs it)"
    return exe


def test_renders_in_headless_chromium(built: dict[str, Any], tmp_path: Path) -> None:
    exe = _chromium()
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
             f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr", "--v=0"]
    url = built["path"].as_uri()
    dom = subprocess.run([exe, *flags, "--dump-dom", url], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert "Learners at risk" in dom.stdout and "This week's actions" in dom.stdout
    console = [ln for ln in dom.stderr.splitlines() if "CONSOLE" in ln or "Failed to load" in ln]
    assert console == []
    shot = tmp_path / "shot.png"
    r = subprocess.run([exe, *flags, f"--screenshot={shot}", "--window-size=1280,1600", url], capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0 and shot.exists(), r.stderr[-2000:]
    import matplotlib.image as mpimg

    img = mpimg.imread(str(shot))
    assert img.shape[0] == 1600 and img.shape[1] == 1280
    grey = img[..., :3].mean(axis=2)
    assert grey.std() > 0.05  # not a blank page
    assert (grey < 0.5).mean() > 0.005  # some dark text
    assert np.isfinite(grey).all()
