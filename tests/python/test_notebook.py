"""examples/python/quickstart.ipynb runs from top to bottom (nbclient): any cell that raises fails the test;
the cells' outputs are checked for what they should show."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
from nbclient import NotebookClient

SOURCE = Path(os.environ.get("LIEN_SOURCE_DIR", Path(__file__).resolve().parents[2]))


def test_quickstart_notebook_runs() -> None:
    path = SOURCE / "examples" / "python" / "quickstart.ipynb"
    nb = nbformat.read(path, as_version=4)
    os.environ.setdefault("LIEN_SOURCE_DIR", str(SOURCE))
    NotebookClient(nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(SOURCE)}}).execute()
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.get("execution_count") for c in code)
    errors = [o for c in code for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert errors == []
    text = "\n".join(str(o.get("data", {}).get("text/plain", "")) + str(o.get("text", ""))
                     for c in code for o in c.get("outputs", []))
    assert "LRN-" in text  # the example programme's learners were scored
    assert "Progress review:" in text  # one learner explained
    assert "auc" in text and "sklearn_hgb" in text  # the OULAD comparison table
    images = [o for c in code for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    assert len(images) >= 3  # risk by band, risk over time, funnel, graph
