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
from ..header import PLACE_DATE_RE
from ..model import FURNITURE, Document
from ..patterns import LABEL_RE, is_all_caps
from . import SourceBuilder

RUNNING_HEAD_RE = re.compile(r"^\s*CÔNG\s*BÁO\s*/\s*Số\s*\d+.*$", re.I)
PAGE_NO_RE = re.compile(r"^\s*-?\s*\d{1,4}\s*-?\s*$")
STAMP_RE = re.compile(r"^\s*(Ký bởi|Cơ quan|Ngày ký|Email|Thời gian ký)\s*:", re.I)
TERMINAL = tuple(".;:!?")
_HEADER_LINE_RE = re.compile(r"^(Số\s*[:.]?\s*\d|V/v\b|Kính\s+gửi|Nơi\s+nhận)", re.I)
_MOTTO_RE = re.compile(r"^Độc\s+lập\s*[-–]\s*Tự\s+do", re.I)


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
    return bool(s) and set(s) <= set("_-–—=*. ") and (len(s) >= 3 or set(s) <= set("*"))


def read_text(path: Path) -> Document:
    """Read a .txt extraction into blocks (page breaks, furniture and pipe tables handled)."""
    text = decode_bytes(path.read_bytes(), str(path))
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return lines_to_document(unfold_columns(lines), str(path), "txt")


COLUMN_GAP_RE = re.compile(r"\S(\s{6,})\S")
_TYPE_LINE_RE = re.compile(r"^\s*(CHỈ THỊ|CÔNG ĐIỆN|KẾ HOẠCH|QUYẾT ĐỊNH|NGHỊ QUYẾT|THÔNG BÁO|CHƯƠNG TRÌNH|"
                           r"KÍNH GỬI|Kính gửi)\b")


def _split_columns(lines: list[str]) -> list[str]:
    """Lines laid out in two columns side by side (a "layout" text extraction): the left
    column's lines first, then the right column's."""
    left: list[str] = []
    right: list[str] = []
    for ln in lines:
        m = COLUMN_GAP_RE.search(ln)
        if m:
            left.append(ln[:m.start(1)].rstrip())
            right.append(ln[m.end(1):].strip())
        elif ln.strip() and len(ln) - len(ln.lstrip()) >= 20:
            right.append(ln.strip())  # a line only in the right column
        else:
            left.append(ln)
    return left + [""] + right


def unfold_columns(lines: list[str]) -> list[str]:
    """Undo side-by-side columns in the header (issuer | national motto) and the closing
    (Nơi nhận | signature) of a layout text extraction. Body lines are left alone."""
    head_end = next((i for i, ln in enumerate(lines[:40]) if _TYPE_LINE_RE.match(ln)), None)
    if head_end is None or not any(COLUMN_GAP_RE.search(ln) for ln in lines[:head_end]):
        return lines
    out = _split_columns(lines[:head_end]) + [""] + lines[head_end:]
    close = next((i for i, ln in enumerate(out) if re.match(r"^\s*Nơi\s+nhận", ln)), None)
    if close is not None and COLUMN_GAP_RE.search(out[close]):
        end = close
        while end < len(out) and (out[end].strip() or end - close < 3):
            end += 1
        out = out[:close] + _split_columns(out[close:end]) + out[end:]
    return out


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
    skip_to = -1
    for i, raw in enumerate(lines):
        if i < skip_to:
            continue
        line = raw.replace("\f", "").strip()
        if furn[i]:
            continue
        if line in ("TT", "STT", "Số TT") and _header_roles(lines, i, furn):
            flush()
            flush_table()
            rows, row_pages, skip_to = _cell_lines_table(lines, i, furn, pages)
            if rows:
                builder.add_table(rows, page=row_pages[0], row_pages=row_pages)
            prev_line = ""
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
    if _HEADER_LINE_RE.match(line) or _MOTTO_RE.match(prev) or PLACE_DATE_RE.match(line):
        return False
    if line.startswith("(") and line.rstrip().endswith(")") and len(line) < 60:
        return False  # "(Đã ký)", "(Kèm theo ...)" captions
    if prev.endswith(TERMINAL) or prev.endswith("./."):
        # a full-width line ending in a full stop may still wrap mid-paragraph
        return bool(wide) and len(prev) >= 0.9 * wide and line[:1].islower()
    return True


# ---------------------------------------------------------------- tables written one cell line a line

ROW_MARK_RE = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3}){0,2}|[IVX]{1,5}|[-–+]|[A-Z])\.?$")
_ROLE_WORDS = [("content", ("noi dung", "nhiem vu", "cong viec", "chi tieu")), ("lead", ("chu tri", "thuc hien")),
               ("support", ("phoi hop",)), ("due", ("thoi gian", "thoi han", "tien do")),
               ("product", ("san pham", "ket qua"))]
_TIME_START_RE = re.compile(r"^(Năm|Giai đoạn|Hằng|Hàng|Thường xuyên|Quý|Tháng|Trước|Trong|Định kỳ|Đến|\d)", re.I)
_AGENCY_START_RE = re.compile(
    r"^(Bộ|Các|UBND|Ủy ban|Uỷ ban|Sở|Ban|Văn phòng|Ngân hàng|Thanh tra|Công an|Tổng|Cục|Đài|Thông tấn|Viện|"
    r"Hội|Mặt trận|Trung ương|Kiểm toán|Tòa|Bảo hiểm|Kho bạc|Đại học|Trung tâm|Thuế|Hải quan|Chính phủ|HĐND|"
    r"Ủy ban|Tỉnh|Đoàn|Liên đoàn|Báo|Cơ quan|Doanh nghiệp|Tập đoàn)\b")
