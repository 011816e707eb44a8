"""Stage 3, structure: header, preamble, section tree, closing and task tables.

``structure(doc)`` is the front door. It fills ``doc.header`` and
``doc.sections`` (document order; each section knows its parent and children)
with the contract's paths: Roman parts, numbered and lettered items, "Điều N"
articles (``D3``), "-"/"+" bullets by their order (``-1``, ``+2``), unlabelled
paragraphs with no labelled unit before them (``p1``), task-table rows
``T<k>[.<group>].<STT>`` and units of a document issued with the main one after
the signature (``KH.``).

Nothing is refused: a block that fits nowhere stays in the text it follows.
"""
from __future__ import annotations

import re
from typing import Optional

from .clean import fold
from .header import (CAN_CU_RE, KINH_GUI_RE, NOI_NHAN_RE, NUMBER_RE, PLACE_DATE_RE, SIGNED_RE,
                     VV_RE, clean_number, infer_issuer, iso, known_place, issuer_from_lines, parse_signature, proper_case,
                     type_of_line)
from .model import CLOSING_LEFT, CLOSING_RIGHT, FURNITURE, HEADER_LEFT, HEADER_RIGHT, Block, Document, Header, Section, Span
from .patterns import genre, is_all_caps, parse_label

SIGNED_RE_TAIL = re.compile(r"\s*\((đã\s+ký|Đã\s+ký)\)\s*$")
AUTH_RE = re.compile(r"^(TM|KT|Q|TL|TUQ|T/M|K/T|T/L)\s*[./]?\s+\S")
APPENDIX_RE = re.compile(r"^\s*(PHỤ\s+LỤC|Phụ\s+lục)\b")
CAPTION_RE = re.compile(r"^\s*\(\s*(Ban\s+hành\s+)?[Kk]èm\s+theo\b")
ADDRESSEE_RE = re.compile(
    r"(?:yêu\s+cầu|đề\s+nghị)\s+(?P<who>[^:\d]{5,400}?)\s+"
    r"(?:tập\s+trung|thực\s+hiện|triển\s+khai|khẩn\s+trương|quán\s+triệt|chỉ\s+đạo|tổ\s+chức(?!\s+(?:đảng|chính\s+trị|xã\s+hội|đoàn\s+thể)\b|,)|"
    r"nghiêm\s+túc|chủ\s+động|"
    r"quan\s+tâm|khẩn\s+cấp|rà\s+soát|căn\s+cứ)[^:]*:\s*$", re.I)
DIEN_RE = re.compile(r"\bđiện\s*:\s*$", re.I)


# ---------------------------------------------------------------- header

def _positions() -> set[str]:
    return {p.upper() for p in genre()["positions"]}


def _is_signature_line(b: Block) -> bool:
    t = b.text.strip()
    if b.zone in (CLOSING_LEFT, CLOSING_RIGHT):
        return True
    if AUTH_RE.match(t) and is_all_caps(t):
        return True
    return is_all_caps(t) and t.upper().rstrip(".") in _positions()


def _is_motto(t: str) -> bool:
    u = fold(t)
    return u.startswith("cong hoa xa hoi chu nghia") or u.startswith("doc lap") or \
        u.startswith("dang cong san viet nam") or (u.startswith("doc lap - tu do"))


