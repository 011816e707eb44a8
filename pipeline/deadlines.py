"""Deadline normaliser: find the due times printed in one unit of text.

``find_deadlines(text, doc_date)`` returns :class:`pipeline.model.Deadline`
objects for the phrases of a paragraph (or, with ``cell=True``, of a task
table's 'Thời gian' cell) that set a due date, a recurrence or a counted time.

How a phrase is judged (the genre's conventions, see docs/GENRE.md "When" and
eval/CONTRACT.md "Deadlines"):

* A date or a period counts only behind a *cue*: "trước (ngày)", "chậm nhất",
  "không quá", "đến hết", "hết", "trong", "vào", "cuối", "hạn chót",
  "hoàn thành ...". A bare date is the date of a cited document, a bare
  "năm 2025" a scope ("kết quả thực hiện năm 2025"). The one exception: a bare
  year is due when a completion verb ("hoàn thành ...") governs it in the same
  clause. In table cells (``cell=True``) the cell *is* the due time: no cue
  needed.
* A cue does not make a deadline when a scope word stands in the few words
  before it, with no modal ("phải", "hoàn thành", "báo cáo" ...) in between:
  "nợ phát sinh trước 01/7/2025", "ước thực hiện đến hết ngày 31/01/2026",
  "dịp cuối năm", "những tháng cuối năm". Periods ("giai đoạn 2026-2030",
  "năm học 2025-2026", "đến năm 2030, định hướng đến năm 2045") never count.
* A period is due on its last day ("trong quý 3/2025" -> 2025-09-30); "trước"
  a period means before it starts.
* A recurrence word ("hằng tháng", "hàng năm", "hằng quý", "định kỳ 6
  tháng") counts when it says how often something is *done*: after "định kỳ",
  next to a verb of doing or reporting ("định kỳ hằng năm báo cáo", "họp hằng
  tuần"), at the head of a clause ("Hằng năm, ..."), or as a day of a
  recurring date ("trước ngày 20 hằng tháng"). After a noun of budgets or plans
  ("ngân sách hằng năm", "kế hoạch công tác hằng năm") it is an adjective.
  "thường xuyên" is ``continuous`` only as an adverb of a verb of doing.
* A counted time ("trong thời hạn 05 ngày làm việc kể từ ngày ký") is
  ``relative`` and anchored on the document's date; working days skip
  Saturdays and Sundays. Counted from an event ("kể từ ngày nhận đủ hồ sơ")
  it is a procedural rule, not a deadline.
* Narrative is not a due time: a period already over at the document's date
  ("Trong tháng 4 năm 2026, ..."), an event "vào ngày" before it, a fronted
  period followed by "đã", the date of a cited document ("Quyết định số
  12/QĐ-UBND ngày ...", "... của Ban Chỉ đạo").
* Year-less days and periods take the document's year, or the next one if the
  day is already past ("trước ngày 20/10"); a year-less month or quarter that
  ended under four months before the document is a report on it and is
  dropped. Without a document date they are not reported (counted times are,
  with ``date=None`` and ``relative=True``).

Output: ``recurrence`` one of daily|weekly|monthly|quarterly|half-yearly|
yearly|continuous with ``date=None``; ``day`` is the day of the month, or for
weekly the ISO weekday (1 = thứ Hai ... 7 = Chủ nhật); ``rrule`` an iCalendar
RRULE ("FREQ=MONTHLY;BYMONTHDAY=20"); ``time`` "HH:MM"; ``span`` offsets into
the ``text`` given (page/path left default). One deadline per due date or
recurrence in a text; a bare recurrence gives way to one with its day.

Word lists live in ``models/deadlines.json``.
"""
from __future__ import annotations

import calendar
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Optional

from pipeline.model import Deadline, Span
from pipeline.patterns import MODELS

_VOCAB_PATH = MODELS / "deadlines.json"

__all__ = [
    "find_deadlines",
    "last_day",
    "quarter_end",
    "add_working_days",
    "add_months",
    "parse_iso",
]


# --------------------------------------------------------------------------
# calendar helpers


def last_day(year: int, month: int) -> date:
    """Last day of a month."""
    return date(year, month, calendar.monthrange(year, month)[1])


def quarter_end(year: int, quarter: int) -> date:
    """Last day of quarter 1..4."""
    return last_day(year, quarter * 3)


def add_working_days(start: date, n: int) -> date:
    """``start`` plus ``n`` working days (Monday to Friday; no holiday table)."""
    d = start
    step = 1 if n >= 0 else -1
    left = abs(n)
    while left:
        d += timedelta(days=step)
        if d.weekday() < 5:
            left -= 1
    return d


def add_months(start: date, n: int) -> date:
    """``start`` plus ``n`` calendar months, clamped to the month's last day."""
    m = start.month - 1 + n
    y, m = start.year + m // 12, m % 12 + 1
    return date(y, m, min(start.day, calendar.monthrange(y, m)[1]))


def parse_iso(s: Optional[str]) -> Optional[date]:
    """``"2025-08-15"`` -> date; anything unparsable -> None."""
    if not s:
        return None
    m = re.match(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})", s)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


# --------------------------------------------------------------------------
# vocabulary and patterns


def _wordpat(phrase: str) -> str:
    """A phrase as a regex: spaces match any whitespace, 'đ' also matches 'ð' (a
    stand-in some fonts produce; IGNORECASE covers 'Đ' and 'Ð')."""
    out = []
    for ch in phrase.strip():
        if ch == " ":
            out.append(r"\s+")
        elif ch in "đĐ":
            out.append("[đð]")
        else:
            out.append(re.escape(ch))
    return "".join(out)


def _alt(words) -> str:
    ws = sorted({w for w in words if w and not w.startswith("_")}, key=len, reverse=True)
    return "(?:" + "|".join(_wordpat(w) for w in ws) + ")"


def _words(v) -> list[str]:
    if isinstance(v, dict):
        v = v.get("words", [])
    return [w for w in v if isinstance(w, str)]


@dataclass
class _Vocab:
    roman: dict[str, int]
    weekdays: dict[str, int]
    rrule_days: list[str]
    number_words: dict[str, int]
    counted: dict[str, str]
    units: dict[str, str]
    action_re: re.Pattern
    action_head_re: re.Pattern
    noun_trap_tail_re: re.Pattern
    head_noun_re: re.Pattern
    plan_making_re: re.Pattern
    citation_after_re: re.Pattern
    cont_after_trap_re: re.Pattern
    completion_re: re.Pattern
    modal_re: re.Pattern
    compounds_before: dict[str, set[str]]
    compounds_after: dict[str, set[str]]
    scope_re: re.Pattern
    scope_near_re: re.Pattern
    period_tail_re: re.Pattern
    period_scope_tail_re: re.Pattern
    doc_anchor_re: re.Pattern
    event_anchor_re: re.Pattern


