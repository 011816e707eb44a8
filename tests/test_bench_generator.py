"""The benchmark corpus generator (bench/generate.py) makes valid genre documents:
every kind extracts with the right header, tasks and owners, as text and as PDF."""
from __future__ import annotations

import importlib.util
import sys
import unicodedata
from pathlib import Path

import pytest

from pipeline import extract

ROOT = Path(__file__).resolve().parent.parent


def _load():
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


gen = _load()


def _one_of_each_kind(limit: int = 200) -> dict[str, int]:
    seen: dict[str, int] = {}
    for i in range(limit):
        d = gen.make_doc(i)
        if d.target_pages <= 3:           # keep the test fast
            seen.setdefault(d.kind, i)
    return seen


KINDS = _one_of_each_kind()


def test_every_kind_is_generated():
    assert set(KINDS) == {k for k, _, _ in gen.KINDS}


def test_deterministic():
    a, b = gen.make_doc(17), gen.make_doc(17)
    assert gen.to_text(a) == gen.to_text(b)
    assert gen.to_text(gen.make_doc(17, seed=8)) != gen.to_text(a)


def test_lengths_are_mixed():
    pages = [gen.make_doc(i).target_pages for i in range(300)]
    assert min(pages) == 1 and max(pages) >= 10
    assert sum(p <= 3 for p in pages) > sum(p >= 8 for p in pages) > 0


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_text_document_extracts(tmp_path, kind):
    doc = gen.make_doc(KINDS[kind])
    text = gen.to_text(doc)
    assert unicodedata.is_normalized("NFC", text)
    assert f"Số: {doc.number}" in text and "Nơi nhận:" in text and doc.signer in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    path = tmp_path / f"{doc.name}.txt"
    path.write_text(text, encoding="utf-8")
    got = extract(path)
    h = got.header
    assert (h.number, h.type, h.date, h.signer) == (doc.number, doc.type, doc.date.isoformat(), doc.signer)
    assert got.tasks, "no tasks"
    owned = [t for t in got.tasks if t.owners]
    assert len(owned) >= max(1, len(got.tasks) // 2), "most tasks should have owners"


def test_pdf_document_extracts(tmp_path):
    pytest.importorskip("fpdf")
    try:
        gen._font_dir()
    except SystemExit:
        pytest.skip("DejaVu Serif font not installed")
    doc = gen.make_doc(KINDS["tinh-kh"])
    path = tmp_path / f"{doc.name}.pdf"
    pages = gen.to_pdf(doc, path)
    assert pages >= 1 and path.read_bytes().startswith(b"%PDF")
    got = extract(path)
    assert got.format == "pdf" and got.pages == pages
    h = got.header
    assert (h.number, h.type, h.date, h.signer) == (doc.number, doc.type, doc.date.isoformat(), doc.signer)
    assert h.issuer == doc.issuer
    assert got.tasks and any(t.owners for t in got.tasks)