def parse_header(doc: Document) -> tuple[int, int]:
    """Fill doc.header from the top blocks; return (end of header, index of title or -1)."""
    h = doc.header
    blocks = doc.blocks
    limit = min(len(blocks), 40)
    i_type = -1
    for i in range(limit):
        b = blocks[i]
        if b.kind == "para" and type_of_line(b.text) and not parse_label(b.text):
            i_type = i
            break
        if CAN_CU_RE.match(b.text) or (parse_label(b.text) and parse_label(b.text)[0] not in ("dash",)):
            break
    end = i_type if i_type >= 0 else 0
    if i_type < 0:
        # no type line (a Công văn): the header runs to "Kính gửi", the preamble or the first item
        for i in range(limit):
            t = blocks[i].text
            if KINH_GUI_RE.match(t) or CAN_CU_RE.match(t) or (parse_label(t) and not VV_RE.match(t)) or \
                    (len(t) > 160 and not VV_RE.match(t)):
                end = i
                break
        else:
            end = limit
    issuer_lines: list[str] = []
    seen_number = False
    vv_open = False
    for i in range(end):
        b = blocks[i]
        t = b.text.strip()
        if not t or b.kind != "para":
            continue
        if _is_motto(t):
            vv_open = False
            continue
        m = NUMBER_RE.match(t)
        if m and not h.number:
            h.number = clean_number(m.group("num"))
            h.spans["number"] = Span(b.start, b.end, b.page)
            seen_number = True
            rest = t[m.end("num"):].strip()
            if VV_RE.match(rest):
                h.title = rest
                vv_open = True
            continue
        if VV_RE.match(t):
            h.title = t
            h.spans["title"] = Span(b.start, b.end, b.page)
            vv_open = True
            continue
        pm = PLACE_DATE_RE.match(t)
        if pm and not h.date:
            h.place = pm.group("place").strip()
            h.date = iso(pm.group("d"), pm.group("m"), pm.group("y"))
            h.spans["date"] = Span(b.start, b.end, b.page)
            vv_open = False
            continue
        if t.upper() in genre()["urgency"]:
            h.urgency.append(t.upper())
            continue
        if vv_open and not is_all_caps(t):
            h.title = f"{h.title} {t}"
            continue
        if is_all_caps(t) and not seen_number and b.zone != HEADER_RIGHT:
            issuer_lines.append(t)
    h.issuer, h.parent_issuer = issuer_from_lines(issuer_lines)
    i_title = -1
    if i_type >= 0:
        h.type = type_of_line(blocks[i_type].text)
        j = i_type + 1
        # "CHỈ THỊ" / "CỦA BAN THƯỜNG VỤ TỈNH ỦY" / "về ...": the issuing body's line is not the title
        while j < len(blocks) and is_all_caps(blocks[j].text) and re.match(r"^(CỦA|VỀ VIỆC CỦA)\s", blocks[j].text):
            j += 1
        if j < len(blocks):
            t = blocks[j].text
            if not CAN_CU_RE.match(t) and not parse_label(t) and not is_all_caps(t) and len(t) < 600:
                h.title = t
                h.spans["title"] = Span(blocks[j].start, blocks[j].end, blocks[j].page)
                i_title = j
        end = (i_title if i_title >= 0 else i_type) + 1
    elif h.title and VV_RE.match(h.title):
        h.type = "Công văn"
    if h.number and not h.type:
        h.type = _type_from_number(h.number)
    return end, i_title


def _type_from_number(number: str) -> Optional[str]:
    m = re.match(r"^\d+[a-z]?(?:/\d{4})?[/-]([A-ZĐa-zđ]+)", number)
    party = re.match(r"^\d+-([A-ZĐa-z]+)/", number)
    abbr = genre()["type_abbr"]
    if party and party.group(1) in abbr:
        return abbr[party.group(1)]
    if m and m.group(1) in abbr:
        return abbr[m.group(1)]
    if re.match(r"^\d+/[A-ZĐ]+[A-ZĐa-z&]*-[A-ZĐ]", number):
        return "Công văn"
    return None


# ---------------------------------------------------------------- body tree

_ORDINALS = {"nhat": "I", "hai": "II", "ba": "III", "tu": "IV", "nam": "V", "sau": "VI", "bay": "VII",
             "tam": "VIII", "chin": "IX", "muoi": "X"}


