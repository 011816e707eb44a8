"""Stage 1, read: any directive file into a Document of raw text blocks.

``read(path)`` is the front door. It picks the reader by the file's content
(PDF magic, a DOCX zip, otherwise text) and returns a ``Document`` whose
``text`` is the source text and whose ``blocks`` are paragraphs and tables in
reading order, each with page number, zone and offsets into ``text``.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from ..model import BODY, Block, DirectiveError, Document


class SourceBuilder:
    """Lays blocks end to end into one source text, recording their offsets."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.blocks: list[Block] = []

    def _put(self, s: str) -> int:
        start = self.length
        self.parts.append(s)
        self.length += len(s)
        return start

    def add(self, text: str, page: int = 1, zone: str = BODY, **style) -> Block:
        """Add a paragraph block followed by a blank line."""
        start = self._put(text)
        block = Block(raw=text, start=start, end=start + len(text), page=page, zone=zone, **style)
        self._put("\n\n")
        self.blocks.append(block)
        return block

    def add_table(self, rows: list[list[str]], page: int = 1, zone: str = BODY,
                  row_pages: list[int] | None = None) -> Block:
        """Add a table: one line a row, cells joined by " | " (newlines inside a cell become spaces)."""
        start = self.length
        out_rows: list[list[Block]] = []
        for r, row in enumerate(rows):
            rp = row_pages[r] if row_pages else page
            cells = []
            for c, cell in enumerate(row):
                if c:
                    self._put(" | ")
                cell = (cell or "").replace("\n", " ")
                cs = self._put(cell)
                cells.append(Block(raw=cell, start=cs, end=cs + len(cell), page=rp, kind="cell", zone=zone))
            self._put("\n")
            out_rows.append(cells)
        end = self.length
        raw = "".join(self.parts)[start:end]
        block = Block(raw=raw, start=start, end=end, page=page, kind="table", zone=zone, rows=out_rows)
        self._put("\n")
        self.blocks.append(block)
        return block

    def build(self, path: str, fmt: str) -> Document:
        text = "".join(self.parts)
        pages = max((b.page for b in self.blocks), default=1)
        return Document(path=path, format=fmt, text=text, pages=pages, blocks=self.blocks)


def sniff(path: Path) -> str:
    """The file's kind by content: "pdf", "docx" or "txt"."""
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK"):
        try:
            with zipfile.ZipFile(path) as z:
                if "word/document.xml" in z.namelist():
                    return "docx"
        except zipfile.BadZipFile:
            pass
        raise DirectiveError(str(path), "a zip archive that is not a Word (.docx) document")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise DirectiveError(str(path), "legacy Word .doc format is not supported; save it as .docx")
    if path.suffix.lower() == ".pdf":
        raise DirectiveError(str(path), "not a PDF file (no %PDF header): corrupt or mislabelled")
    return "txt"


def read(path: str | Path) -> Document:
    """Read a PDF, DOCX or text file into a Document of raw blocks."""
    p = Path(path)
    if not p.exists():
        raise DirectiveError(str(p), "no such file")
    if p.is_dir():
        raise DirectiveError(str(p), "is a folder, not a file")
    if p.stat().st_size == 0:
        raise DirectiveError(str(p), "empty file")
    kind = sniff(p)
    if kind == "pdf":
        from .pdf import read_pdf
        doc = read_pdf(p)
    elif kind == "docx":
        from .docx import read_docx
        doc = read_docx(p)
    else:
        from .text import read_text
        doc = read_text(p)
    if not doc.text.strip():
        raise DirectiveError(str(p), "no text found in the file")
    return doc
