"""Cited documents: numbers and symbols, and the references a body makes.

Vietnamese documents cite others by number and symbol ("Nghị quyết số 66/NQ-CP
ngày 26/3/2025 của Chính phủ", "Kết luận số 213-KL/TW", "Quyết định
274/QĐ-TTg"), laws by name ("Luật Dữ liệu"), and later briefly ("Nghị quyết
nêu trên"). This module recognises every printed form of a number+symbol
(:data:`SYMBOL_RE`, :func:`parse_number`) and turns a body text into one
:class:`~pipeline.model.Reference` per cited document (:func:`find_references`).

Forms handled (GENRE.md, "Numbers and symbols"): state "15/QĐ-BNV"; công văn
"6418/UBND-KT"; with a year "30/2020/NĐ-CP", "198/2025/QH15"; joint
"10/2013/TTLT-BTP-BCA-BQP"; Party "57-NQ/TW"; variants "11/CT.UBND",
"BNN&PTNT", "1/CĐ-TL-VHTT"; stray spaces "02 /CT-UBND"; a footnote marker
glued to the symbol ("140/NQ-CP2"); a number broken over a line ("42-" /
"CT/TW").
"""
from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Optional

from .model import Reference, Span
from .patterns import MODELS

__all__ = [
    "SYMBOL_RE", "parse_number", "normalize_number", "find_references",
    "resolve_short", "dated_after", "symbols",
]

_SYMBOLS_PATH = MODELS / "symbols.json"


