"""Plain-text reader: a text extraction of a directive into raw blocks.

Handles the shapes text extractions come in: blank-line separated paragraphs,
one visual line a line (gazette extractions, with running heads, page numbers
and signature stamps between pages), form feeds between pages, and task tables
written as pipe lines (``| 1 | Nội dung | Sở Tài chính | ... |``).
"""
from __future__ import annotations

import codecs
import re
import statistics
from pathlib import Path

from ..clean import decode_bytes
from ..model import FURNITURE, Document
from ..patterns import LABEL_RE, is_all_caps
from . import SourceBuilder

RUNNING_HEAD_RE = re.compile(r"^\s*CÔNG\s*BÁO\s*/\s*Số\s*\d+.*$", re.I)
PAGE_NO_RE = re.compile(r"^\s*-?\s*\d{1,4}\s*-?\s*$")
STAMP_RE = re.compile(r"^\s*(Ký bởi|Cơ quan|Ngày ký|Email|Thời gian ký)\s*:", re.I)
TERMINAL = tuple(".;:!?")


def _is_pipe_line(line: str) -> bool:
    s = line.strip()
    return s.startswith("|") and s.count("|") >= 2 or s.count(" | ") >= 2


def _split_pipe(line: str) -> list[str]:
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|"):
        s = s[:-1]
    return [c.strip() for c in s.split("|")]


def _is_rule(line: str) -> bool:
    s = line.strip()
    return len(s) >= 3 and set(s) <= set("_-–—=*. ")


def read_text(path: Path) -> Document:
    """Read a .txt extraction into blocks (page breaks, furniture and pipe tables handled)."""
    text = decode_bytes(path.read_bytes(), str(path))
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return lines_to_document(lines, str(path), "txt")


def _furniture_mask(lines: list[str]) -> tuple[list[bool], list[int]]:
    """Which lines are page furniture, and the page number of each line."""
    n = len(lines)
    furn = [False] * n
    page = [1] * n
    cur = 1
    seen_head = False
    for i, line in enumerate(lines):
        if "\f" in line:
            cur += 1 if seen_head or i else 0
        if RUNNING_HEAD_RE.match(line):
            if seen_head:
                cur += 1
            seen_head = True
            furn[i] = True
            # the page number printed beside the running head
            for j in (i + 1, i - 1):
                if 0 <= j < n and PAGE_NO_RE.match(lines[j]):
                    furn[j] = True
        elif STAMP_RE.match(line):
            furn[i] = True
        page[i] = cur
    return furn, page


def lines_to_document(lines: list[str], path: str, fmt: str) -> Document:
    furn, pages = _furniture_mask(lines)
    nonblank = [len(ln.strip()) for ln in lines if len(ln.strip()) > 20]
    wide = statistics.quantiles(nonblank, n=10)[7] if len(nonblank) >= 10 else 0
    builder = SourceBuilder()
    para: list[str] = []
    para_page = 1
    table: list[list[str]] = []
    table_pages: list[int] = []

    def flush() -> None:
        nonlocal para
        if para:
            builder.add(" ".join(para), page=para_page)
            para = []

    def flush_table() -> None:
        nonlocal table, table_pages
        if table:
            builder.add_table(table, page=table_pages[0], row_pages=table_pages)
            table, table_pages = [], []

    prev_line = ""
    for i, raw in enumerate(lines):
        line = raw.replace("\f", "").strip()
        if furn[i]:
            continue
        if not line:
            flush()
            flush_table()
            prev_line = ""
            continue
        if _is_pipe_line(line):
            flush()
            cells = _split_pipe(line)
            if all(_is_rule(c) or not c for c in cells):
                continue  # a markdown separator row
            table.append(cells)
            table_pages.append(pages[i])
            continue
        flush_table()
        if _is_rule(line):
            flush()
            prev_line = ""
            continue
        if para and not _continues(prev_line, line, wide):
            flush()
        if not para:
            para_page = pages[i]
        if para and para[-1].endswith("-") and not para[-1].endswith(" -") and line[:1].islower():
            para[-1] = para[-1][:-1] + line  # hyphenated line end
        else:
            para.append(line)
        prev_line = line
    flush()
    flush_table()
    return builder.build(path, fmt)


def _continues(prev: str, line: str, wide: float) -> bool:
    """Does ``line`` continue the paragraph whose last line is ``prev``?"""
    if not prev:
        return False
    if LABEL_RE.match(line) or is_all_caps(line) or is_all_caps(prev):
        return False
    if line.startswith("(") and line.rstrip().endswith(")") and len(line) < 60:
        return False  # "(Đã ký)", "(Kèm theo ...)" captions
    if prev.endswith(TERMINAL) or prev.endswith("./."):
        # a full-width line ending in a full stop may still wrap mid-paragraph
        return bool(wide) and len(prev) >= 0.9 * wide and line[:1].islower()
    return True