@lru_cache(maxsize=1)
def _vocab() -> _Vocab:
    v = json.loads(_VOCAB_PATH.read_text(encoding="utf-8"))
    F = re.IGNORECASE
    action = _alt(_words(v["action_verbs"]))
    return _Vocab(
        roman={k.upper(): int(x) for k, x in v["roman"].items()},
        weekdays={k.lower(): int(x) for k, x in v["weekdays"].items()},
        rrule_days=list(v["rrule_weekdays"]),
        number_words={k.lower(): int(x) for k, x in v["number_words"].items()},
        counted={str(k): str(x) for k, x in v["recurrence_counted"].items() if not k.startswith("_")},
        units={k.lower(): str(x) for k, x in v["recurrence_units"].items()},
        action_re=re.compile(r"(?<!\w)" + action + r"(?!\w)", F),
        action_head_re=re.compile(r"^[\s,]*" + action + r"(?!\w)", F),
        noun_trap_tail_re=re.compile(r"(?<!\w)" + _alt(_words(v["recurrence_noun_traps"])) + r"[\s,]*$", F),
        head_noun_re=re.compile(r"(?<!\w)" + _alt(_words(v["recurrence_head_nouns"])) + r"(?!\w)", F),
        plan_making_re=re.compile(r"(?<!\w)" + _alt(_words(v["plan_making_verbs"])) + r"\s+(?:(?:các|những|đủ)\s+)?"
                                  + _alt(_words(v["recurrence_head_nouns"])) + r"(?!\w)", F),
        citation_after_re=re.compile(r"^\s*,?\s*của\s+(?:các\s+)?" + _alt(_words(v["citation_after"])) + r"(?!\w)"),
        cont_after_trap_re=re.compile(r"^[\s,]*" + _alt(v["continuous_after_traps"]) + r"(?!\w)", F),
        completion_re=re.compile(r"(?<!\w)" + _alt(v["completion_cues"]) + r"(?!\w)", F),
        modal_re=re.compile(r"(?<!\w)" + _alt(v["modal_overrides"]) + r"(?!\w)", F),
        compounds_before={k: {w.lower() for w in ws} for k, ws in v["verb_compounds_before"].items()
                          if not k.startswith("_")},
        compounds_after={k: {w.lower() for w in ws} for k, ws in v["verb_compounds_after"].items()
                         if not k.startswith("_")},
        scope_re=re.compile(r"(?<!\w)" + _alt(_words(v["scope_traps"])) + r"(?!\w)", F),
        scope_near_re=re.compile(r"(?<!\w)" + _alt(_words(v["scope_traps_near"])) + r"(?!\w)", F),
        period_scope_tail_re=re.compile(r"(?<!\w)" + _alt(_words(v["period_scope_nouns"])) + r"[\s:,]*$", F),
        period_tail_re=re.compile(r"(?<!\w)" + _alt(v["period_traps"]) + r"[\s:]*$", F),
        doc_anchor_re=re.compile(r"^\s*" + _alt(_words(v["relative_doc_anchors"])) + r"(?!\w)", F),
        event_anchor_re=re.compile(r"^\s*" + _alt(_words(v["relative_event_anchors"])) + r"(?!\w)", F),
    )


_F = re.IGNORECASE
_D = r"(?P<d>0?[1-9]|[12]\d|3[01])"
_M = r"(?P<m>0?[1-9]|1[0-2])"
_Y = r"(?P<y>(?:19|20)\d\d)"
_SEP = r"(?:\s*/\s*|-|\.)"
_REC = r"(?:h[ằàẳ]ng|mỗi)"
_QUY = r"qu[ýí]"
_ROMQ = r"(?P<q>IV|I{1,3}|[1-4])"
_TIME = (r"(?P<hh>[01]?\d|2[0-3])\s*(?:giờ|h|g)\s*(?:(?P<mm>[0-5]\d)\s*(?:phút)?)?"
         r"(?:\s*(?P<ap>sáng|trưa|chiều|tối))?(?!\w)")
_WEEKDAY = r"(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s+nhật)"

# cue before a day
_DCUE = (
    r"(?P<cue>(?:(?:hoàn\s+thành|hoàn\s+tất|thực\s+hiện\s+xong|xong)\s+)?"
    r"(?:trước|(?:chậm|muộn)\s+nhất(?:\s+(?:là|vào|trước|đến))?(?:\s+(?:vào|trước))?"
    r"|không\s+(?:quá|muộn\s+hơn|chậm\s+hơn)|đến\s+hết|hết|trong|vào"
    r"|hạn\s+(?:chót|cuối)(?:\s+là)?\s*:?|thời\s+hạn(?:\s+hoàn\s+thành)?(?:\s+là)?\s*:?))"
)
_DPRE = (_DCUE + r"\s*(?:" + _TIME + r"\s*,?\s*)?(?:" + _WEEKDAY + r"\s*,?\s*)?"
         r"(?:(?:ngày|hôm)\s+)?")

# cue before a month / quarter / half / year
_PCUE = (
    r"(?P<cue>(?:hoàn\s+thành|hoàn\s+tất|thực\s+hiện\s+xong|xong)"
    r"(?:\s+(?:ngay\s+)?(?:trong|trước|vào|cuối|hết|(?:chậm|muộn)\s+nhất(?:\s+(?:trong|vào|là))?))?"
    r"|(?:ngay\s+)?trong|(?:chậm|muộn)\s+nhất(?:\s+(?:là|trong|vào))?(?:\s+(?:trong|cuối))?"
    r"|trước|đến\s+hết|hết|(?:vào\s+)?cuối|vào"
    r"|thời\s+(?:hạn|gian\s+(?:hoàn\s+thành|thực\s+hiện))(?:\s+hoàn\s+thành)?(?:\s+là|\s*:)?)"
)

_B = r"(?<![\w/.\-])"
_DATE_BODIES: list[tuple[str, str]] = [
    ("full", _D + _SEP + _M + _SEP + _Y + r"(?![\d/])"),
    ("full", _D + r"\s+tháng\s+" + _M + r"\s*(?:,\s*)?(?:năm\s+)" + _Y + r"(?!\d)"),
    ("yearly", _D + r"\s+tháng\s+" + _M + r"\s+(?:của\s+)?" + _REC + r"\s+năm"),
    ("yearly", _D + r"\s*/\s*" + _M + r"\s+(?:của\s+)?" + _REC + r"\s+năm"),
    ("monthly", _D + r"\s+(?:của\s+)?(?:các\s+)?" + _REC + r"\s+tháng"),
    ("quarterly", _D + r"\s+(?:của\s+)?tháng\s+cuối\s+(?:(?:" + _REC + r"|của|mỗi)\s+)?" + _QUY),
    ("quarterly", _D + r"\s+(?:của\s+)?tháng\s+đầu\s+(?:(?:của|mỗi)\s+)?" + _QUY + r"\s+(?:sau|tiếp\s+theo|kế\s+tiếp)"),
    ("myearly", r"tháng\s+" + _M + r"\s+(?:của\s+)?" + _REC + r"\s+năm"),
    ("qyearly", _QUY + r"\s+" + _ROMQ + r"\s+(?:của\s+)?" + _REC + r"\s+năm"),
    ("dayonly", _D + r"(?![\d/]|\.\d)(?!\s*(?:/|-|tháng|giờ|h\b|ngày))"),
    ("dm", _D + r"\s+tháng\s+" + _M + r"(?![\d/])(?!\s*(?:/|,|năm)\s*(?:năm\s*)?\d)"),
    ("dm", _D + r"\s*/\s*" + _M + r"(?![\d/])(?!\.\d)(?!\s*/\s*\d)"),
]

