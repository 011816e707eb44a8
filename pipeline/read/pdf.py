"""PDF reader: a born-digital PDF into raw blocks that read like a clean text.

The characters come from PDFium (pypdfium2's text API, rebuilt into the char boxes
pdfplumber would give; see "The pdfium character path" below) or from pdfplumber
(``DIRECTIVES_PDF_ENGINE=pdfplumber``, and the fallback). pdfplumber still finds the
ruled tables, parsing only pages that draw enough rules to hold one.

Lines are built from the characters, not from a text extraction,
because Word and LibreOffice PDFs of Vietnamese text place some glyphs out of
order (fallback fonts for the letters with diacritics) and fast extractors
then scramble words. Characters are grouped by vertical overlap, sorted by x,
spaced by the gaps between them, combining marks joined to their letters and
the result NFC-normalised.

On top of the lines:

- page furniture is dropped: gazette running heads ("CÔNG BÁO/Số ..."), page
  numbers, digital-signature stamps, footnotes at the page bottom (smaller
  font) and superscript footnote markers glued to words;
- the page-1 header is split into its two columns (``header-left`` then
  ``header-right``, one block a line);
- the closing is split the same way ("Nơi nhận:" and its lines in
  ``closing-left``, the signature block in ``closing-right``);
- body lines are joined back into paragraphs by geometry (first-line indent,
  ragged line end, vertical gap, style change) and labels ("1.", "a)", "-",
  "Điều 3.") that start a new unit; a paragraph crossing a page break is one
  block;
- ruled tables become table blocks (pdfplumber's table finder on the ruling
  lines, cell shading ignored), cells built from their own characters,
  vertically merged cells repeated on each row they span; a table continued on
  the next page is merged, its repeated header rows dropped and a row split by
  the page break joined;
- tables drawn without rules (a "STT"/"TT" header, columns kept apart by white
  space only) are found from the white gutters between columns;
- a landscape page printed turned on a portrait page is read in its own
  direction;
- a body line holding both header columns of an attached document ("THỦ TƯỚNG
  CHÍNH PHỦ  CỘNG HÒA XÃ HỘI ...") is split in two.

Bad input raises ``DirectiveError`` with the reason (encrypted, corrupt, no
pages, no text layer). A PDF with no text layer at all is handed to the OCR
reader (``pipeline.read.ocr.read_scanned``) when it is installed; pages
without a text layer in an otherwise readable PDF are skipped with an
``ocr-needed`` warning (``page_has_text_layer`` tells them apart).

The OCR reader builds on this module's layout logic: ``Ch``, ``PageData``,
``State``, ``TableData``, ``_page_items``, ``_emit`` and ``_closing_order``
keep their signatures.
"""
from __future__ import annotations

import bisect
import re
import statistics
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable, Optional

from ..model import (BODY, CLOSING_LEFT, CLOSING_RIGHT, HEADER_LEFT, HEADER_RIGHT,
                     DirectiveError, Document)
from . import SourceBuilder

# ---------------------------------------------------------------------------
# Characters and lines
# ---------------------------------------------------------------------------

# Spacing accents some producers emit as separate glyphs, as combining marks.
SPACING_ACCENTS = {
    "\u00b4": "\u0301", "\u02ca": "\u0301", "`": "\u0300", "\u02cb": "\u0300",
    "\u02dc": "\u0303", "~": "\u0303", "\u02c6": "\u0302", "^": "\u0302",
    "\u02c0": "\u0309", "\u02c9": "\u0304",
}


@dataclass(slots=True)
class Ch:
    """One glyph: its box (PDF points, top-down), font size, text and style."""

    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    text: str
    bold: bool
    italic: bool

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class Line:
    """A run of glyphs on one baseline, left to right, as text."""

    chars: list[Ch]
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    italic: bool
    page: int = 1
    markers: list[str] = field(default_factory=list)  # footnote markers dropped
    spaces: list[Ch] = field(default_factory=list)    # space glyphs of the row

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def glyphs(self) -> list[Ch]:
        """All glyphs of the line, space glyphs included (to rebuild it elsewhere)."""
        return self.chars + self.spaces


def _is_bold(font: str) -> bool:
    f = font.lower()
    return any(k in f for k in ("bold", "black", "heavy", "semibold", "demi"))


def _is_italic(font: str) -> bool:
    f = font.lower()
    return "italic" in f or "oblique" in f


def _to_ch(c: dict) -> Ch:
    """A pdfplumber char dict as a Ch."""
    font = c.get("fontname") or ""
    return Ch(float(c["x0"]), float(c["x1"]), float(c["top"]), float(c["bottom"]),
              float(c.get("size") or 0.0), c.get("text") or "", _is_bold(font), _is_italic(font))


def _is_mark(text: str) -> bool:
    return len(text) == 1 and unicodedata.category(text) in ("Mn", "Me")


def _group_rows(chars: list[Ch]) -> list[list[Ch]]:
    """Chars grouped into rows by vertical overlap (superscripts join their row)."""
    rows: list[tuple[float, float, float, list[Ch]]] = []  # (top, bottom, size, chars)
    for c in sorted(chars, key=lambda c: (c.top, c.x0)):
        h = max(c.bottom - c.top, 0.1)
        best, best_ov = -1, 0.0
        for i in range(len(rows) - 1, max(-1, len(rows) - 5), -1):
            t, b, s, _ = rows[i]
            ov = min(b, c.bottom) - max(t, c.top)
            ratio = ov / min(h, max(b - t, 0.1))
            if ratio >= 0.5 and ratio > best_ov:
                best, best_ov = i, ratio
        if best < 0:
            rows.append((c.top, c.bottom, c.size, [c]))
            continue
        t, b, s, cs = rows[best]
        cs.append(c)
        if c.size > s + 0.5:  # the biggest glyph defines the row band
            rows[best] = (c.top, c.bottom, c.size, cs)
    rows.sort(key=lambda r: r[0])
    return [r[3] for r in rows]


def _dominant_size(chars: Iterable[Ch]) -> float:
    """The font size carried by most glyphs."""
    counts: dict[float, int] = {}
    for c in chars:
        k = round(c.size, 1)
        counts[k] = counts.get(k, 0) + 1
    return max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0] if counts else 0.0


def _split_superscripts(cs: list[Ch], size: float) -> tuple[list[Ch], list[Ch]]:
    """Separate raised small glyphs (footnote markers) from the row's glyphs."""
    normal = [c for c in cs if c.size >= size * 0.8]
    if not normal:
        return cs, []
    base = statistics.median(c.bottom for c in normal)
    keep, sup = [], []
    for c in cs:
        if c.size < size * 0.8 and c.bottom < base - size * 0.15:
            sup.append(c)
        else:
            keep.append(c)
    return keep, sup


def _marker_runs(cs: list[Ch], sups: list[Ch]) -> tuple[list[Ch], list[str]]:
    """Drop superscript digit runs (footnote markers); keep unit exponents like m2."""
    if not sups:
        return cs, []
    out = sorted(cs, key=lambda c: c.x0)
    markers: list[str] = []
    for s in sorted(sups, key=lambda c: c.x0):
        prev = [c for c in out if c.x1 <= s.x0 + 0.5]
        before = "".join(c.text for c in prev[-3:])
        if s.text in "23" and re.search(r"(?:^|[^A-Za-zÀ-ỹ])k?m$|^m$", before):
            out.append(s)  # m², km³
        elif s.text.isdigit() or s.text in "*,)(":
            markers.append(s.text)
        else:
            out.append(s)
    return out, markers


def _attach_marks(cs: list[Ch]) -> list[Ch]:
    """Combining marks and overlapping spacing accents merged into their base letter (the
    glyphs themselves are left untouched: lines may be rebuilt from them)."""
    if not any(_is_mark(c.text) or c.text in SPACING_ACCENTS for c in cs):
        return cs
    bases = [c for c in cs if not _is_mark(c.text)]
    extra: dict[int, str] = {}
    for m in cs:
        is_spacing = m.text in SPACING_ACCENTS
        if not _is_mark(m.text) and not is_spacing:
            continue
        best, best_ov = None, 0.0
        for b in bases:
            if b is m or not b.text.isalpha():
                continue
            ov = min(b.x1, m.x1) - max(b.x0, m.x0)
            if ov > best_ov:
                best, best_ov = b, ov
        if best is not None and (not is_spacing or best_ov >= 0.5 * max(m.x1 - m.x0, 0.1)):
            extra[id(best)] = extra.get(id(best), "") + SPACING_ACCENTS.get(m.text, m.text)
            if is_spacing:
                bases.remove(m)
        # a combining mark with no letter under it is dropped
    return [replace(c, text=c.text + extra[id(c)]) if id(c) in extra else c for c in bases]


def _row_text(cs: list[Ch], spaces: Optional[list[tuple[float, float]]] = None) -> str:
    """Glyphs left to right, a space wherever the gap looks like a word break or the
    producer drew a space glyph between two glyphs (``spaces``: (x0, x1), sorted)."""
    parts: list[str] = []
    prev: Optional[Ch] = None
    sp = spaces or []
    k = 0
    for c in cs:
        if prev is not None:
            gap = c.x0 - prev.x1
            while k < len(sp) and (sp[k][0] + sp[k][1]) / 2 < prev.cx:
                k += 1
            glyph_between = False
            j = k
            while j < len(sp) and (sp[j][0] + sp[j][1]) / 2 <= c.cx:
                a, b = sp[j]
                covered = max(0.0, min(b, prev.x1) - max(a, prev.x0)) + max(0.0, min(b, c.x1) - max(a, c.x0))
                if covered < 0.5 * max(b - a, 0.1):
                    glyph_between = True
                    break
                j += 1
            if glyph_between or gap > 0.17 * max(min(c.size, prev.size), 1.0):
                parts.append(" ")
        parts.append(c.text)
        prev = c
    text = unicodedata.normalize("NFC", "".join(parts))
    return re.sub(r"\s+", " ", text).strip()


