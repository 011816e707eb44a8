"""The typed document model every stage takes and returns.

A file is read into one *source text* (``Document.text``): the reader lays the
file's text blocks end to end, and every block, table cell, section and
extracted fact points back into it by character offsets ``[start, end)`` and
a 1-based page number. Cleaning never rewrites ``Document.text``; it gives each
block a cleaned ``text`` plus an offset map back to the source.

Flow: read -> clean -> structure -> assign -> (export | store | graph).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

# Zones a reader (or the structure stage) may give a block.
HEADER_LEFT = "header-left"      # parent body, issuer, "Số: ...", "V/v ..."
HEADER_RIGHT = "header-right"    # national motto, place and date
BODY = "body"
CLOSING_LEFT = "closing-left"    # "Nơi nhận:" and its "- ...;" lines
CLOSING_RIGHT = "closing-right"  # signature block
FURNITURE = "furniture"          # running heads, page numbers, stamps, footnotes


@dataclass
class Block:
    """A paragraph (or one table cell) of the source, in reading order.

    ``raw`` is the text exactly as it stands in ``Document.text[start:end]``.
    ``text`` is the cleaned text; ``offsets[i]`` is the source offset of
    ``text[i]`` (``len(offsets) == len(text)``). Before cleaning, ``text`` is
    ``raw`` and ``offsets`` is ``range(start, end)``.
    """

    raw: str
    start: int
    end: int
    page: int = 1
    kind: str = "para"            # "para" | "table" | "cell"
    zone: str = BODY
    bold: bool = False
    italic: bool = False
    centered: bool = False
    text: str = ""
    offsets: list[int] = field(default_factory=list)
    rows: list[list["Block"]] = field(default_factory=list)  # kind == "table"

    def __post_init__(self) -> None:
        if not self.text:
            self.text = self.raw
        if not self.offsets:
            self.offsets = list(range(self.start, self.start + len(self.text)))

    def span(self, i: int, j: int) -> tuple[int, int]:
        """Source span of cleaned text[i:j]."""
        if not self.offsets:
            return (self.start, self.start)
        i = max(0, min(i, len(self.offsets) - 1))
        j = max(i + 1, min(j, len(self.offsets)))
        return (self.offsets[i], self.offsets[j - 1] + 1)


@dataclass
class Span:
    """Where a fact comes from."""

    start: int
    end: int
    page: int = 1
    path: str = ""

    def to_json(self) -> dict:
        return {"page": self.page, "path": self.path, "start": self.start, "end": self.end}


@dataclass
class Header:
    number: Optional[str] = None         # "02/CT-UBND"
    type: Optional[str] = None           # "Chỉ thị"
    issuer: Optional[str] = None         # "Ủy ban nhân dân tỉnh Hưng Yên"
    parent_issuer: Optional[str] = None  # "BỘ TÀI CHÍNH" above a department
    place: Optional[str] = None
    date: Optional[str] = None           # ISO
    title: Optional[str] = None
    urgency: list[str] = field(default_factory=list)   # "HỎA TỐC", "KHẨN", "MẬT"
    signer: Optional[str] = None
    signer_title: Optional[str] = None
    signer_authority: Optional[str] = None  # "TM.", "KT.", "Q.", "TL.", "TUQ."
    signer_on_behalf: Optional[str] = None  # "CHÍNH PHỦ" in "TM. CHÍNH PHỦ"
    recipients: list[str] = field(default_factory=list)
    addressees: list[str] = field(default_factory=list)
    kinh_gui: list[str] = field(default_factory=list)
    spans: dict[str, Span] = field(default_factory=dict)


@dataclass
class Section:
    """One unit of the body: a part, item, point, article, bullet, paragraph or table row."""

    path: str
    label: str                    # as printed: "II", "1.2", "a", "Điều 3", "-", "+", "" (paragraph)
    kind: str                     # part|item|point|article|bullet|plus|para|group|row|prefix
    heading: Optional[str] = None  # the label line's text when it heads children
    text: str = ""                # the unit's own text (label line + continuation paragraphs)
    start: int = 0
    end: int = 0
    page: int = 1
    parent: Optional["Section"] = field(default=None, repr=False)
    children: list["Section"] = field(default_factory=list, repr=False)
    blocks: list[Block] = field(default_factory=list, repr=False)
    cells: dict[str, str] = field(default_factory=dict)  # table rows: column role -> text
    cell_blocks: dict[str, Block] = field(default_factory=dict, repr=False)
    table: int = 0                # k of T<k> for table rows
    offsets: list[int] = field(default_factory=list, repr=False)  # source offset of each char of text

    @property
    def head(self) -> str:
        """What the unit is headed by: its heading if it has one ("Thành phần Ban Chỉ đạo"),
        else its text."""
        return (self.heading if self.heading is not None else self.text) or ""

    @property
    def depth(self) -> int:
        d, p = 0, self.parent
        while p is not None:
            d, p = d + 1, p.parent
        return d

    def span(self) -> Span:
        return Span(self.start, self.end, self.page, self.path)

    def text_span(self, i: int, j: int) -> Span:
        """Source span of text[i:j] (falls back to the unit's own span)."""
        if not self.offsets or i >= len(self.offsets):
            return self.span()
        j = max(i + 1, min(j, len(self.offsets)))
        return Span(self.offsets[i], self.offsets[j - 1] + 1, self.page, self.path)

    def walk(self):
        yield self
        for c in self.children:
            yield from c.walk()


@dataclass
class Owner:
    agency: str
    role: str = "lead"            # lead | support
    inherited: bool = False
    request: bool = False         # "Đề nghị X ..." rather than an order
    office: Optional[str] = None  # "Giám đốc" when named through an office-holder
    registry_id: Optional[str] = None
    kind: Optional[str] = None
    span: Optional[Span] = None


@dataclass
class Deadline:
    text: str
    date: Optional[str] = None         # ISO due date
    recurrence: Optional[str] = None   # daily|weekly|monthly|quarterly|half-yearly|yearly|continuous
    day: Optional[int] = None
    month: Optional[int] = None
    time: Optional[str] = None         # "16:00"
    rrule: Optional[str] = None
    relative: bool = False
    span: Optional[Span] = None


@dataclass
class Reference:
    number: Optional[str]
    type: Optional[str] = None
    date: Optional[str] = None
    issuer: Optional[str] = None
    text: str = ""
    span: Optional[Span] = None
    mentions: list[Span] = field(default_factory=list)


@dataclass
class Task:
    section: Section
    owners: list[Owner] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    report_to: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)

    @property
    def path(self) -> str:
        return self.section.path


@dataclass
class Warning_:
    code: str
    message: str
    span: Optional[Span] = None


@dataclass
class Document:
    path: str
    format: str                   # "pdf" | "docx" | "txt"
    text: str = ""                # the source text every offset points into
    pages: int = 1
    blocks: list[Block] = field(default_factory=list)
    header: Header = field(default_factory=Header)
    sections: list[Section] = field(default_factory=list)   # document order, roots and descendants
    tasks: list[Task] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    warnings: list[Warning_] = field(default_factory=list)
    ocr: bool = False

    def page_at(self, offset: int) -> int:
        page = 1
        for b in self.blocks:
            if b.start <= offset:
                page = b.page
            else:
                break
        return page

    def warn(self, code: str, message: str, span: Optional[Span] = None) -> None:
        self.warnings.append(Warning_(code, message, span))


class DirectiveError(Exception):
    """A file that cannot be processed: the message names the file and why."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