_PERIOD_BODIES: list[tuple[str, str]] = [
    ("month", r"tháng\s+(?P<m1>0?[1-9]|1[0-2])\s*(?:-|–|,|và|đến)\s*" + _M + r"\s*(?:[/\-]\s*|\s+năm\s+)" + _Y + r"(?!\d)"),
    ("month", r"tháng\s+" + _M + r"(?:\s*[/\-]\s*|\s+năm\s+|\s*,\s*năm\s+)" + _Y + r"(?!\d)"),
    ("month", r"tháng\s+" + _M + r"(?![\d/\w])(?!\s*(?:năm\s+)?(?:19|20)\d\d)(?:\s+năm\s+nay)?"),
    ("quarter", _QUY + r"\s+(?:(?:IV|I{1,3}|[1-4])\s*(?:,|và|-|–|đến)\s*(?:" + _QUY + r"\s+)?)+" + _ROMQ
     + r"(?:\s*[/\-]\s*|\s+năm\s+|\s*,\s*năm\s+)" + _Y + r"(?!\d)"),
    ("quarter", _QUY + r"\s+" + _ROMQ + r"(?:\s*[/\-]\s*|\s+năm\s+|\s*,\s*năm\s+|\s+)" + _Y + r"(?!\d)"),
    ("quarter", _QUY + r"\s+" + _ROMQ + r"(?![\w/])(?!\s*(?:năm\s+)?(?:19|20)\d\d)(?:\s+năm\s+nay)?"),
    ("half", r"(?:0?6|sáu)\s+tháng\s+(?P<h>đầu|cuối)(?:\s+năm)?(?:(?:\s+|\s*/\s*)" + _Y + r"(?!\d)|\s+nay)?"),
    ("yrange", r"năm\s+(?P<y>(?:19|20)\d\d)(?:\s*(?:,|và)\s*(?:năm\s+)?(?:19|20)\d\d)*\s*(?:,|và)\s*(?:năm\s+)?(?P<y2>(?:19|20)\d\d)(?!\d)(?![/\-])"),
    ("year", r"năm\s+" + _Y + r"(?!\d)(?!\s*[-–—]\s*(?:19|20)?\d\d)"),
    ("yrange", r"năm\s+" + _Y + r"\s*[-–—]\s*(?P<y2>(?:19|20)\d\d)(?!\d)"),
    ("year", r"năm\s+nay"),
    ("ybare", _Y + r"(?![\d/\-]|\.\d)(?!\s*[-–—]\s*\d)"),
]


_OCCASION_RE = re.compile(
    r"(?<!\w)(?:[Tt]ết|[Nn]guyên\s+đán|[Ll]ễ|dịp|[Kk]ỷ\s+niệm|[Đđ]ại\s+hội|[Hh]ội\s+nghị|kỳ\s+họp|mùa)(?!\w)"
    r"|(?<!\w)(?:Giáp|Ất|Bính|Đinh|Mậu|Kỷ|Canh|Tân|Nhâm|Quý)\s+(?:Tý|Sửu|Dần|Mão|Mẹo|Thìn|Tỵ|Tị|Ngọ|Mùi|Thân|Dậu|Tuất|Hợi)(?!\w)")

_CITED_BEFORE_RE = re.compile(
    r"(?:\d+[/\-][0-9A-ZĐ&.\-/]*[A-ZĐ][0-9A-ZĐ&.\-/]*|(?:Luật|Bộ\s+luật|Hiến\s+pháp)(?:\s+\S+){0,8})\s*,?\s*(?:ngày|ký\s+ngày|ban\s+hành\s+ngày)\s*$")

_PERIOD_KINDS = ("month", "quarter", "half", "year", "yrange", "eoy", "bare-year")


@dataclass
class _Cand:
    start: int
    end: int
    kind: str
    date: Optional[date] = None
    recurrence: Optional[str] = None
    day: Optional[int] = None
    month: Optional[int] = None
    time: Optional[str] = None
    rrule: Optional[str] = None
    relative: bool = False
    cue: str = ""
    body_start: int = 0
    needs_check: bool = True     # trap checks apply
    bare_ok: bool = False        # acceptable without a cue (paragraph mode)
    has_day: bool = False        # a day is printed (hides the month/year inside it)


@lru_cache(maxsize=1)
def _compiled():
    date_res = []
    for kind, body in _DATE_BODIES:
        date_res.append((kind, re.compile(r"(?<!\w)" + _DPRE + r"(?P<body>" + body + r")", _F)))
        date_res.append((kind, re.compile(_B + r"(?P<body>" + body + r")", _F)))
    period_res = []
    for kind, body in _PERIOD_BODIES:
        period_res.append((kind, re.compile(r"(?<!\w)" + _PCUE + r"\s+(?P<body>" + body + r")", _F)))
        period_res.append((kind, re.compile(r"(?<!\w)(?P<body>" + body + r")", _F)))
    return date_res, period_res


_BARE_YEAR_RE = re.compile(
    r"(?<![\w/.\-])(?P<body>(?:năm\s+)?" + _Y + r"(?:\s*[-–—]\s*(?P<y2>(?:19|20)\d\d))?)(?![\w/\-]|\.\d)", _F)
_END_OF_YEAR_RE = re.compile(
    r"(?<!\w)(?P<cue>(?:(?:hoàn\s+thành|xong)\s+)?(?:đến|vào|trước)\s+)?(?P<body>(?:cuối|hết)\s+năm(?:\s+nay)?)"
    r"(?!\s*(?:19|20)\d\d)(?!\s+(?:học|tài\s+chính|ngân\s+sách))(?!\w)", _F)
_NEXT_YEARS_RE = re.compile(r"(?<!\w)(?:và\s+)?(?:các|những)\s+năm\s+(?:tiếp\s+theo|sau(?:\s+đó)?|tiếp)(?!\w)", _F)
_REC1_RE = re.compile(
    r"(?<!\w)(?P<per>định\s+k[ỳì]\s+(?:(?:là|vào)\s+)?)?(?P<pre>h[ằàẳ]ng|mỗi)\s+(?P<u>ngày|tuần|tháng|qu[ýí]|năm)"
    r"(?!\s*(?:19|20)\d\d)(?!\w)", _F)
