"""OCR reader: a scanned (image-only) PDF into the same raw blocks as a born-digital one.

Many published directives are scans of the signed paper copy, with a red seal and
no text layer. Each page is rasterised (pypdfium2, 300 dpi), the seal's red ink is
removed, the page is deskewed (the angle whose horizontal projection is sharpest),
ruled table lines are found from long dark runs and erased, and Tesseract
(``-l vie``, TSV output) reads the words with their boxes.

The words become glyphs (``pdf.Ch``: each word's box shared out among its letters,
sizes from line heights) and go through the PDF reader's own layout logic: lines
by baseline, page furniture, the two-column header and closing, paragraphs joined
by indent and gaps, labels starting units, tables. Ruled tables come from the
image: cells between the detected rules, their words as cell text. OCR damage on
the genre's fixed vocabulary is repaired by ``pipeline.repair`` before the words
become glyphs (length-preserving, so boxes stay right).

``read_scanned(path)`` is the front door; the Document it returns has
``doc.ocr = True``. Missing Tesseract or its Vietnamese model raise
``DirectiveError`` naming the package to install.
"""
from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

import numpy as np

from ..model import DirectiveError, Document
from . import SourceBuilder

DPI = 300
PT = 72.0 / DPI  # one pixel in PDF points

INSTALL_HINT = "apt-get install tesseract-ocr tesseract-ocr-vie"


# ---------------------------------------------------------------------------
# Tesseract
# ---------------------------------------------------------------------------

def tesseract_binary() -> Optional[str]:
    return shutil.which("tesseract")