def _make_line(cs: list[Ch], page: int) -> Optional[Line]:
    """A Line from one row of glyphs, footnote markers and whitespace glyphs removed."""
    space_glyphs = [c for c in cs if c.text.isspace() and c.size >= 2.5]
    spaces = sorted((c.x0, c.x1) for c in space_glyphs)
    cs = [c for c in cs if c.text and not c.text.isspace()]
    if not cs:
        return None
    size = _dominant_size(cs)
    keep, sups = _split_superscripts(cs, size)
    keep, markers = _marker_runs(keep, sups)
    keep = _attach_marks(sorted(keep, key=lambda c: c.x0))
    if not keep:
        return None
    text = _row_text(keep, spaces)
    if not text:
        return None
    letters = [c for c in keep if c.text[:1].isalnum()] or keep
    bold = sum(c.bold for c in letters) > 0.6 * len(letters)
    italic = sum(c.italic for c in letters) > 0.6 * len(letters)
    return Line(keep, text, min(c.x0 for c in keep), max(c.x1 for c in keep),
                min(c.top for c in keep), max(c.bottom for c in keep), size, bold, italic,
                page, markers, space_glyphs)


def build_lines(chars: list[Ch], page: int = 1) -> list[Line]:
    """Glyphs into lines, top to bottom."""
    out = []
    for row in _group_rows(chars):
        line = _make_line(row, page)
        if line is not None:
            out.append(line)
    return out


def split_fragments(line: Line, factor: float = 2.0) -> list[Line]:
    """A line cut where the gap between glyphs exceeds ``factor`` x font size (columns)."""
    cs = line.chars
    groups: list[list[Ch]] = [[cs[0]]]
    for a, b in zip(cs, cs[1:]):
        if b.x0 - a.x1 > factor * max(line.size, 1.0):
            groups.append([b])
        else:
            groups[-1].append(b)
    if len(groups) == 1:
        return [line]
    for sp in line.spaces:
        for g in groups:
            if g[0].x0 <= sp.cx <= g[-1].x1:
                g.append(sp)
                break
    out = []
    for g in groups:
        frag = _make_line(g, line.page)
        if frag is not None:
            out.append(frag)
    return out


# ---------------------------------------------------------------------------
# Text layer check
# ---------------------------------------------------------------------------

def _garbage(text: str) -> bool:
    """A glyph text that carries no readable letter (private use, replacement, cid)."""
    if text.startswith("(cid:"):
        return True
    return any(unicodedata.category(ch) in ("Co", "Cc", "Cs", "Cn") or ch == "\ufffd" for ch in text)


def text_layer_ok(chars: list[dict]) -> bool:
    """True when the glyphs make a readable text layer (enough, mostly real characters)."""
    visible = [c.get("text") or "" for c in chars]
    visible = [t for t in visible if t.strip()]
    if len(visible) < 10:
        return False
    bad = sum(1 for t in visible if _garbage(t))
    return bad <= 0.2 * len(visible)


def page_has_text_layer(page) -> bool:
    """True when a pdfplumber page has a usable text layer (else an OCR stage should read it)."""
    return text_layer_ok(page.chars)


# ---------------------------------------------------------------------------
# Patterns of the genre
# ---------------------------------------------------------------------------

RUNNING_HEAD = re.compile(r"^\s*(?:\d{1,4}\s+)?C[ÔO]NG\s*B[ÁA]O\b", re.I)
PAGE_NUMBER = re.compile(r"^[-–—\s]*(?:Trang\s*)?\d{1,4}(?:\s*/\s*\d{1,4})?[-–—\s]*$")
STAMP = re.compile(r"^(?:Ký bởi|Cơ quan|Ngày ký|Thời gian ký|Người ký|Email|Tổ chức)\s*:", re.I)
RULE = re.compile(r"^[\s_\-–—=.·…*]+$")
DATE_LINE = re.compile(r"ngày\s*[\d.…]*\s*tháng\s*[\d.…]*", re.I)
NUMBER_LINE = re.compile(r"^(?:Số|S[ốô])\s*[:.]", re.I)
URGENCY = re.compile(r"^(?:HỎA TỐC|HOẢ TỐC|THƯỢNG KHẨN|KHẨN|MẬT|TỐI MẬT|TUYỆT MẬT)\b")
NOI_NHAN = re.compile(r"^N[ơo]i\s+nh[ậa]n\s*:?", re.I)
KINH_GUI = re.compile(r"^Kính\s+gửi", re.I)
AUTHORITY = re.compile(r"^(?:TM|KT|TL|TUQ|Q|T/M|K/T|T/L|Q\.)\s*[.:]?\s+\S")
SIGNER_POSITION = re.compile(
    r"^(?:PHÓ\s+)?(?:THỦ TƯỚNG|CHỦ TỊCH|BỘ TRƯỞNG|THỨ TRƯỞNG|GIÁM ĐỐC|CHÁNH VĂN PHÒNG|"
    r"BÍ THƯ|TỔNG GIÁM ĐỐC|TRƯỞNG BAN|CHÁNH ÁN|VIỆN TRƯỞNG|TỔNG KIỂM TOÁN|THỐNG ĐỐC|"
    r"CHỦ NHIỆM|TRƯỞNG|TỔNG CỤC TRƯỞNG|CỤC TRƯỞNG)\b")
LABEL = re.compile(
    r"^(?:"
    r"[IVXLC]{1,6}[.)]\s"                  # I. II.
    r"|\d{1,3}(?:\.\d{1,3})*[.)]\s"        # 1.  1.2.  3)
    r"|\d{1,3}(?:\.\d{1,3})+\s"            # 1.2 (no final dot)
    r"|[a-zđ][)]\s"                        # a) đ)
    r"|[-–—+•·*]\s*\S"                     # - + bullets
    r"|Điều\s+\d+"                         # Điều 3.
    r"|(?:Chương|Mục|Phần|PHẦN|CHƯƠNG|MỤC)\s+[\dIVXLC]+"
    r"|PHỤ LỤC|Phụ lục\s"
    r")")


def _letters(text: str) -> str:
    return "".join(ch for ch in text if ch.isalpha())


def _all_caps(text: str) -> bool:
    lt = _letters(text)
    return len(lt) >= 2 and lt == lt.upper()


# ---------------------------------------------------------------------------
# Page furniture
# ---------------------------------------------------------------------------

def _page_number_place(ln: Line, width: float) -> bool:
    """A page number sits at the centre or at an outer edge, and is not a year."""
    digits = re.findall(r"\d+", ln.text)
    if not digits or (len(digits[0]) == 4 and 1900 <= int(digits[0]) <= 2100):
        return False
    mid = (ln.x0 + ln.x1) / 2
    return abs(mid - width / 2) < 0.08 * width or ln.x1 > 0.8 * width or ln.x0 < 0.15 * width


def _furniture(lines: list[Line], height: float, body_size: float, width: float = 595.0) -> set[int]:
    """Indexes of lines that are page furniture (running head, page number, stamp, footnotes)."""
    drop: set[int] = set()
    for i, ln in enumerate(lines):
        t = ln.text
        in_margin = ln.top < 0.12 * height or ln.bottom > 0.9 * height
        if RUNNING_HEAD.match(t) and ln.top < 0.2 * height:
            drop.add(i)
        elif PAGE_NUMBER.match(t) and in_margin and _page_number_place(ln, width):
            drop.add(i)
        elif STAMP.match(t) and (in_margin or ln.size < 0.85 * body_size):
            drop.add(i)
    # Footnotes: the run of smaller-font lines at the bottom of the page.
    rest = [i for i in range(len(lines)) if i not in drop]
    run: list[int] = []
    for i in reversed(rest):
        ln = lines[i]
        if body_size and ln.size <= 0.85 * body_size and ln.top > 0.45 * height:
            run.append(i)
        else:
            break
    if run and len(run) < len(rest):
        first = lines[run[-1]]
        above = lines[rest[len(rest) - len(run) - 1]]
        starts_note = bool(re.match(r"^\s*(?:\d{1,3}|\*)\s*\S", first.text)) or bool(first.markers)
        closing = any(NOI_NHAN.match(lines[i].text) or AUTHORITY.match(lines[i].text) for i in run)
        if starts_note and not closing and first.top > above.bottom:
            drop.update(run)
    return drop


# ---------------------------------------------------------------------------
# Columns (header and closing)
# ---------------------------------------------------------------------------

def _gutter(chars: list[Ch], lo: float, hi: float, share: float = 0.1) -> Optional[float]:
    """The middle of the widest x-range in [lo, hi] that no glyph covers and that has at
    least ``share`` of the glyphs (and three) on each side (a column gutter), or None."""
    glyphs = [c for c in chars if not c.text.isspace()]
    spans = sorted((max(c.x0, lo), min(c.x1, hi)) for c in glyphs if c.x1 > lo and c.x0 < hi)
    gaps: list[tuple[float, float]] = []
    cur = lo
    for a, b in spans:
        if a - cur >= 4.0:
            gaps.append((cur, a))
        cur = max(cur, b)
    if hi - cur >= 4.0:
        gaps.append((cur, hi))
    need = max(3.0, share * len(glyphs))
    best, best_w = None, 0.0
    for a, b in gaps:
        mid = (a + b) / 2
        left = sum(1 for c in glyphs if c.cx < mid)
        if left < need or len(glyphs) - left < need:
            continue
        if b - a > best_w:
            best, best_w = mid, b - a
    return best


# ---------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------

@dataclass
class TableData:
    """A table found on one page: rows of cell strings and its box."""

    rows: list[list[str]]
    row_pages: list[int]
    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    colx: list[float]


def _cell_text(chars: list[Ch], page: int) -> str:
    """A table cell's glyphs as one line of text (wrapped lines joined)."""
    text = ""
    for ln in build_lines(chars, page):
        text = _join(text, ln.text)
    return text