_REC_COUNT_RE = re.compile(
    r"(?<!\w)(?:(?P<per>định\s+k[ỳì])\s+(?:(?:là|mỗi|hằng)\s+)?(?P<n>\d{1,2}|một|hai|ba|sáu|mười\s+hai|nửa)\s+"
    r"(?P<u>tháng|năm|tuần|ngày)(?!\s+(?:đầu|cuối))(?:\s+(?:một|01|1)\s+lần)?"
    r"|(?P<n2>\d{1,2}|một|hai|ba|sáu)\s+(?P<u2>tháng|tuần|năm)\s*(?:/\s*(?:01|1|một)?\s*lần|(?:một|01|1)\s+lần))(?!\w)", _F)
_REC_WEEKDAY_RE = re.compile(
    r"(?<!\w)(?:(?:vào|trước|(?:chậm|muộn)\s+nhất)\s+)?(?:" + _TIME + r"\s*,?\s*)?(?:(?:các\s+)?ngày\s+)?"
    r"(?P<wd>thứ\s+(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s+nhật)\s+(?:của\s+)?(?:h[ằàẳ]ng|mỗi)\s+tuần(?!\w)", _F)
_REC_TIME_RE = re.compile(
    r"(?<!\w)(?:(?:trước|vào|chậm\s+nhất|muộn\s+nhất|lúc)\s+)?" + _TIME + r"\s*,?\s*(?:(?:các\s+)?ngày\s+)?"
    r"(?:h[ằàẳ]ng|mỗi)\s+ngày(?!\w)", _F)
_CONT_RE = re.compile(r"(?<!\w)thường\s+xuyên(?!\w)", _F)
_REL_RE = re.compile(
    r"(?<!\w)(?P<cue>trong\s+(?:thời\s+hạn|vòng|phạm\s+vi|thời\s+gian)(?:\s+(?:tối\s+đa|không\s+quá))?"
    r"|trong|(?:chậm|muộn)\s+nhất(?:\s+(?:là|sau))?|sau|không\s+quá|tối\s+đa)\s+"
    r"(?P<n>\d{1,3})(?:\s*\([^()\n]{1,25}\))?\s+(?P<u>(?>ngày\s+làm\s+việc|ngày|tuần|tháng))(?!\w)"
    r"(?!\s+(?:đầu|cuối|qua|trước|gần|làm\s+việc))"
    r"(?P<anc>\s*,?\s*(?:(?:kể\s+)?từ\s+(?:ngày|khi|thời\s+điểm)|sau\s+(?:khi|ngày|thời\s+điểm))(?!\w))?", _F)

# clause breaks: sentence punctuation, a blank line, or a line that opens a
# labelled unit or bullet (a bare line break inside a paragraph is a wrap)
_CLAUSE_BREAK = re.compile(
    r"[.;!?(\[]|\n\s*\n|\n(?=[ \t]*(?:[-+•*]|\d+(?:\.\d+)*\.|[a-zđ]\)|[IVX]+\.)\s)")
_WORD = re.compile(r"\w+", re.UNICODE)


_RRULE = {"daily": "FREQ=DAILY", "weekly": "FREQ=WEEKLY", "monthly": "FREQ=MONTHLY",
          "quarterly": "FREQ=MONTHLY;INTERVAL=3", "half-yearly": "FREQ=MONTHLY;INTERVAL=6",
          "yearly": "FREQ=YEARLY"}


# --------------------------------------------------------------------------
# context helpers


def _clause_before(text: str, pos: int, max_words: int) -> str:
    """The words before ``pos`` back to the clause start, at most ``max_words``."""
    lo = max(0, pos - 300)
    seg = text[lo:pos]
    cut = None
    for m in _CLAUSE_BREAK.finditer(seg):
        cut = m.end()
    if cut is not None:
        seg = seg[cut:]
    words = list(_WORD.finditer(seg))
    if len(words) > max_words:
        seg = seg[words[-max_words].start():]
    return seg


def _clause_initial(text: str, pos: int) -> bool:
    """Only a label, bullet or punctuation stands between the clause start and pos."""
    lo = max(0, pos - 60)
    seg = text[lo:pos]
    cut = None
    for m in _CLAUSE_BREAK.finditer(seg):
        cut = m.end()
    for m in re.finditer(r":", seg):
        cut = max(cut or 0, m.end())
    if cut is None:
        if lo > 0:
            return False
        cut = 0
    seg = seg[cut:]
    return re.fullmatch(r"[\s\-+*•,]*(?:(?:\d+(?:\.\d+)*|[a-zđ]|[IVX]+)[.)]\s*)?[\s\-+*•]*", seg, re.I) is not None


def _scope_trapped(text: str, start: int, body_start: int, cue: str, v: _Vocab) -> bool:
    """A scope word in the clause just before the phrase, with no modal after it.

    Far scope words (a cut-off, an estimate) count up to 12 syllables back, near
    ones (a past event, an occasion) up to 4; a scope word may run into the cue
    ("tính đến hết ngày"). A modal between the scope word and the phrase
    ("... đã phê duyệt phải hoàn thành trước ...") lifts it; a completion verb
    opening the phrase itself ("hoàn thành trước ...") lifts the far ones.
    """
    own_modal = v.completion_re.match(cue or "") is not None
    for rx, n in ((v.scope_near_re, 4), (v.scope_re, 12)):
        if own_modal and rx is v.scope_re:
            continue
        before = _clause_before(text, start, n)
        seg = before + text[start:body_start]
        last = None
        for m in rx.finditer(seg):
            if m.start() < len(before):
                last = m
        if last is not None and not _has_modal(seg[last.end():len(before)], v):
            return True
    return False


def _verb_at(seg: str, m: re.Match, v: _Vocab, following: str = "") -> bool:
    """Is the verb matched at m a verb, not a syllable of another word
    ("công trình", "trình độ", "trực tiếp", "bầu cử")?"""
    word = re.sub(r"\s+", " ", m.group().lower()).strip()
    prev = _WORD.findall(seg[:m.start()])
    if prev:
        p1 = prev[-1].lower()
        p2 = " ".join(prev[-2:]).lower()
        bad = v.compounds_before.get(word, ())
        if p1 in bad or p2 in bad:
            return False
    nxt = _WORD.findall((seg[m.end():] + " " + following)[:20])
    if nxt and nxt[0].lower() in v.compounds_after.get(word, ()):
        return False
    return True


def _has_modal(seg: str, v: _Vocab) -> bool:
    """A modal verb in seg, not as a syllable of a noun ("công trình")."""
    return any(_verb_at(seg, m, v) for m in v.modal_re.finditer(seg))


def _has_action(seg: str, v: _Vocab, following: str = "") -> bool:
    """A verb of doing or reporting in seg (the last one may run on into ``following``)."""
    return any(_verb_at(seg, m, v, following) for m in v.action_re.finditer(seg))


