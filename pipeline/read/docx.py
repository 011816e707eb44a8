"""Word (.docx) reader: the document body, in order, as raw blocks.

The body is walked in document order (paragraphs and tables interleaved), so
the blocks read like a clean text extraction of the same document:

- the two-column header table (issuer, "Số: ...", "V/v ..." | national motto,
  place and date) becomes one block a paragraph, zones ``header-left`` then
  ``header-right``;
- the two-column closing table ("Nơi nhận:" and its "- ...;" lines | the
  signature block) becomes one block a line, zones ``closing-left`` then
  ``closing-right``;
- any other table (the task tables of plans and resolutions) becomes a table
  block, one cell a grid column, vertically merged cells repeated on every
  row they span;
- Word's automatic numbering is printed: the label a reader sees ("1.", "a)",
  "-", "Điều 1.") is put in front of the paragraph's text. Lettered levels
  follow Word's own a..z sequence (``lowerLetter``), which is what the reader
  of the file sees, even though hand-typed Vietnamese lists skip f, j, w, z
  and insert "đ";
- the same header and closing laid out with tabs in plain paragraphs are
  split at the tabs into the same zones; a "Kính gửi:" layout table and a
  one-column frame table are read as body paragraphs;
- a body paragraph's soft line breaks are spaces; a centred paragraph's are
  block breaks (captions such as "DANH MỤC ..." / "(Kèm theo ...)"), a line
  starting in lower case joining the line before it;
- footnotes, page headers and footers, hidden and deleted text are left out.

Page numbers are Word's last rendered page breaks when the file has them
(files saved by Word), otherwise hard page breaks, "page break before" and
new-page section breaks.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Optional

from lxml import etree

from ..model import (BODY, CLOSING_LEFT, CLOSING_RIGHT, HEADER_LEFT, HEADER_RIGHT,
                     DirectiveError, Document)
from . import SourceBuilder

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
M_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"
RT_NUMBERING = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"
RT_STYLES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"


def w(tag: str) -> str:
    """Clark name of a WordprocessingML tag."""
    return f"{{{W_NS}}}{tag}"


def wval(el: Optional[etree._Element], attr: str = "val") -> Optional[str]:
    """The w:val (or other w: attribute) of an element, or None."""
    return None if el is None else el.get(w(attr))


def on(el: Optional[etree._Element]) -> Optional[bool]:
    """A Word toggle property (<w:b/>, <w:b w:val="0"/>): True, False or None if absent."""
    if el is None:
        return None
    return (wval(el) or "true").lower() not in ("0", "false", "off", "none")


# Containers whose children are read as if they were in the parent.
TRANSPARENT = {w(t) for t in ("hyperlink", "smartTag", "customXml", "fldSimple", "ins",
                              "moveTo", "sdt", "sdtContent", "dir", "bdo")}
SKIPPED = {w(t) for t in ("del", "moveFrom", "pPr", "rPr", "sdtPr", "sdtEndPr", "proofErr",
                          "bookmarkStart", "bookmarkEnd", "commentRangeStart",
                          "commentRangeEnd", "permStart", "permEnd")}

HEADER_MARK_RE = re.compile(r"C[ỘO]NG\s+H[ÒO][AÀ]\s+X[ÃA]\s+H[ỘO]I|\bS[ốỐ]\s*:", re.I)
CLOSING_MARK_RE = re.compile(r"N[ơƠ]i\s+nh[ậẬ]n", re.I)
AUTHORITY_PREFIX_RE = re.compile(r"^(TM|KT|Q|TL|TUQ)\.\s*\S|^(T/M|K/T|T/L)\s*\S")
TITLE_RE = re.compile(   # a signature's bare title line
    r"(PHÓ )?(CHỦ TỊCH|THỦ TƯỚNG|BỘ TRƯỞNG|GIÁM ĐỐC|TỔNG GIÁM ĐỐC|BÍ THƯ|CHÁNH VĂN PHÒNG|"
    r"THỨ TRƯỞNG|TRƯỞNG BAN|CHỦ NHIỆM|VIỆN TRƯỞNG|THỐNG ĐỐC|TỔNG THANH TRA|CHÁNH THANH TRA|"
    r"TRƯỞNG PHÒNG|CHÁNH ÁN|TỔNG CỤC TRƯỞNG|CỤC TRƯỞNG)")
PLACE_DATE_RE = re.compile(r"^[^,\d]{2,40},\s*ngày\s*\S*\s+tháng\s*\S*\s+năm\s*\d{4}", re.I)
MOTTO_RE = re.compile(r"^\s*(C[ỘO]NG\s+H[ÒO][AÀ]\b|Độc\s+lập\s*[-–]\s*Tự\s+do)", re.I)
SUBJECT_RE = re.compile(r"^\s*(V/v|Về việc)\b", re.I)
NUMBER_RE = re.compile(r"^\s*S[ốỐ]\s*:", re.I)
KINH_GUI_RE = re.compile(r"^\s*K[íÍ]nh\s+g[ửỬ]i\b", re.I)
APPENDIX_RE = re.compile(r"^\s*(PHỤ\s+LỤC|KẾ\s+HOẠCH|QUY\s+CHẾ|QUY\s+ĐỊNH|ĐỀ\s+ÁN|CHƯƠNG\s+TRÌNH|"
                         r"PHƯƠNG\s+ÁN|HƯỚNG\s+DẪN|DANH\s+MỤC|BIỂU\s+MẪU|Mẫu\s+số)\b")
RULE_RE = re.compile(r"^[\s_\-–—=*.]{3,}$")
BLANK_RE = re.compile(r"^[\s\u200b\u200c\u200d\ufeff]*$")

PLUSES = {"+", "\uf02b", "＋"}

# ---------------------------------------------------------------- opening


def _open(path: Path):
    """The python-docx Document, or a DirectiveError naming what is wrong."""
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError
    try:
        return docx.Document(str(path))
    except Exception as exc:  # bad zip, missing parts, broken XML: all mean corrupt
        reason = str(exc) or type(exc).__name__
        if isinstance(exc, (PackageNotFoundError, zipfile.BadZipFile)):
            reason = "not a readable zip archive (truncated or damaged)"
        if isinstance(exc, ValueError) and "content type" in reason:   # .docm, .dotx
            raise DirectiveError(str(path), f"not a plain Word document (.docx): {reason}") from None
        raise DirectiveError(str(path), f"corrupt Word document: {reason}") from None


def _related_xml(document, reltype: str) -> Optional[etree._Element]:
    """The root element of the part related to the main document by ``reltype``."""
    try:
        part = document.part.part_related_by(reltype)
    except (KeyError, ValueError):
        return None
    el = getattr(part, "element", None)
    if el is not None:
        return el
    try:
        return etree.fromstring(part.blob)
    except (etree.XMLSyntaxError, ValueError):
        return None


# ---------------------------------------------------------------- styles


class Styles:
    """Just enough of styles.xml: bold, italic, alignment and numbering through basedOn chains."""

    def __init__(self, root: Optional[etree._Element]):
        self.by_id: dict[str, etree._Element] = {}
        self.default_para: Optional[str] = None
        self.defaults_rpr: Optional[etree._Element] = None
        if root is None:
            return
        for st in root.iter(w("style")):
            sid = st.get(w("styleId"))
            if sid:
                self.by_id[sid] = st
                if st.get(w("type")) == "paragraph" and st.get(w("default")) in ("1", "true", "on"):
                    self.default_para = sid
        self.defaults_rpr = root.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}")

    def chain(self, sid: Optional[str]) -> Iterator[etree._Element]:
        """The style and its basedOn ancestors, nearest first."""
        seen: set[str] = set()
        while sid and sid in self.by_id and sid not in seen:
            seen.add(sid)
            st = self.by_id[sid]
            yield st
            sid = wval(st.find(w("basedOn")))

    def find(self, sid: Optional[str], path: str) -> Optional[etree._Element]:
        """The first element at ``path`` (e.g. "w:rPr/w:b") along the style chain."""
        for st in self.chain(sid):
            el = st.find(path, namespaces={"w": W_NS})
            if el is not None:
                return el
        return None

    def para_style(self, p: etree._Element) -> Optional[str]:
        return wval(p.find(f"{w('pPr')}/{w('pStyle')}")) or self.default_para

    def toggle(self, tag: str, run: etree._Element, pstyle: Optional[str]) -> bool:
        """A run's bold/italic: direct formatting, then run style, paragraph style, defaults."""
        rpr = run.find(w("rPr"))
        if rpr is not None:
            v = on(rpr.find(w(tag)))
            if v is not None:
                return v
            rstyle = wval(rpr.find(w("rStyle")))
            v = on(self.find(rstyle, f"w:rPr/w:{tag}"))
            if v is not None:
                return v
        v = on(self.find(pstyle, f"w:rPr/w:{tag}"))
        if v is not None:
            return v
        if self.defaults_rpr is not None:
            return bool(on(self.defaults_rpr.find(w(tag))))
        return False

    def alignment(self, p: etree._Element, pstyle: Optional[str]) -> Optional[str]:
        jc = p.find(f"{w('pPr')}/{w('jc')}")
        if jc is None:
            jc = self.find(pstyle, "w:pPr/w:jc")
        return wval(jc)

    def page_break_before(self, p: etree._Element, pstyle: Optional[str]) -> bool:
        el = p.find(f"{w('pPr')}/{w('pageBreakBefore')}")
        if el is None:
            el = self.find(pstyle, "w:pPr/w:pageBreakBefore")
        return bool(on(el))