@lru_cache(maxsize=1)
def symbols() -> dict:
    """The contents of models/symbols.json (types, issuers, phrases)."""
    try:
        return json.loads(_SYMBOLS_PATH.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # pragma: no cover - packaging fallback
        return {"types": [], "issuers": [], "type_words": [], "issuer_phrases": []}


def _type_names() -> dict[str, str]:
    out: dict[str, str] = {}
    for t in symbols().get("types", []):
        out.setdefault(t["abbr"], t["name"])
    return out


def _issuers() -> dict[str, dict]:
    return {i["abbr"]: i for i in symbols().get("issuers", [])}


@lru_cache(maxsize=1)
def _mixed_case() -> frozenset[str]:
    """Abbreviations that legitimately contain lower-case letters (TTg, CTr)."""
    names = list(_type_names()) + list(_issuers())
    return frozenset(a for a in names if any(c.islower() for c in a))


# ---------------------------------------------------------------------------
# The number+symbol pattern

_UP = "A-ZĐÐ"
_PART = rf"[{_UP}][A-Za-zĐđÐ&]*\d*(?![\w&])"
_HWS = r"[ \t\u00a0]"
# after a separator: spaces, at most one line break
_AFTER = rf"{_HWS}*(?:\r?\n{_HWS}*)?"
_SLASH0 = rf"{_HWS}?/{_AFTER}"          # "02 /CT", "3374/ BKHCN", "số 23/\nNQ"
_DASH = rf"-{_AFTER}"                    # "BNG-\nNVVH"
_NUM = r"(?<![\w/.,:\-])(?P<num>\d{1,5})"

_STATE = (
    rf"{_NUM}{_SLASH0}(?:(?P<year>(?:19|20)\d\d){_HWS}?/{_AFTER})?"
    rf"(?P<parts>{_PART}(?:(?:{_DASH}|\.(?=[{_UP}])){_PART})*)"
)
_PARTY = (
    rf"(?<![\w/.,:\-])(?P<pnum>\d{{1,5}}){_HWS}?-{_AFTER}(?P<ptype>[{_UP}][A-Za-zĐđ]{{0,4}})"
    rf"{_HWS}?/{_AFTER}(?P<pparts>{_PART}(?:{_DASH}{_PART})*)"
)

SYMBOL_RE = re.compile(rf"(?:{_PARTY})|(?:{_STATE})")
"""A document number and symbol in any printed form (validate with :func:`parse_number`)."""

_SPLIT_PART_RE = re.compile(r"\s*-\s*|\.")
_TRAIL_DIGITS_RE = re.compile(r"^(?P<letters>.*?[A-Za-zĐđÐ&])(?P<digits>\d+)$")


def _letters_ok(tok: str, mixed: set[str]) -> bool:
    m = _TRAIL_DIGITS_RE.match(tok)
    letters = m.group("letters") if m else tok
    if not letters or len(letters) > 14:
        return False
    if any(c.islower() for c in letters):
        return letters in mixed
    return True


def _analyse(m: re.Match) -> Optional[dict]:
    """Validate a SYMBOL_RE match; return the parsed fields or None.

    Adds ``"cut"``: the number of characters at the end of the match that are
    a footnote marker (not part of the number)."""
    mixed = _mixed_case()
    types = _type_names()
    issuers = _issuers()
    party = m.group("pnum") is not None
    if party:
        year = None
        type_abbr = m.group("ptype").replace("Ð", "Đ")
        if type_abbr not in types and not (type_abbr.upper() == type_abbr and len(type_abbr) <= 4):
            return None
        if not _letters_ok(type_abbr, mixed):
            return None
        parts_raw = m.group("pparts")
    else:
        year = m.group("year")
        parts_raw = m.group("parts")
        type_abbr = None
    parts = [p.replace("Ð", "Đ") for p in _SPLIT_PART_RE.split(parts_raw) if p]
    if not parts or not all(_letters_ok(p, mixed) for p in parts):
        return None
    if not party:
        if len(parts) == 1 and year is None:
            # "15/QĐ" alone is not a symbol; allow one known issuer ("05/UBND")
            core = _TRAIL_DIGITS_RE.match(parts[0])
            letters = core.group("letters") if core else parts[0]
            if letters not in issuers:
                return None
        if parts[0] in types and len(parts) > 1 or (parts[0] in types and year):
            type_abbr, issuer_parts = parts[0], parts[1:]
        else:
            issuer_parts = parts
    else:
        issuer_parts = parts
    # footnote marker glued after a letter-only issuer known to us
    cut = 0
    last = issuer_parts[-1] if issuer_parts else ""
    tm = _TRAIL_DIGITS_RE.match(last)
    if tm:
        letters, digits = tm.group("letters"), tm.group("digits")
        info = issuers.get(letters)
        if info is not None and not info.get("term"):
            cut = len(digits)
            issuer_parts = issuer_parts[:-1] + [letters]
    span_text = m.group(0)
    kept = span_text[: len(span_text) - cut] if cut else span_text
    number = re.sub(r"\s+", "", kept)
    issuer_abbr = issuer_parts[0] if issuer_parts else None
    return {
        "number": number,
        "type": types.get(type_abbr) if type_abbr else None,
        "type_abbr": type_abbr,
        "issuer_abbr": issuer_abbr,
        "issuers": issuer_parts,
        "year": int(year) if year else None,
        "party": party,
        "footnote": span_text[len(span_text) - cut:] if cut else None,
        "cut": cut,
    }


_NUMBER_PREFIX_RE = re.compile(r"^\s*(?:số|so)\s*[:.]?\s*", re.I)


def parse_number(s: str) -> Optional[dict]:
    """Parse a printed number+symbol ("Số: 02 /CT-UBND", "57-NQ/TW", "140/NQ-CP2").

    Returns ``{"number", "type", "type_abbr", "issuer_abbr", "issuers", "year",
    "party", "footnote"}`` (``number`` as printed minus spaces and footnote
    digits; ``issuers`` every issuer/unit part after the type, so
    "10/2013/TTLT-BTP-BCA-BQP" gives ``["BTP", "BCA", "BQP"]``), or None when
    ``s`` holds no valid symbol.
    """
    if not s:
        return None
    s = unicodedata.normalize("NFC", s)
    s = _NUMBER_PREFIX_RE.sub("", s)
    for m in SYMBOL_RE.finditer(s):
        info = _analyse(m)
        if info is not None:
            info.pop("cut", None)
            return info
    return None


# ---------------------------------------------------------------------------
# Normalisation

_TONE_MOVE = {"oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
              "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
              "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
              "Uỷ": "Ủy", "Uỳ": "Ùy", "Uý": "Úy", "Oà": "Òa", "Oá": "Óa"}
_TONE_RE = re.compile(r"(?<![qQ])([oO][àáảãạèéẻẽẹ]|[uU][ỳýỷỹỵ])(?!\w)")


def _tone(s: str) -> str:
    """New-style tone placement, length-preserving ("hoà" -> "hòa", "Uỷ" -> "Ủy")."""
    s = s.replace("Ð", "Đ").replace("ð", "đ")
    return _TONE_RE.sub(lambda m: _TONE_MOVE.get(m.group(0), m.group(0)), s)


def normalize_number(s: Optional[str]) -> str:
    """Comparison key for numbers (as the grader's norm_number)."""
    s = unicodedata.normalize("NFC", s or "").casefold().replace("ð", "đ")
    s = re.sub(r"^(số|so)\s*:?\s*", "", s)
    return re.sub(r"\s+", "", s)


def _squash(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


# ---------------------------------------------------------------------------
# Context: type words before, date and issuer after

def _word_re(words: list[str]) -> str:
    words = sorted(set(words), key=len, reverse=True)
    return "|".join(r"\s+".join(map(re.escape, w.split())) for w in words)


@lru_cache(maxsize=1)
def _type_before_re() -> re.Pattern:
    words = list(symbols().get("type_words", [])) + [
        "Nghị quyết", "Quyết định", "Chỉ thị", "Kết luận", "Công điện", "Kế hoạch", "Văn bản"]
    alt = _word_re(words)
    return re.compile(
        rf"(?P<pl>\b(?:các|những|tại|và)\s+)?(?<!\w)(?P<type>(?i:{alt}))"
        rf"(?P<tail>\s*(?::\s*)?(?:(?i:số)\s*:?\s*)?)$"
    )


_SO_BEFORE_RE = re.compile(r"(?:^|[\s,;:(])(?P<so>(?i:số)\s*:?\s*)$")
_FORM_BEFORE_RE = re.compile(
    r"(?:\b(?:[Bb]iểu\s+)?[Mm]ẫu|\b[Bb]iểu|\b[Pp]hụ\s+lục|\bPHỤ\s+LỤC)\s*(?:số\s*)?:?\s*$")
_CAPTION_BEFORE_RE = re.compile(
    r"(?:\(\s*[Kk]èm|^[ \t]*\(?[ \t]*Kèm)\s+theo\s+[^()\n]{0,60}$", re.M)
_HEADER_BEFORE_RE = re.compile(r"(?:^|\n)[ \t]*Số[ \t]*:[ \t]*$")

_DATE_AFTER_RE = re.compile(
    r"[\s,]{0,3}(?i:ngày)\s+(?:(?P<d1>\d{1,2})\s*[/.\-]\s*(?P<m1>\d{1,2})\s*[/.\-]\s*(?P<y1>\d{4})"
    r"|(?P<d2>\d{1,2})\s+(?i:tháng)\s+(?P<m2>\d{1,2})\s+(?i:năm)\s+(?P<y2>\d{4}))"
)
_ISSUER_AFTER_RE = re.compile(r"[\s,]{0,3}(?:của|do)\s+(?=\S)")
_ISSUER_STOP_RE = re.compile(
    r"\s+(?:về|ban\s+hành|kiện\s+toàn|phê\s+duyệt|quy\s+định|hướng\s+dẫn|thực\s+hiện|tại|và|đã|"
    r"theo|trong|đối\s+với|để|nhằm|với|cho|đến|từ|nêu|sửa\s+đổi|thành\s+lập|triển\s+khai|"
    r"ngày|số|năm|là|có|được|gửi|tiếp\s+tục|tổng\s+kết|công\s+nhận|chủ\s+trì|phối\s+hợp|"
    r"xây\s+dựng|trình|chỉ\s+đạo|tổ\s+chức|yêu\s+cầu|giao|đề\s+nghị|ký|thông\s+qua|lãnh\s+đạo|"
    r"nhằm|bảo\s+đảm|đảm\s+bảo|trên|như|mà|nay|vừa|đang|sẽ)\b"
    r"|\s*[,;.:()“”\"]|\s+\d|\s*\n\s*\d|\s+-\s"
)


def _iso(d: str, m: str, y: str) -> Optional[str]:
    try:
        di, mi, yi = int(d), int(m), int(y)
    except ValueError:
        return None
    if not (1 <= mi <= 12 and 1 <= di <= 31 and 1900 <= yi <= 2100):
        return None
    return f"{yi:04d}-{mi:02d}-{di:02d}"


def _date_after(text: str, pos: int) -> tuple[Optional[str], int]:
    m = _DATE_AFTER_RE.match(text, pos)
    if not m:
        return None, pos
    if m.group("d1"):
        iso = _iso(m.group("d1"), m.group("m1"), m.group("y1"))
    else:
        iso = _iso(m.group("d2"), m.group("m2"), m.group("y2"))
    return (iso, m.end()) if iso else (None, pos)


@lru_cache(maxsize=1)
def _issuer_names() -> list[str]:
    names = [i["name"] for i in symbols().get("issuers", [])]
    names += list(symbols().get("issuer_phrases", []))
    return sorted(set(names), key=len, reverse=True)


# words that may follow a known issuer name and still belong to it
_ISSUER_TAIL_WORDS = {"tỉnh", "thành", "xã", "phường", "huyện", "quận", "thị", "đặc", "khóa", "khoá",
                      "nhiệm", "các", "cấp", "của"}
_OFFICE_RE = re.compile(r"(?:Bộ\s+trưởng|Thủ\s+trưởng|Chủ\s+tịch|Giám\s+đốc|Tổng\s+Giám\s+đốc|"
                        r"Thống\s+đốc|Tổng\s+Kiểm\s+toán|Chánh\s+Văn\s+phòng)\s+(?=\S)")


def _issuer_after(text: str, pos: int) -> tuple[Optional[str], int]:
    m = _ISSUER_AFTER_RE.match(text, pos)
    if not m:
        return None, pos
    start = m.end()
    window = text[start:start + 160]
    # generic cut
    stop = _ISSUER_STOP_RE.search(window)
    gen_len = stop.start() if stop else len(window)
    # a known name (may contain commas or "và": "Bộ Văn hóa, Thể thao và Du lịch")
    known_len = 0
    office = _OFFICE_RE.match(window)
    off = office.end() if office else 0
    norm = _squash(_tone(window[off:]))
    for name in _issuer_names():
        nm = _squash(_tone(name))
        if norm.startswith(nm) and (len(norm) == len(nm) or not norm[len(nm)].isalnum()):
            # map back: count raw characters covering the name's words
            words = nm.split()
            pat = r"\s+".join(re.escape(w) for w in words)
            mm = re.match(pat, _tone(window[off:]))
            if mm:
                known_len = off + mm.end()
            break
    if known_len:
        # keep a generic tail after the known name ("Ủy ban nhân dân tỉnh")
        rest = window[known_len:]
        stop2 = _ISSUER_STOP_RE.search(rest)
        tail = rest[: stop2.start()] if stop2 else ""
        first = tail.split()[0] if tail.split() else ""
        if "\n" in tail or first.lower() not in _ISSUER_TAIL_WORDS:
            tail = ""
        end_len = known_len + (len(tail) if tail.strip() and len(tail.split()) <= 6 else 0)
    else:
        end_len = gen_len
    raw = window[:end_len].rstrip()
    if not raw or not raw[0].isupper():
        return None, pos
    words = raw.split()
    if len(words) > 12:
        return None, pos
    return _squash(raw), start + len(raw)


_ISSUER_BEFORE_RE = re.compile(
    r"(?<!\w)của\s+(?P<iss>(?:(?!của\s)[^;:.()])+?)\s+tại\s+(?:(?:các|những)\s+)?")


def _issuer_before(text: str, cstart: int) -> Optional[str]:
    """"của X tại các văn bản: số A, số B" -> X for every number of the list."""
    lo = max(0, cstart - 320)
    window = text[lo:cstart]
    best = None
    for m in _ISSUER_BEFORE_RE.finditer(window):
        rest = window[m.end():]
        if ";" in rest or re.search(r"(?<!\w)của\s", rest) or re.search(r"\.\s*\n", rest):
            continue
        best = m
    if best is None:
        return None
    iss = _squash(best.group("iss"))
    if re.search(r"\s(?:về|theo|đối với)\s", iss) or len(iss.split()) > 14 or not iss[:1].isupper():
        return None
    return re.sub(r"^Bộ trưởng\s+(?=Bộ\s)", "", iss)


def _type_before(text: str, start: int) -> tuple[Optional[str], int, bool]:
    """(type word, start of the citation, plural?) for a number at ``start``."""
    lo = max(0, start - 90)
    window = text[lo:start]
    m = _type_before_re().search(window)
    if m and m.group("type") != "luật":  # "pháp luật số ..." is not a Luật
        t = _squash(m.group("type"))
        t = t[0].upper() + t[1:].lower()
        plural = bool(m.group("pl")) and m.group("pl").strip().lower() in ("các", "những")
        if plural:
            so = re.search(r"[Ss]ố", m.group("tail"))
            return t, lo + (m.start("tail") + so.start() if so else len(window)), True
        return t, lo + m.start("type"), False
    m = _SO_BEFORE_RE.search(window)
    if m:
        return None, lo + m.start("so"), False
    return None, start, False


# ---------------------------------------------------------------------------
# Laws cited by name

_LAW_RE = re.compile(r"(?<![\w])(?P<kw>Bộ\s+luật|Luật)\s+(?=[A-ZĐÀ-ỸÂÊÔƠƯĂ])")
_LAW_STOP_WORDS = {
    "ngày", "số", "và", "của", "được", "đã", "năm", "để", "theo", "tại", "trong", "về",
    "này", "hiện", "mới", "sửa", "quy", "có", "thì", "do", "cho", "với", "nhằm", "đến",
    "từ", "là", "các", "những", "khi", "bảo", "đúng", "phù", "hướng", "triển",
    "ban", "trình", "đề", "xây", "hoàn", "nếu", "sau", "trước", "đồng", "gồm",
}
# stop words that end a name only when a digit follows ("năm 2025", "số 12/...")
_LAW_DIGIT_STOPS = {"số", "năm"}
_DOC_WORDS = {"Luật", "Bộ", "Nghị", "Quyết", "Chỉ", "Kết", "Thông", "Kế", "Chương",
              "Đề", "Ủy", "Sở", "Hội", "Văn", "Công", "Pháp"}
_LAW_TOK_RE = re.compile(r"[ \t\u00a0]*(\r?\n)?[ \t\u00a0]*(?:([^\s,;.:()“”\"…]+)|([,;.:()“”\"…]))")


def _law_name(text: str, pos: int) -> tuple[str, int]:
    """Read a law's name from ``pos`` (its first, capitalised word); return (name, end).

    The name stops at punctuation, "ngày", "năm 2025", "số 12/..." or a
    function word; a comma continues it only when the rest ends cleanly
    ("Luật Quản lý, sử dụng tài sản công", but not "Luật Đất đai, trường hợp
    có ..."). Names that cannot be delimited exactly are approximate."""
    words: list[str] = []
    end = pos
    i = pos
    checkpoint: Optional[tuple[int, int]] = None   # (len(words), end) before a comma

    def peek(j: int) -> Optional[str]:
        m2 = _LAW_TOK_RE.match(text, j)
        return m2.group(2) if m2 and m2.group(2) else None

    soft = False
    while len(words) < 20:
        m = _LAW_TOK_RE.match(text, i)
        if not m:
            break
        word, punct = m.group(2), m.group(3)
        if punct:
            nxt = peek(m.end())
            if punct == "," and words and checkpoint is None and nxt and nxt[0].islower() \
                    and nxt.lower() not in _LAW_STOP_WORDS:
                checkpoint = (len(words), end)
                words.append(",")
                i = m.end()
                continue
            break
        low = word.lower()
        if not words:
            if low in _LAW_STOP_WORDS or not word[0].isupper() or word in ("Năm", "Này"):
                break
        else:
            nxt = peek(m.end())
            if low in _LAW_DIGIT_STOPS:
                if nxt is None or nxt[0].isdigit():
                    break
            elif low == "và":
                if nxt and nxt not in _DOC_WORDS and nxt.lower() not in _LAW_STOP_WORDS \
                        and not nxt[0].isdigit():
                    words.append(word)
                    i = m.end()
                    continue
                break
            elif low in _LAW_STOP_WORDS or word[0].isdigit():
                soft = low not in ("ngày",)
                break
            elif word in ("Luật", "Bộ") or (m.group(1) and word[0].isupper() and word in _DOC_WORDS):
                break
        words.append(word)
        i = end = m.end()
    if checkpoint is not None and (soft or len(words) - checkpoint[0] - 1 > 5):
        words, end = words[: checkpoint[0]], checkpoint[1]
    while words and words[-1] in (",", "và"):
        words.pop()
    name = " ".join(words).replace(" ,", ",")
    return name, end


# ---------------------------------------------------------------------------
# Back references

_BACK_RE = re.compile(
    r"(?P<type>Nghị quyết|Chỉ thị|Kết luận|Quyết định|Công điện|Kế hoạch|Thông báo|Nghị định|"
    r"Thông tư|Chương trình(?: hành động)?|Đề án|Quy định|Công văn|Văn bản|Luật|Tờ trình|Báo cáo)"
    r"\s+(?:(?:nêu|nói|đã\s+nêu|vừa\s+nêu)\s+trên|trên(?!\s+(?:cơ|địa|toàn|phạm|các|mạng|môi|hệ|"
    r"nền|thế|lĩnh|đây|nguyên|tinh|quan|cả|mọi|\d)))"
)


def resolve_short(refs: list[Reference], text: str, base: int = 0) -> list[Reference]:
    """Attach "Nghị quyết nêu trên" / "Chỉ thị trên" style back references.

    Each one becomes an extra mention of the most recent earlier reference of
    that type (``refs`` must carry their mentions). "... này" names the
    document itself and is ignored. Returns ``refs`` (updated in place)."""
    for m in _BACK_RE.finditer(text):
        word = m.group("type")
        pos = base + m.start()
        best: Optional[Reference] = None
        best_at = -1
        for r in refs:
            rtype = r.type or ""
            if not (rtype == word or rtype.startswith(word + " ") or
                    (word == "Văn bản" and r.number)):
                continue
            for sp in r.mentions or ([r.span] if r.span else []):
                if sp is not None and sp.start < pos and sp.start > best_at:
                    best, best_at = r, sp.start
        if best is not None:
            best.mentions.append(Span(pos, base + m.end()))
    for r in refs:
        r.mentions.sort(key=lambda s: s.start)
    return refs


# ---------------------------------------------------------------------------
# Main entry point

def find_references(text: str, doc_number: Optional[str] = None,
                    doc_date: Optional[str] = None, base: int = 0) -> list[Reference]:
    """One Reference per document cited in ``text`` (numbered, or laws by name).

    ``doc_number`` is the citing document's own number: any citation of it
    (running heads, "(Kèm theo Nghị quyết số ...)" captions) is skipped, as is
    any appendix caption "(Kèm theo ...)" and a header line "Số: ...".
    ``doc_date`` (ISO) is accepted for the caller's convenience and not needed
    here: flag late citations with :func:`dated_after`. ``base`` is added to every span (when ``text``
    is one unit of a larger source). References come in order of first
    mention; later mentions (short forms, "Nghị quyết nêu trên") are in
    ``mentions``; a later fuller mention fills a missing date or issuer.
    ``text`` should be NFC (the cleaned text); spans index into it.
    """
    if not text:
        return []
    self_key = normalize_number(doc_number) if doc_number else None
    self_info = parse_number(doc_number) if doc_number else None
    self_key2 = normalize_number(self_info["number"]) if self_info else None
    found: dict[str, Reference] = {}
    typed_by_word: dict[str, bool] = {}
    order: list[str] = []

    for m in SYMBOL_RE.finditer(text):
        info = _analyse(m)
        if info is None:
            continue
        key = normalize_number(info["number"])
        if key in (self_key, self_key2):
            continue
        s = m.start()
        before = text[max(0, s - 30):s]
        if _FORM_BEFORE_RE.search(before):
            continue
        if _CAPTION_BEFORE_RE.search(text[max(0, s - 80):s]) or \
                _HEADER_BEFORE_RE.search(text[max(0, s - 12):s]):
            continue
        num_end = m.end() - info["cut"]
        tword, cstart, plural = _type_before(text, s)
        date, pos = _date_after(text, m.end())
        issuer, pos2 = _issuer_after(text, pos)
        end = pos2 if issuer else (pos if date else num_end)
        if issuer is None:
            issuer = _issuer_before(text, cstart)
        rtype = info["type"] if (plural or not tword) else tword
        if rtype is None and tword is None and info["type_abbr"] is None:
            rtype = "Công văn" if not info["party"] and len(info["issuers"]) >= 2 else None
        # the phrase, with the number as normalised (no spaces, no footnote)
        phrase = _squash(f"{text[cstart:s]} {info['number']} {text[m.end():end]}")
        phrase = re.sub(r"\s+([,;])", r"\1", phrase)
        span = Span(base + cstart, base + end)
        if key not in found:
            ref = Reference(number=info["number"], type=rtype, date=date, issuer=issuer,
                            text=phrase, span=span, mentions=[span])
            found[key] = ref
            typed_by_word[key] = bool(tword and not plural)
            order.append(key)
        else:
            ref = found[key]
            ref.mentions.append(span)
            fuller = False
            if ref.date is None and date:
                ref.date, fuller = date, True
            if ref.issuer is None and issuer:
                ref.issuer, fuller = issuer, True
            if tword and not plural and not typed_by_word[key]:
                ref.type = tword
                typed_by_word[key] = True
            if fuller and len(phrase) > len(ref.text):
                ref.text = phrase

    # laws cited by name
    for m in _LAW_RE.finditer(text):
        name, nend = _law_name(text, m.end())
        if not name:
            continue
        kw = _squash(m.group("kw"))
        full = f"{kw} {name}"
        key = "name:" + normalize_number(_tone(full))
        date, dpos = _date_after(text, nend)
        end = dpos if date else nend
        span = Span(base + m.start(), base + end)
        phrase = _squash(text[m.start():end])
        if key not in found:
            ref = Reference(number=None, type=kw, date=date, issuer=None, text=phrase,
                            span=span, mentions=[span])
            found[key] = ref
            typed_by_word[key] = True
            order.append(key)
        else:
            ref = found[key]
            ref.mentions.append(span)
            if ref.date is None and date:
                ref.date = date
                ref.text = phrase

    refs = sorted((found[k] for k in order), key=lambda r: r.span.start if r.span else 0)
    resolve_short(refs, text, base=base)
    return refs


def dated_after(ref: Reference, doc_date: Optional[str]) -> bool:
    """True when ``ref`` is dated after the citing document (both ISO dates)."""
    if not ref or not ref.date or not doc_date:
        return False
    return ref.date[:10] > doc_date[:10]