def _action_head(after: str, v: _Vocab) -> bool:
    """Does ``after`` open with a verb of doing or reporting?"""
    m = v.action_head_re.match(after)
    if not m:
        return False
    nxt = _WORD.findall(after[m.end():m.end() + 20])
    word = re.sub(r"\s+", " ", after[:m.end()].strip(" ,").lower())
    return not (nxt and nxt[0].lower() in v.compounds_after.get(word, ()))


def _period_trapped(text: str, start: int, v: _Vocab) -> bool:
    seg = text[max(0, start - 40):start]
    return v.period_tail_re.search(seg) is not None


def _resolve_year(doc: Optional[date], month: int, day: Optional[int]) -> Optional[date]:
    """Year-less day/month: the document's year, or the next one if already past."""
    if doc is None:
        return None
    y = doc.year
    try:
        d = date(y, month, day) if day else last_day(y, month)
    except ValueError:
        return None
    if d < doc:
        try:
            d = date(y + 1, month, day) if day else last_day(y + 1, month)
        except ValueError:
            return None
    return d


def _safe_date(y: int, m: int, d: int) -> Optional[date]:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _hhmm(m: re.Match) -> Optional[str]:
    try:
        hh = m.group("hh")
    except IndexError:
        return None
    if not hh:
        return None
    mm = m.group("mm") or "00"
    h = int(hh)
    ap = (m.groupdict().get("ap") or "").lower()
    if ap in ("chiều", "tối") and h < 12:
        h += 12
    return f"{h:02d}:{int(mm):02d}"


def _num(s: str, v: _Vocab) -> Optional[int]:
    s = re.sub(r"\s+", " ", s.strip().lower())
    if s.isdigit():
        return int(s)
    if s == "nửa":
        return None
    return v.number_words.get(s)


def _is_before(cue: str) -> bool:
    c = re.sub(r"\s+", " ", cue.lower())
    return c.endswith("trước")


# --------------------------------------------------------------------------
# candidate finders


def _date_cands(text: str, doc: Optional[date], cell: bool) -> list[_Cand]:
    date_res, _ = _compiled()
    out: list[_Cand] = []
    for kind, rx in date_res:
        for m in rx.finditer(text):
            cue = (m.groupdict().get("cue") or "")
            g = m.groupdict()
            if kind in ("myearly", "qyearly"):
                if kind == "qyearly":
                    q = g["q"].upper()
                    q = int(q) if q.isdigit() else _vocab().roman.get(q, 0)
                    if not 1 <= q <= 4:
                        continue
                    mo = q * 3
                else:
                    mo = int(g["m"])
                c = _Cand(m.start(), m.end(), "date", cue=cue, body_start=m.start("body"),
                          recurrence="yearly", month=mo, rrule=f"FREQ=YEARLY;BYMONTH={mo}")
                c.bare_ok = True
                out.append(c)
                continue
            d = int(g["d"])
            c = _Cand(m.start(), m.end(), "date", cue=cue, body_start=m.start("body"), time=_hhmm(m))
            c.has_day = kind != "dayonly"
            if kind == "full":
                c.date = _safe_date(int(g["y"]), int(g["m"]), d)
                if c.date is None:
                    continue
            elif kind == "dm":
                mo = int(g["m"])
                if _safe_date(2000, mo, d) is None:
                    continue
                if "/" in m.group("body") and not cell:
                    # "trong 1/3 số xã" is a fraction: a year-less d/m needs "ngày" or a firm cue
                    firm = re.search(r"trước|nhất|hạn|quá|hơn|hết", cue, _F)
                    if not firm and not re.search(r"ngày\s*$", text[:m.start("body")], _F):
                        continue
                c.kind = "dm"
                c.date = _resolve_year(doc, mo, d)
                c.day, c.month = d, mo   # kept for attaching to a recurrence; cleared on output
            elif kind == "dayonly":
                if not cue or not re.search(r"ngày\s*$", text[:m.start("body")], _F):
                    continue
                c.kind, c.day = "dayonly", d
            elif kind == "yearly":
                c.bare_ok = True
                c.recurrence, c.day, c.month = "yearly", d, int(g["m"])
                c.rrule = f"FREQ=YEARLY;BYMONTH={c.month};BYMONTHDAY={d}"
            elif kind == "monthly":
                c.bare_ok = True
                c.recurrence, c.day = "monthly", d
                c.rrule = f"FREQ=MONTHLY;BYMONTHDAY={d}"
            elif kind == "quarterly":
                c.bare_ok = True
                c.recurrence, c.day = "quarterly", d
                c.rrule = f"FREQ=YEARLY;BYMONTH=3,6,9,12;BYMONTHDAY={d}"
            if c.recurrence and c.time:
                h, mi = c.time.split(":")
                c.rrule += f";BYHOUR={int(h)};BYMINUTE={int(mi)}"
            out.append(c)
    return out


def _period_end(kind: str, g: dict, doc: Optional[date], v: _Vocab) -> tuple[Optional[date], Optional[date]]:
    """(first day, last day) of the period a match names."""
    y = int(g["y"]) if g.get("y") else None
    if kind == "month":
        mo = int(g["m"])
        if y is None:
            if doc is None:
                return None, None
            y = doc.year
            if last_day(y, mo) < doc:
                if (doc - last_day(y, mo)).days < 120:
                    return None, None   # a month just past: a report on it, not a due time
                y += 1
        return date(y, mo, 1) if not g.get("m1") else date(y, int(g["m1"]), 1), last_day(y, mo)
    if kind == "quarter":
        q = g["q"].upper()
        q = v.roman.get(q, None) if not q.isdigit() else int(q)
        if not q or q > 4:
            return None, None
        if y is None:
            if doc is None:
                return None, None
            y = doc.year
            if quarter_end(y, q) < doc:
                if (doc - quarter_end(y, q)).days < 120:
                    return None, None
                y += 1
        return date(y, q * 3 - 2, 1), quarter_end(y, q)
    if kind == "half":
        if y is None:
            if doc is None:
                return None, None
            y = doc.year
        if g["h"].lower() == "đầu":
            return date(y, 1, 1), date(y, 6, 30)
        return date(y, 7, 1), date(y, 12, 31)
    if kind in ("year", "ybare"):
        if y is None:
            if doc is None:
                return None, None
            y = doc.year
        return date(y, 1, 1), date(y, 12, 31)
    if kind == "yrange":
        y2 = int(g["y2"])
        if y2 <= y or y2 - y > 3:
            return None, None
        return date(y, 1, 1), date(y2, 12, 31)
    return None, None


_CELL_MONTH_RE = re.compile(r"(?<![\w/.\-])(?P<body>" + _M + r"\s*/\s*" + _Y + r")(?![\d/])")