# ---------------------------------------------------------------- numbering


@dataclass
class Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    restart: Optional[int] = None   # w:lvlRestart; None = after any shallower level
    suffix: str = "tab"
    legal: bool = False
    pstyle: Optional[str] = None


def _parse_level(lvl: etree._Element) -> Level:
    lv = Level()
    fmt = wval(lvl.find(w("numFmt")))
    if fmt:
        lv.fmt = fmt
    txt = lvl.find(w("lvlText"))
    if txt is not None:
        lv.text = wval(txt) or ""
    start = wval(lvl.find(w("start")))
    if start and start.lstrip("-").isdigit():
        lv.start = int(start)
    restart = wval(lvl.find(w("lvlRestart")))
    if restart and restart.isdigit():
        lv.restart = int(restart)
    lv.suffix = wval(lvl.find(w("suff"))) or "tab"
    lv.legal = bool(on(lvl.find(w("isLgl"))))
    lv.pstyle = wval(lvl.find(w("pStyle")))
    return lv


def _ilvl(el: etree._Element) -> int:
    v = el.get(w("ilvl"))
    return int(v) if v and v.isdigit() else 0


@dataclass
class NumInstance:
    abstract: str
    overrides: dict[int, Level] = field(default_factory=dict)
    start_overrides: dict[int, int] = field(default_factory=dict)


ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
         (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def roman(n: int) -> str:
    out = []
    for value, digits in ROMAN:
        while n >= value:
            out.append(digits)
            n -= value
    return "".join(out)


def letters(n: int) -> str:
    """Word's lowerLetter/upperLetter sequence: a..z, then aa..zz, aaa..."""
    n = max(n, 1)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    """One level's number in a Word numFmt."""
    if fmt in ("upperRoman",):
        return roman(n) if n > 0 else str(n)
    if fmt == "lowerRoman":
        return roman(n).lower() if n > 0 else str(n)
    if fmt == "lowerLetter":
        return letters(n)
    if fmt == "upperLetter":
        return letters(n).upper()
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)   # decimal and everything we do not render specially


