"""The PDF reader's two character engines (pypdfium2, pdfplumber) give the same document.

``DIRECTIVES_PDF_ENGINE`` picks the engine; the pdfium path rebuilds pdfplumber's char
dicts from PDFium's text API, so the reader's output must be identical, block for block,
on every PDF we have: the committed corpora and fixtures always, the shared dev set and
real corpus when that folder is present.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.model import DirectiveError
from pipeline.read import pdf as P

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "tests" / "fixtures" / "pdf"
SHARED = ROOT.parent / "shared"

LOCAL = sorted((ROOT / "corpora").glob("*.pdf")) + sorted(FIX.glob("*.pdf"))
REMOTE = sorted((SHARED / "eval" / "dev").glob("*.pdf")) + sorted((SHARED / "corpus" / "real").glob("*.pdf"))


def _snapshot(path: Path) -> object:
    """What a user of the reader sees: the text and every block (zone, page, kind, text,
    style, table rows); or the refusal."""
    try:
        doc = P.read_pdf(path, ocr=False)
    except DirectiveError as e:
        return ("error", e.reason)
    blocks = [(b.zone, b.page, b.kind, b.raw, b.bold, b.italic, b.centered,
               [[c.raw for c in row] for row in b.rows]) for b in doc.blocks]
    return doc.text, blocks, doc.pages, [(w.code, w.message) for w in doc.warnings]


def _read_both(path: Path, monkeypatch) -> tuple[object, object, dict]:
    seen = {"fallback_pages": 0, "pdfium_docs": 0}
    real_load_page = P._load_page
    real_pdfium = P._load_pages_pdfium

    def load_page(page, number):
        seen["fallback_pages"] += 1
        return real_load_page(page, number)

    def load_pdfium(pdf, p):
        out = real_pdfium(pdf, p)  # an exception here would silently fall back: let it count
        seen["pdfium_docs"] += 1
        return out

    monkeypatch.setenv(P.ENGINE_ENV, "pdfplumber")
    old = _snapshot(path)
    monkeypatch.setenv(P.ENGINE_ENV, "pdfium")
    monkeypatch.setattr(P, "_load_page", load_page)
    monkeypatch.setattr(P, "_load_pages_pdfium", load_pdfium)
    new = _snapshot(path)
    return old, new, seen


def _assert_same(path: Path, monkeypatch) -> None:
    old, new, seen = _read_both(path, monkeypatch)
    if isinstance(old, tuple) and old and old[0] == "error":
        assert new == old
        return
    assert new[0] == old[0], f"{path.name}: text differs between engines"
    assert new[1] == old[1], f"{path.name}: blocks differ between engines"
    assert new[2:] == old[2:]
    assert seen["pdfium_docs"] == 1, f"{path.name}: the pdfium path failed and fell back"
    assert seen["fallback_pages"] == 0, f"{path.name}: pages read by pdfplumber on the pdfium path"


@pytest.mark.parametrize("path", LOCAL, ids=lambda p: p.name)
def test_engines_identical_on_corpora_and_fixtures(path, monkeypatch):
    _assert_same(path, monkeypatch)


@pytest.mark.skipif(not REMOTE, reason="shared dev set / real corpus not present")
@pytest.mark.parametrize("path", REMOTE, ids=lambda p: p.parent.name + "/" + p.name)
def test_engines_identical_on_shared_pdfs(path, monkeypatch):
    _assert_same(path, monkeypatch)


def test_env_var_forces_pdfplumber(monkeypatch):
    def boom(*a, **k):
        raise AssertionError("the pdfium path ran")

    monkeypatch.setattr(P, "_load_pages_pdfium", boom)
    monkeypatch.setenv(P.ENGINE_ENV, "pdfplumber")
    assert P.read_pdf(FIX / "directive.pdf").text


def test_error_in_pdfium_path_falls_back_to_pdfplumber(monkeypatch):
    monkeypatch.setenv(P.ENGINE_ENV, "pdfplumber")
    want = _snapshot(FIX / "directive.pdf")

    def boom(*a, **k):
        raise RuntimeError("pdfium trouble")

    monkeypatch.setattr(P, "_pdfium_chars", boom)
    monkeypatch.setenv(P.ENGINE_ENV, "pdfium")
    assert _snapshot(FIX / "directive.pdf") == want


def test_ruled_table_gate_never_skips_a_table_page():
    """Pages the pdfium gate lets skip pdfplumber's table finder have no ruled table."""
    import pdfplumber
    import pypdfium2 as pdfium
    for path in [FIX / "directive.pdf", FIX / "table_pages.pdf", FIX / "borderless.pdf"] + sorted(
            (ROOT / "corpora").glob("*.pdf")):
        doc = pdfium.PdfDocument(str(path))
        try:
            with pdfplumber.open(str(path)) as pl:
                for i, page in enumerate(pl.pages):
                    chars = [P._to_ch(c) for c in page.chars if c.get("upright", True)]
                    if P._find_tables(page, chars, i + 1):
                        assert P._may_have_ruled_table(doc[i]), f"{path.name} p{i + 1}"
        finally:
            doc.close()