_CONNECT_END = (",", " và", " các", " của", " nhà", " Bộ", " cơ", "-", "&", " Công", " thành", " tỉnh", " Ủy",
                " ban", " dân", " sự", " ngành", " địa", " hàng")


def _fold(s: str) -> str:
    from ..clean import fold
    return fold(s)


def _header_roles(lines: list[str], i: int, furn: list[bool]) -> list[str]:
    """Column roles of a table header written one cell line a line, starting at "TT"."""
    text = []
    for j in range(i + 1, min(i + 12, len(lines))):
        ln = lines[j].strip()
        if furn[j] or not ln:
            continue
        if ROW_MARK_RE.match(ln):
            break
        text.append(_fold(ln))
    joined = " ".join(text)
    found = []
    for role, words in _ROLE_WORDS:
        pos = min((joined.find(w) for w in words if w in joined), default=-1)
        if pos >= 0:
            found.append((pos, role))
    roles = [r for _, r in sorted(found)]
    return ["stt"] + roles if "content" in roles and len(roles) >= 2 else []


def _split_agencies(lines: list[str]) -> tuple[str, str]:
    """Lead and support cells from the agency lines of one row."""
    for k in range(1, len(lines)):
        prev, cur = lines[k - 1].rstrip(), lines[k]
        if _AGENCY_START_RE.match(cur) and not prev.endswith(_CONNECT_END) and cur[:1].isupper():
            return " ".join(lines[:k]), " ".join(lines[k:])
    return " ".join(lines), ""


def _content_end(body: list[str]) -> int:
    """How many lines of a row are its content cell: up to the first line that starts an
    agency after a finished sentence ("... năm 2026." / "Bộ Tài chính,"), or a short agency
    line after any line; failing both, up to the first finished sentence."""
    ends = (".", ";", "”", ":")
    for k in range(1, len(body)):
        prev, cur = body[k - 1].rstrip(), body[k]
        if _AGENCY_START_RE.match(cur) and not prev.endswith(_CONNECT_END) and \
                (prev.endswith(ends) or len(cur) < 22):
            return k
    for k in range(1, len(body)):
        if body[k - 1].rstrip().endswith(ends):
            return k
    return len(body)


def _split_row(body: list[str], roles: list[str]) -> list[str]:
    """Cells of one row from its lines: content first, the time last, agencies between."""
    cells = {r: "" for r in roles}
    k = _content_end(body)
    content = body[:k]
    rest = body[k:]
    due: list[str] = []
    if "due" in roles:
        for t in range(len(rest)):
            if _TIME_START_RE.match(rest[t]) and not _AGENCY_START_RE.match(rest[t]):
                due, rest = rest[t:], rest[:t]
                break
    lead, support = _split_agencies(rest) if "support" in roles else (" ".join(rest), "")
    cells["content"] = " ".join(content)
    cells["lead"] = lead
    if "support" in cells:
        cells["support"] = support
    if "due" in cells:
        cells["due"] = " ".join(due)
    return [cells.get(r, "") for r in roles[1:]]


def _cell_lines_table(lines: list[str], i: int, furn: list[bool], pages: list[int]):
    """Rows of a table whose cells stand one line a line (gazette text extractions)."""
    roles = _header_roles(lines, i, furn)
    header = ["TT"] + [{"content": "Nội dung", "lead": "Cơ quan chủ trì", "support": "Cơ quan phối hợp",
                        "due": "Thời gian", "product": "Sản phẩm"}[r] for r in roles[1:]]
    rows: list[list[str]] = [header]
    row_pages = [pages[i]]
    mark: str | None = None
    body: list[str] = []
    j = i + 1
    n = len(lines)

    def close() -> None:
        if mark is None:
            return
        if re.fullmatch(r"[IVX]{1,5}|[A-Z]", mark):
            rows.append([mark, " ".join(body)] + [""] * (len(roles) - 2))
        else:
            rows.append([mark] + _split_row(body, roles))
        row_pages.append(page)

    page = pages[i]
    in_header = True
    while j < n:
        ln = lines[j].replace("\f", "").strip()
        if furn[j] or not ln:
            j += 1
            continue
        if ln in ("TT", "STT", "Số TT") and _header_roles(lines, j, furn):
            in_header = True
            j += 1
            continue
        gm = re.match(r"^([IVX]{1,5}\.?)\s+([A-ZĐÀ-Ỹ].*)$", ln)
        if ROW_MARK_RE.match(ln) or gm:
            in_header = False
            close()
            mark, body, page = (gm.group(1).rstrip("."), [gm.group(2)], pages[j]) if gm else (ln.rstrip("."), [], pages[j])
            j += 1
            continue
        if in_header:
            j += 1
            continue
        if RUNNING_HEAD_RE.match(ln) or ln.startswith(("Nơi nhận", "TM.", "KT.")) or (is_all_caps(ln) and len(ln) > 25 and mark and not re.fullmatch(r"[IVX]{1,5}", mark or "")):
            break
        body.append(ln)
        j += 1
    close()
    return (rows if len(rows) > 1 else []), row_pages, j