def _bare_period_due(text: str, c: "_Cand", v: _Vocab) -> bool:
    """A month or quarter with its year and no cue, ending a clause that orders
    something: "Sở Nội vụ tổng kết, báo cáo UBND tỉnh quý IV/2025." It is not
    due after a noun of what is reported ("báo cáo kết quả quý III/2025")."""
    if not re.match(r"\s*(?:[.;)]|$|\n\s*\n)", text[c.end:c.end + 6]):
        return False
    before = _clause_before(text, c.start, 12)
    if not before.strip() or v.period_scope_tail_re.search(before):
        return False
    return _has_action(before, v)


def _period_cands(text: str, doc: Optional[date], v: _Vocab, cell: bool = False) -> list[_Cand]:
    _, period_res = _compiled()
    out: list[_Cand] = []
    if cell:
        # a table cell's "10/2025 - 12/2025": months
        for m in _CELL_MONTH_RE.finditer(text):
            mo, y = int(m.group("m")), int(m.group("y"))
            out.append(_Cand(m.start(), m.end(), "month", date=last_day(y, mo), body_start=m.start()))
    for kind, rx in period_res:
        for m in rx.finditer(text):
            g = m.groupdict()
            first, end = _period_end(kind, g, doc, v)
            cue = g.get("cue") or ""
            if end is None and not (doc is None and kind in ("month", "quarter", "half", "year")):
                continue
            due = end
            if cue and _is_before(cue) and first is not None:
                due = first - timedelta(days=1)
            if kind == "ybare" and not cue:
                continue
            c = _Cand(m.start(), m.end(), "year" if kind == "ybare" else kind, date=due, cue=cue,
                      body_start=m.start("body"))
            if not cue and kind in ("month", "quarter", "half") and g.get("y"):
                c.bare_ok = _bare_period_due(text, c, v)
            out.append(c)
    for m in _END_OF_YEAR_RE.finditer(text):
        due = date(doc.year, 12, 31) if doc else None
        c = _Cand(m.start(), m.end(), "eoy", date=due, cue=m.group("cue") or "", body_start=m.start("body"))
        c.bare_ok = True  # "cuối năm", "hết năm" carry their own cue
        out.append(c)
    return out


def _relative_cands(text: str, doc: Optional[date], v: _Vocab) -> list[_Cand]:
    out: list[_Cand] = []
    for m in _REL_RE.finditer(text):
        n = int(m.group("n"))
        unit = re.sub(r"\s+", " ", m.group("u").lower())
        cue = re.sub(r"\s+", " ", m.group("cue").lower())
        end = m.end()
        if m.group("anc"):
            rest = text[m.end():m.end() + 80]
            a = v.doc_anchor_re.match(rest)
            if not a:
                continue   # counted from an event ("kể từ ngày nhận đủ hồ sơ"): a rule, not a date
            if v.event_anchor_re.match(rest[a.end():]) and not re.match(r"\s*(?:ký|kí|ban\s+hành)", rest, _F):
                continue   # "nhận được hồ sơ", "nhận được yêu cầu"
            end = m.end() + a.end()
            # "ký ban hành", "nhận được văn bản này"
            tail = re.match(r"(?:\s+(?:ban\s+hành|văn\s+bản|công\s+văn|chỉ\s+thị|kế\s+hoạch|quyết\s+định|công\s+điện|thông\s+báo|nghị\s+quyết))*(?:\s+này)?", text[end:], _F)
            if tail:
                end += tail.end()
        else:
            strong = cue.startswith(("trong thời hạn", "trong vòng", "trong phạm vi", "chậm nhất", "không quá", "tối đa"))
            if unit == "ngày làm việc":
                pass
            elif unit == "ngày" and strong:
                pass
            else:
                continue
        if doc is None:
            due = None
        elif unit == "ngày làm việc":
            due = add_working_days(doc, n)
        elif unit == "ngày":
            due = doc + timedelta(days=n)
        elif unit == "tuần":
            due = doc + timedelta(days=7 * n)
        else:
            due = add_months(doc, n)
        c = _Cand(m.start(), end, "relative", date=due, relative=True, cue=cue, body_start=m.start("n"))
        c.needs_check = False
        c.bare_ok = True
        out.append(c)
    return out


def _recurrence_ok(text: str, s: int, e: int, v: _Vocab, cell: bool) -> bool:
    """Does a bare recurrence word at text[s:e] say how often something is done?

    Yes right after or before (8 syllables) a verb of doing or reporting, at the
    head of a clause, or at the end of a clause whose verb is one ("báo cáo
    UBND tỉnh tình hình giải ngân hằng quý."); no after a budget or plan noun
    ("kinh phí đào tạo hằng năm", "kế hoạch công tác hằng năm").
    """
    if cell:
        return True
    before = _clause_before(text, s, 8)
    if v.noun_trap_tail_re.search(before):
        return False
    after = text[e:e + 40]
    head = _action_head(after, v)
    if v.head_noun_re.search(_clause_before(text, s, 6)) and not head:
        return False
    if v.plan_making_re.search(_clause_before(text, s, 16)) and not head:
        return False    # "xây dựng kế hoạch đào tạo, bồi dưỡng cán bộ hằng năm": an annual plan
    if head or re.match(r"\s*(?:một|01|1)\s+lần", after, _F):
        return True
    if _has_action(before, v):
        return True
    if _clause_initial(text, s):
        return not _past_after(text, e)   # "Hằng năm, tỉnh đã tổ chức ...": narrative
    if re.match(r"\s*(?:[.;]|$)", after):
        wide = _clause_before(text, s, 14)
        return _has_action(wide, v) and not v.head_noun_re.search(wide)
    return False