def _languages(binary: str) -> set[str]:
    try:
        out = subprocess.run([binary, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return set()
    langs = set()
    for line in (out.stdout + "\n" + out.stderr).splitlines():
        line = line.strip()
        if line and " " not in line and not line.endswith(":"):
            langs.add(line)
    return langs


def check_tesseract(path: str) -> str:
    """The tesseract binary, or DirectiveError naming what to install."""
    binary = tesseract_binary()
    if binary is None:
        raise DirectiveError(path, f"OCR needed but Tesseract is not installed ({INSTALL_HINT})")
    if "vie" not in _languages(binary):
        raise DirectiveError(path, "OCR needed but Tesseract's Vietnamese model (tesseract-ocr-vie) "
                                   "is missing (apt-get install tesseract-ocr-vie)")
    return binary


@dataclass
class Word:
    """One OCR word: its text and box in pixels, Tesseract's line id and confidence."""

    text: str
    x0: int
    top: int
    x1: int
    bottom: int
    line: tuple[int, int, int]   # (block, paragraph, line)
    conf: float


def run_tesseract(binary: str, image, psm: int = 3, lang: str = "vie", config: tuple = ()) -> list[Word]:
    """Words of one page image (PIL) with their boxes, from Tesseract's TSV output."""
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    args = ["-l", lang, "--psm", str(psm), "--dpi", str(DPI), "-c", "preserve_interword_spaces=1"]
    for c in config:
        args += ["-c", c]
    args.append("tsv")
    cache = os.environ.get("DIRECTIVES_OCR_CACHE")  # a folder: reuse TSV of identical images
    key = None
    if cache:
        import hashlib
        key = Path(cache) / (hashlib.sha1(image.tobytes() + repr(args).encode()).hexdigest() + ".tsv")
        if key.exists():
            return _parse_tsv(key.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="directives-ocr-") as tmp:
        img = Path(tmp) / "page.png"
        image.save(img)
        out = subprocess.run([binary, str(img), "stdout"] + args, capture_output=True, env=env, timeout=600)
    if out.returncode != 0:
        raise RuntimeError(out.stderr.decode("utf-8", "replace").strip()[:200])
    tsv = out.stdout.decode("utf-8", "replace")
    if key is not None:
        key.parent.mkdir(parents=True, exist_ok=True)
        key.write_text(tsv, encoding="utf-8")
    return _parse_tsv(tsv)


def _parse_tsv(tsv: str) -> list[Word]:
    words: list[Word] = []
    reader = csv.reader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(reader, None)
    if not header:
        return words
    idx = {k: i for i, k in enumerate(header)}
    for row in reader:
        if len(row) < len(header) or row[idx["level"]] != "5":
            continue
        text = unicodedata.normalize("NFC", row[idx["text"]]).strip()
        if not text:
            continue
        left, top = int(row[idx["left"]]), int(row[idx["top"]])
        w, h = int(row[idx["width"]]), int(row[idx["height"]])
        key = (int(row[idx["block_num"]]), int(row[idx["par_num"]]), int(row[idx["line_num"]]))
        words.append(Word(text, left, top, left + w, top + h, key, float(row[idx["conf"]])))
    return words


# ---------------------------------------------------------------------------
# Image preparation
# ---------------------------------------------------------------------------

def drop_red(rgb: np.ndarray) -> np.ndarray:
    """Grey image (uint8) with red and pink ink (the seal, a red signature) made white."""
    r, g, b = (rgb[..., k].astype(np.int16) for k in range(3))
    grey = (0.299 * r + 0.587 * g + 0.114 * b).astype(np.float32)
    red = (r - np.maximum(g, b) > 45) & (r > 110)
    grey[red] = 255.0
    return grey.clip(0, 255).astype(np.uint8)


def ink(grey: np.ndarray) -> np.ndarray:
    """Dark pixels (bool) by a threshold between paper and ink."""
    hist = np.bincount(grey.ravel(), minlength=256)
    paper = int(np.argmax(hist[128:])) + 128
    return grey < min(paper - 60, 170)


def skew_angle(grey: np.ndarray, limit: float = 4.0) -> float:
    """Degrees to rotate the page (counter-clockwise, as PIL's ``rotate``) so text lines are
    horizontal: the shear of the ink pixels that gives the sharpest row profile."""
    mask = ink(grey)
    step = max(1, mask.shape[1] // 1200)
    ys, xs = np.nonzero(mask[::step, ::step])
    if len(ys) < 500:
        return 0.0
    if len(ys) > 300000:
        pick = np.random.default_rng(0).choice(len(ys), 300000, replace=False)
        ys, xs = ys[pick], xs[pick]
    ys = ys.astype(np.float64)
    xs = xs.astype(np.float64) - xs.mean()

    def score(a: float) -> float:
        rows = np.round(ys - xs * np.tan(np.radians(a))).astype(np.int64)
        rows -= rows.min()
        prof = np.bincount(rows).astype(np.float64)
        return float(np.sum(np.diff(prof) ** 2))

    best = max(np.arange(-limit, limit + 0.01, 0.25), key=score)
    fine = max(np.arange(best - 0.25, best + 0.251, 0.05), key=score)
    fine = max(np.arange(fine - 0.05, fine + 0.051, 0.01), key=score)
    return float(round(fine, 3))


def _runs(mask: np.ndarray, min_len: int) -> list[tuple[int, int, int]]:
    """Horizontal runs of True at least ``min_len`` long: (row, x0, x1)."""
    h, w = mask.shape
    padded = np.zeros((h, w + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    d = np.diff(padded, axis=1)
    sy, sx = np.nonzero(d == 1)   # row-major: starts and ends alternate within each row
    ey, ex = np.nonzero(d == -1)
    keep = (ex - sx) >= min_len
    return list(zip(sy[keep].tolist(), sx[keep].tolist(), ex[keep].tolist()))


def _segments(runs: list[tuple[int, int, int]], tol: int = 3) -> list[tuple[float, int, int]]:
    """Runs on neighbouring rows merged into segments: (position, start, end)."""
    runs = sorted(runs)
    segs: list[list[float]] = []  # [pos_sum, n, start, end, last_row]
    for y, a, b in runs:
        for s in reversed(segs[-40:]):
            if y - s[4] <= tol and min(b, s[3]) - max(a, s[2]) > 0.5 * min(b - a, s[3] - s[2]):
                s[0] += y
                s[1] += 1
                s[2], s[3] = min(s[2], a), max(s[3], b)
                s[4] = y
                break
        else:
            segs.append([y, 1, a, b, y])
    return [(s[0] / s[1], int(s[2]), int(s[3])) for s in segs if s[1] <= 12]


def find_rules(mask: np.ndarray) -> tuple[list[tuple[float, int, int]], list[tuple[float, int, int]]]:
    """Ruling lines of the page: horizontal (y, x0, x1) and vertical (x, y0, y1), pixels."""
    h, w = mask.shape
    hor = _segments(_runs(mask, max(60, w // 12)))
    ver = _segments(_runs(np.ascontiguousarray(mask.T), 45))
    return hor, ver


def _erase(mask_img: np.ndarray, hor, ver, pad: int = 2) -> None:
    for y, a, b in hor:
        y = int(round(y))
        mask_img[max(0, y - pad - 2):y + pad + 3, a:b] = 255
    for x, a, b in ver:
        x = int(round(x))
        mask_img[a:b, max(0, x - pad - 2):x + pad + 3] = 255


# ---------------------------------------------------------------------------
# Tables from the rules
# ---------------------------------------------------------------------------

@dataclass
class Grid:
    """A ruled table: its row boundaries (ys), column boundaries (xs) and the vertical rules."""

    ys: list[float]
    xs: list[float]
    ver: list[tuple[float, int, int]]
    hor: list[tuple[float, int, int]] = field(default_factory=list)  # all horizontal rules inside

    def ruled_at(self, y: float, x: float) -> bool:
        """Whether a horizontal rule runs at ``y`` through ``x`` (a cell boundary there)."""
        return any(abs(hy - y) <= 8 and a - 8 <= x <= b + 8 for hy, a, b in self.hor)

    @property
    def box(self) -> tuple[float, float, float, float]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]


def _cluster(vals: Iterable[float], tol: float) -> list[float]:
    out: list[list[float]] = []
    for v in sorted(vals):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(c) / len(c) for c in out]


def find_grids(hor, ver) -> list[Grid]:
    """Tables: groups of at least two horizontal rules joined by at least two vertical ones."""
    grids: list[Grid] = []
    hor = sorted(hor)
    used: set[int] = set()
    for i, (y, a, b) in enumerate(hor):
        if i in used:
            continue
        group = [i]
        for j in range(i + 1, len(hor)):
            y2, a2, b2 = hor[j]
            if j in used:
                continue
            if abs(a2 - a) < 40 and abs(b2 - b) < 40:
                # joined when some vertical rule spans the gap between the previous rule and this one
                prev_y = hor[group[-1]][0]
                if any(v0 <= prev_y + 8 and v1 >= y2 - 8 and a - 10 <= x <= b + 10 for x, v0, v1 in ver):
                    group.append(j)
        if len(group) < 2:
            continue
        ys = _cluster([hor[k][0] for k in group], 6)
        top, bottom = ys[0], ys[-1]
        vs = [(x, v0, v1) for x, v0, v1 in ver if a - 10 <= x <= b + 10 and v1 > top + 4 and v0 < bottom - 4]
        xs = _cluster([x for x, _, _ in vs], 8)
        if len(xs) < 2 or len(ys) < 2:
            continue
        used.update(group)
        # rules across some columns only (sub-rows under a merged cell) are row boundaries too
        inner = [(y2, a2, b2) for y2, a2, b2 in hor if top - 4 <= y2 <= bottom + 4
                 and a2 >= a - 12 and b2 <= b + 12 and b2 - a2 > 40]
        ys = _cluster([y2 for y2, _, _ in inner] + ys, 6)
        grids.append(Grid(ys, xs, vs, inner))
    # a grid inside another (sub-rows ruled across some columns only) belongs to it
    def inside(g: Grid, o: Grid) -> bool:
        return g is not o and o.xs[0] - 12 <= g.xs[0] and g.xs[-1] <= o.xs[-1] + 12 \
            and o.ys[0] - 12 <= g.ys[0] and g.ys[-1] <= o.ys[-1] + 12
    return [g for g in grids if not any(inside(g, o) for o in grids)]


# ---------------------------------------------------------------------------
# Words into glyphs
# ---------------------------------------------------------------------------

KEEP_MARKS = {"-", "+", "–", "—", "•", "*", "/", "./.", "./", "(", ")", "…", "..."}


def _noise(w: Word) -> bool:
    """A speck, a piece of a rule or a stray mark read as a word."""
    t = w.text
    if not any(ch.isalnum() for ch in t):
        return w.conf < (50 if t in KEEP_MARKS else 85)
    return w.conf < 15 and len(t) <= 2


def _phantom(ws: list[Word], body_h: float) -> bool:
    """A "line" made of tone marks torn off the line below (low, unsure, few letters)."""
    h = line_height(ws)
    conf = sorted(w.conf for w in ws)[len(ws) // 2]
    letters = sum(ch.isalpha() for w in ws for ch in w.text)
    return h < 0.6 * body_h and (conf < 60 or letters < 3)


def words_to_lines(words: list[Word]) -> list[list[Word]]:
    """Words grouped by Tesseract's line ids, each line left to right."""
    lines: dict[tuple, list[Word]] = {}
    for w in words:
        lines.setdefault(w.line, []).append(w)
    return [sorted(ws, key=lambda w: w.x0) for ws in lines.values()]


def line_height(ws: list[Word]) -> float:
    """A line's height from its words (median, so descenders and marks do not count twice)."""
    hs = sorted(w.bottom - w.top for w in ws if any(ch.isalnum() for ch in w.text)) \
        or sorted(w.bottom - w.top for w in ws)
    return float(hs[len(hs) // 2]) if hs else 0.0


DESCENDERS = set("gjpqyạặậẹệịọộợụựỵẠẶẬẸỆỊỌỘỢỤỰỴ,;()[]/|Qµ")


def _baseline(ws: list[Word], h: float) -> float:
    """Where the words stand: the median bottom of words without descenders."""
    flat = [w.bottom for w in ws if not (set(w.text) & DESCENDERS)]
    if flat:
        return float(sorted(flat)[len(flat) // 2])
    return float(sorted(w.bottom for w in ws)[len(ws) // 2]) - 0.2 * h


def _x_groups(ws: list[Word], h: float) -> list[list[Word]]:
    """A line cut where words are far apart (two columns on one OCR line)."""
    groups = [[ws[0]]]
    for a, b in zip(ws, ws[1:]):
        if b.x0 - a.x1 > 2.5 * max(h, 1.0):
            groups.append([b])
        else:
            groups[-1].append(b)
    return groups


def to_glyphs(lines: list[list[Word]], body_h: float, body_size: float = 13.0, bold=None):
    """Words into ``pdf.Ch`` glyphs in PDF points; each word's box shared out among its
    letters, all glyphs of a line given one band around its baseline (so rows group and
    line pitches read as in a born-digital PDF); the font size from the line's height,
    snapped to the body size unless clearly different."""
    from .pdf import Ch
    chars = []
    for ws in lines:
        if not ws:
            continue
        h = line_height(ws)
        ratio = h / body_h if body_h else 1.0
        letters = sum(ch.isalpha() for w in ws for ch in w.text)
        lo, hi = (0.75, 1.3) if letters >= 12 else (0.6, 1.6)
        size = body_size if lo <= ratio <= hi else round(body_size * ratio, 1)
        spx = size / PT
        for group in _x_groups(ws, h):
            base = _baseline(group, h)
            top, bottom = (base - 0.78 * spx) * PT, (base + 0.22 * spx) * PT
            is_bold = bool(bold(group)) if bold else False
            # glyph boxes as a font's advance widths: a little wider than the ink, yet
            # words always at least a fifth of the size apart (so they read as words)
            lefts = [float(w.x0) for w in group]
            rights = [float(w.x1) for w in group]
            for k in range(len(group) - 1):
                gap = group[k + 1].x0 - group[k].x1
                room = (gap - 0.2 * spx) / 2
                if room >= 0:
                    grow = min(0.05 * spx, room)
                    rights[k] += grow
                    lefts[k + 1] -= grow
                else:
                    rights[k] -= min(-2 * room, 0.4 * (group[k].x1 - group[k].x0))
            for k, w in enumerate(group):
                text = w.text
                n = len(text)
                step = (rights[k] - lefts[k]) / max(n, 1)
                for j, ch in enumerate(text):
                    x0 = (lefts[k] + j * step) * PT
                    chars.append(Ch(x0, x0 + step * PT, top, bottom, size, ch, is_bold, False))
    return chars


def stroke_width(mask: np.ndarray, ws: list[Word]) -> float:
    """Median horizontal run length of ink inside the words' boxes (stroke thickness)."""
    runs = []
    for w in ws:
        sub = mask[w.top:w.bottom, w.x0:w.x1]
        if sub.size == 0:
            continue
        padded = np.zeros((sub.shape[0], sub.shape[1] + 2), dtype=np.int8)
        padded[:, 1:-1] = sub
        d = np.diff(padded, axis=1)
        starts = np.nonzero(d == 1)
        ends = np.nonzero(d == -1)
        if len(starts[0]) and len(starts[0]) == len(ends[0]):
            runs.append(ends[1] - starts[1])
    if not runs:
        return 0.0
    return float(np.median(np.concatenate(runs)))


# ---------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------

@dataclass
class OcrPage:
    number: int
    width: float          # points
    height: float
    lines: list[list[Word]]
    grids: list[Grid]
    mask: np.ndarray      # ink after rule erasure (for stroke widths)
    seconds: float = 0.0
    table_open: Optional[int] = None  # left edge of a table without rules running off the page


def ocr_page(binary: str, image, number: int, width_pt: float, height_pt: float,
             carry: Optional[int] = None) -> OcrPage:
    """Prepare one page image (red removed, deskewed, rules erased) and OCR it."""
    import time
    from PIL import Image
    t0 = time.time()
    rgb = np.asarray(image.convert("RGB"))
    grey = drop_red(rgb)
    angle = skew_angle(grey)
    if abs(angle) >= 0.05:
        grey = np.asarray(Image.fromarray(grey).rotate(angle, resample=Image.BICUBIC, fillcolor=255))
    mask = ink(grey)
    hor, ver = find_rules(mask)
    grids = find_grids(hor, ver)
    clean = grey.copy()
    # erase the rules of tables and the short rules under header lines: they are not text
    _erase(clean, hor, [v for v in ver if any(g.xs[0] - 12 <= v[0] <= g.xs[-1] + 12 for g in grids)])
    words = [w for w in run_tesseract(binary, Image.fromarray(clean)) if not _noise(w)]
    words = _reread_cells(binary, clean, grids, words)
    words = _reread_lines(binary, clean, words)
    words, table_open = _reread_loose_tables(binary, clean, grids, words, carry)
    words = _date_numbers(binary, clean, words)
    words = _line_starts(binary, clean, grids, words)
    for w in words:
        w.text = _strip_stray(w.text)
    words = [w for w in words if w.text]
    from .. import repair
    lines = [repair.repair_words(ws) for ws in words_to_lines(words)]
    return OcrPage(number, width_pt, height_pt, [ln for ln in lines if ln], grids, ink(clean),
                   time.time() - t0, table_open)


def _reread_lines(binary: str, grey: np.ndarray, words: list[Word]) -> list[Word]:
    """``words`` with the short lines that carry the metadata (the header, the centred
    type and title, the signature block: short runs right of the left margin or at the
    top of the page) and unsure short lines read again, cropped and stacked into one
    image: page segmentation reads big bold names and mixed-size columns worst."""
    from PIL import Image
    h_img, w_img = grey.shape
    lines = words_to_lines(words)
    groups: list[list[Word]] = []
    for ws in lines:
        h = line_height(ws)
        for g in _x_groups(ws, h):
            x0, x1 = min(w.x0 for w in g), max(w.x1 for w in g)
            top = min(w.top for w in g)
            short = len(g) <= 8 and x1 - x0 < 0.5 * w_img
            where = x0 > 0.3 * w_img or top < 0.22 * h_img or g[0].text in ("Điều", "ĐIỀU")
            unsure = min(w.conf for w in g) < 60
            if short and (where or unsure):
                groups.append(g)
    if not groups:
        return words
    pad, gap = 16, 40
    crops, spans = [], []
    y = gap
    for g in groups:
        h = line_height(g)
        x0 = max(0, min(w.x0 for w in g) - pad)
        x1 = min(w_img, max(w.x1 for w in g) + pad)
        t = max(0, int(min(w.top for w in g) - 0.15 * h))
        u = min(h_img, int(max(w.bottom for w in g) + 0.15 * h))
        crops.append((grey[t:u, x0:x1], y, x0, t))
        spans.append((y, y + (u - t)))
        y += (u - t) + gap
    width = max(c[0].shape[1] for c in crops) + 2 * gap
    sheet = np.full((y, width), 255, dtype=np.uint8)
    for img, yy, _, _ in crops:
        sheet[yy:yy + img.shape[0], gap:gap + img.shape[1]] = img
    try:
        found = run_tesseract(binary, Image.fromarray(sheet), psm=4)
    except RuntimeError:
        return words
    found = [w for w in found if not _noise(w)]
    replace: dict[int, list[Word]] = {}
    for k, (a, b) in enumerate(spans):
        mine = [w for w in found if a <= (w.top + w.bottom) / 2 < b]
        if not mine:
            continue
        old = groups[k]
        if abs(len(mine) - len(old)) > 2:
            continue
        if not any(ch.isalnum() for ch in old[0].text) and mine[0].text != old[0].text:
            continue  # keep a line's dash or bullet
        n_old = sum(ch.isalnum() for w in old for ch in w.text)
        n_new = sum(ch.isalnum() for w in mine for ch in w.text)
        if abs(n_new - n_old) > 0.2 * n_old + 1:
            continue  # a neighbour line crept into the crop
        old_conf = sum(w.conf for w in old) / len(old)
        new_conf = sum(w.conf for w in mine) / len(mine)
        if new_conf <= old_conf:
            continue
        _, yy, x0, t = crops[k]
        key = old[0].line
        replace[k] = [Word(w.text, w.x0 - gap + x0, w.top - yy + t, w.x1 - gap + x0, w.bottom - yy + t,
                           key, w.conf) for w in mine]
    if not replace:
        return words
    gone = {id(w) for k in replace for w in groups[k]}
    return [w for w in words if id(w) not in gone] + [w for k in replace for w in replace[k]]


def _read_crops(binary: str, grey: np.ndarray, crops: list[tuple[int, int, int, int]], gap: int = 50):
    """OCR many pieces of a page in one Tesseract call: the crops (a, b, t, u: x from a to b,
    y from t to u) pasted one under another on a white sheet. Yields (crop index, word, its
    box on the page) for each word read; nothing when Tesseract fails."""
    from PIL import Image
    width = max(b - a for a, b, _, _ in crops) + 2 * gap
    height = sum(u - t for _, _, t, u in crops) + gap * (len(crops) + 1)
    sheet = np.full((height, width), 255, dtype=np.uint8)
    at, y = [], gap
    for a, b, t, u in crops:
        sheet[y:y + u - t, gap:gap + b - a] = grey[t:u, a:b]
        at.append((y, y + u - t, a, t))
        y += u - t + gap
    try:
        found = run_tesseract(binary, Image.fromarray(sheet), psm=6)
    except RuntimeError:
        return
    for w in found:
        cy = (w.top + w.bottom) / 2
        for i, (y0, y1, a, t) in enumerate(at):
            if y0 - 8 <= cy <= y1 + 8:
                yield i, w, (w.x0 - gap + a, w.top - y0 + t, w.x1 - gap + a, w.bottom - y0 + t)
                break


def _line_starts(binary: str, grey: np.ndarray, grids: list[Grid], words: list[Word]) -> list[Word]:
    """Ink left of a body line's first word that OCR dropped (a label "c)" lost before
    its text): those pieces read again, all on one sheet."""
    h_img, w_img = grey.shape
    lines = words_to_lines(words)
    starts = sorted(ws[0].x0 for ws in lines if len(ws) >= 6)
    if len(starts) < 5:
        return words
    left = starts[len(starts) // 10]
    mask = ink(grey)
    pieces = []
    for ws in lines:
        f = ws[0]
        h = line_height(ws)
        if f.x0 - left < 1.0 * h or f.x0 > 0.3 * w_img or any(
                g.xs[0] - 10 <= f.x0 <= g.xs[-1] + 10 and g.ys[0] - 10 <= f.top <= g.ys[-1] + 10 for g in grids):
            continue
        a, b = max(0, left - 10), f.x0 - 6
        t, u = max(0, f.top - 4), min(h_img, f.bottom + 4)
        if b - a < 10 or np.count_nonzero(mask[t:u, a:b]) < max(60, 0.008 * (b - a) * (u - t)):
            continue
        pieces.append((a, b, t, u, ws))
    if not pieces:
        return words
    out = []
    for i, w, box in _read_crops(binary, grey, [p[:4] for p in pieces]):
        label = re.fullmatch(r"[a-zđ]\)|\d{1,2}(?:\.\d{1,2})*\.|[IVX]{1,4}\.|[-+–]", w.text)
        if w.conf < (30 if label else 60) or (_noise(w) and not label):
            continue
        out.append(Word(w.text, *box, pieces[i][4][0].line, w.conf))
    return words + out


DATE_WORDS = ("ngày", "tháng", "năm")


def _date_numbers(binary: str, grey: np.ndarray, words: list[Word]) -> list[Word]:
    """A date whose day or month OCR lost ("ngày tháng 5 năm 2026": an italic "11" read
    as nothing): the gap between the two date words is read again as digits."""
    from PIL import Image
    out = []
    for ws in words_to_lines(words):
        for a, b in zip(ws, ws[1:]):
            if a.text.lower() not in DATE_WORDS[:2] or b.text.lower() not in DATE_WORDS[1:]:
                continue
            if DATE_WORDS.index(b.text.lower()) != DATE_WORDS.index(a.text.lower()) + 1:
                continue
            h = max(a.bottom - a.top, b.bottom - b.top)
            if b.x0 - a.x1 < 0.9 * h:
                continue
            x0, x1 = a.x1 + 3, b.x0 - 3
            t, u = max(0, min(a.top, b.top) - 8), max(a.bottom, b.bottom) + 8
            crop = np.full((u - t + 40, x1 - x0 + 40), 255, dtype=np.uint8)
            crop[20:-20, 20:-20] = grey[t:u, x0:x1]
            try:
                found = run_tesseract(binary, Image.fromarray(crop), psm=7, lang="eng",
                                      config=("tessedit_char_whitelist=0123456789",))
            except RuntimeError:
                continue
            digits = "".join(w.text for w in found)
            if re.fullmatch(r"\d{1,2}", digits) and 1 <= int(digits) <= 31:
                f = found[0]
                out.append(Word(digits, f.x0 - 20 + x0, f.top - 20 + t, found[-1].x1 - 20 + x0,
                                f.bottom - 20 + t, a.line, min(w.conf for w in found)))
    return words + out


TABLE_HEAD = re.compile(r"^(?:STT|TT|Stt)$")


def _white_columns(mask: np.ndarray, lo: int, hi: int, min_w: int = 12) -> list[tuple[int, int]]:
    """x-ranges inside [lo, hi) where no row of ``mask`` has ink (column gutters)."""
    counts = mask[:, lo:hi].sum(axis=0)
    cover = counts > 2 + 0.004 * mask.shape[0]  # specks of dust do not close a gutter
    gaps, start = [], None
    for x, c in enumerate(cover.tolist()):
        if not c and start is None:
            start = x
        elif c and start is not None:
            if x - start >= min_w and start > 0:
                gaps.append((start + lo, x + lo))
            start = None
    return gaps


def _blobs(binary: str, grey: np.ndarray, mask: np.ndarray, a: int, b: int, top: int, bottom: int,
           h: float, have: list[Word], key: int) -> list[Word]:
    """Ink blobs of a narrow column (lone numbers) that no word covers, read on one
    sheet, each in its own row."""
    from PIL import Image
    rows = mask[top:bottom, a:b].sum(axis=1) > 1
    spans, start = [], None
    for y, r in enumerate(rows.tolist() + [False]):
        if r and start is None:
            start = y
        elif not r and start is not None:
            if spans and start - spans[-1][1] < 0.4 * h:
                spans[-1] = (spans[-1][0], y)
            else:
                spans.append((start, y))
            start = None
    spans = [(top + s, top + e) for s, e in spans if e - s >= 0.3 * h]
    spans = [(s, e) for s, e in spans if not any(s - 5 <= (w.top + w.bottom) / 2 <= e + 5 for w in have)]
    if not spans:
        return []
    gap = 60
    sheet_h = sum(e - s for s, e in spans) + gap * (len(spans) + 1)
    sheet = np.full((sheet_h, b - a + 2 * gap), 255, dtype=np.uint8)
    at, y = [], gap
    for s, e in spans:
        sheet[y:y + e - s, gap:gap + b - a] = grey[s:e, a:b]
        at.append((y, y + e - s, s))
        y += e - s + gap
    try:
        found = run_tesseract(binary, Image.fromarray(sheet), psm=6)
    except RuntimeError:
        return []
    out = []
    for w in found:
        if _noise(w) or w.conf < 40:
            continue
        cy = (w.top + w.bottom) / 2
        for y0, y1, s in at:
            if y0 - 10 <= cy <= y1 + 10:
                out.append(Word(w.text, w.x0 - gap + a, w.top - y0 + s, w.x1 - gap + a, w.bottom - y0 + s,
                                (key, s, 0), w.conf))
                break
    return out


def _reread_loose_tables(binary: str, grey: np.ndarray, grids: list[Grid], words: list[Word],
                         carry: Optional[int] = None) -> tuple[list[Word], Optional[int]]:
    """A table drawn without rules (from a line starting "STT"/"TT", or continued from
    the previous page when ``carry``): page segmentation reads its columns as one block
    and mixes their lines; each column (between white gutters of the image) is read
    again on its own. Returns the words and, when the table runs to the page end, its
    left edge (for the next page)."""
    from PIL import Image
    h_img, w_img = grey.shape
    mask = ink(grey)
    lines = sorted(words_to_lines(words), key=lambda ws: min(w.top for w in ws))
    lines = [ln for ln in lines if min(w.top for w in ln) > 0.06 * h_img] if carry is not None else lines
    for i, ws in enumerate(lines):
        if carry is not None and i == 0:
            pass
        elif not TABLE_HEAD.match(ws[0].text) or ws[0].x0 > 0.3 * w_img:
            continue
        if any(g.ys[0] - 10 <= ws[0].top <= g.ys[-1] + 10 for g in grids):
            continue
        h = line_height(ws)
        top_i = i
        while carry is None and top_i > 0 and ws[0].top - min(w.top for w in lines[top_i - 1]) < 2.5 * h \
                and lines[top_i - 1][0].x0 > ws[0].x1:
            top_i -= 1
        top = max(0, min(w.top for w in lines[top_i]) - 8)
        lo = carry if carry is not None else max(0, ws[0].x0 - 10)
        hi = min(w_img, max(w.x1 for ln in lines[top_i:] for w in ln) + 10)
        end, gaps = i + 1, []
        for j in range(i + 1, len(lines) + 1):
            bottom = max(w.bottom for w in lines[j - 1]) + 4
            g = _white_columns(mask[top:bottom], lo, hi)
            if len(g) < 2:
                break
            end, gaps = j, g
        if len(gaps) < 2 or end - i < (2 if carry is not None else 3):
            if carry is not None:
                break
            continue
        bottom = min(h_img, max(w.bottom for ln in lines[top_i:end] for w in ln) + 8)
        # columns at least a few letters wide ("STT" has gaps between its letters): the
        # narrowest column is merged into its narrower neighbour until none is too narrow
        cuts = [lo] + [(a + b) // 2 for a, b in gaps] + [hi]
        while len(cuts) > 2:
            widths = [y - x for x, y in zip(cuts, cuts[1:])]
            k = min(range(len(widths)), key=widths.__getitem__)
            if widths[k] >= 3 * h:
                break
            if k == 0:
                cuts.pop(1)
            elif k == len(widths) - 1:
                cuts.pop(k)
            else:
                cuts.pop(k if widths[k - 1] <= widths[k + 1] else k + 1)
        if len(cuts) < 4:
            continue
        new: list[Word] = []
        keep = set()
        for c, (a, b) in enumerate(zip(cuts, cuts[1:])):
            if b - a < 10:
                continue
            if c == 0 and b - a < 0.08 * w_img:
                # the narrow STT column: the page's reading of lone numbers, plus the ink
                # blobs it missed read one by one
                keep.add((a, b))
                have = [w for ln in lines for w in ln if a <= (w.x0 + w.x1) / 2 < b
                        and top <= (w.top + w.bottom) / 2 <= bottom]
                new += _blobs(binary, grey, mask, a, b, top, bottom, h, have, 2100)
                continue
            crop = np.full((bottom - top + 40, b - a + 40), 255, dtype=np.uint8)
            crop[20:-20, 20:-20] = grey[top:bottom, a:b]
            if not mask[top:bottom, a:b].any():
                continue
            try:
                found = run_tesseract(binary, Image.fromarray(crop), psm=4)
            except RuntimeError:
                return words
            mine = [Word(w.text, w.x0 + a - 20, w.top + top - 20, w.x1 + a - 20, w.bottom + top - 20,
                         (2000 + c, w.line[0], w.line[1] * 1000 + w.line[2]), w.conf)
                    for w in found if not _noise(w)]
            new += mine
            if c == 0:
                # an STT column merged into the next one (its header is wider than its
                # numbers): lone numbers the column's reading missed, blob by blob
                stt = [(g0 + g1) // 2 for g0, g1 in gaps if (g0 + g1) // 2 < b and (g0 + g1) // 2 - a < 0.08 * w_img]
                if stt:
                    cut = max(stt)
                    have = [w for w in mine if (w.x0 + w.x1) / 2 < cut]
                    new += _blobs(binary, grey, mask, a, cut, top, bottom, h, have, 2100)
        if not new:
            continue
        inside = {id(w) for ln in lines for w in ln
                  if lo <= (w.x0 + w.x1) / 2 <= hi and top <= (w.top + w.bottom) / 2 <= bottom
                  and not any(a <= (w.x0 + w.x1) / 2 < b for a, b in keep)}
        return [w for w in words if id(w) not in inside] + new, (lo if end == len(lines) else None)
    return words, None


STRAY = "'`‘’^~¨´_"


def _doubled(text: str) -> str:
    """A letter read twice with different case and marks ("ĐồỒng" -> "Đồng"): the copy
    whose case does not fit the word is dropped."""
    from ..repair import fold_char
    if len(text) < 3:
        return text
    letters = [c for c in text[1:] if c.isalpha()]
    upper_word = sum(c.isupper() for c in letters) > len(letters) / 2
    out = [text[0]]
    for c in text[1:]:
        p = out[-1]
        if len(out) > 1 and c.isalpha() and p.isalpha() and fold_char(c) == fold_char(p) \
                and c.isupper() != p.isupper():
            if c.isupper() != upper_word:
                continue            # drop c
            out[-1] = c             # drop p
            continue
        out.append(c)
    return "".join(out)


def _strip_stray(text: str) -> str:
    """A word without the specks read as quotes or accents at its start or end."""
    t = _doubled(text)
    while len(t) > 1 and t[0] in STRAY and any(c.isalnum() for c in t[1:]):
        t = t[1:]
    while len(t) > 1 and t[-1] in STRAY and (t[-2].isalnum() or t[-2] in ".,;:") and t.count(t[-1]) == 1:
        t = t[:-1]
    return t


def _cells(grid: Grid, spans: bool = False):
    """(row, column index, x0, y0, x1, y1) of each cell of a grid, pixels; a cell merged
    over several rows (no rule under it) comes once, at its first row, with its full
    height (and, when ``spans``, the index of the row after it as a seventh item)."""
    n = len(grid.ys) - 1
    for r in range(n):
        y0 = grid.ys[r]
        mid = (y0 + grid.ys[r + 1]) / 2
        present = [x for x, v0, v1 in grid.ver if v0 - 6 <= mid <= v1 + 6]
        bounds = sorted({min(grid.xs, key=lambda b: abs(b - x)) for x in present} | {grid.xs[0], grid.xs[-1]})
        for a, b in zip(bounds, bounds[1:]):
            cx = (a + b) / 2
            if r > 0 and grid.hor and not grid.ruled_at(y0, cx):
                continue  # the cell above runs on through this row
            end = r + 1
            while end < n and grid.hor and not grid.ruled_at(grid.ys[end], cx):
                end += 1
            cell = (r, grid.xs.index(a), a, y0, b, grid.ys[end])
            yield cell + (end,) if spans else cell


def _reread_cells(binary: str, grey: np.ndarray, grids: list[Grid], words: list[Word]) -> list[Word]:
    """``words`` with the cells of ruled tables read again cell by cell: with the rules
    erased, page segmentation reads a text line across neighbouring cells whose lines
    do not align, and misses lone numbers. The cells of one column are stacked on one
    sheet (one OCR call a column); a cell keeps the page's reading when the sheet gives
    it nothing."""
    if not grids:
        return words
    mask = ink(grey)
    replace: dict[tuple, list[Word]] = {}
    boxes: dict[tuple, tuple[int, int, int, int]] = {}
    for gi, g in enumerate(grids):
        columns: dict[int, list[tuple]] = {}
        for r, c, x0, y0, x1, y1 in _cells(g):
            a, b, t, u = int(x0) + 6, int(x1) - 6, int(y0) + 6, int(y1) - 6
            if b - a < 10 or u - t < 10 or np.count_nonzero(mask[t:u, a:b]) < 40:
                continue
            columns.setdefault(c, []).append((r, a, b, t, u))
            boxes[(gi, r, c)] = (a, b, t, u)
        for c, cells in columns.items():
            for i, w, box in _read_crops(binary, grey, [cell[1:] for cell in cells]):
                if _noise(w) or w.conf < 30:
                    continue
                r = cells[i][0]
                replace.setdefault((gi, r, c), []).append(
                    Word(w.text, *box, (1000 + gi, r, c * 1000 + w.line[0] * 100 + w.line[2]), w.conf))
    gone: set[int] = set()
    for key, new in replace.items():
        a, b, t, u = boxes[key]
        for k, w in enumerate(words):
            if a - 4 <= (w.x0 + w.x1) / 2 <= b + 4 and t - 4 <= (w.top + w.bottom) / 2 <= u + 4:
                gone.add(k)
    return [w for k, w in enumerate(words) if k not in gone] + [w for new in replace.values() for w in new]


STT_LOOKALIKE = str.maketrans({"|": "1", "l": "1", "I": "1", "i": "1", "§": "8", "B": "8", "O": "0",
                               "o": "0", "S": "5", "Z": "2", "z": "2", "?": "7"})


def _group_labels(rows: list[list[str]], state: Optional[list[int]] = None) -> None:
    """Group rows of a task table (an STT cell and a title, the other cells empty) are
    numbered I, II, III...: OCR reads "I" as "1" or "l" and "II" as "H" or "11"."""
    if len(rows) < 2 or len(rows[0]) < 3:
        return
    k, n = state if state else (0, 0)
    numbered = any(re.fullmatch(r"\d{1,3}\.?", r[0].strip()) for r in rows)
    parent = False  # the last numbered row only heads sub-rows (its other cells empty)
    for i, row in enumerate(rows):
        stt = row[0].strip()
        if not stt or (parent and stt in ("-", "–", "+", ".", "_")):
            if parent and i > 1:
                row[0] = "-"  # a sub-row under a heading row: its dash is often lost
            elif numbered and i > 1 and sum(bool(c.strip()) for c in row[1:]) >= 3 \
                    and not row[1].lstrip().startswith(("-", "+", "–")):
                # ruled rows are whole rows (a row cut by a page break comes first): a
                # lone number missed by OCR
                row[0] = str(n + 1)
                n += 1
            continue
        nxt = next((r[0].strip() for r in rows[i + 1:] if r[0].strip()), "")
        heading = not any(c.strip() for c in row[2:]) and bool(row[1].strip())
        parent = bool(re.fullmatch(r"\d{1,3}\.?", stt)) and heading and nxt not in ("1", "1.")
        if heading and (not re.fullmatch(r"\d{1,3}\.?", stt) or nxt in ("1", "1.")):  # a group row
            want = next((r for r, v in ROMAN.items() if v == k + 1), None)
            if re.fullmatch(r"[IVX]{1,4}", stt) and (ROMAN.get(stt) == k + 1 or set(stt) != {"I"}
                                                     or not want or set(want) != {"I"}):
                k, n = ROMAN.get(stt, k), 0
                continue
            if want and re.fullmatch(r"[1lI|HVX]{1,4}\.?", stt):
                row[0] = want
                k, n = k + 1, 0
            continue
        if re.fullmatch(r"\d{1,3}\.?", stt):
            n = int(stt.rstrip("."))
            continue
        read = stt.translate(STT_LOOKALIKE)
        if len(stt) <= 3 and read.rstrip(".") == str(n + 1):
            row[0] = str(n + 1)
            n += 1
    if state is not None:
        state[:] = [k, n]


def _grid_table(grid: Grid, chars, pageno: int):
    """A ruled table (image grid) as pdf.TableData: one row a band between horizontal
    rules, a cell between the vertical rules present in that band; a merged cell keeps
    its text once, in its first column."""
    from .pdf import TableData, _cell_text
    ncol = len(grid.xs) - 1
    rows: dict[int, list[str]] = {}
    for r, c, x0, y0, x1, y1, end in _cells(grid, spans=True):
        if (y1 - y0) * PT < 4:
            continue
        a, b, t, u = x0 * PT, x1 * PT, y0 * PT, y1 * PT
        cell = [ch for ch in chars if a <= ch.cx <= b and t <= ch.cy <= u]
        text = _cell_text(cell, pageno)
        for rr in range(r, end):  # a merged cell's text on each of its rows, as PDF tables read
            rows.setdefault(rr, [""] * ncol)[c] = text
    grid_rows = [rows[r] for r in sorted(rows) if any(rows[r])]
    keep = [j for j in range(ncol) if any(row[j] for row in grid_rows)]
    if len(keep) < 2 or not grid_rows:
        return None
    out = [[row[j] for j in keep] for row in grid_rows]
    x0, top, x1, bottom = (v * PT for v in grid.box)
    return TableData(out, [pageno] * len(out), pageno, top, bottom, x0, x1,
                     [grid.xs[j] * PT for j in keep])


def render_pages(path: Path, pages: Optional[Iterable[int]] = None):
    """(page number, PIL image at DPI, width pt, height pt) for the wanted pages (1-based)."""
    import pypdfium2 as pdfium
    try:
        pdf = pdfium.PdfDocument(str(path))
    except Exception as e:  # pdfium raises PdfiumError on broken files
        raise DirectiveError(str(path), f"corrupt PDF: {e}") from e
    try:
        wanted = list(pages) if pages is not None else list(range(1, len(pdf) + 1))
        for n in wanted:
            page = pdf[n - 1]
            w, h = page.get_size()
            img = page.render(scale=DPI / 72).to_pil()
            yield n, img, float(w), float(h)
            page.close()
    finally:
        pdf.close()


def ocr_pages(path: Path, pages: Optional[Iterable[int]] = None) -> list[OcrPage]:
    binary = check_tesseract(str(path))
    out = []
    for n, img, w, h in render_pages(path, pages):
        try:
            out.append(ocr_page(binary, img, n, w, h, carry=out[-1].table_open if out else None))
        except RuntimeError as e:
            raise DirectiveError(str(path), f"OCR failed on page {n}: {e}") from e
    return out


# ---------------------------------------------------------------------------
# Labels: the body's numbering, read back in sequence
# ---------------------------------------------------------------------------

LETTERS = "a b c d đ e g h i k l m n o p q r s t u v x y".split()
# what OCR makes of each label letter
CONFUSED = {"a": {"8", "ø", "@", "ạ", "à", "á", "o", "ä", "â", "ă"}, "b": {"6", "h"}, "c": {"e", "¢", "("},
            "d": {"đ", "ð"}, "đ": {"d", "ð", "ä"}, "e": {"c", "é", "è", "ẹ", "ê"},
            "g": {"ø", "q", "9", "ọ", "ş"}, "h": {"b", "k"}, "i": {"1", "l", "ì", "í", "|"},
            "k": {"h"}, "l": {"1", "I", "i", "|"}, "o": {"0", "ơ", "ô"}, "u": {"ư", "ü"}, "y": {"ý", "v"}}
ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10,
         "XI": 11, "XII": 12, "XIII": 13, "XIV": 14, "XV": 15}
GLUED_LABEL = re.compile(r"^((?:[IVX]{1,5}|\d{1,3}(?:\.\d{1,3})*)\.|[a-zđ]\))([A-ZĐÀ-Ỹa-zđà-ỹ].*)$")


def _split_glued(ws: list[Word]) -> list[Word]:
    """A label glued to its first word ("I.MỤC", "- đ)Củng") split into two words."""
    k = 1 if len(ws) > 1 and ws[0].text in ("-", "–") else 0
    if not ws:
        return ws
    m = GLUED_LABEL.match(ws[k].text)
    if not m:
        return ws
    w = ws[k]
    cut = w.x0 + (w.x1 - w.x0) * len(m.group(1)) / len(w.text)
    a = Word(m.group(1), w.x0, w.top, int(cut), w.bottom, w.line, w.conf)
    b = Word(m.group(2), int(cut) + 1, w.top, w.x1, w.bottom, w.line, w.conf)
    return ws[:k] + [a, b] + ws[k + 1:]


def _label_starts(pages: list["OcrPage"]) -> list[list[Word]]:
    """Body lines (outside tables, starting in the left half) in reading order."""
    out = []
    for p in pages:
        boxes = [(g.xs[0], g.ys[0], g.xs[-1], g.ys[-1]) for g in p.grids]
        for ws in sorted(p.lines, key=lambda ws: min(w.top for w in ws)):
            f = ws[0]
            if f.x0 > 0.45 * p.width / PT or any(x0 <= f.x0 <= x1 and y0 <= f.top <= y1
                                                 for x0, y0, x1, y1 in boxes):
                continue
            out.append(ws)
    return out


def _all_caps_words(ws: list[Word]) -> bool:
    letters = [ch for w in ws for ch in w.text if ch.isalpha()]
    return len(letters) >= 3 and all(ch.isupper() for ch in letters)


def _letter_of(t: str) -> Optional[str]:
    m = re.fullmatch(r"(\S)\)", t)
    return m.group(1) if m and not m.group(1).isdigit() or (m and m.group(1) in "89") else None


def _fix_labels(pages: list["OcrPage"]) -> None:
    """Labels at the start of body lines read back in their sequence: a Roman part
    that does not follow the last one is an item ("I." after "II." is "1."), a lettered
    point misread as a look-alike ("8)", "ø)", "e)") is the letter that comes next
    (a real letter is changed only when the next point confirms it)."""
    lines = _label_starts(pages)
    for ws in lines:  # a speck read as a dash before a lettered point
        if ws[0].text in ("-", "–") and len(ws) > 1 and _letter_of(ws[1].text):
            ws.pop(0)
    roman = num = 0
    letter = -1
    for i, ws in enumerate(lines):
        first = ws[0]
        t = first.text
        if t in ("Điều", "ĐIỀU"):  # an article: its clauses count from 1
            num, letter = 0, -1
            continue
        m = re.fullmatch(r"([IVXHl1|]{1,5})\.", t)
        if m and m.group(1) in ROMAN and ROMAN[m.group(1)] == roman + 1:
            roman, num, letter = roman + 1, 0, -1
            continue
        nxt_roman = next((k for k, v in ROMAN.items() if v == roman + 1), None)
        if m and roman and nxt_roman and ws[1:] and _all_caps_words(ws[1:]):
            read = m.group(1).replace("H", "II").translate(str.maketrans("l1|", "III"))
            if read == nxt_roman or (set(nxt_roman) == {"I"} and set(read) == {"I"}
                                     and len(read) == len(nxt_roman) - 1):
                first.text = nxt_roman + "."  # "HI." or "II." for "III." over a part in capitals
                roman, num, letter = roman + 1, 0, -1
                continue
        if m or re.fullmatch(r"[Il|]\d{1,2}\.", t):
            body = t[:-1]
            cands = {body.translate(str.maketrans("Il|", "111"))}
            if body[0] in "Il|":
                cands.add(body[1:].translate(str.maketrans("Il|", "111")))
            if str(num + 1) in cands:
                first.text = f"{num + 1}."
                num, letter = num + 1, -1
            continue
        m = re.fullmatch(r"(\d{1,3})\.", t)
        if m:
            num, letter = int(m.group(1)), -1
            continue
        ch = _letter_of(t)
        if ch is None:
            continue
        want = LETTERS[letter + 1] if letter + 1 < len(LETTERS) else None
        if ch == want:
            letter += 1
            continue
        if want and ch in CONFUSED.get(want, ()):
            if ch in LETTERS:
                # a real letter: only when the next point is the one after ``want``
                nxt = next((_letter_of(w[0].text) for w in lines[i + 1:i + 40]
                            if _letter_of(w[0].text) or re.fullmatch(r"\d{1,3}\.|[IVX]{1,5}\.", w[0].text)), None)
                after = LETTERS[letter + 2] if letter + 2 < len(LETTERS) else None
                if nxt is None or (nxt != after and nxt not in CONFUSED.get(after, ())):
                    letter = LETTERS.index(ch)
                    continue
            first.text = want + ")"
            letter += 1
        elif ch in LETTERS:
            letter = LETTERS.index(ch)


def _repair_columns(doc: Document) -> None:
    """Fixed phrases wrapped over two lines of a header or signature column ("THỦ TƯỚNG
    CHÍNH" / "PHÙ") repaired as one text; the repair keeps lengths, so offsets hold."""
    from ..model import CLOSING_RIGHT, HEADER_LEFT, HEADER_RIGHT
    from ..repair import repair_text
    text = list(doc.text)
    blocks = doc.blocks
    i = 0
    while i < len(blocks):
        j = i
        while j < len(blocks) and blocks[j].zone == blocks[i].zone and blocks[j].kind == "para":
            j += 1
        run = blocks[i:max(j, i + 1)]
        i = max(j, i + 1)
        if len(run) < 2 or run[0].zone not in (HEADER_LEFT, HEADER_RIGHT, CLOSING_RIGHT):
            continue
        joined = " ".join(b.raw for b in run)
        fixed = repair_text(joined)
        if fixed == joined or len(fixed) != len(joined):
            continue
        pos = 0
        for b in run:
            new = fixed[pos:pos + len(b.raw)]
            pos += len(b.raw) + 1
            if new != b.raw:
                text[b.start:b.end] = list(new)
                b.raw = b.text = new
    doc.text = "".join(text)


def read_scanned(path: str | Path, pages: Optional[Iterable[int]] = None) -> Document:
    """OCR a scanned PDF (all pages, or the given 1-based ``pages``) into a Document."""
    from . import pdf as P
    path = Path(path)
    opages = ocr_pages(path, pages)
    all_lines = [ln for p in opages for ln in p.lines]
    heights = sorted(line_height(ln) for ln in all_lines if len(ln) >= 3)
    body_h = heights[len(heights) // 2] if heights else 40.0
    for p in opages:
        p.lines = [_split_glued(ln) for ln in p.lines if not _phantom(ln, body_h)]
    _fix_labels(opages)
    body_size = round(body_h * PT / 1.05, 1) or 13.0
    widths = sorted(stroke_width(p.mask, ln) for p in opages for ln in p.lines if len(ln) >= 3)
    body_stroke = widths[len(widths) // 2] if widths else 0.0

    def bold(ws, mask):
        return body_stroke and stroke_width(mask, ws) > 1.3 * body_stroke

    pdata = []
    for p in opages:
        chars = to_glyphs(p.lines, body_h, body_size, bold=lambda ws, m=p.mask: bold(ws, m))
        tables = []
        for g in p.grids:
            box = tuple(v * PT for v in g.box)
            inside = [c for c in chars if P._in_box(c, box)]
            t = _grid_table(g, inside, p.number) if inside else None
            if t is None:
                continue
            flat = " ".join(" ".join(r) for r in t.rows)
            if P.MOTTO.search(flat.replace(" ", "")) or P.NOI_NHAN.search(flat):
                continue
            tables.append((t, box))
        pdata.append(P.PageData(p.number, p.width, p.height, chars, tables, bool(chars)))
    # numbering of task tables (group rows I, II...; rows 1, 2...), continued across pages
    state, last = [0, 0], None
    for pd in pdata:
        for t, _ in pd.tables:
            if last is None or not (t.page == last.page + 1 and t.top < 0.3 * pd.height):
                state = [0, 0]
            _group_labels(t.rows, state)
            last = t
    # a header row repeated on the next page, its first cell misread ("TT" as "1")
    heads = [t.rows[0] for pd in pdata for t, _ in pd.tables]
    for t in [t for pd in pdata for t, _ in pd.tables][1:]:
        first = heads[0]
        if len(t.rows[0]) == len(first) and [c.lower() for c in t.rows[0][1:]] == [c.lower() for c in first[1:]]:
            t.rows[0][0] = first[0]
    if not any(pd.chars for pd in pdata):
        raise DirectiveError(str(path), "no text found by OCR (blank or unreadable scan)")
    state = P.State(body_size)
    items = []
    for pd in pdata:
        if pd.chars:
            items.extend(P._page_items(pd, state))
    builder = SourceBuilder()
    P._emit(P._closing_order(items), builder)
    doc = builder.build(str(path), "pdf")
    _repair_columns(doc)
    doc.pages = max((p.number for p in opages), default=1)
    doc.ocr = True
    secs = sum(p.seconds for p in opages)
    doc.warn("ocr", f"text read by OCR (Tesseract, vie) from {len(opages)} page(s) in {secs:.1f} s")
    return doc