def _table_grid(table, chars: list[Ch], page: int) -> Optional[TableData]:
    """A pdfplumber table as rows of strings; vertically merged cells repeated on each row."""
    cells = [tuple(map(float, c)) for c in table.cells]
    if len(cells) < 2:
        return None
    xs = sorted({round(c[0], 0) for c in cells} | {round(c[2], 0) for c in cells})
    ys = sorted({round(c[1], 0) for c in cells} | {round(c[3], 0) for c in cells})
    xs = _dedupe(xs, 2.0)
    ys = _dedupe(ys, 2.0)
    ncol, nrow = len(xs) - 1, len(ys) - 1
    if ncol < 2 or nrow < 1:
        return None
    grid = [["" for _ in range(ncol)] for _ in range(nrow)]
    owner: dict[tuple[int, int], int] = {}  # grid slot -> the cell covering it
    spans = []
    for k, c in enumerate(cells):
        c0, c1 = _index(xs, c[0]), _index(xs, c[2])
        r0, r1 = _index(ys, c[1]), _index(ys, c[3])
        spans.append((r0, r1, c0, c1))
        for r in range(r0, r1):
            for j in range(c0, c1):
                owner.setdefault((r, j), k)
    buckets: list[list[Ch]] = [[] for _ in cells]
    for ch in chars:
        r = bisect.bisect_right(ys, ch.cy) - 1
        j = bisect.bisect_right(xs, ch.cx) - 1
        k = owner.get((min(max(r, 0), nrow - 1), min(max(j, 0), ncol - 1)))
        if k is not None:
            buckets[k].append(ch)
    for k, (r0, r1, c0, c1) in enumerate(spans):
        if c1 <= c0 or r1 <= r0:
            continue
        text = _cell_text(buckets[k], page)
        for r in range(r0, r1):
            grid[r][c0] = text
    keep = [j for j in range(ncol) if any(row[j] for row in grid)]
    if len(keep) < 2:
        return None
    rows = [[row[j] for j in keep] for row in grid if any(row)]
    if not rows:
        return None
    x0, top, x1, bottom = map(float, table.bbox)
    colx = [xs[j] for j in keep]
    return TableData(rows, [page] * len(rows), page, top, bottom, x0, x1, colx)


def _dedupe(vals: list[float], tol: float) -> list[float]:
    out: list[float] = []
    for v in vals:
        if not out or v - out[-1] > tol:
            out.append(v)
    return out


def _index(bounds: list[float], v: float) -> int:
    """Index of the boundary nearest to v."""
    return min(range(len(bounds)), key=lambda i: abs(bounds[i] - v))


TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines",
                  "snap_tolerance": 3, "join_tolerance": 3, "intersection_tolerance": 3}


def _is_rule_object(obj: dict) -> bool:
    """False for filled, unstroked boxes (cell shading, backgrounds): they are not rules."""
    if obj.get("object_type") != "rect":
        return True
    thin = min(float(obj.get("width") or 0), float(obj.get("height") or 0)) <= 2.5
    return thin or bool(obj.get("stroke"))


@dataclass
class _Grid:
    """A found table's cells and box, possibly moved into a rotated page's frame."""

    cells: list[tuple]
    bbox: tuple


def _find_tables(page, chars: list[Ch], pageno: int,
                 turn=None) -> list[tuple[TableData, tuple]]:
    """Ruled tables of a page with their boxes (skipping layout tables of the header/closing).
    ``turn`` maps a box of the page into the frame of ``chars`` (rotated pages)."""
    if len(page.rects) + len(page.lines) + len(page.curves) < 4:
        return []
    out = []
    ruled = page.filter(_is_rule_object)
    for found in ruled.find_tables(TABLE_SETTINGS):
        t = _Grid([tuple(map(float, c)) for c in found.cells], tuple(map(float, found.bbox)))
        if turn is not None:
            t = _Grid([turn(c) for c in t.cells], turn(t.bbox))
        x0, top, x1, bottom = t.bbox
        inside = [c for c in chars if x0 - 1 <= c.cx <= x1 + 1 and top - 1 <= c.cy <= bottom + 1]
        if not inside:
            continue
        data = _table_grid(t, inside, pageno)
        if data is None:
            continue
        flat = " ".join(" ".join(r) for r in data.rows)
        if re.search(r"CỘNG HÒA XÃ HỘI|CỘNG HOÀ XÃ HỘI|Nơi nhận|Độc lập\s*-\s*Tự do", flat):
            continue  # a layout table of the header or closing, read as columns
        out.append((data, (x0, top, x1, bottom)))
    return out


def _norm_row(row: list[str]) -> str:
    return "|".join(re.sub(r"\s+", " ", c).strip().lower() for c in row)


def _numbering_row(row: list[str]) -> bool:
    """A row of column numbers ("1 | 2 | 3" or "(1) | (2)")."""
    cells = [c.strip() for c in row if c.strip()]
    return len(cells) >= 2 and all(re.fullmatch(r"\(?\d{1,2}\)?", c) for c in cells)


def _merge_tables(a: TableData, b: TableData) -> bool:
    """Append ``b`` (continued on the next page) to ``a``; False when they do not fit."""
    if len(a.rows[0]) != len(b.rows[0]):
        return False
    rows, pages = list(b.rows), list(b.row_pages)
    head = {_norm_row(r) for r in a.rows[:3]}
    while rows and (_norm_row(rows[0]) in head or _numbering_row(rows[0])):
        rows.pop(0)
        pages.pop(0)
    if rows and not rows[0][0].strip() and a.rows and a.rows[-1][0].strip():
        last = a.rows[-1]
        first = rows.pop(0)
        pages.pop(0)
        a.rows[-1] = [_join(x, y) if y and y != x else x for x, y in zip(last, first)]
    a.rows.extend(rows)
    a.row_pages.extend(pages)
    a.bottom = b.bottom
    return True


# ---------------------------------------------------------------------------
# Paragraph assembly
# ---------------------------------------------------------------------------

def _join(text: str, more: str) -> str:
    """Two wrapped pieces joined: no space after a glued hyphen or slash, else one space."""
    if not text:
        return more
    if not more:
        return text
    if text.endswith("\u00ad"):
        return text[:-1] + more
    if re.search(r"\S[-/]$", text) and not re.search(r"\s[-–]$", text):
        return text + more
    return text + " " + more


@dataclass
class PageGeom:
    """Text area of a page: left and right margins of body lines, typical line pitch."""

    left: float
    right: float
    pitch: float
    indent: Optional[float] = None  # x where first lines of paragraphs start, if common

    @property
    def center(self) -> float:
        return (self.left + self.right) / 2