def _recurrence_cands(text: str, v: _Vocab, cell: bool) -> list[_Cand]:
    out: list[_Cand] = []
    for m in _REC_WEEKDAY_RE.finditer(text):
        wd = v.weekdays.get(re.sub(r"\s+", " ", m.group("wd").lower()))
        c = _Cand(m.start(), m.end(), "rec", recurrence="weekly", day=wd, time=_hhmm(m))
        c.rrule = "FREQ=WEEKLY" + (f";BYDAY={v.rrule_days[wd - 1]}" if wd else "")
        if c.time:
            h, mi = c.time.split(":")
            c.rrule += f";BYHOUR={int(h)};BYMINUTE={int(mi)}"
        c.needs_check, c.bare_ok = False, True
        out.append(c)
    for m in _REC_TIME_RE.finditer(text):
        c = _Cand(m.start(), m.end(), "rec", recurrence="daily", time=_hhmm(m))
        h, mi = c.time.split(":")
        c.rrule = f"FREQ=DAILY;BYHOUR={int(h)};BYMINUTE={int(mi)}"
        c.needs_check, c.bare_ok = False, True
        out.append(c)
    for m in _REC_COUNT_RE.finditer(text):
        n_s = m.group("n") or m.group("n2")
        unit = (m.group("u") or m.group("u2")).lower()
        n = _num(n_s, v)
        rec, rrule = None, None
        if n_s.strip().lower() == "nửa" and unit == "năm":
            rec = "half-yearly"
        elif unit == "tháng" and n:
            rec = v.counted.get(str(n))
            rrule = f"FREQ=MONTHLY;INTERVAL={n}" if n != 1 else "FREQ=MONTHLY"
        elif unit == "năm" and n == 1:
            rec = "yearly"
        elif unit == "tuần" and n:
            rec = "weekly"
            rrule = "FREQ=WEEKLY" + (f";INTERVAL={n}" if n > 1 else "")
        elif unit == "ngày" and n == 1:
            rec = "daily"
        if not rec:
            continue
        c = _Cand(m.start(), m.end(), "rec", recurrence=rec, rrule=rrule or _RRULE[rec])
        c.needs_check, c.bare_ok = False, True
        out.append(c)
    for m in _REC1_RE.finditer(text):
        unit = m.group("u").lower()
        rec = v.units.get(unit)
        if rec is None:
            continue
        if not m.group("per") and not _recurrence_ok(text, m.start(), m.end(), v, cell):
            continue
        c = _Cand(m.start(), m.end(), "rec", recurrence=rec, rrule=_RRULE[rec])
        c.needs_check, c.bare_ok = False, True
        out.append(c)
    for m in _CONT_RE.finditer(text):
        ok = cell
        if not ok:
            before = _clause_before(text, m.start(), 4)
            after = text[m.end():m.end() + 40]
            if v.noun_trap_tail_re.search(before) or v.cont_after_trap_re.match(after):
                ok = False
            elif _action_head(after, v) or _has_action(before, v):
                ok = True
        if not ok:
            continue
        c = _Cand(m.start(), m.end(), "rec", recurrence="continuous")
        c.needs_check, c.bare_ok = False, True
        out.append(c)
    if cell:
        for m in _NEXT_YEARS_RE.finditer(text):
            c = _Cand(m.start(), m.end(), "rec", recurrence="yearly", rrule=_RRULE["yearly"])
            c.needs_check, c.bare_ok = False, True
            out.append(c)
    return out


def _bare_year_cands(text: str, doc: Optional[date], v: _Vocab, cell: bool) -> list[_Cand]:
    """Years with no cue: due in a cell, or when a completion verb governs them."""
    out: list[_Cand] = []
    for m in _BARE_YEAR_RE.finditer(text):
        body = m.group("body")
        has_nam = body.lower().startswith("năm")
        y = int(m.group("y"))
        y2 = int(m.group("y2")) if m.group("y2") else None
        if y2 is not None and (y2 <= y or y2 - y > 3):
            continue
        end_year = y2 or y
        c = _Cand(m.start(), m.end(), "bare-year", date=date(end_year, 12, 31), body_start=m.start())
        if cell:
            c.bare_ok = True
            out.append(c)
            continue
        if not has_nam or y2 is not None:
            continue
        seg = _clause_before(text, m.start(), 12)
        comp = None
        for cm in v.completion_re.finditer(seg):
            comp = cm
        if comp is None:
            continue
        if re.search(r"(?<!\w)(?:đã|được|chưa|đang|sẽ|để|nhằm)\s*$", seg[:comp.start()], _F):
            continue        # a past or passive state, or a purpose ("để hoàn thành ...")
        if re.search(r"(?<!\w)của\s*$", seg, _F):
            continue        # "nhiệm vụ của năm 2026": the year's tasks
        between = seg[comp.end():]
        if _OCCASION_RE.search(between):
            continue        # "hoàn thành trước Tết Nguyên đán Bính Ngọ năm 2026": the year names an occasion
        if re.search(r"(?<!\w)(?:báo\s+cáo|kết\s+quả|đánh\s+giá|tổng\s+kết|sơ\s+kết|tỷ\s+lệ\s+hoàn\s+thành)(?!\w)", between, _F):
            continue
        if re.search(r"(?<!\w)(?:đến|từ|sau|tới)\s*$", seg, _F):
            continue
        c.bare_ok = True
        c.needs_check = True
        out.append(c)
    return out


# --------------------------------------------------------------------------
# public API


def find_deadlines(text: str, doc_date: Optional[str] = None, cell: bool = False) -> list[Deadline]:
    """Deadlines printed in one unit of text (see :func:`_find_deadlines`).

    Never raises on odd input: an internal error yields no deadlines and a
    ``RuntimeWarning`` rather than stopping the whole document.
    """
    try:
        return _find_deadlines(text, doc_date, cell)
    except Exception as e:  # pragma: no cover - a safety net, not a code path
        import warnings
        warnings.warn(f"deadlines: {type(e).__name__}: {e}", RuntimeWarning)
        return []


def _find_deadlines(text: str, doc_date: Optional[str] = None, cell: bool = False) -> list[Deadline]:
    """Deadlines printed in one unit of text.

    ``doc_date`` (ISO) anchors relative deadlines and gives a year to
    year-less dates ("trước ngày 20/10": the document's year, or the next one
    if that day is already past). ``cell=True`` reads a task table's time
    cell, where a bare "2026", "Tháng 11/2025" or "Hằng năm" is the due time.
    Spans are character offsets into ``text`` (page and path left default).
    """
    if not text or not text.strip():
        return []
    original = text
    text, back = _normalise(text)
    v = _vocab()
    doc = parse_iso(doc_date)
    cands: list[_Cand] = []
    cands += _date_cands(text, doc, cell)
    cands += _period_cands(text, doc, v, cell)
    cands += _relative_cands(text, doc, v)
    cands += _recurrence_cands(text, v, cell)
    cands += _bare_year_cands(text, doc, v, cell)

    # judge each, then keep the longest, leftmost of overlapping ones
    # a day or period that cannot be placed in time (no document date to give
    # it a year) is not reported; a counted time is, flagged relative
    cands = [c for c in cands if c.date is not None or c.recurrence or c.relative or c.kind in ("dayonly", "dm")]
    judged = [(c, _accept(text, c, v, cell)) for c in cands]
    # a day ("ngày 18 tháng 02 năm 2025", due or not) hides the month and
    # year inside it
    masks = [(c.body_start, c.end) for c, ok in judged if c.has_day]
    cands = [c for c, ok in judged
             if ok and not (c.kind in _PERIOD_KINDS
                            and any(s <= c.body_start and c.end <= e for s, e in masks))]
    if doc is not None:
        # a period already over when the document was signed is narrative
        # ("Trong tháng 4 năm 2026, ...", "Trong năm 2025, toàn tỉnh đã ..."), not a due time
        cands = [c for c in cands
                 if not (c.kind in _PERIOD_KINDS and c.date is not None and c.date < doc)]
        # "tổ chức vào ngày 04/5/2026" in a later document: an event that took place
        cands = [c for c in cands
                 if not (c.kind == "date" and c.date is not None and c.date < doc
                         and re.sub(r"\s+", " ", c.cue.lower()).strip() in ("vào", "trong"))]
    cands.sort(key=lambda c: (-(c.end - c.start), c.start))
    kept: list[_Cand] = []
    for c in cands:
        if any(c.start < k.end and k.start < c.end for k in kept):
            continue
        kept.append(c)
    kept.sort(key=lambda c: c.start)
    kept = _attach_days(kept)
    if cell:
        # "Tháng 9/2025 - Tháng 12/2025": due at the end of the span
        kept = [c for i, c in enumerate(kept)
                if not (c.date and i + 1 < len(kept) and kept[i + 1].date
                        and re.fullmatch(r"\s*(?:-|–|—|đến|tới)(?:\s+ngày)?\s*", text[c.end:kept[i + 1].start], _F))]

    result: list[Deadline] = []
    for c in kept:
        if c.kind == "dm":
            if c.date is None:
                continue
            c.day = c.month = None
        result.append(Deadline(
            text=original[back[c.start]:back[c.end]],
            date=c.date.isoformat() if c.date else None,
            recurrence=c.recurrence,
            day=c.day,
            month=c.month,
            time=c.time,
            rrule=c.rrule,
            relative=c.relative,
            span=Span(back[c.start], back[c.end]),
        ))
    return _dedupe(result)