class TreeBuilder:
    """Places labelled and unlabelled blocks into a section tree.

    A label kind's level is set by the units open when it first appears: a kind
    already open closes everything below it and becomes its sibling; a new kind
    nests under the unit open last. Unlabelled paragraphs continue the last unit,
    or become ``pN`` where no labelled unit precedes them under their parent.
    """

    def __init__(self, prefix: str = "") -> None:
        self.prefix = prefix
        self.root = Section(path=prefix.rstrip("."), label="", kind="root")
        self.stack: list[Section] = [self.root]
        self.sections: list[Section] = []
        self.pending: dict[int, list[Block]] = {}   # id(section) -> intro paragraphs

    @staticmethod
    def _kind_key(kind: str, label: str) -> tuple:
        if kind == "num":
            return ("num", label.count("."))
        if kind in ("roman", "part"):
            return ("roman",)
        return (kind,)

    def _component(self, kind: str, label: str, parent: Section) -> str:
        if kind == "article":
            return "D" + re.sub(r"\D", "", label)
        if kind in ("part", "chapter"):
            m = re.search(r"\s([IVXLC]+|\d+)$", label)
            if m:
                return m.group(1)
            ordinal = fold(label.split()[-1])
            return _ORDINALS.get(ordinal, ordinal.upper())
        if kind in ("dash", "plus"):
            sign = "-" if kind == "dash" else "+"
            n = sum(1 for c in parent.children if c.kind == kind) + 1
            return f"{sign}{n}"
        return label

    def add_labelled(self, block: Block, kind: str, label: str, consumed: int) -> Section:
        key = self._kind_key(kind, label)
        # close units down to an open one of the same kind
        for depth in range(len(self.stack) - 1, 0, -1):
            s = self.stack[depth]
            if self._kind_key(s.kind, s.label) == key:
                del self.stack[depth:]
                break
        parent = self.stack[-1]
        if kind == "num" and "." in label:
            # "1.2." nests under "1." but is named by its printed label
            base = parent
            while base.kind == "num" and base is not self.root:
                base = base.parent
            comp = label
            path_parent = base
        else:
            comp = self._component(kind, label, parent)
            path_parent = parent
        path = f"{path_parent.path}.{comp}" if path_parent.path else comp
        body = block.text[consumed:]
        lead = len(body) - len(body.lstrip())
        text = body.strip()
        sec = Section(path=path, label=label, kind=kind, text=text,
                      start=block.start, end=block.end, page=block.page, parent=parent, blocks=[block],
                      offsets=block.offsets[consumed + lead:consumed + lead + len(text)])
        if kind in ("part", "roman", "chapter"):
            sec.heading = sec.text
        parent.children.append(sec)
        self.sections.append(sec)
        self.stack.append(sec)
        return sec

    def add_unlabelled(self, block: Block) -> None:
        top = self.stack[-1]
        if top is self.root:
            self.sections.extend(self._paragraphs(top, [block], after=True))
        elif not top.children:
            self.pending.setdefault(id(top), []).append(block)  # decided in finish()
        else:
            self._extend(top, block)

    @staticmethod
    def _extend(sec: Section, block: Block) -> None:
        if sec.text:
            sec.offsets = sec.offsets + [sec.offsets[-1] + 1 if sec.offsets else block.start] + block.offsets
            sec.text = f"{sec.text} {block.text}"
        else:
            sec.text, sec.offsets = block.text, list(block.offsets)
        sec.blocks.append(block)
        sec.end = max(sec.end, block.end)

    @staticmethod
    def _paragraphs(sec: Section, blocks: list[Block], after: bool) -> list[Section]:
        """Unlabelled paragraphs of ``sec`` as units pN, put after or before its children."""
        n = sum(1 for c in sec.children if c.kind == "para") if after else 0
        paras = []
        for k, b in enumerate(blocks, n + 1):
            path = f"{sec.path}.p{k}" if sec.path else f"p{k}"
            paras.append(Section(path=path, label="", kind="para", text=b.text, start=b.start, end=b.end,
                                 page=b.page, parent=sec, blocks=[b], offsets=list(b.offsets)))
        sec.children = sec.children + paras if after else paras + sec.children
        return paras

    def finish(self) -> list[Section]:
        """Resolve intro paragraphs: pN where the unit has labelled children, else its own text."""
        by_id = {id(s): s for s in self.sections}
        by_id[id(self.root)] = self.root
        for sid, blocks in list(self.pending.items()):
            sec = by_id[sid]
            if any(c.kind != "para" for c in sec.children) or sec.kind in ("part", "roman", "chapter"):
                # an introduction before the labelled children, or a heading's own paragraphs
                self.sections.extend(self._paragraphs(sec, blocks, after=False))
            else:
                for b in blocks:
                    self._extend(sec, b)
        self.pending.clear()
        order = []
        for s in self.root.children:
            order.extend(s.walk())
        return order


