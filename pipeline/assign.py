"""Stage 4, assign: which units are tasks, who owns them, by when, citing what.

``assign(doc)`` is the front door. For each unit of the section tree it decides
whether the unit directs someone to act, then finds:

- owners named in the unit (lead: the subject of the sentence, "Giao/Yêu cầu/
  Đề nghị X ...", "X chủ trì", "X có trách nhiệm", a task table's "Cơ quan chủ
  trì" cell; support: "phối hợp với Y", the "Cơ quan phối hợp" cell), with
  office-holders standing for their organisation;
- inherited owners: the leads of the nearest enclosing unit that has any
  ("3. Sở Y tế:" over its points), else the document's addressees ("... yêu
  cầu X; Y ...:", "Kính gửi:", "THỦ TƯỚNG CHÍNH PHỦ điện:");
- report_to: "báo cáo X (qua Y)", "trình X";
- deadlines (:mod:`pipeline.deadlines`) and references (:mod:`pipeline.references`).

Every fact keeps its provenance: page, section path and source span.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, Optional

from .agencies import AgencyMention, find_agencies
from .clean import fold
from .deadlines import find_deadlines
from .model import Document, Owner, Reference, Section, Span, Task
from .patterns import genre
from .references import dated_after, find_references, normalize_number

# Parts whose units state purposes and requirements, not tasks.
_NOT_TASK_HEADINGS = ("muc dich", "yeu cau", "muc tieu", "pham vi", "doi tuong ap dung", "giai thich tu ngu",
                      "quan diem chi dao", "ket qua dat duoc", "tinh hinh", "danh gia")
_EFFECTIVE_RE = re.compile(r"\bnày\s+có\s+hiệu\s+lực(\s+thi\s+hành)?\s+(kể\s+)?từ", re.I)
_ASSESS_RE = re.compile(r"^\s*(Đánh\s+giá\s+cao|Ghi\s+nhận|Biểu\s+dương|Hoan\s+nghênh|Khen\s+ngợi|Cơ\s+bản\s+thống\s+nhất\s+với\s+báo\s+cáo)\b", re.I)
_FIELD_RE = re.compile(r"^\s*(?P<field>(?:Cơ\s+quan|Đơn\s+vị)\s+(?:chủ\s+trì|phối\s+hợp|thực\s+hiện)(?:\s+thực\s+hiện)?|"
                       r"Thời\s+(?:gian|hạn)(?:\s+hoàn\s+thành|\s+thực\s+hiện)?|Sản\s+phẩm|Kết\s+quả\s+đầu\s+ra)\s*:\s*(?P<value>.*)$", re.I)
_COMPOSE_RE = re.compile(r"^(Kiện\s+toàn|Thành\s+lập|Công\s+nhận|Bổ\s+nhiệm|Cử|Điều\s+động)\b", re.I)
_ACT_RE = re.compile(r"^(Kiện\s+toàn|Thành\s+lập|Phê\s+duyệt|Ban\s+hành\s+kèm\s+theo|Bãi\s+bỏ|Công\s+nhận|"
                     r"Bổ\s+nhiệm|Đồng\s+ý\s+chủ\s+trương|Sửa\s+đổi,\s+bổ\s+sung)\b", re.I)
_MEMBER_RE = re.compile(r"^(Trưởng\s+ban|Phó\s+Trưởng\s+ban|Các\s+ủy\s+viên|Ủy\s+viên|Uỷ\s+viên|Thành\s+viên|"
                        r"Cơ\s+quan\s+thường\s+trực|Thường\s+trực\s+Ban|\d+\s+(Phó|Ủy|Uỷ|Thứ|Lãnh))", re.I)

_LEAD_PREFIX_RE = re.compile(
    r"^\s*(?:(?:Giao(?:\s+cho)?|Yêu\s+cầu|Đề\s+nghị|Chính\s+phủ\s+(?:trân\s+trọng\s+)?đề\s+nghị|"
    r"Ủy\s+ban\s+nhân\s+dân\s+tỉnh\s+(?:đề\s+nghị|yêu\s+cầu|giao)|Trân\s+trọng\s+đề\s+nghị)\s+)?"
    r"(?:các\s+đồng\s+chí\s+|đồng\s+chí\s+|đ/c\s+|các\s+)?$", re.I)
_SUPPORT_BEFORE_RE = re.compile(r"(phối\s+hợp(?:\s+chặt\s+chẽ)?\s+(?:với|cùng)|với\s+sự\s+phối\s+hợp\s+của|"
                                r"cùng\s+với|và\s+sự\s+tham\s+gia\s+của)\s*(?:các\s+đồng\s+chí\s+|các\s+)?$", re.I)
_REPORT_BEFORE_RE = re.compile(r"(báo\s+cáo(?:\s+kết\s+quả)?(?:\s+về)?|trình|gửi(?:\s+\S+){0,6}\s+về|\(\s*qua|"
                               r"qua|xin\s+ý\s+kiến)\s*(?:các\s+đồng\s+chí\s+)?$", re.I)
_LEAD_AFTER_RE = re.compile(r"^\s*(?:\([^)]*\)\s*)?(?:là\s+cơ\s+quan\s+)?(chủ\s+trì|có\s+trách\s+nhiệm|chịu\s+trách\s+nhiệm|"
                            r"thực\s+hiện|tổ\s+chức|khẩn\s+trương|chủ\s+động|tập\s+trung|quán\s+triệt|"
                            r"phối\s+hợp|tiếp\s+tục|nghiên\s+cứu|rà\s+soát|xây\s+dựng|hướng\s+dẫn|theo\s+dõi|"
                            r"chỉ\s+đạo|lãnh\s+đạo|bảo\s+đảm|đảm\s+bảo|tăng\s+cường|căn\s+cứ|khẩn\s+cấp|nghiêm\s+túc|"
                            r"kịp\s+thời|cần|phải|được\s+giao|:)", re.I)
_CHAIRS_RE = re.compile(r"\b(?:tham\s+dự|dự|tham\s+gia|được\s+mời)\b[^.;:]{0,40}\b(?:cuộc\s+họp|phiên\s+họp|hội\s+nghị|"
                        r"hội\s+thảo|buổi\s+làm\s+việc|cuộc\s+làm\s+việc|tọa\s+đàm)\b[^.;:]{0,160}\bdo\s+[^.;:]*$", re.I)
_CONNECT_RE = re.compile(r"^\s*(,|;|và|cùng|,\s*và|với|hoặc)?\s*$", re.I)


def _clause_start(text: str, pos: int) -> int:
    """Start of the clause holding ``pos``: after the last ". ", "; " or ": " before it."""
    cut = max(text.rfind(". ", 0, pos), text.rfind("; ", 0, pos), text.rfind(": ", 0, pos))
    return 0 if cut < 0 else cut + 2


_NOT_ACTS_RE = re.compile(r"^\s*(trân\s+trọng|cảm\s+ơn|đã|là|được|sẽ\s+được|có\s+ý\s+kiến|báo\s+cáo\s+(về|tại)|về|của|tại|trên|"
                         r"thuộc|và|theo|trong|với)\b", re.I)  # whole words: "là" is not "làm"


_INSERT_RE = re.compile(r"^\s*,?\s*(theo\s+chức\s+năng,\s+nhiệm\s+vụ(,\s+quyền\s+hạn)?(\s+được\s+giao|\s+của\s+mình|"
                        r"\s+quản\s+lý)?|trong\s+phạm\s+vi\s+(chức\s+năng,\s+nhiệm\s+vụ|quản\s+lý)(\s+của\s+mình)?|"
                        r"căn\s+cứ\s+chức\s+năng,\s+nhiệm\s+vụ(\s+được\s+giao)?)\s*,?", re.I)


@lru_cache(maxsize=1)
def _task_verbs() -> re.Pattern:
    verbs = sorted(genre().get("task_verbs", []), key=len, reverse=True)
    return re.compile(r"^\s*(?:" + "|".join(r"\s+".join(map(re.escape, v.split())) for v in verbs) + r")(?!\w)", re.I)


def _acts(after: str) -> bool:
    """Does the text after a named subject go on with an action (a verb or an adverb of manner)?"""
    after = after[_INSERT_RE.match(after).end():] if _INSERT_RE.match(after) else after
    if not after.strip() or re.match(r"^\s*[:.]?\s*$", after):
        return True  # "3. Sở Y tế:" heading over its points
    if re.match(r"^\s*là\s+(cơ\s+quan|đơn\s+vị)\s+(thường\s+trực|đầu\s+mối|chủ\s+trì)", after, re.I):
        return True  # "Sở Nội vụ là cơ quan thường trực, có trách nhiệm ..."
    if _NOT_ACTS_RE.match(after):
        return False
    if _LEAD_AFTER_RE.match(after):
        return True
    if _task_verbs().match(after):  # "niêm yết", "rà soát": verbs the POS tagger may read as nouns
        return True
    from .nlp import make_doc
    doc = make_doc(after.strip()[:50], pos=True, protect_agencies=False)
    for tok in doc:
        if tok.is_space:
            continue
        return tok.tag_ in ("V", "R", "A") or tok.text.lower() in ("khẩn", "chủ", "tập", "phối")
    return False


def _mention_start(m: AgencyMention) -> int:
    return m.office_start if m.office_start is not None else m.start


def _agency_name(m: AgencyMention) -> str:
    """The owner's name: the organisation, or a deputy's office with it ("Phó Chủ tịch UBND tỉnh")."""
    if m.office and fold(m.office).startswith("pho "):
        return f"{m.office} {m.text}"
    return m.name


def classify(text: str, mentions: list[AgencyMention]) -> list[tuple[AgencyMention, str]]:
    """Role of each agency named in a unit: lead, support, report, or none (an object of the action)."""
    out: list[tuple[AgencyMention, str]] = []
    prev: Optional[tuple[AgencyMention, str]] = None
    for m in mentions:
        s = _mention_start(m)
        before = text[_clause_start(text, s):s]
        role = "none"
        if text.count("(", 0, s) > text.count(")", 0, s):
            # named inside brackets: "(qua Sở Nội vụ)" is whom a report goes through; else an example
            role = "report" if re.search(r"\(\s*qua\s*$", before) else "none"
        elif re.match(r"^\s*(trân\s+trọng\s+)?(đề\s+nghị|yêu\s+cầu|giao|chỉ\s+thị)\b", text[m.end:m.end + 30], re.I):
            role = "none"  # the one who asks ("Chính phủ trân trọng đề nghị ...")
        elif prev is not None and prev[1] != "none" and _CONNECT_RE.match(text[prev[0].end:s]):
            role = prev[1]
        elif _SUPPORT_BEFORE_RE.search(before):
            role = "support"
        elif _REPORT_BEFORE_RE.search(before) or (re.search(r"\svề\s*$", before) and
                                                    re.search(r"\b(báo\s+cáo|gửi|phản\s+ánh)\b", before, re.I)):
            role = "report"
        elif _LEAD_PREFIX_RE.match(before):
            role = "lead"
        elif re.match(r"^[^,;:()]{2,30},\s*$", before) and _acts(text[m.end:m.end + 60]):
            role = "lead"  # after a leading adverbial: "Thời gian tới, các bộ ... tiếp tục ..."
        elif re.match(r"^\s*chủ\s+trì", text[m.end:m.end + 20], re.I):
            # "dự các cuộc họp do Phó Thủ tướng chủ trì": who chairs a meeting someone attends
            role = "none" if _CHAIRS_RE.search(before) else "lead"
        # the subject of a clause must act: "X chủ trì / có trách nhiệm / ..." or "Giao X ..."
        if role == "lead" and not before.strip():
            after = text[m.end:m.end + 60]
            if not _LEAD_AFTER_RE.match(after) and not re.match(r"^\s*([,;]|và\b|cùng\b)", after) and not _acts(after):
                role = "none"
        out.append((m, role))
        prev = (m, role)
    # "X, Y phối hợp trong ..." (no "với"): those asked only to take part support
    k = 0
    while k < len(out):
        if out[k][1] != "lead":
            k += 1
            continue
        j = k
        while j + 1 < len(out) and out[j + 1][1] == "lead" and _CONNECT_RE.match(text[out[j][0].end:_mention_start(out[j + 1][0])]):
            j += 1
        if re.match(r"^\s*(cùng\s+)?phối\s+hợp(?!\s+(chặt\s+chẽ\s+)?(với|cùng))", text[out[j][0].end:out[j][0].end + 40], re.I):
            for q in range(k, j + 1):
                out[q] = (out[q][0], "support")
        k = j + 1
    return out


def _owner(doc: Document, sec: Section, m: AgencyMention, role: str,
           request: bool = False, text_span=None) -> Owner:
    span = text_span(m.start, m.end) if text_span else sec.text_span(m.start, m.end)
    return Owner(agency=_agency_name(m), role=role, inherited=False, request=request, office=m.office,
                 registry_id=m.entry.id if m.entry is not None else None, kind=m.kind, span=span)


def _is_task(sec: Section, not_task_parts: set[int]) -> bool:
    if sec.kind in ("group", "table", "root"):
        return False
    p: Optional[Section] = sec
    while p is not None:
        if id(p) in not_task_parts:
            return False
        p = p.parent
    text = sec.text or ""
    if sec.kind == "para" and sec.parent is not None and any(c.kind != "para" for c in sec.parent.children):
        return False  # an introduction before the labelled units
    if _EFFECTIVE_RE.search(text) and not re.search(r"\b(giao|chủ\s+trì|có\s+trách\s+nhiệm|chịu\s+trách\s+nhiệm)\b", text, re.I):
        return False
    if _MEMBER_RE.match(text) or _ASSESS_RE.match(text) or _FIELD_RE.match(text):
        return False
    if sec.kind == "article" and _ACT_RE.match(text) and \
            not re.search(r"\b(giao|chủ\s+trì|có\s+trách\s+nhiệm)\b", text, re.I):
        return False  # "Điều 1. Phê duyệt Đề án ...": the act itself; its units are judged on their own
    return bool(text.strip()) or bool(sec.children)


def _not_task_parts(sections: list[Section]) -> set[int]:
    """Units whose subtree states purposes, requirements or an act (composition of a body)."""
    out: set[int] = set()
    for s in sections:
        head = fold(s.head)[:60]
        if s.kind in ("part", "roman", "chapter", "num") and head.startswith(_NOT_TASK_HEADINGS) and \
                (s.children or s.kind in ("part", "roman", "chapter") or len(head) < 40):
            out.add(id(s))
        if s.kind == "article" and _COMPOSE_RE.match(s.text or "") and \
                not re.search(r"\b(giao|chủ\s+trì|có\s+trách\s+nhiệm)\b", s.text or "", re.I):
            out.add(id(s))
        # the members of a body: "Điều 2. Thành phần Ban Chỉ đạo", "3. Ủy viên:" over a) b) c)
        if (s.kind in ("article", "part", "roman", "chapter", "num") and head.startswith("thanh phan")) or \
                (s.children and _MEMBER_RE.match(s.head)):
            out.add(id(s))
    return out


def addressee_owners(doc: Document) -> list[Owner]:
    """Owners every task without its own inherits: the addressee clause or the Kính gửi lines."""
    h = doc.header
    names: list[Owner] = []
    sources = list(h.kinh_gui) if h.kinh_gui else list(h.addressees)
    seen: set[str] = set()
    for line in sources:
        mentions = find_agencies(line)
        if not mentions:
            name = re.sub(r"^(Thủ\s+trưởng|Giám\s+đốc|Chủ\s+tịch|Bộ\s+trưởng)\s+", "", line.strip(" -;.,:"))
            mentions_names = [(name, None)] if name else []
        else:
            mentions_names = [(m.name, m) for m in mentions]
        for name, m in mentions_names:
            key = fold(name)
            if key in seen:
                continue
            seen.add(key)
            names.append(Owner(agency=name, role="lead", inherited=True, office=m.office if m else None,
                               registry_id=m.entry.id if m is not None and m.entry is not None else None,
                               kind=m.kind if m else None))
    return names


def _split_cell(text: str) -> list[str]:
    return [p.strip(" .;,") for p in re.split(r";|\n", text) if p.strip(" .;,")]


def _row_owners(doc: Document, sec: Section, role_cell: str, role: str) -> list[Owner]:
    cell = sec.cell_blocks.get(role_cell)
    text = sec.cells.get(role_cell, "")
    if not text.strip():
        return []
    mentions = find_agencies(text)
    owners = []
    if mentions:
        for m in mentions:
            span = cell.span(m.start, m.end) if cell is not None else None
            owners.append(Owner(agency=m.name, role=role, office=m.office, kind=m.kind,
                                registry_id=m.entry.id if m.entry is not None else None,
                                span=Span(*span, page=cell.page, path=sec.path) if span else None))
    else:
        for part in _split_cell(text):
            owners.append(Owner(agency=part, role=role))
    return owners


def _deadlines(doc: Document, sec: Section, text: str, cell=None, is_cell: bool = False):
    out = []
    for d in find_deadlines(text, doc.header.date, cell=is_cell):
        if d.span is not None:
            if cell is not None:
                s, e = cell.span(d.span.start, d.span.end)
                d.span = Span(s, e, cell.page, sec.path)
            else:
                d.span = sec.text_span(d.span.start, d.span.end)
        out.append(d)
    return out


def _references(doc: Document) -> list[Reference]:
    """Documents cited anywhere in the body, one each, mentions kept."""
    h = doc.header
    merged: dict[str, Reference] = {}
    for b in doc.blocks:
        texts = [(b.text, b)] if b.kind == "para" else [(c.text, c) for row in b.rows for c in row]
        for text, blk in texts:
            for r in find_references(text, h.number, h.date):
                spans = [r.span] + list(r.mentions) if r.span else list(r.mentions)
                fixed = []
                for sp in spans:
                    if sp is None:
                        continue
                    s, e = blk.span(sp.start, sp.end)
                    fixed.append(Span(s, e, blk.page))
                key = normalize_number(r.number) if r.number else "name:" + fold(r.text)
                if key in merged:
                    old = merged[key]
                    old.mentions.extend(fixed)
                    old.date = old.date or r.date
                    old.issuer = old.issuer or r.issuer
                else:
                    r.span = fixed[0] if fixed else None
                    r.mentions = fixed[1:]
                    merged[key] = r
    return list(merged.values())


def assign(doc: Document) -> Document:
    """Fill doc.tasks (owners, report_to, deadlines) and doc.references."""
    doc.references = _references(doc)
    for r in doc.references:
        if r.number and dated_after(r, doc.header.date):
            doc.warn("cited-after", f"{r.number} is dated {r.date}, after this document ({doc.header.date})", r.span)
    addressees = addressee_owners(doc)
    not_task = _not_task_parts(doc.sections)
    leads_of: dict[int, list[Owner]] = {}
    tasks: list[Task] = []
    for sec in doc.sections:
        explicit, report_to, directed_by_owner = _explicit(doc, sec)
        if explicit and _REQUEST_RE.match(sec.text or "") and _under_powers(sec):
            # "Nhiệm vụ, quyền hạn của Ban Chỉ đạo: ... 4. Yêu cầu các bộ ... cung cấp thông tin":
            # the body's power to ask; those it may ask are not directed by this document
            explicit = []
        own_leads = [o for o in explicit if o.role == "lead"]
        if own_leads and not directed_by_owner:
            leads_of[id(sec)] = own_leads
        inherited = [] if own_leads and not directed_by_owner else _inherited(sec, leads_of, addressees)
        if inherited and id(sec) not in leads_of:
            leads_of[id(sec)] = inherited
        if not _is_task(sec, not_task):
            continue
        owners = _merge_owners(inherited + explicit)
        if sec.kind in ("row", "subrow") and "due" in sec.cells:
            dls = _deadlines(doc, sec, sec.cells["due"], sec.cell_blocks.get("due"), is_cell=True)
        else:
            dls = _deadlines(doc, sec, sec.text)
            for child, fm, field in _fields(sec):  # "c) Thời gian hoàn thành: Quý III/2026"
                if field.startswith("thoi"):
                    for d in find_deadlines(fm.group("value"), doc.header.date, cell=True):
                        if d.span is not None:
                            d.span = child.text_span(d.span.start + fm.start("value"), d.span.end + fm.start("value"))
                        dls.append(d)
        task = Task(section=sec, owners=owners, deadlines=dls, report_to=report_to)
        task.references = [normalize_number(r.number) for r in doc.references if r.number and any(
            sp is not None and sec.start <= sp.start < sec.end for sp in [r.span] + r.mentions)]
        if not owners and not sec.children:
            doc.warn("no-owner", f"task {sec.path} names no owner and has none to inherit", sec.span())
        for o in explicit:
            if o.registry_id is None and o.kind is None:
                doc.warn("unregistered-agency", f"{o.agency} ({sec.path}) is not in the agency registry", o.span)
        tasks.append(task)
    abbr = _defined_abbreviations(doc.text)
    if abbr:  # "Tập đoàn Điện lực Việt Nam (EVN)", then "EVN" alone: the owner by its name
        for task in tasks:
            for o in task.owners:
                o.agency = abbr.get(o.agency, o.agency)
            task.report_to = [abbr.get(r, r) for r in task.report_to]
    doc.tasks = tasks
    return doc


_ABBR_DEF_RE = re.compile(r"\(\s*(?:sau\s+đây\s+(?:gọi\s+)?(?:tắt\s+)?(?:là|gọi\s+là)\s+)?([A-ZĐ][A-ZĐ0-9&]{1,9})\s*\)")


def _defined_abbreviations(text: str) -> dict[str, str]:
    """Abbreviations a document defines for an agency it names ("... Việt Nam (EVN)",
    "... (sau đây gọi tắt là NSMO)"): abbreviation -> the name before the bracket."""
    out: dict[str, str] = {}
    for m in _ABBR_DEF_RE.finditer(text):
        if m.group(1) in out:
            continue
        start = max(0, m.start() - 160)
        window = text[start:m.start()]
        found = [a for a in find_agencies(window) if not window[a.end:].strip()]
        if found and found[-1].name != m.group(1):
            out[m.group(1)] = _agency_name(found[-1])
    return out


# The closing words of a letter or directive, run on after its last item (no label of their
# own): "Trong quá trình thực hiện, nếu có vướng mắc, ...", "Trên đây là ...", or the last
# sentence "UBND tỉnh đề nghị các cơ quan, đơn vị ... nghiêm túc triển khai thực hiện./."
_CLOSING_RE = re.compile(r"(?<=[.;!]\s)(?:Trong\s+quá\s+trình\s+(?:tổ\s+chức\s+)?(?:triển\s+khai\s+)?thực\s+hiện,\s+nếu\s+có\b|"
                         r"Trên\s+đây\s+là\b|[^.;]{0,80}?\b(?:đề\s+nghị|yêu\s+cầu)\s+(?:các|Quý)\b[^.;]{0,120}?"
                         r"\b(?:nghiêm\s+túc|khẩn\s+trương)\s+(?:triển\s+khai\s+)?(?:thực\s+hiện|triển\s+khai)[^.;]{0,60}\./\.)",
                         re.I)
_REQUEST_RE = re.compile(r"^\s*(Yêu\s+cầu|Đề\s+nghị)\b", re.I)
_POWERS_HEADINGS = ("nhiem vu, quyen han", "nhiem vu va quyen han", "quyen han", "chuc nang, nhiem vu, quyen han",
                    "chuc nang, nhiem vu va quyen han")


def _fields(sec: Section) -> Iterable[tuple[Section, re.Match, str]]:
    """The unit's attribute lines ("a) Cơ quan chủ trì: ...", "c) Thời gian thực hiện: ..."):
    (line, its match, the folded field name)."""
    for child in sec.children:
        fm = _FIELD_RE.match(child.text or "")
        if fm:
            yield child, fm, fold(fm.group("field"))


def _under_powers(sec: Section) -> bool:
    """Is the unit one of a body's duties and powers ("Nhiệm vụ, quyền hạn của Ban Chỉ đạo")?"""
    p = sec.parent
    while p is not None and p.kind != "root":
        if fold(p.head).startswith(_POWERS_HEADINGS):
            return True
        p = p.parent
    return False


