"""The installed package: importable from anywhere, same version as the C header, console script present."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

SOURCE = Path(os.environ.get("LIEN_SOURCE_DIR", Path(__file__).resolve().parents[2]))


def header_version() -> str:
    text = (SOURCE / "include" / "lien.h").read_text()
    m = re.search(r'#define LIEN_VERSION_STRING "([^"]+)"', text)
    assert m
    return m.group(1)


def test_import_from_outside_the_source_tree(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-c", "import lien, lien._lien; print(lien.__version__); print(lien._lien.__file__)"],
        cwd=tmp_path, capture_output=True, text=True, check=True,
    ).stdout.split()
    assert out[0] == header_version()
    # The compiled module comes from site-packages, not from a build tree.
    assert "site-packages" in out[1] or "dist-packages" in out[1]


def test_console_script_and_module_entry_point() -> None:
    exe = shutil.which("lien")
    assert exe is not None, "the `lien` console script is not on PATH"
    for cmd in ([exe, "--help"], [sys.executable, "-m", "lien", "--help"]):
        res = subprocess.run(cmd, capture_output=True, text=True)
        assert res.returncode == 0, res.stderr
        assert "summary" in res.stdout


def test_error_hierarchy() -> None:
    import lien

    for cls in (lien.ParseError, lien.ModelError, lien.NotFoundError, lien.InvalidArgument, lien.IoError):
        assert issubclass(cls, lien.Error)
    try:
        lien.Calendar("Europe/Paris")
    except lien.InvalidArgument as e:
        assert "POSIX TZ" in str(e)
    else:
        raise AssertionError("a non-POSIX time zone was accepted")


def test_mypy_strict_passes_on_the_package(tmp_path: Path) -> None:
    """The package's own Python code type-checks under mypy --strict (pyproject's [tool.mypy]), against the
    extension's stub (_lien.pyi): a stub that drifts from the code, or untyped code, fails here."""
    r = subprocess.run([sys.executable, "-m", "mypy", "--config-file", str(SOURCE / "pyproject.toml"),
                        "--cache-dir", str(tmp_path / "cache")], cwd=SOURCE, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]
    assert "Success: no issues found" in r.stdout