# ---------------------------------------------------------------- tables

def _cell_role(text: str) -> Optional[str]:
    t = re.sub(r"\s+", " ", fold(text).strip(" .:"))
    cols = genre()["table_columns"]
    best = None
    for role, names in cols.items():
        for n in names:
            fn = fold(n)
            if t == fn or (len(fn) > 3 and t.startswith(fn)):
                if best is None or len(fn) > best[1]:
                    best = (role, len(fn))
    if best:
        return best[0]
    for role, key in (("lead", "chu tri"), ("support", "phoi hop"), ("due", "thoi gian"), ("due", "thoi han"),
                      ("content", "noi dung"), ("product", "san pham")):
        if key in t:
            return role
    return None


def table_roles(block: Block) -> tuple[int, dict[int, str]]:
    """(index of the header row, column index -> role) or (-1, {})."""
    for r, row in enumerate(block.rows[:3]):
        roles = {}
        for c, cell in enumerate(row):
            role = _cell_role(cell.text)
            if role and role not in roles.values():
                roles[c] = role
        if "stt" in roles.values() and len(roles) >= 2 or {"content", "lead"} <= set(roles.values()):
            return r, roles
    return -1, {}


GROUP_RE = re.compile(r"^(?:[IVXLC]+|[A-ZĐ])\.?$")
ROWNUM_RE = re.compile(r"^\d{1,3}(?:\.\d{1,3})*\.?$")


def add_table(doc: Document, block: Block, k: int, sections: list[Section]) -> bool:
    """Rows of a task table as sections T<k>...; False when it is not a task table."""
    hr, roles = table_roles(block)
    if hr < 0:
        return False
    col = {role: c for c, role in roles.items()}
    header_key = [fold(c.text) for c in block.rows[hr]]
    root = Section(path=f"T{k}", label=f"T{k}", kind="table", start=block.start, end=block.end,
                   page=block.page, table=k)
    group: Optional[Section] = None
    last: Optional[Section] = None
    for row in block.rows[hr + 1:]:
        texts = [c.text.strip() for c in row]
        if [fold(t) for t in texts] == header_key or all(re.fullmatch(r"\(?\d+\)?|", t) for t in texts):
            continue  # a repeated header or the column-number row
        stt = texts[col["stt"]].strip() if "stt" in col and col["stt"] < len(texts) else ""
        stt = stt.rstrip(".")
        content = texts[col["content"]] if "content" in col and col["content"] < len(texts) else ""
        spanning = re.match(r"^([IVXLC]+|[A-ZĐ])[.):]?\s+(\S.*)$", stt)
        if spanning:  # a group row whose title spans the whole width, number cell included
            stt, content = spanning.group(1), f"{spanning.group(2)} {content}".strip()
        others = [t for c, t in enumerate(texts) if c != col.get("stt")]
        if stt and GROUP_RE.match(stt) and not ROWNUM_RE.match(stt):
            group = Section(path=f"T{k}.{stt}", label=stt, kind="group", text=content or " ".join(others),
                            start=row[0].start, end=row[-1].end, page=row[0].page, table=k, parent=root)
            root.children.append(group)
            sections.append(group)
            last = None
            continue
        if stt and ROWNUM_RE.match(stt):
            parent = group or root
            sec = Section(path=f"{parent.path}.{stt}", label=stt, kind="row", text=content,
                          start=row[0].start, end=row[-1].end, page=row[0].page, table=k, parent=parent)
        elif stt in ("-", "+", "*", "–", "•") and last is not None:
            base = last if last.kind == "row" else (last.parent or root)
            n = sum(1 for c in base.children if c.kind == "subrow") + 1
            sec = Section(path=f"{base.path}.-{n}", label="-", kind="subrow", text=content,
                          start=row[0].start, end=row[-1].end, page=row[0].page, table=k, parent=base)
        elif not stt and last is not None:
            # a row with no number continues the row before it (a page break or a detail row)
            for role, c in col.items():
                if c < len(row) and row[c].text.strip() and role != "stt":
                    prev = last.cells.get(role, "")
                    last.cells[role] = f"{prev} {row[c].text.strip()}".strip()
                    last.cell_blocks.setdefault(role, row[c])
            if content:
                cb = row[col["content"]]
                if last.text:
                    last.offsets = last.offsets + [cb.start] + list(cb.offsets)
                    last.text = f"{last.text} {cb.text}"
                else:
                    last.text, last.offsets = cb.text, list(cb.offsets)
            last.end = row[-1].end
            continue
        else:
            continue
        for role, c in col.items():
            if c < len(row):
                sec.cells[role] = row[c].text.strip()
                sec.cell_blocks[role] = row[c]
        if "content" in sec.cell_blocks:
            sec.text = sec.cell_blocks["content"].text
            sec.offsets = list(sec.cell_blocks["content"].offsets)
        sec.parent.children.append(sec)
        sections.append(sec)
        last = sec
    return True


