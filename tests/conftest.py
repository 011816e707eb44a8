import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPORA = ROOT / "corpora"


@pytest.fixture
def extract_text(tmp_path):
    """Run the whole pipeline on a text written into a .txt file."""
    from pipeline import extract

    def run(text: str, name: str = "doc.txt"):
        p = tmp_path / name
        p.write_text(text, encoding="utf-8")
        return extract(p)
    return run


def paths(doc):
    return [s.path for s in doc.sections]