def _inherited(sec: Section, leads_of: dict[int, list[Owner]], addressees: list[Owner]) -> list[Owner]:
    p = sec.parent
    while p is not None and p.kind != "root":
        if id(p) in leads_of:
            return [Owner(agency=o.agency, role="lead", inherited=True, office=o.office,
                          registry_id=o.registry_id, kind=o.kind, span=o.span) for o in leads_of[id(p)]]
        p = p.parent
    if sec.kind in ("row", "subrow", "group"):
        return []
    return [Owner(agency=o.agency, role="lead", inherited=True, office=o.office, registry_id=o.registry_id,
                  kind=o.kind) for o in addressees]


def _merge_owners(owners: Iterable[Owner]) -> list[Owner]:
    out: list[Owner] = []
    seen: dict[tuple[str, str], Owner] = {}
    for o in owners:
        key = (fold(o.agency), o.role)
        if key in seen:
            if seen[key].inherited and not o.inherited:
                seen[key].inherited = False
                seen[key].span = o.span
            continue
        seen[key] = o
        out.append(o)
    return out


def _explicit(doc: Document, sec: Section) -> tuple[list[Owner], list[str], bool]:
    """Owners named in the unit itself, its report_to, and whether its lead is only
    someone the owner is told to direct ("Chỉ đạo Sở X chủ trì ...")."""
    if sec.kind in ("row", "subrow"):
        owners = _row_owners(doc, sec, "lead", "lead") + _row_owners(doc, sec, "support", "support")
        if sec.kind == "subrow" and not any(o.role == "lead" for o in owners):
            return owners, [], False
        return owners, [], False
    text = sec.text or ""
    if not text:
        return [], [], False
    mentions = find_agencies(text)
    closing = _CLOSING_RE.search(text)
    if closing:  # the letter's closing words carried on after the last item own nothing of it
        mentions = [m for m in mentions if m.start < closing.start()]
    request = bool(re.match(r"^\s*(Đề\s+nghị|.{0,30}trân\s+trọng\s+đề\s+nghị|.{0,20}đề\s+nghị)\b", text, re.I))
    owners: list[Owner] = []
    report_to: list[str] = []
    for m, role in classify(text, mentions):
        if role in ("lead", "support"):
            owners.append(_owner(doc, sec, m, role, request=request and role == "lead"))
        elif role == "report" and m.name not in report_to:
            report_to.append(m.name)
    directed = bool(re.match(r"^\s*Chỉ\s+đạo\b", text, re.I))
    # a lead named only in a later sentence adds to the owners the unit inherits
    first = re.search(r"(?<=[.;])\s", text)
    first_end = first.start() if first else len(text)
    if owners and not any(o.role == "lead" and o.span is not None and
                          o.span.start < (sec.offsets[first_end - 1] if sec.offsets and first_end else sec.end)
                          for o in owners):
        directed = True
    for child, fm, field in _fields(sec):
        role = "lead" if "chu tri" in field or "thuc hien" in field else "support" if "phoi hop" in field else None
        if role is None:
            continue
        base = fm.start("value")
        for m in find_agencies(fm.group("value")):
            owners.append(_owner(doc, child, m, role, text_span=lambda a, b, c=child, k=base: c.text_span(a + k, b + k)))
    head = re.match(r"^(?:Nhiệm\s+vụ|Trách\s+nhiệm|Quyền\s+hạn|Nhiệm\s+vụ,\s+quyền\s+hạn)\s+(?:của|cho)\s+(.+?)\s*:?\s*$", text, re.I)
    if head and not owners:
        ms = find_agencies(head.group(1))
        base = head.start(1)
        owners = [_owner(doc, sec, m, "lead", text_span=lambda a, b: sec.text_span(a + base, b + base)) for m in ms]
        if not owners:
            owners = [Owner(agency=head.group(1).strip(), role="lead", span=sec.text_span(head.start(1), head.end(1)))]
    return _merge_owners(owners), report_to, directed
