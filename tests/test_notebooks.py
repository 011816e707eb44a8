"""Every analyst notebook in notebooks/ runs top to bottom without an error and shows its charts."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
ARTIFACTS = Path(__file__).resolve().parent / "_artifacts"


_executed: dict[Path, object] = {}


def run(path: Path, monkeypatch):
    """Execute a notebook once per test session (the executed copy goes to tests/_artifacts/)."""
    if path in _executed:
        return _executed[path]
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=False,
                                     resources={"metadata": {"path": str(path.parent)}})
    client.execute()            # raises CellExecutionError on the first failing cell
    ARTIFACTS.mkdir(exist_ok=True)
    nbformat.write(nb, ARTIFACTS / path.name)   # the executed copy, to look at
    _executed[path] = nb
    return nb


def outputs(nb, kind: str) -> list:
    found = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                raise AssertionError(f"{out.get('ename')}: {out.get('evalue')}")
            if kind == "text" and out.get("output_type") == "stream":
                found.append(out.get("text", ""))
            elif kind in (out.get("data") or {}):
                found.append(out["data"][kind])
    return found


def test_there_is_a_notebook():
    assert any(p.name == "who-owns-what.ipynb" for p in NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs(path, monkeypatch):
    nb = run(path, monkeypatch)
    assert outputs(nb, "image/png"), "the notebook drew no chart"


def test_who_owns_what_shows_the_sample_store(monkeypatch):
    path = ROOT / "notebooks" / "who-owns-what.ipynb"
    nb = run(path, monkeypatch)
    text = "".join(outputs(nb, "text"))
    n = len(list((ROOT / "corpora").glob("*.txt")))
    assert f"{n} documents stored, 0 skipped, 0 failed" in text
    # tasks per agency, deadlines by month, the lead-support network, the citation graph
    assert len(outputs(nb, "image/png")) == 4
    assert "Sở Y tế" in text and "lead→support links" in text and "busiest months:" in text