# ---------------------------------------------------------------- closing

def parse_closing(doc: Document, start: int, recipients: bool = False) -> int:
    """Read the Nơi nhận and signature blocks from ``start``; return the index after them.
    ``recipients``: the body has ended ("./."), so "- ..." lines are recipients."""
    h = doc.header
    blocks = doc.blocks
    sig: list[Block] = []
    i = start
    in_recipients = recipients
    got_name = False
    while i < len(blocks):
        b = blocks[i]
        t = b.text.strip()
        if b.kind != "para":
            break
        if not re.search(r"\w", t):
            i += 1
            continue
        m = NOI_NHAN_RE.match(t)
        if m:
            in_recipients = True
            rest = m.group("rest").strip()
            if rest:
                _add_recipients(h, rest)
            i += 1
            continue
        if (in_recipients and (t.startswith(("-", "–", "+", "•")) or b.zone == CLOSING_LEFT or t.startswith("Lưu"))) \
                or re.match(r"^[-–]\s*Lưu\s*:", t):
            signed = SIGNED_RE_TAIL.search(t)
            if signed:  # a signature line laid beside a recipient line: "- UB MTTQ phường; (Đã ký)"
                t = t[:signed.start()].strip()
            _add_recipients(h, t)
            i += 1
            continue
        if recipients and not got_name and _looks_like_name(t):
            sig.append(b)
            got_name = True
            i += 1
            continue
        in_recipients = False
        if _is_signature_line(b) or SIGNED_RE.match(t) or (sig and is_all_caps(t) and len(t) < 60 and not got_name):
            if got_name and b.zone != CLOSING_LEFT and is_all_caps(t) and not sig:
                break
            sig.append(b)
            i += 1
            continue
        if not got_name and _looks_like_name(t):
            sig.append(b)
            got_name = True
            i += 1
            # a Nơi nhận block may follow the signature
            continue
        break
    if h.signer is None:
        parse_signature(sig, h)
    return i


def _looks_like_name(t: str) -> bool:
    words = t.split()
    return 2 <= len(words) <= 6 and all(w[:1].isupper() for w in words) and not re.search(r"[\d:;/,.()]", t) \
        and not is_all_caps(t)


def _add_recipients(h: Header, t: str) -> None:
    for part in re.split(r"\s*(?:^|;)\s*[-–+•]\s+", t):
        part = part.strip().lstrip("-–+• ").rstrip(";.,").strip()
        if part:
            h.recipients.append(part)


# ---------------------------------------------------------------- front door

def read_preamble(doc: Document, start: int) -> int:
    """The authority line, "Căn cứ" lines, "Kính gửi" block, "... điện:" lines and addressee
    sentence after the header: fills kinh_gui and addressees; returns the index of the first
    labelled unit (or of the closing, or of a table)."""
    blocks = doc.blocks
    h = doc.header
    i = start
    addressee_mode = False
    while i < len(blocks):
        b = blocks[i]
        t = b.text.strip()
        if b.kind == "table":
            break
        lab = parse_label(t)
        m = KINH_GUI_RE.match(t)
        if m:
            addressee_mode = True
            rest = m.group("rest").strip()
            if rest:
                h.kinh_gui.extend(x.strip(" ;.") for x in re.split(r";\s*", rest) if x.strip(" ;."))
            i += 1
            continue
        if addressee_mode and lab and lab[0] == "dash":
            line = t[lab[2]:].strip()
            cut = re.search(r"[.;]\s+(?=[A-ZĐÀ-Ỹ])", line)
            if cut and len(line) - cut.end() > 40:
                line = line[:cut.start()]  # the next paragraph glued to the last addressee line
                addressee_mode = False
            h.kinh_gui.append(line.rstrip(";.,"))
            i += 1
            continue
        addressee_mode = False
        if DIEN_RE.search(t):
            addressee_mode = True
            i += 1
            continue
        if lab or NOI_NHAN_RE.match(t) or _is_signature_line(b):
            break
        am = _last_addressee_clause(t)
        if am:
            h.addressees = [am]
        i += 1
    return i