def bullet_label(glyph: str) -> str:
    """A bullet's printed glyph as the genre's "-" or "+"."""
    g = glyph.strip()
    if g and all(c in PLUSES for c in g):
        return "+"
    return "-"


class Numbering:
    """numbering.xml: list definitions and the running counters of each list."""

    def __init__(self, root: Optional[etree._Element], styles: Styles):
        self.styles = styles
        self.abstracts: dict[str, dict[int, Level]] = {}
        self.style_links: dict[str, str] = {}       # abstractNumId -> numStyleLink style
        self.nums: dict[str, NumInstance] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.started: set[tuple[str, int]] = set()  # (numId, ilvl) whose startOverride is applied
        if root is None:
            return
        for an in root.iter(w("abstractNum")):
            aid = an.get(w("abstractNumId")) or ""
            self.abstracts[aid] = {_ilvl(lvl): _parse_level(lvl) for lvl in an.findall(w("lvl"))}
            link = wval(an.find(w("numStyleLink")))
            if link:
                self.style_links[aid] = link
        for num in root.iter(w("num")):
            nid = num.get(w("numId")) or ""
            inst = NumInstance(wval(num.find(w("abstractNumId"))) or "")
            for ov in num.findall(w("lvlOverride")):
                lvl_no = _ilvl(ov)
                so = wval(ov.find(w("startOverride")))
                if so and so.lstrip("-").isdigit():
                    inst.start_overrides[lvl_no] = int(so)
                lvl = ov.find(w("lvl"))
                if lvl is not None:
                    inst.overrides[lvl_no] = _parse_level(lvl)
            self.nums[nid] = inst

    def _abstract_id(self, num_id: str) -> Optional[str]:
        inst = self.nums.get(num_id)
        if inst is None:
            return None
        aid = inst.abstract
        link = self.style_links.get(aid)
        if link:   # a list style: its own numId points at the real definition
            linked = wval(self.styles.find(link, "w:pPr/w:numPr/w:numId"))
            if linked and linked in self.nums and linked != num_id:
                aid = self.nums[linked].abstract
        return aid

    def level(self, num_id: str, ilvl: int) -> Optional[Level]:
        aid = self._abstract_id(num_id)
        if aid is None:
            return None
        inst = self.nums[num_id]
        if ilvl in inst.overrides:
            return inst.overrides[ilvl]
        return self.abstracts.get(aid, {}).get(ilvl)

    def level_for_style(self, num_id: str, pstyle: Optional[str]) -> int:
        """The level whose w:pStyle is ``pstyle`` (numbering given by a paragraph style)."""
        aid = self._abstract_id(num_id)
        for no, lv in self.abstracts.get(aid or "", {}).items():
            if pstyle and lv.pstyle == pstyle:
                return no
        return 0

    def next_label(self, num_id: str, ilvl: int) -> Optional[str]:
        """Advance the list's counter at ``ilvl`` and return the printed label."""
        lv = self.level(num_id, ilvl)
        if lv is None:
            return None
        aid = self._abstract_id(num_id) or num_id
        counters = self.counters.setdefault(aid, {})
        inst = self.nums[num_id]
        if ilvl in inst.start_overrides and (num_id, ilvl) not in self.started:
            self.started.add((num_id, ilvl))
            counters[ilvl] = inst.start_overrides[ilvl]
        elif ilvl in counters:
            counters[ilvl] += 1
        else:
            counters[ilvl] = lv.start
        self._reset_deeper(num_id, ilvl, counters)
        return self._render(num_id, ilvl, lv, counters)

    def _reset_deeper(self, num_id: str, ilvl: int, counters: dict[int, int]) -> None:
        for deeper in [k for k in counters if k > ilvl]:
            dl = self.level(num_id, deeper)
            restart = dl.restart if dl else None
            if restart is None or (restart > 0 and ilvl + 1 <= restart):
                del counters[deeper]

    def _render(self, num_id: str, ilvl: int, lv: Level, counters: dict[int, int]) -> str:
        if lv.fmt == "bullet":
            return bullet_label(lv.text)

        def sub(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            klv = self.level(num_id, k) or Level()
            n = counters.get(k, klv.start)
            fmt = "decimal" if lv.legal and klv.fmt != "none" else klv.fmt
            return format_number(n, fmt)

        return re.sub(r"%([1-9])", sub, lv.text).strip()

    def suffix(self, num_id: str, ilvl: int) -> str:
        lv = self.level(num_id, ilvl)
        return "" if lv is not None and lv.suffix == "nothing" else " "


# ---------------------------------------------------------------- paragraphs


@dataclass
class Para:
    """One paragraph's visible text; "\\n" marks soft line breaks, "\\t" tabs."""

    text: str
    page: int
    bold: bool = False
    italic: bool = False
    centered: bool = False
    floating: list["Para"] = field(default_factory=list)   # text-box paragraphs

    def lines(self) -> list[str]:
        """Non-blank lines, tabs and runs of spaces as one space."""
        out = []
        for ln in self.text.split("\n"):
            ln = re.sub(r"[ \t]+", " ", ln.replace("\t", " ")).strip()
            if not BLANK_RE.match(ln):
                out.append(ln)
        return out

    def layout_lines(self) -> list[str]:
        """Lines of a header or closing cell: a line starting in lower case continues the
        line before it ("V/v báo cáo tình hình" / "thực hiện ...", "- UBND các" / "xã;")."""
        return join_continuations(self.lines())

    def flat(self) -> str:
        """One line: soft breaks and tabs become spaces."""
        return " ".join(self.lines())


def join_continuations(lines: list[str]) -> list[str]:
    out: list[str] = []
    for ln in lines:
        if out and ln[:1].islower() and "\t" not in out[-1]:
            out[-1] = f"{out[-1]} {ln.strip()}"
        else:
            out.append(ln)
    return out


class Reader:
    """Walks the body in order, keeping list counters and the page number."""

    def __init__(self, styles: Styles, numbering: Numbering, rendered_breaks: bool,
                 section_types: list[str]):
        self.styles = styles
        self.numbering = numbering
        self.rendered = rendered_breaks
        self.section_types = section_types   # w:type of each section, in order
        self.section = 0
        self.page = 1

    # -- page tracking
    def _page_break(self) -> None:
        self.page += 1

    def _section_end(self) -> None:
        """A paragraph-level sectPr ends a section; the next one may begin on a new page."""
        self.section += 1
        if not self.rendered and self.section < len(self.section_types):
            if self.section_types[self.section] != "continuous":
                self._page_break()

    # -- paragraph text
    def paragraph(self, p: etree._Element) -> Para:
        pstyle = self.styles.para_style(p)
        if not self.rendered and self.styles.page_break_before(p, pstyle):
            self._page_break()
        label = self._label(p, pstyle)
        state = _RunState(page=None)
        self._collect(p, pstyle, state)
        text = "".join(state.parts)
        if label is not None and label[0] and text.strip():
            text = label[0] + self.numbering.suffix(label[1], label[2]) + text.lstrip()
        para = Para(text=text, page=state.page or self.page,
                    bold=bool(state.runs) and all(state.bold),
                    italic=bool(state.runs) and all(state.italic),
                    centered=self.styles.alignment(p, pstyle) == "center",
                    floating=state.floating)
        if p.find(f"{w('pPr')}/{w('sectPr')}") is not None:
            self._section_end()
        return para

    def _label(self, p: etree._Element, pstyle: Optional[str]) -> Optional[tuple[str, str, int]]:
        """The automatic-numbering label of a paragraph (label, numId, ilvl), counters advanced."""
        numpr = p.find(f"{w('pPr')}/{w('numPr')}")
        num_id = wval(numpr.find(w("numId"))) if numpr is not None else None
        ilvl_s = wval(numpr.find(w("ilvl"))) if numpr is not None else None
        if num_id is None:
            style_num = self.styles.find(pstyle, "w:pPr/w:numPr/w:numId")
            if style_num is None:
                return None
            num_id = wval(style_num)
            if ilvl_s is None:
                style_ilvl = self.styles.find(pstyle, "w:pPr/w:numPr/w:ilvl")
                ilvl_s = wval(style_ilvl) if style_ilvl is not None else None
            if ilvl_s is None and num_id:
                ilvl_s = str(self.numbering.level_for_style(num_id, pstyle))
        if not num_id or num_id == "0":
            return None
        ilvl = int(ilvl_s) if ilvl_s and ilvl_s.isdigit() else 0
        label = self.numbering.next_label(num_id, ilvl)
        return None if label is None else (label, num_id, ilvl)

    def _collect(self, el: etree._Element, pstyle: Optional[str], st: "_RunState") -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in SKIPPED:
                continue
            if tag == w("r"):
                self._run(child, pstyle, st)
            elif tag in TRANSPARENT:
                self._collect(child, pstyle, st)
            elif tag == f"{{{MC_NS}}}AlternateContent":
                choice = child.find(f"{{{MC_NS}}}Choice")
                self._collect(choice if choice is not None else child, pstyle, st)
            elif tag == f"{{{MC_NS}}}Fallback":
                continue
            elif tag.startswith(f"{{{M_NS}}}"):
                st.add("".join(t.text or "" for t in child.iter(f"{{{M_NS}}}t")), self.page)

    def _run(self, r: etree._Element, pstyle: Optional[str], st: "_RunState") -> None:
        rpr = r.find(w("rPr"))
        if rpr is not None and (on(rpr.find(w("vanish"))) or on(rpr.find(w("webHidden")))):
            return
        before = len(st.parts)
        for child in r:
            tag = child.tag
            if tag == w("t"):
                st.add(child.text or "", self.page)
            elif tag in (w("tab"), w("ptab")):
                st.add("\t", self.page)
            elif tag in (w("br"), w("cr")):
                kind = child.get(w("type"))
                if kind == "page":
                    if not self.rendered:
                        self._page_break()
                else:
                    st.add("\n", self.page)
            elif tag == w("lastRenderedPageBreak"):
                if self.rendered:
                    self._page_break()
            elif tag == w("noBreakHyphen"):
                st.add("-", self.page)
            elif tag == w("sym"):
                st.add(_sym_char(child), self.page)
            elif tag in (w("drawing"), w("pict"), w("object")) or tag == f"{{{MC_NS}}}AlternateContent":
                self._textboxes(child, st)
        visible = "".join(st.parts[before:])
        if visible.strip():
            st.runs += 1
            st.bold.append(self.styles.toggle("b", r, pstyle))
            st.italic.append(self.styles.toggle("i", r, pstyle))

    def _textboxes(self, el: etree._Element, st: "_RunState") -> None:
        """Paragraphs of text boxes in a drawing (the first alternative only)."""
        if el.tag == f"{{{MC_NS}}}AlternateContent":
            choice = el.find(f"{{{MC_NS}}}Choice")
            el = choice if choice is not None else el
        for box in el.iter(w("txbxContent")):
            if any(a.tag == w("txbxContent") for a in box.iterancestors()):
                continue
            for item in self.content(box):
                if isinstance(item, Para):
                    st.floating.append(item)

    # -- containers
    def content(self, container: etree._Element) -> Iterator["Para | Table"]:
        """Paragraphs and tables of a body, cell or text box, in document order."""
        for child in container:
            tag = child.tag
            if tag == w("p"):
                yield self.paragraph(child)
            elif tag == w("tbl"):
                yield self.table(child)
            elif tag in (w("sdt"), w("sdtContent"), w("customXml")):
                yield from self.content(child)
            elif tag == f"{{{MC_NS}}}AlternateContent":
                choice = child.find(f"{{{MC_NS}}}Choice")
                if choice is not None:
                    yield from self.content(choice)

    def table(self, tbl: etree._Element) -> "Table":
        rows: list[list[Cell]] = []
        for tr in _children(tbl, "tr"):
            rows.append(self._row(tr))
        return Table(rows)

    def _row(self, tr: etree._Element) -> list["Cell"]:
        cells: list[Cell] = []
        trpr = tr.find(w("trPr"))
        before = _int_val(trpr.find(w("gridBefore")) if trpr is not None else None, 0)
        cells.extend(Cell([], self.page, 1, None) for _ in range(before))
        for tc in _children(tr, "tc"):
            tcpr = tc.find(w("tcPr"))
            span = _int_val(tcpr.find(w("gridSpan")) if tcpr is not None else None, 1)
            vm_el = tcpr.find(w("vMerge")) if tcpr is not None else None
            vmerge = None if vm_el is None else (wval(vm_el) or "continue")
            page = self.page
            items = list(self.content(tc))
            paras: list[Para] = []
            for item in items:
                paras.extend(item.paragraphs() if isinstance(item, Table) else [item])
            cells.append(Cell(paras, paras[0].page if paras else page, max(span, 1), vmerge, items))
        return cells


@dataclass
class _RunState:
    page: Optional[int]
    parts: list[str] = field(default_factory=list)
    runs: int = 0
    bold: list[bool] = field(default_factory=list)
    italic: list[bool] = field(default_factory=list)
    floating: list[Para] = field(default_factory=list)

    def add(self, s: str, page: int) -> None:
        if s and self.page is None and s.strip():
            self.page = page
        self.parts.append(s)


def _sym_char(el: etree._Element) -> str:
    code = el.get(w("char")) or ""
    try:
        n = int(code, 16)
    except ValueError:
        return ""
    if 0xF020 <= n <= 0xF07E:   # symbol fonts put ASCII look-alikes in the private area
        n -= 0xF000
    return chr(n)


def _int_val(el: Optional[etree._Element], default: int) -> int:
    v = wval(el)
    return int(v) if v and v.isdigit() else default


def _children(el: etree._Element, name: str) -> Iterator[etree._Element]:
    """Direct children named ``name``, looking through content controls and custom XML."""
    for child in el:
        if child.tag == w(name):
            yield child
        elif child.tag in (w("sdt"), w("sdtContent"), w("customXml")):
            yield from _children(child, name)


# ---------------------------------------------------------------- tables


@dataclass
class Cell:
    paras: list[Para]
    page: int
    span: int
    vmerge: Optional[str]   # None | "restart" | "continue"
    items: list["Para | Table"] = field(default_factory=list)   # content, nested tables kept

    def text(self) -> str:
        return " ".join(t for t in (p.flat() for p in self.paras) if t)

    def lines(self) -> list[str]:
        out: list[str] = []
        for p in self.paras:
            out.extend(p.lines())
        return out


@dataclass
class Table:
    rows: list[list[Cell]]

    def paragraphs(self) -> list[Para]:
        return [p for row in self.rows for c in row for p in c.paras]

    def all_text(self) -> str:
        return "\n".join(c.text() for row in self.rows for c in row)

    def width(self) -> int:
        return max((sum(c.span for c in row) for row in self.rows), default=0)

    def grid(self) -> tuple[list[list[str]], list[int]]:
        """Rows of cell texts on the table grid, merged cells resolved, and each row's page."""
        width = self.width()
        above: dict[int, str] = {}
        out: list[list[str]] = []
        pages: list[int] = []
        for row in self.rows:
            texts = [""] * width
            col = 0
            for cell in row:
                if cell.vmerge == "continue":
                    value = above.get(col, "")
                else:
                    value = cell.text()
                    if cell.vmerge == "restart":
                        above[col] = value
                    else:
                        above.pop(col, None)
                if col < width:
                    texts[col] = value
                col += cell.span
            if any(t.strip() for t in texts):
                out.append(texts)
                pages.append(min((c.page for c in row), default=1))
        return out, pages

    def columns(self) -> list[list[Cell]]:
        """Cells grouped by the grid column they start in (layout tables)."""
        cols: dict[int, list[Cell]] = {}
        for row in self.rows:
            col = 0
            for cell in row:
                if cell.vmerge != "continue":
                    cols.setdefault(col, []).append(cell)
                col += cell.span
        return [cols[k] for k in sorted(cols)]


def is_signature_line(line: str) -> bool:
    """The first line of a signature: "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", or a bare
    title ("CHỦ TỊCH", "PHÓ THỦ TƯỚNG"); not the preamble's "THỦ TƯỚNG CHÍNH PHỦ" or
    "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH", nor "THỦ TƯỚNG CHÍNH PHỦ điện:"."""
    s = re.sub(r"\s+", " ", line).strip()
    if len(s) > 70 or s.endswith(":") or s != s.upper():
        return False
    return bool(AUTHORITY_PREFIX_RE.match(s) or TITLE_RE.fullmatch(s))


def is_header_table(table: Table) -> bool:
    return table.width() <= 3 and len(table.rows) <= 4 and bool(HEADER_MARK_RE.search(table.all_text()))


def is_closing_table(table: Table) -> bool:
    if table.width() > 3 or len(table.rows) > 4:
        return False
    for row in table.rows:
        for cell in row:
            lines = cell.lines()
            if lines and (CLOSING_MARK_RE.match(lines[0]) or is_signature_line(lines[0])):
                return True
    return False


def is_addressee_table(table: Table) -> bool:
    """A "Kính gửi:" | "- ...;" layout table under a Công văn's header."""
    if table.width() > 3 or len(table.rows) > 3:
        return False
    first = next((c for row in table.rows for c in row if c.lines()), None)
    return first is not None and bool(KINH_GUI_RE.match(first.lines()[0]))


def _split_tabbed(line: str) -> list[str]:
    """A closing line laid out with tabs: "- Như trên;<tabs>KT. CHỦ TỊCH" -> two parts."""
    return [part.strip() for part in re.split(r"\t+| {4,}", line) if part.strip()]


# ---------------------------------------------------------------- emitting


class Emitter:
    """Puts paragraphs and tables into the SourceBuilder with their zones."""

    def __init__(self, builder: SourceBuilder):
        self.b = builder
        self.seen_table = False
        self.after_header = False   # right after the header table: adopt "Số:", "V/v", date lines
        self.closing: Optional[int] = None   # page of a plain-paragraph closing in progress
        self.header_done = False             # a header (table or tab-laid) has been read
        self.tab_header = False              # inside a header laid out with tabs

    # -- paragraphs
    def para(self, p: Para) -> None:
        raw_lines = join_continuations([ln for ln in p.text.split("\n") if not BLANK_RE.match(ln)])
        lines = p.lines()
        if lines and not self.header_done and self._tabbed_header(raw_lines, p):
            pass
        elif lines and self._closing_continues(p, lines):
            self._closing_lines(raw_lines, p)
        elif lines and (CLOSING_MARK_RE.match(lines[0]) or is_signature_line(lines[0])):
            self.closing = p.page
            self.after_header = False
            self._closing_lines(raw_lines, p)
        else:
            # a centred caption broken by hand ("DANH MỤC ..." / "(Kèm theo ...)") is read as
            # its lines, like a title page; a body paragraph's soft breaks are spaces
            for text in (p.layout_lines() if p.centered else [p.flat()]):
                if text:
                    zone = self._adopted_zone(text)
                    self.b.add(text, page=p.page, zone=zone, bold=p.bold, italic=p.italic,
                               centered=p.centered)
        for fp in p.floating:
            self.para(fp)

    def _tabbed_header(self, raw_lines: list[str], p: Para) -> bool:
        """A header laid out with tabs instead of a table ("BỘ TÀI CHÍNH<tabs>CỘNG HÒA ...").
        Emits the paragraph's lines as header-left / header-right and returns True, or
        returns False when the paragraph is not (or no longer) part of such a header."""
        split = [_split_tabbed(raw) for raw in raw_lines]
        if not self.tab_header:
            if len(self.b.blocks) > 12 or not any(
                    len(parts) > 1 and any(HEADER_MARK_RE.search(x) for x in parts) for parts in split):
                if len(self.b.blocks) > 12:
                    self.header_done = True
                return False
            self.tab_header = True
        elif all(len(parts) == 1 for parts in split) and not self._header_like(p, raw_lines):
            self.tab_header = False
            self.header_done = True
            return False
        for raw, parts in zip(raw_lines, split):
            indented = raw[:1] in ("\t", " ")
            for i, part in enumerate(parts):
                part = re.sub(r"\s+", " ", part)
                if RULE_RE.match(part):
                    continue
                right = i > 0 or (indented and len(parts) == 1) or self._right_side(part)
                self.b.add(part, page=p.page, zone=HEADER_RIGHT if right else HEADER_LEFT,
                           bold=p.bold, italic=p.italic, centered=p.centered)
        return True

    @staticmethod
    def _right_side(text: str) -> bool:
        return bool(PLACE_DATE_RE.match(text) or MOTTO_RE.match(text))

    @staticmethod
    def _header_like(p: Para, raw_lines: list[str]) -> bool:
        text = " ".join(ln.strip() for ln in raw_lines)
        if NUMBER_RE.match(text) or SUBJECT_RE.match(text) or PLACE_DATE_RE.match(text) \
                or MOTTO_RE.match(text) or RULE_RE.match(text):
            return True
        return text == text.upper() and len(text) <= 60 and not p.centered

    def _closing_continues(self, p: Para, lines: list[str]) -> bool:
        """Still inside a closing laid out as plain paragraphs?"""
        if self.closing is None:
            return False
        text = " ".join(lines)
        if p.page != self.closing or len(text) > 160 or APPENDIX_RE.match(text):
            self.closing = None
            return False
        return True

    def _closing_lines(self, raw_lines: list[str], p: Para) -> None:
        """Closing lines: "Nơi nhận" and "- ...;" lines left, the rest (signature) right."""
        for raw in raw_lines:
            parts = _split_tabbed(raw)
            for i, part in enumerate(parts):
                part = re.sub(r"\s+", " ", part)
                if RULE_RE.match(part):
                    continue
                left = i == 0 and (CLOSING_MARK_RE.match(part) or part[:1] in "-+–•")
                zone = CLOSING_LEFT if left else CLOSING_RIGHT
                self.b.add(part, page=p.page, zone=zone, bold=p.bold, italic=p.italic,
                           centered=p.centered)

    def _adopted_zone(self, text: str) -> str:
        if not self.after_header:
            return BODY
        if NUMBER_RE.match(text) or SUBJECT_RE.match(text):
            return HEADER_LEFT
        if PLACE_DATE_RE.match(text):
            return HEADER_RIGHT
        self.after_header = False
        return BODY

    def _lines(self, lines: list[str], p: Para, zone: str) -> None:
        for ln in lines:
            if zone != BODY and RULE_RE.match(ln):
                continue
            self.b.add(ln, page=p.page, zone=zone, bold=p.bold, italic=p.italic, centered=p.centered)

    # -- tables
    def table(self, t: Table) -> None:
        if t.width() == 1:   # a one-column frame around text: read its content as body
            self._frame(t)
            return
        first = not self.seen_table
        self.seen_table = True
        self.closing = None
        if first and is_header_table(t):
            self._layout(t, HEADER_LEFT, HEADER_RIGHT)
            self.after_header = True
            self.header_done = True
            return
        self.after_header = False
        if is_closing_table(t):
            self._layout(t, CLOSING_LEFT, CLOSING_RIGHT)
        elif is_addressee_table(t):
            self._layout(t, BODY, BODY)
        else:
            rows, pages = t.grid()
            if rows:
                self.b.add_table(rows, page=pages[0], row_pages=pages)

    def _frame(self, t: Table) -> None:
        for row in t.rows:
            for cell in row:
                if cell.vmerge == "continue":
                    continue
                for item in cell.items:
                    if isinstance(item, Table):
                        self.table(item)
                    else:
                        self.para(item)

    def _layout(self, t: Table, left: str, right: str) -> None:
        """A layout table: the first column's cells, then the others'; one block a line."""
        for i, cells in enumerate(t.columns()):
            zone = left if i == 0 else right
            if left == CLOSING_LEFT:
                zone = self._closing_zone(cells, i)
            for cell in cells:
                for p in cell.paras:
                    self._lines(p.layout_lines(), p, zone)

    @staticmethod
    def _closing_zone(cells: list[Cell], col: int) -> str:
        for cell in cells:
            lines = cell.lines()
            if lines and CLOSING_MARK_RE.match(lines[0]):
                return CLOSING_LEFT
            if lines and is_signature_line(lines[0]):
                return CLOSING_RIGHT
        return CLOSING_LEFT if col == 0 else CLOSING_RIGHT


def _section_types(body: etree._Element) -> list[str]:
    types = []
    for sect in body.iter(w("sectPr")):
        types.append(wval(sect.find(w("type"))) or "nextPage")
    return types


def read_docx(path: Path) -> Document:
    """Read a .docx file into a Document of raw blocks in reading order."""
    path = Path(path)
    wdoc = _open(path)
    body = wdoc.element.body
    if body is None:
        raise DirectiveError(str(path), "corrupt Word document: no body")
    styles = Styles(_related_xml(wdoc, RT_STYLES))
    numbering = Numbering(_related_xml(wdoc, RT_NUMBERING), styles)
    rendered = next(body.iter(w("lastRenderedPageBreak")), None) is not None
    reader = Reader(styles, numbering, rendered, _section_types(body))
    emitter = Emitter(SourceBuilder())
    try:
        for item in reader.content(body):
            if isinstance(item, Table):
                emitter.table(item)
            else:
                emitter.para(item)
    except (ValueError, TypeError, AttributeError, KeyError, IndexError, RecursionError) as exc:
        raise DirectiveError(str(path), f"unreadable Word document structure: "
                                        f"{type(exc).__name__}: {exc}") from exc
    doc = emitter.b.build(str(path), "docx")
    if not doc.text.strip():
        raise DirectiveError(str(path), "no text found")
    return doc