def _geometry(lines: list[Line], width: float, fallback: Optional[PageGeom],
              tables: Optional[list[tuple[float, float]]] = None) -> PageGeom:
    """Margins from the page's wide lines; on a page of tables, from the tables' width;
    else those of the previous page (``fallback``)."""
    wide = [ln for ln in lines if ln.width > 0.5 * width]
    if len(wide) < 3:
        spans = [t for t in tables or [] if t[1] - t[0] > 0.5 * width]
        if spans:
            pitch = fallback.pitch if fallback is not None else 20.0
            return PageGeom(min(a for a, _ in spans), max(b for _, b in spans), pitch)
        if fallback is not None:
            return fallback
        wide = lines or []
    if not wide:
        return PageGeom(0.12 * width, 0.88 * width, 20.0)
    xs0 = sorted(ln.x0 for ln in wide)
    xs1 = sorted(ln.x1 for ln in wide)
    left = xs0[len(xs0) // 10]
    right = xs1[(len(xs1) * 9) // 10]
    gaps = [b.top - a.top for a, b in zip(lines, lines[1:])
            if 0 < b.top - a.top < 3 * a.size and a.width > 0.5 * width and b.width > 0.5 * width]
    if gaps:
        pitch = statistics.median(gaps)
    else:
        pitch = fallback.pitch if fallback is not None else 1.4 * (wide[0].size or 14)
    starts: dict[int, int] = {}
    for ln in wide:
        if left + 5 < ln.x0 < left + 80:
            starts[round(ln.x0)] = starts.get(round(ln.x0), 0) + 1
    indent = float(max(starts.items(), key=lambda kv: kv[1])[0]) if starts else None
    return PageGeom(left, right, pitch, indent)


def _centered(ln: Line, g: PageGeom) -> bool:
    lgap, rgap = ln.x0 - g.left, g.right - ln.x1
    if g.indent is not None and abs(ln.x0 - g.indent) < 2.5 and abs(lgap - rgap) > 3:
        return False  # the first line of an indented paragraph
    return (abs(lgap - rgap) < max(0.035 * (g.right - g.left), 1.2 * ln.size)
            and lgap > 0.5 * ln.size and rgap > 0.5 * ln.size)


def _symmetric(ln: Line, g: PageGeom) -> bool:
    """As much room on the left of the line as on its right (centred, or filling the measure)."""
    lgap, rgap = ln.x0 - g.left, g.right - ln.x1
    return abs(lgap - rgap) < max(0.035 * (g.right - g.left), 1.2 * ln.size)


def _starts_new(prev: Line, ln: Line, gp: PageGeom, g: PageGeom) -> bool:
    """Whether ``ln`` starts a new paragraph after ``prev`` (gp, g: their pages' geometry)."""
    size = max(ln.size, 1.0)
    if LABEL.match(ln.text):
        return True
    if abs(prev.size - ln.size) > 1.5:
        return True
    pc, lc = _centered(prev, gp), _centered(ln, g)
    if _all_caps(prev.text) and not _all_caps(ln.text):
        return True
    if pc and lc and _all_caps(ln.text) and not _all_caps(prev.text):
        return True  # "Phụ lục II" over a title in capitals
    if prev.page == ln.page:
        gap = ln.top - prev.top
        if gap > g.pitch + 0.45 * size:
            return True
    if pc and lc:
        return False
    if (pc or lc) and prev.bold == ln.bold and _symmetric(prev, gp) and _symmetric(ln, g):
        return False  # a centred title with a line as wide as the measure
    if prev.page == ln.page and abs((prev.x0 + prev.x1) - (ln.x0 + ln.x1)) < 1.2 * size \
            and prev.bold == ln.bold and prev.italic == ln.italic \
            and max(prev.width, ln.width) < 0.9 * (g.right - g.left):
        return False  # short lines on one axis: a centred block, wrapped
    if lc and not pc and prev.bold == ln.bold and prev.x1 >= gp.right - 1.5 * size \
            and prev.x0 <= gp.left + 2 * size and _all_caps(prev.text) == _all_caps(ln.text):
        return False  # a centred paragraph whose first line filled the measure
    if lc != pc:
        return True
    if ln.x0 > g.left + 0.8 * size and ln.x0 > prev.x0 + 0.8 * size:
        return True  # first-line indent
    if prev.x1 + 0.3 * size + _first_word_width(ln) < gp.right - 1:
        return True  # the previous line ended where the next word would have fitted
    return False


def _first_word_width(ln: Line) -> float:
    """Width of the line's first word (up to the first gap that reads as a space)."""
    cs = sorted(ln.chars, key=lambda c: c.x0)
    if not cs:
        return 0.0
    end = cs[0].x1
    for a, b in zip(cs, cs[1:]):
        if b.x0 - a.x1 > 0.17 * max(ln.size, 1.0):
            break
        end = max(end, b.x1)
    return end - cs[0].x0


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------

@dataclass
class Item:
    """One thing to emit, in reading order."""

    kind: str                 # "line" (body), "block" (ready text), "table"
    page: int
    top: float
    line: Optional[Line] = None
    text: str = ""
    zone: str = BODY
    bold: bool = False
    italic: bool = False
    centered: bool = False
    table: Optional[TableData] = None
    geom: Optional[PageGeom] = None


def _open(path: Path):
    """pdfplumber.open with the failures named."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    try:
        pdf = pdfplumber.open(str(path))
        n = len(pdf.pages)
    except (PDFPasswordIncorrect, PDFEncryptionError) as e:
        raise DirectiveError(str(path), "encrypted PDF (password protected)") from e
    except Exception as e:  # pdfminer raises many kinds on broken files
        cause = e.__cause__ or e.__context__ or e
        if _encrypted_error(e) or _encrypted_error(cause):
            raise DirectiveError(str(path), "encrypted PDF (password protected)") from e
        raise DirectiveError(str(path), f"corrupt PDF: {_describe(e)}") from e
    if n == 0:
        pdf.close()
        raise DirectiveError(str(path), "PDF has no pages")
    return pdf


def _encrypted_error(e: BaseException) -> bool:
    name = type(e).__name__
    return "Password" in name or "Encryption" in name or "encrypt" in str(e).lower() or "password" in str(e).lower()


def _describe(e: BaseException) -> str:
    msg = str(e).strip() or type(e).__name__
    if len(msg) > 160:
        msg = msg[:160] + "..."
    return msg


NO_TEXT = "no text layer, OCR needed (scanned or image-only PDF)"


def read_pdf(path: Path, ocr: bool = True) -> Document:
    """Read a born-digital PDF into a Document of raw blocks (see module doc). A PDF with
    no text layer at all goes to the OCR reader (``pipeline.read.ocr``) when ``ocr`` is
    true and that reader is present; otherwise it raises DirectiveError (OCR needed)."""
    path = Path(path)
    pdf = _open(path)
    try:
        try:
            return _read(pdf, path)
        except DirectiveError as e:
            if e.reason == NO_TEXT and ocr:
                scanned = _ocr_reader()
                if scanned is not None:
                    pdf.close()
                    return scanned(path)
            raise
        except Exception as e:
            if _encrypted_error(e):
                raise DirectiveError(str(path), "encrypted PDF (password protected)") from e
            if type(e).__module__.split(".")[0] in ("pdfminer", "pdfplumber"):
                raise DirectiveError(str(path), f"corrupt PDF: {_describe(e)}") from e
            raise DirectiveError(str(path), f"could not read PDF: {type(e).__name__}: {_describe(e)}") from e
    finally:
        pdf.close()


def _ocr_reader():
    """The OCR stage's ``read_scanned``, or None when it is not part of this install."""
    try:
        from .ocr import read_scanned
    except ImportError:
        return None
    return read_scanned


@dataclass
class PageData:
    number: int
    width: float
    height: float
    chars: list[Ch]
    tables: list[tuple[TableData, tuple]]
    ok: bool


def _usable(c: dict) -> bool:
    t = c.get("text") or ""
    return bool(t) and not _garbage(t)


def _load_page(page, number: int) -> PageData:
    """One page's glyphs (visible; a page of text turned 90 degrees is turned back) and
    its ruled tables."""
    return _page_from_chars(page, page.chars, float(page.width), float(page.height), number)


def _page_from_chars(page, raw: list[dict], w: float, h: float, number: int,
                     ruled: bool = True) -> PageData:
    """A PageData from char dicts (pdfplumber's, or the pdfium path's in the same shape);
    ``page`` is the pdfplumber page tables are found on (opened only when ``ruled``)."""
    ok = text_layer_ok(raw)
    if not ok:
        return PageData(number, w, h, [], [], ok)
    turned = [c for c in raw if not c.get("upright", True) and _usable(c)]
    if len(turned) > 0.6 * sum(1 for c in raw if (c.get("text") or "").strip()):
        return _load_turned(page, number, turned, w, h, ruled)
    chars = [_to_ch(c) for c in raw
             if c.get("upright", True) and _usable(c) and (c.get("size") or 0) >= 2.5]
    tables = _find_tables(page, chars, number) if chars and ruled else []
    return PageData(number, w, h, chars, tables, ok)


def _load_turned(page, number: int, raw: list[dict], w: Optional[float] = None,
                 h: Optional[float] = None, ruled: bool = True) -> PageData:
    """A landscape page printed turned on a portrait page: glyphs and tables in the frame
    where its text reads left to right (upright glyphs there, running heads, are dropped)."""
    w = float(page.width) if w is None else w
    h = float(page.height) if h is None else h
    up = sum(1 for c in raw if (c.get("matrix") or (0, 1))[1] > 0)  # text reading upwards
    ccw = up * 2 >= len(raw)

    def turn(box: tuple) -> tuple:
        x0, top, x1, bottom = box
        return (h - bottom, x0, h - top, x1) if ccw else (top, w - x1, bottom, w - x0)

    chars = []
    for c in raw:
        m = c.get("matrix") or (1, 0, 0, 1, 0, 0)
        size = float(c["x1"]) - float(c["x0"])  # the glyph box across the turned baseline
        if size < 2.5 or (m[1] > 0) != ccw:
            continue
        x0, top, x1, bottom = turn((float(c["x0"]), float(c["top"]), float(c["x1"]), float(c["bottom"])))
        font = c.get("fontname") or ""
        chars.append(Ch(x0, x1, top, bottom, size, c.get("text") or "", _is_bold(font), _is_italic(font)))
    tables = _find_tables(page, chars, number, turn) if chars and ruled else []
    return PageData(number, h, w, chars, tables, True)


# ---------------------------------------------------------------------------
# The pdfium character path
# ---------------------------------------------------------------------------
#
# pdfplumber builds ``page.chars`` by running pdfminer's layout machinery over every
# content stream: most of the reader's time. PDFium reads the same glyphs much faster.
# Each glyph is turned into the char dict pdfplumber would have given (same text, same
# box: origin + advance width across, font descent + font size up; same size, font
# name, upright flag and matrix), so the rest of the reader is unchanged. pdfplumber
# (pdfminer) is still opened for what it is needed for: the fonts' descents (its box
# bottoms use the font descriptor's /Descent, PDFium substitutes its own when that is
# 0), and ruled tables, parsed only on pages that draw enough rules to hold one
# (``_may_have_ruled_table``) and then without their text. Any surprise on a page
# (rotation, box offsets, an unknown font) reads that page with pdfplumber; any error
# reads the whole document with pdfplumber. ``DIRECTIVES_PDF_ENGINE=pdfplumber`` forces
# the old path.

ENGINE_ENV = "DIRECTIVES_PDF_ENGINE"
DEFAULT_ENGINE = "pdfium"


def _engine() -> str:
    import os
    name = (os.environ.get(ENGINE_ENV) or "").strip().lower()
    return name if name in ("pdfium", "pdfplumber") else DEFAULT_ENGINE


def _load_pages(pdf, path: Path) -> list[PageData]:
    """Every page of an open pdfplumber PDF as PageData, through the chosen engine."""
    if _engine() == "pdfium":
        try:
            return _load_pages_pdfium(pdf, path)
        except Exception:  # the pdfium path is an optimisation: never worse than pdfplumber
            pass
    return [_load_page(p, i + 1) for i, p in enumerate(pdf.pages)]


def _load_pages_pdfium(pdf, path: Path) -> list[PageData]:
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(str(path))
    try:
        if len(doc) != len(pdf.pages):
            raise ValueError("page count differs between engines")
        fonts_seen: dict[int, dict[str, float]] = {}  # pdfminer font descents by object id
        out = []
        for i, pl_page in enumerate(pdf.pages):
            page = doc[i]
            try:
                data = _load_page_pdfium(page, pl_page, i + 1, fonts_seen)
            finally:
                page.close()
            out.append(data if data is not None else _load_page(pl_page, i + 1))
        return out
    finally:
        doc.close()


def _font_descents(pl_page, seen: dict[int, dict[str, Optional[float]]]) -> dict[str, Optional[float]]:
    """pdfminer's descent (per unit of font size) of each font of the page (its resources
    and those of its forms), by base font name without the subset prefix; None when two
    fonts of one name disagree."""
    from pdfminer.pdftypes import PDFObjRef, resolve1
    from pdfminer.psparser import PSLiteral
    rsrcmgr = pl_page.pdf.rsrcmgr
    out: dict[str, Optional[float]] = {}

    def walk(res, depth: int) -> None:
        res = resolve1(res)
        if not isinstance(res, dict) or depth > 4:
            return
        fonts = resolve1(res.get("Font"))
        if isinstance(fonts, dict):
            for ref in fonts.values():
                key = ref.objid if isinstance(ref, PDFObjRef) else id(ref)
                spec = resolve1(ref)
                if not isinstance(spec, dict):
                    continue
                base = resolve1(spec.get("BaseFont"))
                name = base.name if isinstance(base, PSLiteral) else str(base or "")
                if isinstance(name, bytes):
                    name = name.decode("latin-1")
                name = re.sub(r"^[A-Z]{6}\+", "", name)
                if key not in seen:
                    font = rsrcmgr.get_font(ref.objid if isinstance(ref, PDFObjRef) else None, spec)
                    seen[key] = {"d": float(font.get_descent())}
                d = seen[key]["d"]
                if name in out and out[name] != d:
                    out[name] = None
                else:
                    out[name] = d
        xobjs = resolve1(res.get("XObject"))
        if isinstance(xobjs, dict):
            for ref in xobjs.values():
                x = resolve1(ref)
                attrs = getattr(x, "attrs", None)
                if attrs is not None and getattr(resolve1(attrs.get("Subtype")), "name", None) == "Form":
                    walk(attrs.get("Resources"), depth + 1)

    walk(pl_page.page_obj.resources, 0)
    return out


def _may_have_ruled_table(page) -> bool:
    """Whether the pdfium page draws enough ruling for pdfplumber's table finder to find a
    table of two cells or more (three rules one way, two the other). Every axis-parallel
    piece of every path counts (cell shading excluded as ``_is_rule_object`` does),
    pieces merged as the finder merges edges (snapped within 3 points, joined across
    gaps of 3) with looser tolerances, then kept when at least 2.5 points long. When
    False, parsing the page with pdfplumber cannot find a table; paths inside forms, or
    drawn turned, answer True."""
    import ctypes
    import pypdfium2.raw as R
    pieces: tuple[list, list] = ([], [])  # horizontal (y, x0, x1), vertical (x, y0, y1)
    x, y = ctypes.c_float(), ctypes.c_float()
    m = R.FS_MATRIX()
    fill, stroke = ctypes.c_int(), ctypes.c_int()

    class Unsure(Exception):
        pass

    def path(obj) -> None:
        R.FPDFPageObj_GetMatrix(obj, m)
        a, b, c, d, e, f = m.a, m.b, m.c, m.d, m.e, m.f
        if abs(b) > 1e-9 or abs(c) > 1e-9:
            raise Unsure
        R.FPDFPath_GetDrawMode(obj, fill, stroke)
        subs: list[list[tuple[float, float]]] = []
        closed: list[bool] = []
        for k in range(R.FPDFPath_CountSegments(obj)):
            seg = R.FPDFPath_GetPathSegment(obj, k)
            R.FPDFPathSegment_GetPoint(seg, x, y)
            pt = (a * x.value + e, d * y.value + f)
            if R.FPDFPathSegment_GetType(seg) == R.FPDF_SEGMENT_MOVETO or not subs:
                subs.append([pt])
                closed.append(False)
            else:
                subs[-1].append(pt)
            if R.FPDFPathSegment_GetClose(seg):
                closed[-1] = True
        for pts, cl in zip(subs, closed):
            if cl or (len(pts) > 2 and pts[0] == pts[-1]):
                pts = pts + [pts[0]]
            xs = [p[0] for p in pts]
            ys = [p[1] for p in pts]
            if not stroke.value and len(set(pts)) == 4 and min(max(xs) - min(xs), max(ys) - min(ys)) > 2.5 \
                    and all(abs(p0[0] - p1[0]) < 1e-6 or abs(p0[1] - p1[1]) < 1e-6
                            for p0, p1 in zip(pts, pts[1:])):
                continue  # a filled box (cell shading): not a rule
            for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
                if abs(y1 - y0) <= 0.5:
                    pieces[0].append(((y0 + y1) / 2, min(x0, x1), max(x0, x1)))
                if abs(x1 - x0) <= 0.5:
                    pieces[1].append(((x0 + x1) / 2, min(y0, y1), max(y0, y1)))

    def walk(n: int, get, nested: bool) -> None:
        for k in range(n):
            obj = get(k)
            t = R.FPDFPageObj_GetType(obj)
            if t == R.FPDF_PAGEOBJ_PATH:
                if nested:
                    raise Unsure
                path(obj)
            elif t == R.FPDF_PAGEOBJ_FORM:
                walk(R.FPDFFormObj_CountObjects(obj), lambda j, o=obj: R.FPDFFormObj_GetObject(o, j), True)

    def edges(ps: list) -> int:
        count = 0
        ps = sorted(ps)
        i = 0
        while i < len(ps):
            j = i + 1
            while j < len(ps) and ps[j][0] - ps[j - 1][0] <= 4.0:
                j += 1
            spans = sorted((s0, s1) for _, s0, s1 in ps[i:j])
            cur0, cur1 = spans[0]
            for s0, s1 in spans[1:] + [(float("inf"), float("inf"))]:
                if s0 <= cur1 + 4.0:
                    cur1 = max(cur1, s1)
                    continue
                count += cur1 - cur0 >= 2.5
                cur0, cur1 = s0, s1
            i = j
        return count

    raw = page.raw
    try:
        walk(R.FPDFPage_CountObjects(raw), lambda k: R.FPDFPage_GetObject(raw, k), False)
    except Unsure:
        return True
    h = edges(pieces[0])
    if h < 2:
        return False
    v = edges(pieces[1])
    return (h >= 2 and v >= 3) or (h >= 3 and v >= 2)


def _rules_page(pl_page):
    """A fresh pdfplumber page of the same PDF page whose layout holds the drawn paths
    (rects, lines, curves) but no glyphs: pdfminer skips the text-showing operators, the
    costliest part of its parse, which the table finder (ruling lines) does not use.
    The page of ``pdf.pages`` stays untouched for a pdfplumber fallback."""
    from pdfminer.pdfinterp import PDFPageInterpreter
    from pdfplumber.page import Page, PDFPageAggregatorWithMarkedContent
    from pdfplumber.utils.exceptions import PdfminerException

    class NoText(PDFPageInterpreter):
        def do_TJ(self, seq) -> None:  # text showing: nothing drawn that tables use
            return None

    page = Page(pl_page.pdf, pl_page.page_obj, page_number=pl_page.page_number,
                initial_doctop=pl_page.initial_doctop)
    device = PDFPageAggregatorWithMarkedContent(pl_page.pdf.rsrcmgr, pageno=page.page_number,
                                                laparams=pl_page.pdf.laparams)
    try:
        NoText(pl_page.pdf.rsrcmgr, device).process_page(page.page_obj)
    except Exception as e:
        raise PdfminerException(e)
    page._layout = device.get_result()
    return page


def _load_page_pdfium(page, pl_page, number: int, seen: dict) -> Optional[PageData]:
    """One page through pdfium, or None when this page must be read by pdfplumber."""
    raw = _pdfium_chars(page, pl_page, seen)
    if raw is None:
        return None
    w, h = float(pl_page.width), float(pl_page.height)
    ruled = _may_have_ruled_table(page)
    return _page_from_chars(_rules_page(pl_page) if ruled else pl_page, raw, w, h, number, ruled=ruled)


def _char_dict(text: str, ox: float, oy: float, a: float, b: float, c: float, d: float,
               fs: float, adv: float, desc: float, font: str, H: float) -> dict:
    """A glyph as pdfminer boxes it: from its origin, across its advance width, up from
    the font's descent by the font size, through the text matrix; top-down."""
    lo, hi = desc * fs, desc * fs + fs
    xa, ya = c * lo + ox, d * lo + oy
    xb, yb = a * adv + c * hi + ox, b * adv + d * hi + oy
    x0, x1 = (xa, xb) if xa <= xb else (xb, xa)
    y0, y1 = (ya, yb) if ya <= yb else (yb, ya)
    size = (x1 - x0) if a == 0 else (y1 - y0)
    return {"text": text, "x0": x0, "x1": x1, "top": H - y1, "bottom": H - y0, "size": size,
            "fontname": font, "upright": a * d > 0 and b * c <= 0, "matrix": (a, b, c, d, ox, oy)}


def _pdfium_chars(page, pl_page, seen: dict) -> Optional[list[dict]]:
    """The page's glyphs as pdfplumber char dicts (content order; generated spaces and
    line breaks dropped), or None when the page is outside what this path reproduces."""
    import ctypes
    import pypdfium2.raw as R
    if page.get_rotation() % 360 != 0:
        return None
    bbox = tuple(float(v) for v in pl_page.bbox)
    H = float(pl_page.height)
    if abs(bbox[0]) > 1e-6 or abs(bbox[1]) > 1e-6 or abs(page.get_height() - H) > 0.01 \
            or abs(page.get_width() - float(pl_page.width)) > 0.01:
        return None
    descents = _font_descents(pl_page, seen)
    tp = page.get_textpage()
    try:
        tr = tp.raw
        n = R.FPDFText_CountChars(tr)
        x, y = ctypes.c_double(), ctypes.c_double()
        m = R.FS_MATRIX()
        wbuf = ctypes.c_float()
        nbuf = ctypes.create_string_buffer(512)
        fonts: dict[int, tuple[str, float]] = {}
        out: list[dict] = []
        objs: set = set()
        prev_key = None
        for i in range(n):
            obj = R.FPDFText_GetTextObject(tr, i)
            if not obj:
                continue  # a generated space or line break
            u = R.FPDFText_GetUnicode(tr, i)
            R.FPDFText_GetCharOrigin(tr, i, x, y)
            ox, oy = x.value, y.value
            if R.FPDFText_IsGenerated(tr, i):
                # pdfium puts a space where a kerning gap opens (at the next glyph's
                # origin: not a glyph, dropped), and when a real space follows such a
                # gap keeps only its own generated one (at the space's origin: a glyph).
                if u != 0x20 or i + 1 >= n or not R.FPDFText_GetTextObject(tr, i + 1):
                    continue
                R.FPDFText_GetCharOrigin(tr, i + 1, x, y)
                if abs(x.value - ox) < 1e-4 and abs(y.value - oy) < 1e-4:
                    continue
            okey = (ctypes.cast(obj, ctypes.c_void_p).value, ox, oy)
            objs.add(okey[0])
            if u == 2:
                u = 0x2D  # pdfium marks a hyphen at a line end
            if R.FPDFText_HasUnicodeMapError(tr, i):
                text = "\ufffd"
            elif 0xDC00 <= u <= 0xDFFF and out and prev_key == okey and 0xD800 <= ord(out[-1]["text"][-1]) <= 0xDBFF:
                hi = ord(out[-1]["text"][-1])
                out[-1]["text"] = out[-1]["text"][:-1] + chr(0x10000 + ((hi - 0xD800) << 10) + (u - 0xDC00))
                continue
            else:
                text = chr(u)
            if out and prev_key == okey:
                out[-1]["text"] += text  # one glyph mapped to several characters
                continue
            prev_key = okey
            font = R.FPDFTextObj_GetFont(obj)
            fkey = ctypes.cast(font, ctypes.c_void_p).value
            info = fonts.get(fkey)
            if info is None:
                k = R.FPDFFont_GetBaseFontName(font, nbuf, 512)
                name = nbuf.raw[:max(k - 1, 0)].decode("latin-1")
                d = descents.get(re.sub(r"^[A-Z]{6}\+", "", name))
                if d is None:
                    return None  # a font pdfminer names differently (or two of one name)
                info = fonts[fkey] = (name, d)
            name, desc = info
            fs = R.FPDFText_GetFontSize(tr, i)
            R.FPDFText_GetMatrix(tr, i, m)
            R.FPDFFont_GetGlyphWidth(font, u, ctypes.c_float(fs), wbuf)
            out.append(_char_dict(text, ox, oy, m.a, m.b, m.c, m.d, fs, wbuf.value, desc, name, H))
        # pdfium leaves text objects holding only blank glyphs (Word writes a space
        # between two font runs as its own object) out of the text page: one space each
        # (their bounds have no area; any other object left out sends the page to
        # pdfplumber).
        fsz = ctypes.c_float()
        for k in range(R.FPDFPage_CountObjects(page.raw)):
            obj = R.FPDFPage_GetObject(page.raw, k)
            if R.FPDFPageObj_GetType(obj) != R.FPDF_PAGEOBJ_TEXT \
                    or ctypes.cast(obj, ctypes.c_void_p).value in objs:
                continue
            l, b_, r, t = (ctypes.c_float() for _ in range(4))
            if not R.FPDFPageObj_GetBounds(obj, l, b_, r, t) or (r.value != l.value and t.value != b_.value):
                return None  # text pdfium did not read: leave the page to pdfplumber
            font = R.FPDFTextObj_GetFont(obj)
            k2 = R.FPDFFont_GetBaseFontName(font, nbuf, 512)
            name = nbuf.raw[:max(k2 - 1, 0)].decode("latin-1")
            desc = descents.get(re.sub(r"^[A-Z]{6}\+", "", name))
            if desc is None:
                return None
            R.FPDFTextObj_GetFontSize(obj, fsz)
            R.FPDFPageObj_GetMatrix(obj, m)
            R.FPDFFont_GetGlyphWidth(font, 0x20, fsz, wbuf)
            out.append(_char_dict(" ", m.e, m.f, m.a, m.b, m.c, m.d, fsz.value, wbuf.value, desc, name, H))
        return out
    finally:
        tp.close()


@dataclass
class State:
    """What the page walk has seen so far."""

    body_size: float
    header_done: bool = False
    closing_done: bool = False
    closing_split: Optional[float] = None  # a closing still open at the previous page's end
    # A borderless table running off the previous page: its column boundaries and x-extent.
    table_cols: Optional[tuple[list[float], tuple[float, float]]] = None
    geom: Optional[PageGeom] = None


def _read(pdf, path: Path) -> Document:
    pages = _load_pages(pdf, path)
    if not any(p.ok for p in pages):
        raise DirectiveError(str(path), NO_TEXT)
    state = State(_dominant_size(c for p in pages for c in p.chars
                                 if not c.text.isspace() and not any(_in_box(c, b) for _, b in p.tables)))
    items: list[Item] = []
    for p in pages:
        if p.ok and p.chars:
            items.extend(_page_items(p, state))
    builder = SourceBuilder()
    _emit(_closing_order(items), builder)
    doc = builder.build(str(path), "pdf")
    doc.pages = len(pages)
    for p in pages:
        if not p.ok:
            doc.warn("ocr-needed", f"page {p.number} has no usable text layer (OCR needed)")
    return doc


def _closing_order(items: list[Item]) -> list[Item]:
    """Each run of closing blocks (possibly over a page break): left column, then right."""
    out: list[Item] = []
    run: list[Item] = []
    for it in items + [Item("end", 0, 0.0)]:
        if it.kind == "block" and it.zone in (CLOSING_LEFT, CLOSING_RIGHT):
            run.append(it)
            continue
        if run:
            out.extend(x for x in run if x.zone == CLOSING_LEFT)
            out.extend(x for x in run if x.zone == CLOSING_RIGHT)
            run = []
        if it.kind != "end":
            out.append(it)
    return out


def _in_box(c: Ch, box: tuple) -> bool:
    x0, top, x1, bottom = box
    return x0 - 1 <= c.cx <= x1 + 1 and top - 1 <= c.cy <= bottom + 1


def _page_items(p: PageData, st: State) -> list[Item]:
    """Items of one page in reading order: header, body lines, tables, closing."""
    boxes = [box for _, box in p.tables]
    free = [c for c in p.chars if not any(_in_box(c, b) for b in boxes)]
    lines = build_lines(free, p.number)
    drop = _furniture(lines, p.height, st.body_size, p.width)
    kept = [ln for i, ln in enumerate(lines) if i not in drop and _has_text(ln.text)]
    dropped = {id(c) for i in drop for c in lines[i].glyphs}
    free = [c for c in free if id(c) not in dropped]

    items: list[Item] = []
    body = kept
    if not st.header_done:
        st.header_done = True
        header = _header(kept, free, p)
        if header is not None:
            h_items, h_top, h_bottom = header
            items.extend(h_items)
            body = [ln for ln in kept if ln.top > h_bottom]
    if st.closing_split is not None:
        split = st.closing_split
        carried = _closing_carry(body, free, p, split)
        st.closing_split = None
        if carried is not None:
            carry_items, c_bottom, still_open = carried
            items.extend(carry_items)
            body = [ln for ln in body if ln.top > c_bottom]
            if still_open:
                st.closing_split = split
    c_items, closing_top, closing_bottom = [], None, None
    if not st.closing_done:
        found = _closing(body, free, p)
        if found is not None:
            c_items, closing_top, closing_bottom, split, open_end = found
            st.closing_done = True
            st.closing_split = split if open_end else None
    geom = _geometry(body, p.width, st.geom, [(b[0], b[2]) for _, b in p.tables])
    if len(body) >= 3:
        st.geom = geom
    if closing_top is not None:
        body = [ln for ln in body if not (closing_top <= ln.top and ln.bottom <= closing_bottom + 1)]
    body = [part for ln in body for part in _split_motto(ln)]
    loose, body = _borderless_tables(body, p, st)
    seq: list[Item] = []
    for ln in body:
        seq.append(Item("line", p.number, ln.top, line=ln, geom=geom))
    for t, box in p.tables:
        seq.append(Item("table", p.number, box[1], table=t))
    for t in loose:
        seq.append(Item("table", p.number, t.top, table=t))
    if closing_top is not None:
        seq.append(Item("closing", p.number, closing_top))
    seq.sort(key=lambda it: it.top)
    for it in seq:
        if it.kind == "closing":
            items.extend(c_items)
        else:
            items.append(it)
    return items


# ---------------------------------------------------------------------------
# Borderless tables (no ruling lines: columns found from the white gaps between them)
# ---------------------------------------------------------------------------

TABLE_HEAD = re.compile(r"^(?:STT|TT|Số\s*TT|Stt)\b")


def _gutters(chars: list[Ch], lo: float, hi: float, min_w: float = 4.5) -> list[tuple[float, float]]:
    """The x-ranges in [lo, hi] that no glyph covers, at least ``min_w`` wide."""
    spans = sorted((c.x0, c.x1) for c in chars if not c.text.isspace() and c.x1 > lo and c.x0 < hi)
    if not spans:
        return []
    out: list[tuple[float, float]] = []
    cur = max(lo, spans[0][0])
    for a, b in spans:
        if a - cur >= min_w:
            out.append((cur, a))
        cur = max(cur, b)
    return out


def _borderless_tables(body: list[Line], p: PageData, st: State) -> tuple[list[TableData], list[Line]]:
    """Tables drawn without rules (columns kept apart only by white space), from a line
    starting "STT"/"TT" or continuing one from the previous page; the rest of ``body``."""
    lines = sorted(body, key=lambda l: l.top)
    tables: list[TableData] = []
    used: set[int] = set()
    carry, st.table_cols = st.table_cols, None
    if carry is not None and lines:
        bounds, span = carry
        k = 0
        while k < len(lines) and not _crosses(lines[k], bounds, span):
            k += 1
        if k:
            t = _loose_table(lines[:k], bounds, p)
            if t is not None:
                tables.append(t)
                used.update(range(k))
                if k == len(lines):
                    st.table_cols = carry
    for i, ln in enumerate(lines):
        if i in used or not TABLE_HEAD.match(ln.text):
            continue
        run = _table_run(lines, i, used)
        if run is None:
            continue
        lo_i, hi_i, bounds = run
        t = _loose_table(lines[lo_i:hi_i], bounds, p)
        if t is None:
            continue
        tables.append(t)
        used.update(range(lo_i, hi_i))
        if hi_i == len(lines):
            st.table_cols = (bounds, (t.x0, t.x1))
    rest = [ln for i, ln in enumerate(lines) if i not in used]
    return tables, rest


def _crosses(line: Line, bounds: list[float], span: Optional[tuple[float, float]] = None) -> bool:
    """Whether the line runs across the columns: glyphs straddling two or more boundaries
    (a cell may overflow one by a glyph), or it fills the table's width with no gap wider
    than a word space (a paragraph line after the table)."""
    hit = {b for b in bounds for c in line.chars if c.x0 < b - 2 and c.x1 > b + 2}
    if len(hit) >= min(2, len(bounds)):
        return True
    if span is None:
        return False
    cs = sorted(line.chars, key=lambda c: c.x0)
    widest = max((b.x0 - a.x1 for a, b in zip(cs, cs[1:])), default=0.0)
    full = line.width >= 0.85 * (span[1] - span[0])
    return full and widest < 0.9 * line.size


def _table_run(lines: list[Line], i: int, used: set[int]) -> Optional[tuple[int, int, list[float]]]:
    """The run of lines around line ``i`` (the "STT" header line) that keeps the column
    gutters, with the column boundaries; None when it does not look like a table."""
    lo_x = min(ln.x0 for ln in lines) - 1
    hi_x = max(ln.x1 for ln in lines) + 1

    def gut(a: int, b: int) -> list[tuple[float, float]]:
        return _gutters([c for ln in lines[a:b] for c in ln.chars], lo_x, hi_x)

    a, b = i, i + 1
    if len(gut(a, b)) < 2:
        return None
    # Header cells wrapped above the "STT" line.
    while a > 0 and a - 1 not in used and lines[a].top - lines[a - 1].bottom < 0.8 * lines[a].size \
            and len(gut(a - 1, b)) >= len(gut(a, b)):
        a -= 1
    # Grow while the number of gutters holds; the boundaries are those of the widest such run.
    best = gut(a, b)
    while b < len(lines) and lines[b].top - lines[b - 1].bottom < 4 * lines[b].size:
        g = gut(a, b + 1)
        if len(g) < len(best) and b - a >= 4:
            break
        best = g if len(g) >= len(best) else best
        b += 1
    if len(best) < 2:
        return None
    bounds = [(g0 + g1) / 2 for g0, g1 in best]
    # Then take rows while lines stay within the columns.
    span = (min(ln.x0 for ln in lines[a:b]), max(ln.x1 for ln in lines[a:b]))
    while b < len(lines) and not _crosses(lines[b], bounds, span) \
            and lines[b].top - lines[b - 1].bottom < 4 * lines[b].size:
        b += 1
    if b - a < 3:
        return None
    return a, b, bounds


def _loose_table(lines: list[Line], bounds: list[float], p: PageData) -> Optional[TableData]:
    """Rows of a borderless table: bands of lines split at white horizontal gaps, a band
    with an empty first column joined to the row above."""
    glyphs = sorted((c for ln in lines for c in ln.glyphs), key=lambda c: c.top)
    if not glyphs:
        return None
    size = _dominant_size(glyphs)
    bands: list[list[Ch]] = []
    bottom = -1e9
    for c in glyphs:
        if c.text.isspace():
            if bands:
                bands[-1].append(c)
            continue
        if not bands or c.top - bottom > 0.6 * size:
            bands.append([c])
        else:
            bands[-1].append(c)
        bottom = max(bottom, c.bottom) if bands[-1] is not None else c.bottom
    ncol = len(bounds) + 1
    rows: list[list[str]] = []
    for band in bands:
        cols: list[list[Ch]] = [[] for _ in range(ncol)]
        for c in band:
            j = sum(1 for b in bounds if c.cx > b)
            cols[j].append(c)
        cells = [_cell_text(col, p.number) for col in cols]
        if not any(cells):
            continue
        if rows and not cells[0] and rows[-1][0]:
            rows[-1] = [_join(x, y) if y else x for x, y in zip(rows[-1], cells)]
        else:
            rows.append(cells)
    if not rows:
        return None
    top = min(ln.top for ln in lines)
    return TableData(rows, [p.number] * len(rows), p.number, top, max(ln.bottom for ln in lines),
                     min(ln.x0 for ln in lines), max(ln.x1 for ln in lines), [])


def _has_text(text: str) -> bool:
    """A line worth keeping: some letter or digit, not only a rule of underscores."""
    return not RULE.match(text) and any(ch.isalnum() for ch in text)


MOTTO = re.compile(r"CỘNGH(?:ÒA|OÀ)XÃHỘI|ĐẢNGCỘNGSẢNVIỆTNAM")


def _header(lines: list[Line], chars: list[Ch], p: PageData
            ) -> Optional[tuple[list[Item], float, float]]:
    """The two-column header of page 1 as items, with its top and bottom; None if not found."""
    rows = [ln for ln in lines if ln.top < 0.6 * p.height]
    frags = [(ln, split_fragments(ln, 1.2)) for ln in rows]
    flat = [f for _, fs in frags for f in fs]
    num = next((f for f in flat if NUMBER_LINE.match(f.text) and f.x0 < 0.5 * p.width), None)
    date = next((f for f in flat if f.top < 0.5 * p.height and (m := DATE_LINE.search(f.text))
                 and _x_at(f, m.start()) > 0.3 * p.width), None)
    if num is None and date is None:
        return None
    motto = next((f for f in flat if MOTTO.search(f.text.replace(" ", ""))), None)
    top = motto.top - 0.6 * motto.size if motto is not None else 0.0
    bottom = max(f.bottom for f in (num, date) if f is not None)
    band_chars = [c for ln, _ in frags if top <= ln.top and ln.bottom <= bottom + 1 for c in ln.chars]
    split = _right_column_edge([ln for ln, _ in frags if top <= ln.top and ln.bottom <= bottom + 1])
    if split is None or (num is not None and split < num.x1):
        split = _gutter(band_chars, 0.2 * p.width, 0.62 * p.width) or 0.45 * p.width
    left: list[Ch] = []
    right: list[Ch] = []
    vv = date_open = False
    last_bottom = bottom
    marks: list[Line] = []
    for ln, fs in frags:
        if ln.top < top:
            # Above the header: gazette headings of the issue (dropped), or an urgency mark.
            marks.extend(f for f in fs if URGENCY.match(f.text))
            continue
        if ln.top > bottom - 1:
            # Below the Số/date rows: only a wrapped "V/v" subject, a wrapped date, urgency.
            if ln.top - last_bottom > 1.2 * ln.size or KINH_GUI.match(ln.text):
                break
            ok = all((f.x0 < split and (vv or URGENCY.match(f.text) or VV.match(f.text)))
                     or (f.x0 >= split and date_open) for f in fs)
            if not ok:
                break
            last_bottom = ln.bottom
        for f in fs:
            cut = _anchor_x(f) if f.x0 < split < f.x1 else None
            for c in f.glyphs:
                if cut is not None:
                    (left if c.cx < cut else right).append(c)
                else:
                    (left if (f.x0 + f.x1) / 2 < split else right).append(c)
            if f.x0 < split and VV.match(f.text):
                vv = True
            if f is date or (f.x0 >= split and date_open):
                tail = f.text[m.start():] if f is date and (m := DATE_LINE.search(f.text)) else f.text
                date_open = not re.search(r"năm\s*\d{4}|\d{4}\s*$", tail)
    items = [Item("block", p.number, f.top, text=f.text, zone=HEADER_LEFT, bold=f.bold,
                  italic=f.italic) for f in marks]
    for zone, col in ((HEADER_LEFT, _join_vv(build_lines(left, p.number))),
                      (HEADER_RIGHT, _join_right(build_lines(right, p.number)))):
        for ln in col:
            if _has_text(ln.text):
                items.append(Item("block", p.number, ln.top, text=ln.text, zone=zone,
                                  bold=ln.bold, italic=ln.italic, centered=True))
    return items, top, max(last_bottom, bottom)


VV = re.compile(r"^(?:V/v|V/V|v/v|Về việc)\b")
RIGHT_ANCHOR = re.compile(r"C[ỘO]NG\s*H[ÒO]\s*[AÀ]\s*X|ĐẢNG\s+CỘNG\s+SẢN|Độc\s*lập\s*-")


def _x_at(line: Line, idx: int) -> float:
    """x0 of the glyph that printed ``line.text[idx]``."""
    pos = 0
    for c in line.chars:
        if pos >= len(line.text):
            break
        while pos < len(line.text) and line.text[pos] == " ":
            pos += 1
        pos += len(unicodedata.normalize("NFC", c.text))
        if pos > idx:
            return c.x0
    return line.x1


def _split_motto(line: Line) -> list[Line]:
    """A body line holding both header columns of an attached document ("THỦ TƯỚNG CHÍNH
    PHỦ  CỘNG HÒA XÃ HỘI ...") as two lines, left column first."""
    m = RIGHT_ANCHOR.search(line.text)
    if m is None or m.start() == 0:
        return [line]
    x = _x_at(line, m.start()) - 0.5
    left = _make_line([c for c in line.glyphs if c.cx < x], line.page)
    right = _make_line([c for c in line.glyphs if c.cx >= x], line.page)
    if left is None or right is None:
        return [line]
    right.top = max(right.top, left.top + 0.01)
    return [left, right]


def _anchor_x(line: Line) -> Optional[float]:
    """Where a right-column anchor (motto, "Độc lập", place before ", ngày") starts in a
    line that runs over both header columns, or None."""
    x = _right_column_edge([line])
    return x if x is not None and x > line.x0 + 1 else None


def _right_column_edge(rows: list[Line]) -> Optional[float]:
    """Just left of the header's right column: where the motto, "Độc lập" or the place
    before ", ngày" start (the right column is centred; its widest line starts leftmost)."""
    xs: list[float] = []
    for ln in rows:
        for m in RIGHT_ANCHOR.finditer(ln.text):
            xs.append(_x_at(ln, m.start()))
        m = re.search(r",\s*ngày\b", ln.text)
        if m:
            words = ln.text[:m.start()].split(" ")
            k = len(words)
            while k > 0 and len(words) - k < 4 and words[k - 1][:1].isupper() \
                    and not words[k - 1].endswith(":") and not re.search(r"\d", words[k - 1]):
                k -= 1
            if k < len(words):
                xs.append(_x_at(ln, len(" ".join(words[:k])) + (1 if k else 0)))
    return min(xs) - 0.5 if xs else None


def _merge_lines(a: Line, b: Line) -> Line:
    """Two wrapped lines as one."""
    return Line(a.chars + b.chars, _join(a.text, b.text), min(a.x0, b.x0), max(a.x1, b.x1),
                a.top, b.bottom, a.size, a.bold, a.italic, a.page, a.markers + b.markers,
                a.spaces + b.spaces)


def _join_right(lines: list[Line]) -> list[Line]:
    """Right header lines with a wrapped motto or date joined back."""
    out: list[Line] = []
    for ln in lines:
        if out and not RULE.match(out[-1].text) and not RULE.match(ln.text):
            last = out[-1]
            caps = _all_caps(last.text) and _all_caps(ln.text) and last.bold == ln.bold
            cont = (ln.text[:1].islower() or ln.text[:1].isdigit()) and not last.text.endswith(".")
            if caps or cont:
                out[-1] = _merge_lines(last, ln)
                continue
        out.append(ln)
    return out


def _join_vv(lines: list[Line]) -> list[Line]:
    """Left header lines with a wrapped "V/v ..." subject joined into one line."""
    out: list[Line] = []
    in_vv = False
    for ln in lines:
        if RULE.match(ln.text):
            in_vv = False
            out.append(ln)
            continue
        if in_vv and out and not URGENCY.match(ln.text) and not NUMBER_LINE.match(ln.text):
            out[-1] = _merge_lines(out[-1], ln)
            continue
        in_vv = bool(VV.match(ln.text))
        out.append(ln)
    return out


def _prefix_gutter(lines: list[Line], width: float) -> tuple[int, Optional[float]]:
    """The longest run of ``lines`` (from the first) that keeps a column gutter, and it."""
    k = len(lines)
    while k >= 2:
        g = _gutter([c for ln in lines[:k] for c in ln.chars], 0.25 * width, 0.78 * width, 0.02)
        if g is not None:
            return k, g
        k -= 1
    return k, None


def _closing(body: list[Line], chars: list[Ch], p: PageData
             ) -> Optional[tuple[list[Item], float, float, Optional[float], bool]]:
    """The closing ("Nơi nhận" | signature) of the page as items, with its top, bottom, the
    column split and whether it runs to the page end (it may continue on the next page)."""
    frags = [f for ln in body for f in split_fragments(ln, 1.5)]
    nn = next((f for f in frags if NOI_NHAN.match(f.text) and f.x0 < 0.4 * p.width), None)
    if nn is None:
        return _signature_only(body, frags, chars, p)
    top = nn.top - 1
    for f in frags:  # a signature line starting a little above "Nơi nhận:"
        if f.bottom <= top and top - f.bottom < 1.2 * f.size and f.x0 > 0.45 * p.width \
                and (AUTHORITY.match(f.text) or _all_caps(f.text)):
            top = f.top - 1
    tail = sorted((ln for ln in body if ln.top >= top), key=lambda l: l.top)
    k, split = _prefix_gutter(tail, p.width)
    if split is None:
        split = _gutter(tail[0].chars, 0.25 * p.width, 0.78 * p.width) if tail else None
        split = split or max(nn.x1 + 10, 0.45 * p.width)
        k = 1
    bottom = max(ln.bottom for ln in tail[:k])
    band = [c for c in chars if top <= c.cy <= bottom + 0.5]
    left = build_lines([c for c in band if c.cx < split], p.number)
    right = build_lines([c for c in band if c.cx >= split], p.number)
    items = _closing_items(left, right, p)
    return items, top, bottom, split, k == len(tail)


def _closing_carry(body: list[Line], chars: list[Ch], p: PageData, split: float
                   ) -> Optional[tuple[list[Item], float, bool]]:
    """The rest of a closing carried over from the previous page, at the top of this one:
    the run of top lines that keeps two columns ("- ...;" lines | signature)."""
    lines = sorted(body, key=lambda l: l.top)
    if not lines:
        return None
    k, gut = _prefix_gutter(lines, p.width)
    if gut is None or k < 2:
        k, gut = 0, split
        for ln in lines:  # a single column: recipients only, or signature only
            left_side = ln.x1 < split or ln.text.startswith(("-", "–", "+"))
            if not left_side and ln.x0 < split:
                break
            k += 1
        if k == 0:
            return None
    run = lines[:k]
    if not any(ln.text.startswith(("-", "–", "+")) or ln.x0 >= gut for ln in run):
        return None
    bottom = run[-1].bottom
    band = [c for c in chars if run[0].top - 1 <= c.cy <= bottom + 0.5]
    left = build_lines([c for c in band if c.cx < gut], p.number)
    right = build_lines([c for c in band if c.cx >= gut], p.number)
    return _closing_items(left, right, p), bottom, k == len(lines)


def _signature_only(body: list[Line], frags: list[Line], chars: list[Ch], p: PageData
                    ) -> Optional[tuple[list[Item], float, float, Optional[float], bool]]:
    """A signature block standing alone at the right, without "Nơi nhận"."""
    sig = _signature_start(frags, p)
    if sig is None:
        return None
    top = sig.top - 1
    lines = []
    for ln in sorted((ln for ln in body if ln.top >= top), key=lambda l: l.top):
        if ln.x0 < 0.38 * p.width:
            break
        lines.append(ln)
    if not lines:
        return None
    bottom = max(ln.bottom for ln in lines)
    band = [c for ln in lines for c in ln.glyphs]
    right = build_lines(band, p.number)
    return _closing_items([], right, p), top, bottom, None, False


def _closing_items(left: list[Line], right: list[Line], p: PageData) -> list[Item]:
    items: list[Item] = []
    for zone, col in ((CLOSING_LEFT, _closing_left(left)), (CLOSING_RIGHT, _closing_right(right))):
        for ln in col:
            if not _has_text(ln.text):
                continue
            items.append(Item("block", p.number, ln.top, text=ln.text, zone=zone, bold=ln.bold,
                              italic=ln.italic, centered=zone == CLOSING_RIGHT))
    return items


OPEN_TITLE = re.compile(r"(?:,|\b(?:CHỦ|PHÓ|TỔNG|BỘ|THỦ|VIỆN|CHÁNH|CỤC|VỤ|BAN|ỦY))$")


def _closing_right(lines: list[Line]) -> list[Line]:
    """Signature lines with a wrapped title ("KT. BỘ TRƯỞNG, CHỦ" / "NHIỆM") or a signer's
    name wrapped over two lines joined back."""
    out: list[Line] = []
    for ln in lines:
        if out and ln.top - out[-1].bottom < ln.size and (
                (_name_like(out[-1].text) and _name_like(ln.text))
                or (_all_caps(out[-1].text) and _all_caps(ln.text) and OPEN_TITLE.search(out[-1].text))):
            out[-1] = _merge_lines(out[-1], ln)
            continue
        out.append(ln)
    return out


def _name_like(text: str) -> bool:
    """Words each starting with a capital, not all caps: a person's name."""
    words = text.split()
    return bool(words) and not _all_caps(text) and all(w[:1].isupper() for w in words) \
        and not text.startswith("(")


def _closing_left(lines: list[Line]) -> list[Line]:
    """"Nơi nhận:" lines, a recipient wrapped over two lines joined back."""
    out: list[Line] = []
    for ln in lines:
        if out and not ln.text.startswith(("-", "–", "+", "•")) and not NOI_NHAN.match(ln.text) \
                and not NOI_NHAN.match(out[-1].text) and not out[-1].text.rstrip().endswith((";", ".", ":")):
            out[-1] = _merge_lines(out[-1], ln)
            continue
        m = NOI_NHAN.match(ln.text)
        if m and ln.text[m.end():].strip():  # "Nơi nhận: - Như trên;" on one line
            head, rest = ln.text[:m.end()].strip(), ln.text[m.end():].strip()
            out.append(Line(ln.chars, head, ln.x0, ln.x1, ln.top, ln.bottom, ln.size, ln.bold,
                            ln.italic, ln.page))
            out.append(Line(ln.chars, rest, ln.x0, ln.x1, ln.top, ln.bottom, ln.size, False,
                            ln.italic, ln.page))
            continue
        out.append(ln)
    return out


def _signature_start(frags: list[Line], p: PageData) -> Optional[Line]:
    """The first line of a signature block standing alone at the right (no "Nơi nhận")."""
    for i, f in enumerate(frags):
        if f.x0 < 0.42 * p.width or not _all_caps(f.text):
            continue
        if AUTHORITY.match(f.text) or SIGNER_POSITION.match(f.text):
            nxt = [g for g in frags[i + 1:i + 8] if g.x0 >= 0.42 * p.width]
            if nxt:
                return f
    return None


def _emit(items: list[Item], builder: SourceBuilder) -> None:
    """Items into blocks: body lines joined into paragraphs, tables merged across pages."""
    para: Optional[list[Item]] = None
    last_table: Optional[TableData] = None
    pending_tables: list[TableData] = []

    def flush_para() -> None:
        nonlocal para
        if para:
            text = ""
            for it in para:
                text = _join(text, it.line.text)
            first = para[0]
            bold = sum(it.line.bold for it in para) * 2 > len(para)
            italic = sum(it.line.italic for it in para) * 2 > len(para)
            centered = all(_centered(it.line, it.geom) for it in para)
            builder.add(text, page=first.page, zone=BODY, bold=bold, italic=italic, centered=centered)
        para = None

    def flush_tables() -> None:
        nonlocal pending_tables
        for t in pending_tables:
            builder.add_table(t.rows, page=t.page, row_pages=t.row_pages)
        pending_tables = []

    for it in items:
        if it.kind == "table":
            flush_para()
            if pending_tables and max(pending_tables[-1].row_pages) == it.page - 1 and last_table is pending_tables[-1] \
                    and _merge_tables(pending_tables[-1], it.table):
                last_table = pending_tables[-1]
                continue
            pending_tables.append(it.table)
            last_table = it.table
            continue
        if it.kind == "line":
            flush_tables_if_needed = bool(pending_tables)
            if flush_tables_if_needed:
                flush_tables()
                last_table = None
            if para and not _starts_new(para[-1].line, it.line, para[-1].geom, it.geom):
                para.append(it)
            else:
                flush_para()
                para = [it]
            continue
        flush_para()
        flush_tables()
        last_table = None
        builder.add(it.text, page=it.page, zone=it.zone, bold=it.bold, italic=it.italic,
                    centered=it.centered)
    flush_para()
    flush_tables()