def structure(doc: Document) -> Document:
    """Fill the header, section tree, closing and task tables of a cleaned document."""
    blocks = [b for b in doc.blocks if b.zone != FURNITURE]
    doc.blocks = blocks
    end, _ = parse_header(doc)
    h = doc.header
    body_start = read_preamble(doc, end)
    if body_start >= len(blocks) or (blocks[body_start].kind == "para" and not parse_label(blocks[body_start].text)):
        # no labelled unit at all: the body is the paragraphs after the preamble
        body_start = _first_body_paragraph(blocks, end)
    tree = TreeBuilder()
    sections: list[Section] = []
    table_k = 0
    after_closing = False
    i = body_start
    while i < len(blocks):
        b = blocks[i]
        t = b.text.strip()
        if b.kind == "table":
            if add_table(doc, b, table_k + 1, sections):
                table_k += 1
            i += 1
            continue
        ended = i > body_start and blocks[i - 1].kind == "para" and re.search(r"\./\.\s*$", blocks[i - 1].text) \
            and not after_closing and t.startswith(("-", "–"))
        if NOI_NHAN_RE.match(t) or _is_signature_line(b) or ended or re.match(r"^[-–]\s*Lưu\s*:", t):
            j = parse_closing(doc, i, recipients=bool(ended))
            if j == i:
                j = i + 1
            if not after_closing:
                sections.extend(tree.finish())
                tree = TreeBuilder(prefix="KH.")
                after_closing = True
            i = j
            continue
        lab = parse_label(t)
        if after_closing and not lab:
            # captions, headings and the attached document's own header
            if not tree.sections or APPENDIX_RE.match(t) or CAPTION_RE.match(t) or is_all_caps(t) or \
                    NUMBER_RE.match(t) or PLACE_DATE_RE.match(t) or _is_motto(t):
                i += 1
                continue
        if lab:
            kind, label, consumed = lab
            tree.add_labelled(b, kind, label, consumed)
        else:
            if not (is_all_caps(t) and len(t) < 40 and not tree.sections) and not CAN_CU_RE.match(t):
                tree.add_unlabelled(b)
        i += 1
    sections.extend(tree.finish())
    sections.sort(key=lambda s: s.start)
    doc.sections = sections
    if h.place:
        h.place = known_place(h.place)
    if not h.issuer:
        body_text = " ".join(b.text for b in blocks[:200] if b.kind == "para")
        h.issuer = infer_issuer(body_text, h.number, h.place)
    if not h.addressees and h.kinh_gui:
        h.addressees = list(h.kinh_gui)
    return doc


def _last_addressee_clause(t: str) -> Optional[str]:
    """Who the preamble's last "... yêu cầu X, Y ... thực hiện ...:" directs (None if no such clause)."""
    if not t.rstrip().endswith(":"):
        return None
    starts = [m.start() for m in re.finditer(r"(?:yêu\s+cầu|đề\s+nghị)\s", t, re.I)]
    for st in reversed(starts):
        m = ADDRESSEE_RE.match(t, st)
        if m:
            return m.group("who")
    return None


def _first_body_paragraph(blocks: list[Block], end: int) -> int:
    i = end
    while i < len(blocks):
        t = blocks[i].text.strip()
        if CAN_CU_RE.match(t) or KINH_GUI_RE.match(t) or is_all_caps(t) or \
                (parse_label(t) and parse_label(t)[0] == "dash"):
            i += 1
            continue
        break
    return i