def _cited(text: str, c: _Cand, v: _Vocab) -> bool:
    """The date of a cited document: "Quyết định số 12/QĐ-UBND ngày 10/10/2025",
    "Luật ... ngày 18 tháng 02 năm 2025", "... ngày 12 tháng 9 năm 2025 của Ban Chỉ đạo"."""
    if c.kind in ("date", "dm") and _CITED_BEFORE_RE.search(text[max(0, c.body_start - 60):c.body_start]):
        return True
    return v.citation_after_re.match(text[c.end:c.end + 60]) is not None


def _accept(text: str, c: _Cand, v: _Vocab, cell: bool) -> bool:
    if c.kind in ("rec", "relative"):
        return True
    if not c.cue and not c.bare_ok and not cell:
        return False
    if _cited(text, c, v):
        return False
    if c.kind in ("bare-year", "yrange", "year") and _period_trapped(text, c.body_start, v):
        return False        # "giai đoạn 2026 - 2030", "năm học 2025-2026"
    if cell and not c.cue:
        # "Từ tháng 10/2025" starts something; it is not due then
        if re.search(r"(?<!\w)(?:từ|bắt\s+đầu|kể\s+từ|sau)\s*$", text[max(0, c.start - 15):c.start], _F):
            return False
        return True
    cue = re.sub(r"\s+", " ", c.cue.lower()).strip()
    if c.kind in ("year", "yrange") and cue == "vào":
        return False        # "đạt 50 triệu lượt khách vào năm 2030": a target
    if cue.endswith("hết") and re.search(
            r"(?<!\w)từ\s+(?:ngày\s+|năm\s+|tháng\s+|quý\s+)?\d", _clause_before(text, c.start, 10), _F):
        return False        # "từ năm 2023 đến hết năm 2025": the end of a span, not a due date
    if c.kind == "yrange" and not cell:
        # "trong năm 2026 - 2027": a window of its own; only with a cue
        if not c.cue:
            return False
    if c.needs_check and _scope_trapped(text, c.start, c.body_start, c.cue, v):
        return False
    if _clause_initial(text, c.start) and _past_after(text, c.end):
        return False        # "Trong năm 2025, toàn tỉnh đã hoàn thành ...": narrative
    return True


def _past_after(text: str, end: int) -> bool:
    """'đã' within the next few syllables of the same clause."""
    seg = text[end:end + 80]
    cut = _CLAUSE_BREAK.search(seg)
    if cut:
        seg = seg[:cut.start()]
    words = [w.group().lower() for w in _WORD.finditer(seg)][:8]
    return "đã" in words


def _normalise(text: str) -> tuple[str, list[int]]:
    """NFC text with 'Ð'/'ð' read as 'Đ'/'đ', and for each of its characters
    the offset in the original (one extra entry: the original's length)."""
    if unicodedata.is_normalized("NFC", text) and "Ð" not in text and "ð" not in text:
        return text, list(range(len(text) + 1))
    out: list[str] = []
    back: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        piece = unicodedata.normalize("NFC", text[i:j]).replace("Ð", "Đ").replace("ð", "đ")
        out.append(piece)
        back.extend([i] * len(piece))
        i = j
    back.append(n)
    return "".join(out), back


def _attach_days(kept: list[_Cand]) -> list[_Cand]:
    """Give a bare recurrence the day printed near it.

    "Hằng năm, ... trước ngày 15/12" -> yearly, day 15, month 12;
    "định kỳ hằng tháng, trước ngày 20" -> monthly, day 20. A year-less
    day/month with no yearly recurrence near stays a dated deadline; a bare
    day with no monthly/quarterly recurrence near is dropped.
    """
    drop: set[int] = set()
    for i, c in enumerate(kept):
        if c.kind not in ("dm", "dayonly"):
            continue
        want = ("yearly",) if c.kind == "dm" else ("monthly", "quarterly")
        best = None
        for j, r in enumerate(kept):
            if j == i or r.recurrence not in want or r.date is not None:
                continue
            dist = c.start - r.end if r.end <= c.start else r.start - c.end
            if dist <= 100 and (best is None or dist < best[0]):
                best = (dist, j)
        if best is None:
            if c.kind == "dayonly":
                drop.add(i)
            continue
        r = kept[best[1]]
        c.recurrence, c.date = r.recurrence, None
        if r.recurrence == "yearly":
            c.rrule = f"FREQ=YEARLY;BYMONTH={c.month};BYMONTHDAY={c.day}"
        elif r.recurrence == "monthly":
            c.month = None
            c.rrule = f"FREQ=MONTHLY;BYMONTHDAY={c.day}"
        else:
            c.month = None
            c.rrule = f"FREQ=YEARLY;BYMONTH=3,6,9,12;BYMONTHDAY={c.day}"
        if c.time:
            h, mi = c.time.split(":")
            c.rrule += f";BYHOUR={int(h)};BYMINUTE={int(mi)}"
        c.kind = "date"
        if r.day is None and r.kind == "rec":
            drop.add(best[1])
    return [c for i, c in enumerate(kept) if i not in drop]


def _dedupe(ds: list[Deadline]) -> list[Deadline]:
    """One deadline per due date / recurrence (and day); a bare recurrence gives
    way to one of the same kind with its day."""
    out: list[Deadline] = []
    for d in ds:
        if d.recurrence and not d.date:
            same = [o for o in out if o.recurrence == d.recurrence and not o.date]
            if any((o.day, o.month) == (d.day, d.month) for o in same):
                continue
            if (d.day, d.month) == (None, None) and same:
                continue
            for o in same:
                if (o.day, o.month) == (None, None):
                    out.remove(o)
        elif d.date and any(o.date == d.date and o.recurrence == d.recurrence for o in out):
            continue
        out.append(d)
    return out
